"""What the safety of `ppconnector deploy update` costs over running `paconn update` by hand.

Both run the real paconn 0.0.21 against the fake Power Apps API of tests/deploy_support.py on
127.0.0.1, for the English build of a scratch copy of the repo; deploy adds the build, the stale-file
test, the check command (where present) and its refusals.  Prints the median of each and the ratio.

    python3 bench/bench_deploy.py [RUNS]
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from deploy_support import FakePowerApps, make_certs, paconn_env, paconn_executable, write_token  # noqa: E402


def main(runs: int) -> None:
    paconn = paconn_executable()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        repo = tmp / "repo"
        shutil.copytree(ROOT / "connector", repo / "connector")
        shutil.copytree(ROOT / "dist", repo / "dist")
        for name in ("apiDefinition.swagger.json", "apiProperties.json", "script.csx", "settings.json", "icon.png"):
            shutil.copy2(ROOT / name, repo / name)
        fake = FakePowerApps(make_certs(paconn, tmp / "certs")).start()
        try:
            home = tmp / "home"
            write_token(home)
            env = paconn_env(fake, home, paconn)
            settings = tmp / "target.json"
            settings.write_text(json.dumps({"environment": "bench-env", "powerAppsUrl": fake.url}))
            deploy = [sys.executable, "-m", "ppconnector.cli", "deploy"]
            subprocess.run([*deploy, "create", "--locale", "en", "--settings", str(settings)], cwd=repo, env=env, check=True,
                           capture_output=True)
            cid = json.loads((repo / "connector" / "deploy.en.json").read_text())["connectorIds"]["bench-env"]
            ours = [*deploy, "update", "--locale", "en", "--settings", str(settings)]
            theirs = [str(paconn), "update", "--env", "bench-env", "--cid", cid, "--api-def", "apiDefinition.swagger.json",
                      "--api-prop", "apiProperties.json", "--icon", "icon.png", "--script", "script.csx", "--pau", fake.url]

            def timed(argv: list[str]) -> float:
                start = time.perf_counter()
                subprocess.run(argv, cwd=repo, env=env, check=True, capture_output=True, stdin=subprocess.DEVNULL)
                return time.perf_counter() - start

            a = statistics.median(timed(ours) for _ in range(runs))
            b = statistics.median(timed(theirs) for _ in range(runs))
        finally:
            fake.stop()
    print(f"ppconnector deploy update (build + checks + paconn): {a * 1000:.0f} ms (median of {runs})")
    print(f"paconn update by hand:                              {b * 1000:.0f} ms (median of {runs})")
    print(f"ratio: {a / b:.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
