"""Benchmark: a repository of many connectors, next to what a CI job runs without it (one process each).

    python3 bench/bench_repos.py [--sample N]

1. `ppconnector check` at the root of the 300-connector corpus (one process, the pool over every core)
   vs one `ppconnector check FOLDER` process per connector.  The separate processes are timed on an even
   sample of N connectors (default 30) and extrapolated to all of them; the ratio is the goal (>= 4x).
2. The corpus copied to a temporary folder: `import --all`, then `build --check`, then `check`, each timed
   (the corpus in ../shared is only read).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "ppconnector.cli", *args], cwd=cwd, capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "CI": "true"})
    return time.perf_counter() - start, done


def last_line(done: subprocess.CompletedProcess) -> str:
    lines = (done.stdout + done.stderr).strip().splitlines()
    return f"exit {done.returncode}: {lines[-1] if lines else ''}"


def main() -> None:
    sample = int(sys.argv[sys.argv.index("--sample") + 1]) if "--sample" in sys.argv else 30
    corpus = Path(os.environ.get("PPCONNECTOR_SHARED", ROOT.parent / "shared")) / "corpus"
    if not corpus.is_dir():
        sys.exit(f"no corpus at {corpus}")
    sys.path.insert(0, str(ROOT))
    from ppconnector.repo.discover import discover

    folders = discover(corpus)
    print(f"{len(folders)} connectors in {corpus}; {os.cpu_count()} cores")

    together, done = run("check", cwd=corpus)
    print(f"check, one process: {together:.1f} s ({last_line(done)})")
    step = max(1, len(folders) // sample)
    picked = folders[::step][:sample]
    apart = sum(run("check", str(f), cwd=corpus)[0] for f in picked)
    each = apart / len(picked)
    print(f"check, one process per connector: {each:.2f} s each over {len(picked)} sampled, "
          f"{each * len(folders):.1f} s extrapolated to {len(folders)}")
    print(f"ratio: {each * len(folders) / together:.1f}x faster in one process (goal >= 4x)")

    with tempfile.TemporaryDirectory(prefix="ppconnector-bench-repos-") as tmp:
        copy = Path(tmp) / "corpus"
        shutil.copytree(corpus, copy)
        total = 0.0
        for args in (("import", "--all", "."), ("build", "--check"), ("check",)):
            took, done = run(*args, cwd=copy)
            total += took
            print(f"{' '.join(args)}: {took:.1f} s ({last_line(done)})")
        print(f"import --all + build --check + check of {len(folders)} connectors: {total:.1f} s")


if __name__ == "__main__":
    main()
