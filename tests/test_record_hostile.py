"""`record` against servers and inputs that try to break it (issue 34): compressed bodies stacked twice or in
an encoding it cannot read, endless and trickling answers, absurd chunk sizes and array indexes, text no
UTF-8 file can hold, secrets in --base-url, and two records of one case at once.  Each ends in a clear exit
2 (or a clean fixture), never a traceback, a hang or a credential on disk or screen."""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli
from test_record_any_connector import API_KEY_HEADER, KEY, connector

from ppconnector.source.yamlfile import load


class Scripted:
    """A server on 127.0.0.1 that answers each connection with the given pieces of bytes, sleeping where a
    piece is a number, and, when ``endless``, repeating the last piece for ever."""

    def __init__(self, *pieces: bytes | float, endless: bool = False):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.pieces, self.endless = pieces, endless
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                for piece in self.pieces:
                    if isinstance(piece, (int, float)):
                        time.sleep(piece)
                    else:
                        conn.sendall(piece)
                while self.endless:
                    conn.sendall(self.pieces[-1])
            except OSError:
                return

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}/v1"

    def __enter__(self) -> "Scripted":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.socket.close()


def _answer(body: bytes, *headers: str) -> bytes:
    head = "".join(h + "\r\n" for h in headers)
    return f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n{head}\r\n".encode() + body


