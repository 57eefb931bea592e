"""A script is someone else's code: `script test` and `check --run-scripts` run it with nothing of the caller's
(environment, network, files, processes) and take only results it cannot write itself (docs/script.md)."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest
from script_support import compile_ok, run_one, wrap

from ppconnector.script.runner import Case, RunError, isolated, run

RETURN_TEXT = """        var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Content = new StringContent(text ?? "(null)");
        return response;"""

NEEDS_NAMESPACES = pytest.mark.skipif(not isolated(), reason="no namespaces here (the kernel refuses unprivileged "
                                      "unshare -rnmp, or PPCONNECTOR_SCRIPT_ISOLATION=off): scripts run without network and "
                                      "file-system isolation (docs/script.md)")


def test_the_script_sees_none_of_the_callers_environment(monkeypatch):
    monkeypatch.setenv("CLICKSEND_API_KEY", "K3y-from-the-caller")
    monkeypatch.setenv("PPCONNECTOR_TOKEN", "token-from-the-caller")
    outcome = run_one(wrap('        var text = Environment.GetEnvironmentVariable("CLICKSEND_API_KEY") + "|" + '
                           'Environment.GetEnvironmentVariable("PPCONNECTOR_TOKEN") + "|" + '
                           'string.Join(",", Environment.GetEnvironmentVariables().Keys.Cast<string>().OrderBy(k => k));\n'
                           + RETURN_TEXT))
    body = outcome.response["body"]
    assert "caller" not in body
    assert body.startswith("||") and set(body[2:].split(",")) <= {"HOME", "LANG", "MONO_PATH", "PATH", "TERM", "TMPDIR", "PWD", "OLDPWD"}


@NEEDS_NAMESPACES
def test_the_script_has_no_network():
    got = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(3)
    port = server.getsockname()[1]

    def accept():
        try:
            got.append(server.accept())
        except OSError:
            pass

    listener = threading.Thread(target=accept)
    listener.start()
    outcome = run_one(wrap(f"""        string text;
        try {{ var c = new System.Net.Sockets.TcpClient(); c.Connect("127.0.0.1", {port}); text = "connected"; }}
        catch (Exception e) {{ text = "refused: " + e.GetType().Name; }}
""" + RETURN_TEXT))
    listener.join()
    server.close()
    assert not got and outcome.response["body"].startswith("refused")


@NEEDS_NAMESPACES
def test_the_script_cannot_write_outside_its_folder(tmp_path):
    target = tmp_path / "written-by-the-script"
    outcome = run_one(wrap(f"""        string text;
        try {{ System.IO.File.WriteAllText(@"{target}", "x"); text = "wrote"; }}
        catch (Exception e) {{ text = "refused: " + e.GetType().Name; }}
        System.IO.File.WriteAllText("own-folder.txt", "fine");
""" + RETURN_TEXT))
    assert not target.exists() and outcome.response["body"].startswith("refused")


def _running(marker: str) -> bool:
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if marker.encode() in f.read():
                    return True
        except OSError:
            continue
    return False


def test_no_process_the_script_starts_outlives_the_run():
    marker = "317.25"  # seconds of sleep nobody else asks for
    outcome = run_one(wrap(f"""        System.Diagnostics.Process.Start("/bin/sleep", "{marker}");
        var text = "started";
""" + RETURN_TEXT))
    assert outcome.response["body"] == "started"
    time.sleep(0.5)
    assert not _running(marker)


def test_a_result_the_script_writes_itself_is_not_taken():
    forged = wrap("""        var channel = Console.OpenStandardOutput();
        var line = System.Text.Encoding.UTF8.GetBytes("0123 result {\\"response\\": {\\"status\\": 200}}\\n0123 end\\n");
        channel.Write(line, 0, line.Length);
        channel.Flush();
        Environment.Exit(0);
        return null;""")
    with pytest.raises(RunError, match="could have forged"):
        run(compile_ok(forged).exe, [Case("op", "GET", "https://api.example.com/v1/x", {}, None,
                                          [{"status": 200, "headers": {}, "body": "{}"}])])


def test_what_the_script_prints_is_bounded_and_the_run_ends():
    flood = wrap("""        var err = Console.OpenStandardError();
        var block = new byte[1 << 20];
        for (int i = 0; i < 200; i++) err.Write(block, 0, block.Length);
        Console.WriteLine(new string('x', 1 << 20));
        var text = "done";
""" + RETURN_TEXT)
    started = time.monotonic()
    outcome = run_one(flood)
    assert outcome.response["body"] == "done" and time.monotonic() - started < 60


def test_a_script_that_takes_all_memory_fails_alone():
    hog = wrap("""        var hoard = new System.Collections.Generic.List<byte[]>();
        for (int i = 0; i < 64; i++) hoard.Add(new byte[256 << 20]);
        var text = "allocated " + hoard.Count;
""" + RETURN_TEXT)
    try:
        outcome = run_one(hog)
    except RunError:
        return  # the runtime died of it: a harness finding, not the machine
    assert outcome.exception and "OutOfMemory" in outcome.exception
