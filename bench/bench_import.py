"""Benchmark: `ppconnector import --verify` over the whole shared corpus (import, build and compare each
connector, in one process) next to what a user runs instead merely to validate each one,
`openapi-spec-validator apiDefinition.swagger.json` once per connector, in one run.

    python3 bench/bench_import.py [--repeat N] [--corpus ../shared/corpus]

The verify is timed as one whole command (process start included), best of N; the validator runs once
per connector (a process each, as a user or CI loop would), its total best of N. Target: a ratio of at
most 0.20.
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
    args = parser.parse_args()
    validator = shutil.which("openapi-spec-validator") or sys.exit("openapi-spec-validator is not installed")
    folders = sorted(str(p) for p in args.corpus.glob("*/*") if (p / "apiDefinition.swagger.json").is_file())
    if not folders:
        print(f"skipped: import --verify over the corpus: no connectors under {args.corpus} (../shared is not beside "
              "the project; set --corpus or PPCONNECTOR_SHARED)")
        return
    verify_command = [sys.executable, "-m", "generator.cli", "import", "--verify", *folders]
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
