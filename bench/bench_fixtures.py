"""How long the contract family adds to `ppconnector check`, next to what a user would run instead.

Times, in one process, the median of several runs of: `check` with every family, `check` without the
contract family, the contract family alone on an already loaded target, and the alternative a user has
today: validating each fixture's response body with plain jsonschema against the definition's schema
(no request, coverage, credential or line-number checks).  Prints the numbers and the ratios.

    python3 bench/bench_fixtures.py [SOURCE]     (default: connector/clicksend.yaml)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def median_time(fn, runs: int = 7) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    import jsonschema
    import yaml

    from ppconnector.check import engine
    from ppconnector.fixtures.contract import operations, resolve
    from ppconnector.fixtures.run import contract_findings, target_for_source

    source = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "connector" / "clicksend.yaml"
    fixtures = sorted((source.parent / "fixtures").rglob("*.yaml"))
    all_families = median_time(lambda: engine.check(source))
    without = median_time(lambda: engine.check(source, (), ["contract"]))
    target = target_for_source(source)

    def family_only():
        target.__dict__.pop("_contract_report", None)
        contract_findings(target)

    family = median_time(family_only)
    definition = target.definition
    ops = operations(definition)

    def plain_jsonschema():
        for file in fixtures:
            doc = yaml.safe_load(file.read_text(encoding="utf-8"))
            op = ops.get(doc.get("operation"))
            resp = doc.get("response") or {}
            declared = resolve(definition, (op.op.get("responses") or {}).get(str(resp.get("status")))) if op else None
            if declared and declared.get("schema"):
                schema = dict(declared["schema"], definitions=definition.get("definitions", {}))
                list(jsonschema.Draft4Validator(schema).iter_errors(resp.get("body")))

    plain = median_time(plain_jsonschema)
    print(f"{len(fixtures)} fixtures, {len(ops)} operations")
    print(f"check, all families:          {all_families:.3f} s")
    print(f"check, without contract:      {without:.3f} s   (contract adds {all_families - without:+.3f} s)")
    print(f"contract family alone:        {family:.3f} s")
    print(f"plain jsonschema (responses): {plain:.3f} s   ratio contract/plain {family / plain:.2f}")


if __name__ == "__main__":
    main()
