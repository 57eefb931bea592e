"""Benchmark: the translation round trip of the ClickSend connector next to what a user runs instead,
translate-toolkit's `yaml2po` / `po2yaml` on the same YAML, in one run.

    python3 bench/bench_i18n.py [--repeat N]

Timed as whole commands (process start included), best of N; the ratios are printed, and what each
produces: yaml2po extracts every scalar of the file (types, paths, keys' values), not just display
strings, and po2yaml re-serializes the whole YAML.
"""

from __future__ import annotations

import argparse
import difflib
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "connector" / "clicksend.yaml"


def best_of(command: list[str], repeat: int, cwd: Path | None = None) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=cwd)
        times.append(time.perf_counter() - start)
    return min(times)


def entries(po_file: Path) -> int:
    import polib

    return len([e for e in polib.pofile(str(po_file)) if not e.obsolete])


def changed_lines(a: Path, b: Path, without_hashes: bool = False) -> int:
    after = b.read_text(encoding="utf-8")
    if without_hashes:
        after = re.sub(r'^[ ]*cs@: "?[0-9a-f]{8}"?\n', "", re.sub(r', cs@: "?[0-9a-f]{8}"?(?=[,}])', "", after), flags=re.M)
    diff = difflib.unified_diff(a.read_text(encoding="utf-8").splitlines(), after.splitlines(), lineterm="", n=0)
    return sum(1 for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---")))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cli = [sys.executable, "-m", "ppconnector.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        shutil.copytree(ROOT / "connector", tmp / "connector")
        ours = tmp / "cs.po"
        export = best_of(cli + ["i18n", "export", str(SOURCE), "--locale", "cs", "-o", str(ours)], args.repeat)
        copy = tmp / "connector" / "clicksend.yaml"
        imported = best_of(cli + ["i18n", "import", str(ours), str(copy), "--dry-run"], args.repeat)
        subprocess.run(cli + ["i18n", "import", str(ours), str(copy)], check=True, capture_output=True)
        print(f"ppconnector i18n export (PO, cs):        {export:.3f} s  {entries(ours)} display strings, with their Czech")
        print(f"ppconnector i18n import --dry-run:       {imported:.3f} s")
        print(f"diff lines (+/-) after importing an untouched catalog: ppconnector {changed_lines(SOURCE, copy)}, "
              f"{changed_lines(SOURCE, copy, without_hashes=True)} of them other than the new cs@ hashes")
        skipped = _translate_toolkit(tmp, args.repeat, export, imported)
        if skipped:
            print(f"skipped: the comparison with translate-toolkit: {skipped}")


def _translate_toolkit(tmp: Path, repeat: int, export: float, imported: float) -> str | None:
    """yaml2po / po2yaml on the same YAML, or why they could not run (None when they did)."""
    yaml2po, po2yaml = shutil.which("yaml2po"), shutil.which("po2yaml")
    if not (yaml2po and po2yaml):
        return "translate-toolkit is not installed (pip install 'translate-toolkit[yaml]')"
    theirs, merged = tmp / "tt.po", tmp / "merged.yaml"
    try:
        extract = best_of([yaml2po, "-i", str(SOURCE), "-o", str(theirs)], repeat)
        merge = best_of([po2yaml, "-t", str(SOURCE), "-i", str(theirs), "-o", str(merged)], repeat)
    except subprocess.CalledProcessError as e:
        why = (e.stderr or b"").decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        return f"yaml2po failed ({why[0]}); its YAML support needs pip install 'translate-toolkit[yaml]'"
    print(f"yaml2po (translate-toolkit):              {extract:.3f} s  {entries(theirs)} scalars, no Czech")
    print(f"ratio export / yaml2po: {export / extract:.2f}")
    print(f"po2yaml -t clicksend.yaml:                {merge:.3f} s")
    print(f"ratio import / po2yaml: {imported / merge:.2f}")
    print(f"diff lines (+/-) after po2yaml of an untouched catalog: {changed_lines(SOURCE, merged)}")
    return None

if __name__ == "__main__":
    main()
