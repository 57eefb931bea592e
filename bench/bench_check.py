"""Benchmark: `ppconnector check` (every family) next to openapi-spec-validator (and its Rust companion
openapi-spec-validator-rs, where installed) on the same definition, same run.

    python3 bench/bench_check.py [--repeat N] [--corpus]

ClickSend: check on the YAML source (load, build every locale, all rules) vs openapi-spec-validator on the
built English definition.  Encodian (the largest corpus connector): check on the folder vs the validator on
its definition.  Two measures, best of N each: in-process (imports excluded; the first call compiles and
caches the schemas) and as the commands a user runs (`python -m generator.cli check` vs
`python -m openapi_spec_validator`, interpreter start and imports included, bytecode written as an install
writes it).  --corpus: every connector of ../shared/corpus checked in one process (the engine's own rules),
next to openapi-spec-validator on the same definitions.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


_BYTECODE = tempfile.mkdtemp(prefix="ppconnector-bench-pyc-")
atexit.register(shutil.rmtree, _BYTECODE, True)


def _cli(*args: str) -> None:
    """Run a command as a user's install would: pip writes every module's bytecode, so neither command compiles
    Python source as it starts (PYTHONDONTWRITEBYTECODE, set in some sandboxes, would make only ours, run from
    the tree, do so; the bytecode goes to a temporary folder, never into the tree)."""
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, check=False,
                   env={**env, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": _BYTECODE})


def main() -> None:
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 5
    from jsonschema_path import SchemaPath
    from openapi_spec_validator import OpenAPIV2SpecValidator

    from generator.check.engine import check, select_rules

    shared = Path(os.environ.get("PPCONNECTOR_SHARED", ROOT.parent / "shared"))
    cases = [("ClickSend", ROOT / "connector" / "clicksend.yaml", ROOT / "apiDefinition.swagger.json", 1.0),
             ("Encodian", shared / "corpus" / "certified-connectors" / "Encodian",
              shared / "corpus" / "certified-connectors" / "Encodian" / "apiDefinition.swagger.json", 0.5)]
    if not cases[1][2].is_file():
        print(f"skipped: check on Encodian (1.1 MB): {cases[1][2]} is missing (../shared is not beside the project; "
              "set PPCONNECTOR_SHARED)")
        cases = cases[:1]
    own = [r.id for r in select_rules() if r.function.__module__.startswith("generator.check.rules.")]
    check(cases[0][1])  # warm-up: compiles (and caches) the Swagger 2.0 schema
    for name, target, definition_path, goal in cases:
        definition = json.loads(definition_path.read_text(encoding="utf-8-sig"))
        osv = best(lambda: list(OpenAPIV2SpecValidator(SchemaPath.from_dict(definition)).iter_errors()), repeat)
        rs = _rust(definition, repeat)
        ours_all = best(lambda: check(target), repeat)
        ours_own = best(lambda: check(target, select=own), repeat)
        print(f"{name} in-process: openapi-spec-validator {osv:.3f} s; check (every family) {ours_all:.3f} s = {ours_all / osv:.2f}x; "
              f"check (engine's own families) {ours_own:.3f} s = {ours_own / osv:.2f}x; target <= {goal:.1f}x: "
              f"{'met' if ours_all / osv <= goal else 'NOT met'}"
              + (f"; openapi-spec-validator-rs {rs:.3f} s, check = {ours_all / rs:.1f}x of it" if rs else ""))
        for warm_up in (("-m", "openapi_spec_validator", str(definition_path)), ("-m", "generator.cli", "check", str(target))):
            _cli(*warm_up)  # writes the bytecode, as installing does
        cli_osv = best(lambda: _cli("-m", "openapi_spec_validator", str(definition_path)), repeat)
        cli_all = best(lambda: _cli("-m", "generator.cli", "check", str(target)), repeat)
        cli_own = best(lambda: _cli("-m", "generator.cli", "check", str(target), "--select", ",".join(own)), repeat)
        print(f"{name} commands:   openapi-spec-validator {cli_osv:.3f} s; check (every family) {cli_all:.3f} s = {cli_all / cli_osv:.2f}x; "
              f"check (engine's own families) {cli_own:.3f} s = {cli_own / cli_osv:.2f}x; target <= {goal:.1f}x: "
              f"{'met' if cli_all / cli_osv <= goal else 'NOT met'}")


def _rust(definition: dict, repeat: int) -> float | None:
    try:
        from openapi_spec_validator_rs import OpenAPIV2SpecValidator as RustValidator
    except ImportError:
        return None
    return best(lambda: list(RustValidator(definition).iter_errors()), repeat)


def corpus() -> None:
    """Every corpus connector in one process, as a CI job over many connectors would run it."""
    from jsonschema_path import SchemaPath
    from openapi_spec_validator import OpenAPIV2SpecValidator

    from generator.check.engine import load, run, select_rules
    from generator.diagnostics import InputError

    root = Path(os.environ.get("PPCONNECTOR_SHARED", ROOT.parent / "shared")) / "corpus"
    folders = sorted(p for p in root.glob("*/*") if (p / "apiDefinition.swagger.json").is_file())
    own = [r for r in select_rules() if r.function.__module__.startswith("generator.check.rules.")]
    start = time.perf_counter()
    for folder in folders:
        try:
            run(load(folder), own)
        except InputError:
            pass
    ours = time.perf_counter() - start
    start = time.perf_counter()
    for folder in folders:
        try:
            definition = json.loads((folder / "apiDefinition.swagger.json").read_text(encoding="utf-8-sig"))
            list(OpenAPIV2SpecValidator(SchemaPath.from_dict(definition)).iter_errors())
        except ValueError:
            pass
    osv = time.perf_counter() - start
    print(f"corpus ({len(folders)} connectors, one process): check {ours:.1f} s ({len(own)} rules); openapi-spec-validator "
          f"{osv:.1f} s; check = {ours / osv:.2f}x; target: under 120 s: {'met' if ours < 120 else 'NOT met'}")


if __name__ == "__main__":
    corpus() if "--corpus" in sys.argv else main()
