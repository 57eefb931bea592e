"""Measure `ppconnector import` on public API descriptions nobody wrote for it (bench/import-corpus.yaml):
each document is imported, built and checked as a user would (`ppconnector import FILE`, `build`, `check`,
each a process, in a scratch folder), and `import --verify` proves the YAML builds back to the conversion.

    python3 bench/measure_import.py DIR [--list bench/import-corpus.yaml] [--converter PATH] [--markdown]

DIR holds the documents (`python3 bench/fetch_import_corpus.py DIR` fetches them). A document whose sha256
differs from the list is reported and not measured. Exit 1 when a check error is not one the list judges
the API's own (`api_errors`): an error the conversion caused. With --converter (npm api-spec-converter's
CLI, e.g. node_modules/.bin/api-spec-converter), each OpenAPI document is also converted by it and its
Swagger checked with `ppconnector check` the same way (in a plain folder, without apiProperties.json).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
LIST = Path(__file__).with_name("import-corpus.yaml")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch")


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ppconnector.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)


def operations(definition: dict) -> int:
    return sum(1 for item in (definition.get("paths") or {}).values() if isinstance(item, dict) for m in item if m in METHODS)


def source_operations(path: Path, kind: str) -> int:
    text = path.read_text(encoding="utf-8")
    value = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    if kind.startswith("postman"):
        count, stack = 0, [value.get("item") or []]
        while stack:
            for item in stack.pop():
                if isinstance(item, dict) and isinstance(item.get("item"), list):
                    stack.append(item["item"])
                elif isinstance(item, dict) and "request" in item:
                    count += 1
        return count
    return operations(value)


def errors_of(check: subprocess.CompletedProcess) -> Counter:
    try:
        report = json.loads(check.stdout)
    except ValueError:
        return Counter({"(check could not run: " + (check.stderr.strip().splitlines() or ["?"])[-1][:120] + ")": 1})
    return Counter(f["rule"] for f in report.get("findings", []) if f.get("severity") == "error")


def measure(entry: dict, folder: Path, converter: str | None) -> dict:
    doc = folder / entry["file"]
    row = {"name": entry["name"], "kind": entry["kind"], "bytes": entry["bytes"]}
    if not doc.is_file():
        return {**row, "status": "missing"}
    if hashlib.sha256(doc.read_bytes()).hexdigest() != entry["sha256"]:
        return {**row, "status": "sha256 differs"}
    row["source_operations"] = source_operations(doc, entry["kind"])
    with tempfile.TemporaryDirectory(prefix="ppconnector-measure-") as tmp:
        work = Path(tmp)
        shutil.copy(doc, work / doc.name)
        start = time.perf_counter()
        imported = cli("import", doc.name, cwd=work)
        row["import_seconds"] = round(time.perf_counter() - start, 3)
        if imported.returncode != 0:
            return {**row, "status": "import failed", "detail": imported.stderr.strip()[-300:]}
        findings = [line for line in imported.stderr.splitlines() if "[import-" in line and "[import-idiom]" not in line]
        row["lost"] = Counter(line.rsplit("[", 1)[1].rstrip("]") for line in findings if ": warning: " in line)
        row["changed"] = Counter(line.rsplit("[", 1)[1].rstrip("]") for line in findings if ": info: " in line)
        built = cli("build", cwd=work)
        row["built"] = built.returncode == 0
        definition = json.loads((work / "apiDefinition.swagger.json").read_text(encoding="utf-8")) if row["built"] else {}
        row["operations"] = operations(definition)
        row["fixtures"] = len(list((work / "connector" / "fixtures").rglob("*.yaml"))) if (work / "connector" / "fixtures").is_dir() else 0
        row["errors"] = errors_of(cli("check", "--format", "json", cwd=work))
        row["verify"] = cli("import", "--verify", doc.name, cwd=work).stdout.strip().splitlines()[0].split()[0]
        if converter and entry["kind"].startswith("openapi"):
            row["converter"] = other_converter(converter, doc, work)
    unjudged = {rule: n for rule, n in row["errors"].items() if rule not in (entry.get("api_errors") or {})}
    row["status"] = "ok" if row["built"] and row["verify"] == "identical" and not unjudged else "conversion error"
    row["unjudged"] = unjudged
    return row


def other_converter(converter: str, doc: Path, work: Path) -> dict:
    """The same document through api-spec-converter (openapi_3 -> swagger_2), checked in a plain folder."""
    out = work / "api-spec-converter"
    out.mkdir()
    start = time.perf_counter()
    result = subprocess.run([converter, "--from=openapi_3", "--to=swagger_2", "--syntax=json", str(doc)], capture_output=True, text=True,
                            timeout=600)
    seconds = round(time.perf_counter() - start, 3)
    if result.returncode != 0 or not result.stdout.strip().startswith("{"):
        first = next((line.strip() for line in result.stderr.splitlines() if line.strip()), "?")
        return {"ok": False, "seconds": seconds, "detail": first[:200]}
    definition = json.loads(result.stdout)
    text = result.stdout
    (out / "apiDefinition.swagger.json").write_text(result.stdout, encoding="utf-8")
    errors = errors_of(cli("check", "--format", "json", str(out), cwd=work))
    # what it carries over without a word: constructs Swagger 2.0 has no place for, left in its output
    silent = {"cookie parameters": text.count('"in": "cookie"'), "oneOf/anyOf": text.count('"oneOf"') + text.count('"anyOf"'),
              "nullable": text.count('"nullable"'), "operations without operationId": sum(
                  1 for item in (definition.get("paths") or {}).values() if isinstance(item, dict)
                  for m, op in item.items() if m in METHODS and isinstance(op, dict) and not op.get("operationId"))}
    return {"ok": True, "seconds": seconds, "operations": operations(definition), "errors": errors,
            "security": sorted({str(d.get("type")) for d in (definition.get("securityDefinitions") or {}).values() if isinstance(d, dict)}),
            "silent": silent}


def table(rows: list[dict], converter: bool) -> str:
    head = "| document | kind | KB | ops in | ops out | lost | changed | check errors (API's own) | verify |"
    lines = [head, "|---|---|---:|---:|---:|---:|---:|---|---|"]
    if converter:
        lines[0] += " api-spec-converter: ops, check errors |"
        lines[1] += "---|"
    for r in rows:
        if "errors" not in r:
            lines.append(f"| {r['name']} | {r['kind']} | {r['bytes'] // 1024} | | | | | {r['status']} | |")
            continue
        errors = ", ".join(f"{rule} {n}" for rule, n in sorted(r["errors"].items())) or "none"
        line = (f"| {r['name']} | {r['kind']} | {r['bytes'] // 1024} | {r['source_operations']} | {r['operations']} | "
                f"{sum(r['lost'].values())} | {sum(r['changed'].values())} | {errors} | {r['verify']} |")
        if converter:
            c = r.get("converter")
            if c is None:
                line += " n/a |"
            elif not c["ok"]:
                line += f" failed: {c['detail'][:60]} |"
            else:
                line += f" {c['operations']}, {sum(c['errors'].values())} ({', '.join(sorted(c['errors'])) or 'none'}) |"
        lines.append(line)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--list", type=Path, default=LIST)
    parser.add_argument("--converter", help="api-spec-converter's CLI, to compare on the OpenAPI documents")
    parser.add_argument("--json", type=Path, help="also write every row as JSON here")
    args = parser.parse_args()
    entries = yaml.safe_load(args.list.read_text(encoding="utf-8"))["documents"]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        rows = list(pool.map(measure, entries, [args.folder] * len(entries), [args.converter] * len(entries)))
    print(table(rows, bool(args.converter)))
    measured = [r for r in rows if "errors" in r]
    lost, changed = Counter(), Counter()
    for r in measured:
        lost.update(r["lost"])
        changed.update(r["changed"])
    print()
    print(f"{len(measured)} of {len(rows)} measured; {sum(r['status'] == 'ok' for r in rows)} ok (imported, built, identical on "
          f"--verify, no check error but those judged the API's own); {sum(r['source_operations'] for r in measured)} operations in, "
          f"{sum(r['operations'] for r in measured)} out; {sum(r.get('fixtures', 0) for r in measured)} fixtures")
    print("losses (warnings): " + ", ".join(f"{k} {n}" for k, n in lost.most_common()))
    print("changes (info): " + ", ".join(f"{k} {n}" for k, n in changed.most_common()))
    for r in rows:
        if r["status"] != "ok":
            print(f"NOT OK {r['name']}: {r['status']} {r.get('unjudged') or r.get('detail', '')}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, default=dict), encoding="utf-8")
    sys.exit(0 if all(r["status"] == "ok" for r in rows) else 1)


if __name__ == "__main__":
    main()
