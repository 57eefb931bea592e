"""Benchmark: `ppconnector diff` of Encodian (the largest corpus connector, 1.1 MB of Swagger) against an
edited copy, next to what a user runs instead to check the edited file, `openapi-spec-validator`, in one run.

    python3 bench/bench_diff.py [--repeat N] [--corpus ../shared/corpus]

The copy gets Encodian's largest kind of change, a release that touches everything: an operation removed, an
output field removed wherever its schema is used, a required input added, integer formats widened, and every
description reworded, so the diff walks every schema and has thousands of changes to report, as the
pull-request comment (markdown).  Both are timed as whole commands (process start included), best of N, in
one run of this script; the target is a ratio of at most 0.5.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = Path(os.environ.get("PPCONNECTOR_SHARED", ROOT.parent / "shared")) / "corpus"


def best_of(command: list[str], repeat: int, ok: tuple[int, ...] = (0,)) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
        if result.returncode not in ok:
            sys.exit(f"{command[0]} failed ({result.returncode}): {result.stderr.decode(errors='replace')[-500:]}")
    return min(times)


def edit(doc: dict) -> None:
    ops = [(path, method, op) for path, item in doc["paths"].items() for method, op in item.items()
           if isinstance(op, dict) and "operationId" in op]
    path, method, _ = ops[0]
    del doc["paths"][path][method]  # operation-removed
    for _, _, op in ops[1:40]:
        op["summary"] = op.get("summary", "") + " (v2)"  # display-only
    _, _, op = ops[1]
    op.setdefault("parameters", []).append({"name": "tenant", "in": "query", "required": True, "type": "string"})
    doc["info"]["version"] = doc["info"].get("version", "1") + ".1"
    for name, schema in doc.get("definitions", {}).items():
        if isinstance(schema, dict) and len(schema.get("properties") or {}) > 1:
            del schema["properties"][next(iter(schema["properties"]))]  # output/input removed wherever it is used
            break
    reword(doc)


def reword(node) -> None:
    """Every description reworded, every int32 widened to int64 (non-breaking): a change that touches everything."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                node[key] = value + " (v2)"
            elif key == "format" and value == "int32":
                node[key] = "int64"
            else:
                reword(value)
    elif isinstance(node, list):
        for value in node:
            reword(value)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    validator = shutil.which("openapi-spec-validator") or sys.exit("openapi-spec-validator is not installed")
    original = args.corpus / "certified-connectors" / "Encodian"
    if not (original / "apiDefinition.swagger.json").is_file():
        print(f"skipped: diff on Encodian (1.1 MB): {original} is missing (../shared is not beside the project; "
              "set --corpus or PPCONNECTOR_SHARED)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        edited = Path(tmp) / "Encodian"
        shutil.copytree(original, edited)
        doc = json.loads((original / "apiDefinition.swagger.json").read_text(encoding="utf-8-sig"))
        edit(doc)
        (edited / "apiDefinition.swagger.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")
        command = [sys.executable, "-m", "ppconnector.cli", "diff", str(original), str(edited)]
        report = json.loads(subprocess.run([*command, "--format", "json"], capture_output=True, cwd=ROOT).stdout)
        diff = best_of([*command, "--format", "markdown"], args.repeat, ok=(0, 1))
        validate = best_of([validator, str(edited / "apiDefinition.swagger.json")], args.repeat, ok=(0, 1))
    size = (original / "apiDefinition.swagger.json").stat().st_size
    summary = ", ".join(f"{report['summary'][s]} {s}" for s in ("breaking", "warning", "non-breaking", "display-only"))
    print(f"Encodian apiDefinition.swagger.json: {size / 1e6:.1f} MB, {len(doc['paths'])} paths; diff found {summary}")
    print(f"ppconnector diff Encodian edited-copy --format markdown: {diff:.3f} s")
    print(f"openapi-spec-validator edited apiDefinition.json:        {validate:.3f} s")
    print(f"ratio diff / validator: {diff / validate:.2f} (target <= 0.50)")


if __name__ == "__main__":
    main()
