"""Benchmark: `ppconnector check` (every family) next to openapi-spec-validator (and its Rust companion
openapi-spec-validator-rs, where installed) on the same definition, same run.

    python3 bench/bench_check.py [--repeat N] [--corpus [--rounds N]] [--instructions STEP]

ClickSend: check on the YAML source (load, build every locale, all rules) vs openapi-spec-validator on the
built English definition.  Encodian (the largest corpus connector): check on the folder vs the validator on
its definition.  Two measures, best of N each: in-process (imports excluded; the first call compiles and
caches the schemas) and as the commands a user runs (`python -m ppconnector.cli check` vs
`python -m openapi_spec_validator`, interpreter start and imports included, bytecode written as an install
writes it).  --corpus: the whole ../shared/corpus as one command each (`ppconnector check ROOT`, every family,
both cores, text and JSON reports) next to openapi-spec-validator on the same definitions, interleaved rounds,
median ratios of wall and CPU time.  --instructions STEP: every STEP-th corpus connector, both commands counted in
machine instructions with valgrind's callgrind (immune to a busy machine).
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

    from ppconnector.check.engine import check, select_rules

    shared = Path(os.environ.get("PPCONNECTOR_SHARED", ROOT.parent / "shared"))
    cases = [("ClickSend", ROOT / "connector" / "clicksend.yaml", ROOT / "apiDefinition.swagger.json", 1.0),
             ("Encodian", shared / "corpus" / "certified-connectors" / "Encodian",
              shared / "corpus" / "certified-connectors" / "Encodian" / "apiDefinition.swagger.json", 0.5)]
    if not cases[1][2].is_file():
        print(f"skipped: check on Encodian (1.1 MB): {cases[1][2]} is missing (../shared is not beside the project; "
              "set PPCONNECTOR_SHARED)")
        cases = cases[:1]
    own = [r.id for r in select_rules() if r.function.__module__.startswith("ppconnector.check.rules.")]
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
        for warm_up in (("-m", "openapi_spec_validator", str(definition_path)), ("-m", "ppconnector.cli", "check", str(target))):
            _cli(*warm_up)  # writes the bytecode, as installing does
        cli_osv = best(lambda: _cli("-m", "openapi_spec_validator", str(definition_path)), repeat)
        cli_all = best(lambda: _cli("-m", "ppconnector.cli", "check", str(target)), repeat)
        cli_own = best(lambda: _cli("-m", "ppconnector.cli", "check", str(target), "--select", ",".join(own)), repeat)
        print(f"{name} commands:   openapi-spec-validator {cli_osv:.3f} s; check (every family) {cli_all:.3f} s = {cli_all / cli_osv:.2f}x; "
              f"check (engine's own families) {cli_own:.3f} s = {cli_own / cli_osv:.2f}x; target <= {goal:.1f}x: "
              f"{'met' if cli_all / cli_osv <= goal else 'NOT met'}")


def _rust(definition: dict, repeat: int) -> float | None:
    try:
        from openapi_spec_validator_rs import OpenAPIV2SpecValidator as RustValidator
    except ImportError:
        return None
    return best(lambda: list(RustValidator(definition).iter_errors()), repeat)


def corpus(rounds: int) -> None:
    """The whole corpus as one command each, as a user runs it: `ppconnector check ROOT` (every rule family, the
    pool over every core, the default text report; then --format json) against `openapi-spec-validator --schema 2.0`
    on the same definitions in one process (schema only, what a user would run instead).  The commands alternate,
    round after round, so a machine shared with other work slows both alike; each ratio is taken within a round
    and the median is reported, for wall time and for CPU time (user + system of the process and its workers)."""
    import resource
    import statistics
    import subprocess

    root = Path(os.environ.get("PPCONNECTOR_SHARED", ROOT.parent / "shared")) / "corpus"
    folders = sorted(p for p in root.glob("*/*") if (p / "apiDefinition.swagger.json").is_file())
    if not folders:
        print(f"skipped: {root} has no connectors (../shared is not beside the project; set PPCONNECTOR_SHARED)")
        return
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=_BYTECODE)
    # openapi-spec-validator's own command stops at the first invalid file, so the tree is validated as a user's
    # script would: one process, every file, every error listed (as `check` lists them).
    loop = ("import json, sys\n"
            "from jsonschema_path import SchemaPath\n"
            "from openapi_spec_validator import OpenAPIV2SpecValidator\n"
            "for path in sys.argv[1:]:\n"
            "    try:\n"
            "        spec = json.loads(open(path, encoding='utf-8-sig').read())\n"
            "    except ValueError:\n"
            "        print(path, 'not JSON'); continue\n"
            "    for error in OpenAPIV2SpecValidator(SchemaPath.from_dict(spec)).iter_errors():\n"
            "        print(path, str(error).splitlines()[0])\n")
    commands = {
        "openapi-spec-validator": [sys.executable, "-c", loop, *(str(f / "apiDefinition.swagger.json") for f in folders)],
        "check": [sys.executable, "-m", "ppconnector.cli", "check", str(root)],
        "check --format json": [sys.executable, "-m", "ppconnector.cli", "check", str(root), "--format", "json"],
    }

    def timed(argv: list[str]) -> tuple[float, float, int]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), len(done.stdout)

    for argv in commands.values():  # bytecode written, schemas compiled, scripts compiled once (cached by content)
        timed(argv)
    runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, argv in commands.items():
            runs[name].append(timed(argv))
    osv = runs["openapi-spec-validator"]
    print(f"corpus: {len(folders)} connectors, {rounds} interleaved rounds, {os.cpu_count()} cores; "
          f"load average at the end {os.getloadavg()[0]:.1f}")
    for name in commands:
        walls, cpus = [r[0] for r in runs[name]], [r[1] for r in runs[name]]
        line = f"  {name:<24} wall {statistics.median(walls):6.2f} s (min {min(walls):.2f})  CPU {statistics.median(cpus):6.2f} s"
        if name != "openapi-spec-validator":
            wall_ratio = statistics.median(r[0] / o[0] for r, o in zip(runs[name], osv))
            cpu_ratio = statistics.median(r[1] / o[1] for r, o in zip(runs[name], osv))
            line += f"  = {wall_ratio:.3f}x wall, {cpu_ratio:.3f}x CPU of openapi-spec-validator; report {runs[name][-1][2] / 1e6:.1f} MB"
            line += f"; goal <= 0.15x wall: {'met' if wall_ratio <= 0.15 else 'NOT met'}"
        print(line)


def instructions(step: int) -> None:
    """Every step-th corpus connector (copied to a temporary folder), both commands of corpus() counted in machine
    instructions under valgrind's callgrind (every process: the command and its workers): a measure the other
    work on a shared machine does not change.  Instructions are work, not wall time: with two cores `check`
    spreads its work over both, openapi-spec-validator runs in one."""
    import re
    import subprocess

    if not shutil.which("valgrind"):
        print("skipped: valgrind is not installed")
        return
    root = Path(os.environ.get("PPCONNECTOR_SHARED", ROOT.parent / "shared")) / "corpus"
    folders = sorted(p for p in root.glob("*/*") if (p / "apiDefinition.swagger.json").is_file())[::step]
    sample = Path(tempfile.mkdtemp(prefix="ppconnector-bench-sample-"))
    atexit.register(shutil.rmtree, sample, True)
    for folder in folders:
        shutil.copytree(folder, sample / folder.parent.name / folder.name)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=_BYTECODE, PPCONNECTOR_JOBS="1")
    definitions = [str(f) for f in sorted(sample.glob("*/*/apiDefinition.swagger.json"))]
    loop = ("import json, sys\nfrom jsonschema_path import SchemaPath\nfrom openapi_spec_validator import OpenAPIV2SpecValidator\n"
            "for path in sys.argv[1:]:\n    try:\n        spec = json.loads(open(path, encoding='utf-8-sig').read())\n"
            "    except ValueError:\n        continue\n    for error in OpenAPIV2SpecValidator(SchemaPath.from_dict(spec)).iter_errors():\n"
            "        print(path, str(error).splitlines()[0])\n")
    counted = {}
    for name, argv in (("check", [sys.executable, "-m", "ppconnector.cli", "check", str(sample)]),
                       ("openapi-spec-validator", [sys.executable, "-c", loop, *definitions])):
        subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=False)  # warm: bytecode, schema and script caches
        done = subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=yes", "--callgrind-out-file=/dev/null", *argv],
                              cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        counted[name] = sum(int(n.replace(",", "")) for n in re.findall(r"Collected : ([\d,]+)", done.stderr))
    print(f"instructions on {len(folders)} connectors (every {step}th of the corpus): check {counted['check'] / 1e9:.2f} G, "
          f"openapi-spec-validator {counted['openapi-spec-validator'] / 1e9:.2f} G: check = "
          f"{counted['check'] / counted['openapi-spec-validator']:.3f}x")


if __name__ == "__main__":
    if "--instructions" in sys.argv:
        instructions(int(sys.argv[sys.argv.index("--instructions") + 1]))
    elif "--corpus" in sys.argv:
        corpus(int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 3)
    else:
        main()
