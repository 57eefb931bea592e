"""Benchmarks of `ppconnector import`, each next to what a user runs instead, as a ratio in one run:

1. `import --verify` over the whole shared corpus (import, build and compare each connector, in one
   process) next to `openapi-spec-validator apiDefinition.swagger.json` once per connector, merely to
   validate each one. Target: a ratio of at most 0.20.
2. With --documents DIR (the public documents of bench/import-corpus.yaml, fetched by
   bench/fetch_import_corpus.py) and --converter (npm api-spec-converter's CLI): `ppconnector import FILE`
   (OpenAPI 3 -> Swagger 2.0 -> the YAML source, verified) next to `api-spec-converter --from=openapi_3
   --to=swagger_2 FILE` (the conversion alone), once per document each, on the OpenAPI 3.0 documents both
   convert (api-spec-converter reads no 3.1). Target: at most 1.0, no slower than the converter alone.

    python3 bench/bench_import.py [--repeat N] [--corpus ../shared/corpus] [--documents DIR --converter PATH]

Each total is timed as whole commands (process start included), best of N.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = Path(os.environ.get("PPCONNECTOR_SHARED", ROOT.parent / "shared")) / "corpus"


def timed(commands: list[list[str]], ok: tuple[int, ...]) -> float:
    start = time.perf_counter()
    for command in commands:
        result = subprocess.run(command, capture_output=True, cwd=ROOT)
        if result.returncode not in ok:
            sys.exit(f"{command[0]} failed ({result.returncode}): {result.stderr.decode(errors='replace')[-500:]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--documents", type=Path, help="the public documents of bench/import-corpus.yaml")
    parser.add_argument("--converter", help="api-spec-converter's CLI (npm install api-spec-converter)")
    args = parser.parse_args()
    bench_corpus(args)
    bench_documents(args)


def bench_documents(args) -> None:
    if not args.documents or not args.converter:
        print("skipped: import of public OpenAPI documents next to api-spec-converter (give --documents DIR and --converter PATH)")
        return
    import hashlib
    import tempfile

    import yaml

    entries = yaml.safe_load((ROOT / "bench" / "import-corpus.yaml").read_text(encoding="utf-8"))["documents"]
    docs = [args.documents / e["file"] for e in entries if e["kind"].startswith("openapi 3.0") and (args.documents / e["file"]).is_file()
            and hashlib.sha256((args.documents / e["file"]).read_bytes()).hexdigest() == e["sha256"]]
    converts = [d for d in docs if subprocess.run([args.converter, "--from=openapi_3", "--to=swagger_2", str(d)], capture_output=True).returncode == 0]
    with tempfile.TemporaryDirectory() as tmp:
        ours = min(timed([[sys.executable, "-m", "ppconnector.cli", "import", str(d), "-o", f"{tmp}/{d.stem}.yaml", "--force"]
                          for d in converts], ok=(0,)) for _ in range(args.repeat))
    theirs = min(timed([[args.converter, "--from=openapi_3", "--to=swagger_2", "--syntax=json", str(d)] for d in converts], ok=(0,))
                 for _ in range(args.repeat))
    print(f"documents: {len(converts)} OpenAPI 3.0 documents both convert ({len(docs)} found); "
          f"{sum(d.stat().st_size for d in converts) // 1024} KB")
    print(f"ppconnector import FILE (once per document, total):      {ours:.3f} s")
    print(f"api-spec-converter openapi_3 -> swagger_2 (once each):    {theirs:.3f} s")
    print(f"ratio import / api-spec-converter: {ours / theirs:.2f} (target <= 1.0)")


def bench_corpus(args) -> None:
    validator = shutil.which("openapi-spec-validator") or sys.exit("openapi-spec-validator is not installed")
    folders = sorted(str(p) for p in args.corpus.glob("*/*") if (p / "apiDefinition.swagger.json").is_file())
    if not folders:
        print(f"skipped: import --verify over the corpus: no connectors under {args.corpus} (../shared is not beside "
              "the project; set --corpus or PPCONNECTOR_SHARED)")
        return
    verify_command = [sys.executable, "-m", "ppconnector.cli", "import", "--verify", *folders]
    tally = subprocess.run(verify_command, capture_output=True, text=True, cwd=ROOT).stdout.strip().splitlines()[-1]
    # exit 1 is a verify with a refused or different folder; the validator exits 1 on an invalid definition
    verify = min(timed([verify_command], ok=(0, 1)) for _ in range(args.repeat))
    validate = min(timed([[validator, f"{folder}/apiDefinition.swagger.json"] for folder in folders], ok=(0, 1))
                   for _ in range(args.repeat))
    print(f"corpus: {len(folders)} connectors; {tally}")
    print(f"ppconnector import --verify (all, one process):     {verify:.3f} s")
    print(f"openapi-spec-validator (once per connector, total):  {validate:.3f} s")
    print(f"ratio verify / validator: {verify / validate:.2f} (target <= 0.20)")


if __name__ == "__main__":
    main()
