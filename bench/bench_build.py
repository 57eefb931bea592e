"""Benchmark: `ppconnector build` of the ClickSend connector (both locales) next to what a user runs
instead to merely validate the result, `openapi-spec-validator apiDefinition.swagger.json`, in one run.

    python3 bench/bench_build.py [--repeat N]

Both are timed as whole commands (process start included), best of N, and the ratio is printed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def best_of(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    validator = shutil.which("openapi-spec-validator") or sys.exit("openapi-spec-validator is not installed")
    with tempfile.TemporaryDirectory() as out:
        build = best_of([sys.executable, "-m", "ppconnector.cli", "build", str(ROOT / "connector" / "clicksend.yaml"),
                         "--locale", "all", "--out", out], args.repeat)
    validate = best_of([validator, str(ROOT / "apiDefinition.swagger.json")], args.repeat)
    print(f"ppconnector build (en + cs, 10 files):            {build:.3f} s")
    print(f"openapi-spec-validator apiDefinition.swagger.json: {validate:.3f} s")
    print(f"ratio build / validator: {build / validate:.2f}")


if __name__ == "__main__":
    main()
