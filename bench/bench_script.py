"""Benchmark: the script harness on the generated ClickSend script.

    python3 bench/bench_script.py [--repeat N] [--fixtures N]

Times, best of N: a cold compile (empty cache) through ppconnector and the bare `mcs` run it wraps (what
a user would run by hand, with their own stubs), the ratio of the two; a cached compile; one mono run of
1 and of N fixtures; and the whole `ppconnector script test` command (process start included).
There is no other offline tool to compare with: the platform compiles scripts only on upload.
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
sys.path.insert(0, str(ROOT))

from ppconnector.script import compiler, stubs  # noqa: E402
from ppconnector.script.runner import Case, run  # noqa: E402
from ppconnector.script.toolchain import find  # noqa: E402


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fixtures", type=int, default=20)
    args = parser.parse_args()
    from ppconnector.script.toolchain import ToolchainMissing

    try:
        tc = find()
    except ToolchainMissing as e:
        print(f"skipped: the script benchmark needs mono: {e}")
        return
    text = (ROOT / "script.csx").read_text(encoding="utf-8")

    with tempfile.TemporaryDirectory() as cache:
        os.environ["PPCONNECTOR_CACHE"] = cache

        def cold() -> None:
            shutil.rmtree(Path(cache) / "script", ignore_errors=True)
            assert compiler.compile_script(text, "script.csx").ok

        cold_s = best(cold, args.repeat)
        with tempfile.TemporaryDirectory() as work:
            source = compiler.prelude(text) + '\n#line 1 "script.csx"\n' + text
            bare_s = best(lambda: compiler._run_mcs(tc, Path(work), source, Path(work) / "x.exe"), args.repeat)
        cached_s = best(lambda: compiler.compile_script(text, "script.csx"), args.repeat)
        exe = compiler.compile_script(text, "script.csx").exe
        body = json.dumps({"http_code": 200, "data": {"inbound_rule_id": 10}})
        case = Case("sms_inbound_automation", "POST", "https://rest.clicksend.com/v3/automations/sms/inbound",
                    {"Content-Type": "application/json"}, "{}", [{"status": 200, "headers": {}, "body": body}])
        run1_s = best(lambda: run(exe, [case]), args.repeat)
        runn_s = best(lambda: run(exe, [case] * args.fixtures), args.repeat)

        with tempfile.TemporaryDirectory() as repo:
            shutil.copytree(ROOT / "connector", Path(repo) / "connector")
            folder = Path(repo) / "connector" / "fixtures" / "sms_inbound_automation"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "subscribe.yaml").write_text(json.dumps({
                "operation": "sms_inbound_automation",
                "source": "bench/bench_script.py",
                "request": {"method": "POST", "path": "/v3/automations/sms/inbound", "body": {}},
                "response": {"status": 200, "body": {"http_code": 200, "data": {"inbound_rule_id": 10}}},
            }), encoding="utf-8")
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            command = [sys.executable, "-m", "ppconnector.cli", "script", "test"]
            test_s = best(lambda: subprocess.run(command, cwd=repo, env=env, check=True, capture_output=True), args.repeat)

    print(f"mcs {subprocess.run([tc.mcs, '--version'], capture_output=True, text=True).stdout.strip()}, "
          f"{len(stubs.STUBS) + len(stubs.HOST)} chars of stubs + host")
    print(f"compile, cold (ppconnector):          {cold_s:.3f} s")
    print(f"compile, bare mcs on the same sources: {bare_s:.3f} s   ratio ppconnector / mcs: {cold_s / bare_s:.2f}")
    print(f"compile, cached:                       {cached_s * 1000:.1f} ms")
    print(f"run, 1 fixture (one mono process):     {run1_s:.3f} s")
    print(f"run, {args.fixtures} fixtures (one mono process):   {runn_s:.3f} s")
    print(f"`ppconnector script test` (cached):   {test_s:.3f} s")


if __name__ == "__main__":
    main()
