"""Benchmark: `ppconnector check` (every family) next to openapi-spec-validator on the same definition, same run.

    python3 bench/bench_check.py [--repeat N]

ClickSend: check on the YAML source (load, build every locale, all rules) vs openapi-spec-validator on the
built English definition.  Encodian (the largest corpus connector): check on the folder vs the validator on
its definition.  Two measures, best of N each: in-process (imports excluded; the first call compiles and
caches the schemas) and as the commands a user runs (`python -m generator.cli check` vs
`python -m openapi_spec_validator`, interpreter start and imports included).
"""

from __future__ import annotations

import json
import sys
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


def _cli(*args: str) -> None:
    import subprocess

    subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, check=False,
                   env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})


def main() -> None:
    import os

    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 5
    from jsonschema_path import SchemaPath
    from openapi_spec_validator import OpenAPIV2SpecValidator

    from generator.check.engine import check, select_rules

    shared = Path(os.environ.get("PPCONNECTOR_SHARED", ROOT.parent / "shared"))
    cases = [("ClickSend", ROOT / "connector" / "clicksend.yaml", ROOT / "apiDefinition.swagger.json", 1.0),
             ("Encodian", shared / "corpus" / "certified-connectors" / "Encodian",
              shared / "corpus" / "certified-connectors" / "Encodian" / "apiDefinition.swagger.json", 0.5)]
    own = [r.id for r in select_rules() if r.function.__module__.startswith("generator.check.rules.")]
    check(cases[0][1])  # warm-up: compiles (and caches) the Swagger 2.0 schema
    for name, target, definition_path, goal in cases:
        definition = json.loads(definition_path.read_text(encoding="utf-8-sig"))
        osv = best(lambda: list(OpenAPIV2SpecValidator(SchemaPath.from_dict(definition)).iter_errors()), repeat)
        ours_all = best(lambda: check(target), repeat)
        ours_own = best(lambda: check(target, select=own), repeat)
        print(f"{name} in-process: openapi-spec-validator {osv:.3f} s; check (every family) {ours_all:.3f} s = {ours_all / osv:.2f}x; "
              f"check (engine's own families) {ours_own:.3f} s = {ours_own / osv:.2f}x; target <= {goal:.1f}x: "
              f"{'met' if ours_all / osv <= goal else 'NOT met'}")
        cli_osv = best(lambda: _cli("-m", "openapi_spec_validator", str(definition_path)), repeat)
        cli_all = best(lambda: _cli("-m", "generator.cli", "check", str(target)), repeat)
        cli_own = best(lambda: _cli("-m", "generator.cli", "check", str(target), "--select", ",".join(own)), repeat)
        print(f"{name} commands:   openapi-spec-validator {cli_osv:.3f} s; check (every family) {cli_all:.3f} s = {cli_all / cli_osv:.2f}x; "
              f"check (engine's own families) {cli_own:.3f} s = {cli_own / cli_osv:.2f}x; target <= {goal:.1f}x: "
              f"{'met' if cli_all / cli_osv <= goal else 'NOT met'}")


if __name__ == "__main__":
    main()