@pytest.fixture
def things(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("PPCONNECTOR_API_KEY", KEY)
    return connector(tmp_path / "things", *API_KEY_HEADER)


def _record(things: Path, url: str, *extra: str) -> subprocess.CompletedProcess:
    return run_cli("record", "GetThing", "--source", str(things), "--param", "id=1", "--base-url", url, *extra, cwd=things.parent)


def _nothing_written(things: Path) -> None:
    assert not list((things / "fixtures").rglob("*.yaml")) if (things / "fixtures").exists() else True


def test_a_body_gzipped_twice_is_undone_twice_and_the_key_in_it_redacted(things):
    inner = json.dumps({"id": "1", "echo": f"your key is {KEY}"}).encode()
    with Scripted(_answer(gzip.compress(gzip.compress(inner)), "Content-Type: application/json", "Content-Encoding: gzip, gzip")) as s:
        r = _record(things, s.url)
    assert r.returncode == 0, r.stderr
    text = next((things / "fixtures" / "GetThing").glob("*.yaml")).read_text(encoding="utf-8")
    assert yaml.safe_load(text)["response"]["body"] == {"id": "1", "echo": "your key is <redacted>"} and KEY not in text


def test_an_encoding_record_cannot_undo_is_refused(things):
    with Scripted(_answer(b"\x8b\x05\x80" + KEY.encode(), "Content-Type: application/json", "Content-Encoding: br")) as s:
        r = _record(things, s.url)
    assert r.returncode == 2 and "compressed with 'br'" in r.stderr and KEY not in r.stderr
    _nothing_written(things)


def test_the_check_finds_a_key_inside_gzip_kept_as_text(things, tmp_path):
    """A fixture written by hand (or by an older record) with a gzip body stored as latin-1 text."""
    blob = gzip.compress(gzip.compress(json.dumps({"token": KEY}).encode())).decode("latin-1")
    folder = things / "fixtures" / "GetThing"
    folder.mkdir(parents=True)
    (folder / "old.yaml").write_text(yaml.safe_dump({
        "operation": "GetThing", "source": "an old recording",
        "request": {"method": "GET", "path": "/v1/things/1", "headers": {"X-Client": "flow"}},
        "response": {"status": 200, "headers": {}, "body": blob}}, allow_unicode=True), encoding="utf-8")
    r = run_cli("check", str(things), "--select", "contract-credential", cwd=tmp_path)
    assert r.returncode == 1 and "compressed data kept as text" in r.stdout + r.stderr


@pytest.mark.parametrize("reply, endless", [
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + b"F" * 60 + b"\r\nabc", False),  # a chunk size of 2^240
    (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n[" + b"1," * 4096, True),  # an endless body
], ids=["chunk-size", "endless"])
def test_absurd_or_endless_answers_end_in_exit_2(things, reply, endless):
    with Scripted(reply, endless=endless) as s:
        started = time.monotonic()
        r = _record(things, s.url)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert time.monotonic() - started < 60
    _nothing_written(things)


def test_a_trickling_server_meets_the_deadline(things):
    trickle = [b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"] + [x for _ in range(20) for x in (b"{", 1.0)]
    with Scripted(*trickle) as s:
        started = time.monotonic()
        r = _record(things, s.url, "--timeout", "3")
    assert r.returncode == 2 and "within 3 seconds" in r.stderr, r.stderr
    assert time.monotonic() - started < 30


def test_an_array_index_far_out_is_refused_not_built(tmp_path, monkeypatch):
    monkeypatch.setenv("PPCONNECTOR_API_KEY", KEY)
    ops = {"/send": {"post": {"operationId": "Send", "parameters": [{"name": "body", "in": "body", "schema": {
        "type": "object", "properties": {"messages": {"type": "array", "items": {"type": "object", "properties": {
            "to": {"type": "string"}}}}}}}], "responses": {"200": {"description": "ok"}}}}}
    folder = connector(tmp_path / "things", *API_KEY_HEADER, operations=ops)
    for index in ("50000000", "²"):
        r = run_cli("record", "Send", "--source", str(folder), "--param", f"messages.{index}.to=+61411111111",
                    "--base-url", "http://127.0.0.1:9/v1", cwd=tmp_path)
        assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr


def test_lone_surrogates_become_a_fixture_that_reads_back(things):
    body = b'{"id": "1", "echo": "half a pair: \\ud83d and \\udc00 alone"}'
    with Scripted(_answer(body, "Content-Type: application/json")) as s:
        r = _record(things, s.url)
    assert r.returncode == 0 and "lone UTF-16 surrogate" in r.stderr, r.stderr
    file = next((things / "fixtures" / "GetThing").glob("*.yaml"))
    assert load(file, "fixture")["response"]["body"]["echo"] == "half a pair: \ufffd and \ufffd alone"


@pytest.mark.parametrize("base", ["http://alice:{key}@127.0.0.1:9/v1", "http://127.0.0.1:9/v1?token={key}",
                                  "http://127.0.0.1:9/v1#{key}"], ids=["userinfo", "query", "fragment"])
def test_a_secret_in_base_url_is_refused_and_never_printed(things, base):
    r = _record(things, base.format(key="S3cretInUrl99"))
    assert r.returncode == 2 and "--base-url" in r.stderr and "S3cretInUrl99" not in r.stdout + r.stderr
    _nothing_written(things)


def test_the_base_url_in_the_source_line_holds_no_query_or_user(things):
    with Scripted(_answer(b'{"id": "1"}', "Content-Type: application/json")) as s:
        url = s.url
        r = _record(things, url)
    assert r.returncode == 0, r.stderr
    fixture = yaml.safe_load(next((things / "fixtures" / "GetThing").glob("*.yaml")).read_text())
    assert fixture["source"].endswith(f"against {url}")


def test_two_records_of_one_case_at_once_never_overwrite_each_other(things):
    """Both are in flight (the server holds each answer a moment); one writes the case, the other refuses."""
    with Scripted(1.5, _answer(b'{"id": "1"}', "Content-Type: application/json")) as s:
        argv = [sys.executable, "-m", "ppconnector.cli", "record", "GetThing", "--source", str(things), "--param", "id=1",
                "--base-url", s.url, "--case", "same"]
        env = {**__import__("os").environ, "PYTHONPATH": str(ROOT)}
        both = [subprocess.Popen(argv, cwd=things.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                for _ in range(2)]
        results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in both]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 2], results
    assert any("exists" in err and "nothing was written" in err for _, _, err in results)
    assert [p.name for p in (things / "fixtures" / "GetThing").iterdir()] == ["same.yaml"]
