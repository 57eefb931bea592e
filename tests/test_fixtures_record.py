"""`ppconnector record` against a fake ClickSend on 127.0.0.1: the request Power Automate would send,
a fixture that checks clean, and no credential anywhere in the file or the output."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from fixtures_support import FakeClickSend, findings, fixed_copy

USER, KEY = "alice.smith", "9C2B7E41-5D3A-4F60-8E1B-2A7C4D9E0F13"
TOKEN = base64.b64encode(f"{USER}:{KEY}".encode()).decode()

SMS_OK = {"http_code": 200, "response_code": "SUCCESS", "response_msg": "Messages queued for delivery.",
          "data": {"total_price": 0.0792, "total_count": 1, "queued_count": 1,
                   "messages": [{"direction": "out", "date": 1721099039, "to": "+61411111111", "body": "Hello",
                                 "from": "+61411111111", "message_id": "4E9B0A3F-7A4D-4C2E-9B4E-3C5C2A1D0F11",
                                 "message_parts": 1, "message_price": "0.0792", "status": "SUCCESS",
                                 "_api_username": USER, "user_id": 1, "subaccount_id": 1}],
                   "_currency": {"currency_name_short": "AUD", "currency_prefix_d": "$", "currency_prefix_c": "c",
                                 "currency_name_long": "Australian Dollars"}}}


@pytest.fixture
def project(project_copy: Path, monkeypatch) -> Path:
    fixed_copy(project_copy)
    monkeypatch.setenv("CLICKSEND_USERNAME", USER)
    monkeypatch.setenv("CLICKSEND_API_KEY", KEY)
    return project_copy


def _no_secret(*texts: str) -> None:
    for text in texts:
        assert KEY not in text and TOKEN not in text and USER not in text


def test_record_sms_send_writes_a_clean_fixture_without_credentials(project: Path):
    with FakeClickSend(USER, KEY) as fake:
        fake.routes[("POST", "/v3/sms/send")] = (200, {"x-ratelimit-remaining": "5999"}, SMS_OK)
        r = run_cli("record", "sms_send", "--param", "messages.0.to=+61411111111", "--param", "messages.0.body=Hello",
                    "--base-url", fake.url, "--case", "recorded", cwd=project)
    assert r.returncode == 0, r.stderr
    # what Power Automate sends: the path under the base path, basic auth, the JSON body
    got = fake.received[0]
    assert (got["method"], got["path"]) == ("POST", "/v3/sms/send")
    assert got["headers"]["Authorization"] == f"Basic {TOKEN}"
    assert json.loads(got["body"]) == {"messages": [{"to": "+61411111111", "body": "Hello"}]}
    file = project / "connector" / "fixtures" / "sms_send" / "recorded.yaml"
    text = file.read_text(encoding="utf-8")
    _no_secret(text, r.stdout, r.stderr)
    assert "laravel_session" not in text  # the cookie the fake sets is not recorded
    doc = yaml.safe_load(text)
    assert doc["request"] == {"method": "POST", "path": "/v3/sms/send", "query": {},
                              "headers": {"Content-Type": "application/json"},
                              "body": {"messages": [{"to": "+61411111111", "body": "Hello"}]}}
    assert doc["response"]["status"] == 200 and doc["response"]["headers"]["x-ratelimit-remaining"] == "5999"
    assert doc["source"].startswith("live recording, ")
    mine = [f for f in findings(project / "connector" / "clicksend.yaml") if f.file and f.file.endswith("sms_send/recorded.yaml")]
    assert [f for f in mine if f.severity != "info"] == []


def test_record_fills_internal_defaults_and_path_parameters(project: Path):
    created = {"http_code": 200, "response_code": "SUCCESS", "response_msg": "Your record has been added.",
               "data": {"inbound_rule_id": 7, "dedicated_number": "*", "rule_name": "Flow", "message_search_type": 0,
                        "message_search_term": "", "action": "URL", "action_address": "https://example.com/cb",
                        "enabled": 1, "webhook_type": "json"}}
    with FakeClickSend(USER, KEY) as fake:
        fake.routes[("POST", "/v3/automations/sms/inbound")] = (200, {}, created)
        fake.routes[("DELETE", "/v3/automations/sms/inbound/7")] = (200, {}, {"http_code": 200, "response_code": "SUCCESS",
                                                                             "response_msg": "Your record has been deleted.", "data": []})
        r1 = run_cli("record", "sms_inbound_automation", "--param", "dedicated_number=*", "--param", "rule_name=Flow",
                     "--param", "message_search_type=0", "--param", "message_search_term=",
                     "--param", "action_address=https://example.com/cb", "--base-url", fake.url, cwd=project)
        r2 = run_cli("record", "delete_sms_inbound_automation", "--param", "inbound_rule_id=7", "--base-url", fake.url, cwd=project)
    assert r1.returncode == 0, r1.stderr
    assert r2.returncode == 0, r2.stderr
    sent = json.loads(fake.received[0]["body"])
    assert sent["action"] == "URL" and sent["webhook_type"] == "json" and sent["enabled"] == 1 and sent["message_search_type"] == 0
    assert fake.received[1]["path"] == "/v3/automations/sms/inbound/7"
    folder = project / "connector" / "fixtures"
    # the subscribe is a script operation: record ran the script, and the flow gets its 201 with a Location
    subscribe = yaml.safe_load((folder / "sms_inbound_automation" / "recorded-201.yaml").read_text(encoding="utf-8"))
    assert subscribe["response"]["status"] == 200 and subscribe["script"]["response"]["status"] == 201
    assert subscribe["script"]["response"]["headers"]["Location"].endswith("/automations/sms/inbound/7")
    assert (folder / "delete_sms_inbound_automation" / "recorded-200.yaml").exists()
    bad = [f for f in findings(project / "connector" / "clicksend.yaml") if f.severity != "info"]
    assert bad == []


def test_record_a_rejected_key_gives_a_401_fixture_without_the_key(project: Path, monkeypatch):
    monkeypatch.setenv("CLICKSEND_API_KEY", "WRONG-KEY-0000-1111")
    with FakeClickSend(USER, KEY) as fake:
        r = run_cli("record", "get_contact_lists", "--param", "page=1", "--param", "limit=15", "--base-url", fake.url,
                    "--case", "wrong-key", cwd=project)
    assert r.returncode == 0, r.stderr
    assert fake.received[0]["path"] == "/v3/lists?page=1&limit=15"
    text = (project / "connector" / "fixtures" / "get_contact_lists" / "wrong-key.yaml").read_text(encoding="utf-8")
    assert "WRONG-KEY-0000-1111" not in text and "WRONG-KEY-0000-1111" not in r.stdout + r.stderr
    assert yaml.safe_load(text)["response"]["status"] == 401


def test_record_without_credentials_is_refused(project: Path, monkeypatch):
    monkeypatch.delenv("CLICKSEND_API_KEY")
    r = run_cli("record", "get_countries", "--base-url", "http://127.0.0.1:9/v3", cwd=project)
    assert r.returncode == 2
    assert "set PPCONNECTOR_PASSWORD" in r.stderr and "CLICKSEND_API_KEY" in r.stderr and "Traceback" not in r.stderr


def test_record_unknown_operation_and_parameter(project: Path):
    r = run_cli("record", "sms_sned", cwd=project)
    assert r.returncode == 2 and 'did you mean "sms_send"' in r.stderr
    r = run_cli("record", "delete_list", "--param", "lst_id=4", cwd=project)
    assert r.returncode == 2 and 'did you mean "list_id"' in r.stderr
    r = run_cli("record", "delete_list", cwd=project)
    assert r.returncode == 2 and "needs --param list_id=VALUE" in r.stderr
    r = run_cli("record", "create_list_contact", "--param", "list_id=four", cwd=project)
    assert r.returncode == 2 and "'four' is not a valid integer" in r.stderr


def test_record_unreachable_server_writes_nothing(project: Path):
    before = sorted(p.name for p in (project / "connector" / "fixtures" / "get_countries").iterdir())
    r = run_cli("record", "get_countries", "--base-url", "http://127.0.0.1:9/v3", cwd=project)
    assert r.returncode == 2 and "could not reach http://127.0.0.1:9/v3/countries" in r.stderr
    assert sorted(p.name for p in (project / "connector" / "fixtures" / "get_countries").iterdir()) == before


def test_record_refuses_to_overwrite_a_named_case(project: Path):
    with FakeClickSend(USER, KEY) as fake:
        r = run_cli("record", "get_countries", "--base-url", fake.url, "--case", "success", cwd=project)
    assert r.returncode == 2 and "exists; choose another --case or pass --force" in r.stderr
    assert fake.received == []


# --- hostile answers: every encoding of the credentials, anywhere; redirects ---------------------------------

ODD_USER, ODD_KEY = "alice@example.com", "K3y+/=Secret&42"  # characters that every encoding changes
ODD_TOKEN = base64.b64encode(f"{ODD_USER}:{ODD_KEY}".encode()).decode()
ENCODINGS = [ODD_KEY, ODD_TOKEN, ODD_USER, "K3y%2B%2F%3DSecret%2642", "K3y%2b%2f%3dSecret%2642", "K3y%2B/%3DSecret%2642",
             "K3y%252B%252F%253DSecret%252642", "alice%40example.com", "ALICE%40EXAMPLE.COM", ODD_KEY.upper(),
             base64.b64encode(ODD_KEY.encode()).decode(), base64.urlsafe_b64encode(f"{ODD_USER}:{ODD_KEY}".encode()).decode().rstrip("="),
             r"K3y\u002B\/=Secret\u002642", "K3y+/=Secret&amp;42", "K3y&#43;/&#x3D;Secret&#38;42"]


def _none_of(text: str) -> None:
    for form in ENCODINGS:
        assert form.lower() not in text.lower(), form


@pytest.fixture
def odd_project(project: Path, monkeypatch) -> Path:
    monkeypatch.setenv("CLICKSEND_USERNAME", ODD_USER)
    monkeypatch.setenv("CLICKSEND_API_KEY", ODD_KEY)
    return project


def test_record_redacts_every_encoding_in_keys_values_and_headers(odd_project: Path):
    echo = {"http_code": 200, "response_code": "SUCCESS", "response_msg": "Here are your lists.",
            "data": {"total": 1, "per_page": 15, "current_page": 1, "last_page": 1,
                     "next_page_url": "https://rest.clicksend.com/v3/lists?page=2&user=alice%40example.com&key=K3y%2B%2F%3DSecret%2642",
                     "data": [{"list_id": 1, "list_name": "x"}],
                     "echo": {f"Basic {ODD_TOKEN}": "the header as a key", "authorization": f"Basic {ODD_TOKEN}",
                              **{f"form{i}": f"before {form} after" for i, form in enumerate(ENCODINGS)}}}}
    with FakeClickSend(ODD_USER, ODD_KEY) as fake:
        fake.routes[("GET", "/v3/lists")] = (200, {"Location": "/v3/lists?key=k3y%2b%2f%3dsecret%2642"}, echo)
        r = run_cli("record", "get_contact_lists", "--param", "page=1", "--param", "limit=15", "--base-url", fake.url,
                    "--case", "echo", cwd=odd_project)
    assert r.returncode in (0, 1), r.stderr
    text = (odd_project / "connector" / "fixtures" / "get_contact_lists" / "echo.yaml").read_text(encoding="utf-8")
    _none_of(text + r.stdout + r.stderr)
    doc = yaml.safe_load(text)
    _none_of(json.dumps(doc, ensure_ascii=False))  # nor in what the YAML decodes to
    assert doc["response"]["headers"]["Location"] == "/v3/lists?key=<redacted>"
    assert doc["response"]["body"]["data"]["echo"]["form0"] == "before <redacted> after"
    assert "Basic <redacted>" in doc["response"]["body"]["data"]["echo"]


def test_record_redacts_a_text_body(odd_project: Path):
    page = ('<html><a href="/v3/lists?u=alice%40example.com&k=K3y%2B%2F%3DSecret%2642">next</a>'
            '<script>var k = "K3y\\u002B\\/=Secret\\u002642";</script><p>K3y+/=Secret&amp;42</p></html>').encode()
    with FakeClickSend(ODD_USER, ODD_KEY) as fake:
        fake.routes[("GET", "/v3/lists")] = (200, {"Content-Type": "text/html"}, page)
        r = run_cli("record", "get_contact_lists", "--param", "page=1", "--base-url", fake.url, "--case", "html", cwd=odd_project)
    assert r.returncode in (0, 1), r.stderr
    text = (odd_project / "connector" / "fixtures" / "get_contact_lists" / "html.yaml").read_text(encoding="utf-8")
    _none_of(text)
    assert yaml.safe_load(text)["response"]["body"].count("<redacted>") == 4


def test_a_credential_that_survives_redaction_stops_the_write(odd_project: Path, monkeypatch):
    """The last line of defence: with redaction broken on purpose, the safety scan of the serialized
    fixture refuses to write it (exit 2) and says where."""
    from hostile_support import cli

    from ppconnector.fixtures.secrets import Secrets

    monkeypatch.setattr(Secrets, "scrub", lambda self, value: value)
    with FakeClickSend(ODD_USER, ODD_KEY) as fake:
        fake.routes[("GET", "/v3/lists")] = (200, {}, {"data": {"note": "K3y%2B%2F%3DSecret%2642"}})
        r = cli("record", "get_contact_lists", "--param", "page=1", "--base-url", fake.url, "--case", "leak", cwd=odd_project)
    assert r.exit_code == 2, r.output
    assert "get_contact_lists/leak.yaml: error: the recording still holds a credential at line " in r.output
    assert "nothing was written" in r.output
    assert not (odd_project / "connector" / "fixtures" / "get_contact_lists" / "leak.yaml").exists()


def test_a_redirect_to_another_origin_is_not_followed(project: Path):
    with FakeClickSend(USER, KEY) as elsewhere, FakeClickSend(USER, KEY) as fake:
        fake.routes[("GET", "/v3/countries")] = (302, {"Location": f"{elsewhere.url}/steal"}, {})
        r = run_cli("record", "get_countries", "--base-url", fake.url, "--case", "moved", cwd=project)
    assert elsewhere.received == []  # neither the key nor anything else went there
    assert "redirected to another origin" in r.stderr and "not followed" in r.stderr
    doc = yaml.safe_load((project / "connector" / "fixtures" / "get_countries" / "moved.yaml").read_text(encoding="utf-8"))
    assert doc["response"]["status"] == 302 and doc["response"]["headers"]["Location"] == f"{elsewhere.url}/steal"


def test_a_redirect_within_the_origin_is_followed_with_the_credentials(project: Path):
    countries = {"http_code": 200, "response_code": "SUCCESS", "response_msg": "Countries",
                 "data": [{"code": "AU", "value": "Australia"}]}
    with FakeClickSend(USER, KEY) as fake:
        fake.routes[("GET", "/v3/countries")] = (302, {"Location": "/v3/countries-moved"}, {})
        fake.routes[("GET", "/v3/countries-moved")] = (200, {}, countries)
        r = run_cli("record", "get_countries", "--base-url", fake.url, "--case", "followed", cwd=project)
    assert r.returncode == 0, r.stderr
    assert [g["path"] for g in fake.received] == ["/v3/countries", "/v3/countries-moved"]
    assert fake.received[1]["headers"]["Authorization"] == f"Basic {TOKEN}"


def test_a_field_named_api_key_does_not_trip_the_credential_check(project: Path):
    """Issue 21 item 5: the answer has a field named api_key holding the key; record writes
    `api_key: <redacted>`, and its own contract check does not call the name a credential."""
    sub = {"http_code": 200, "response_code": "SUCCESS", "response_msg": "Countries",
           "data": [{"code": "AU", "value": "Australia", "api_key": KEY}]}
    with FakeClickSend(USER, KEY) as fake:
        fake.routes[("GET", "/v3/countries")] = (200, {}, sub)
        r = run_cli("record", "get_countries", "--base-url", fake.url, "--case", "named", cwd=project)
    assert r.returncode == 0, r.stderr
    assert "contract-credential" not in r.stderr
    doc = yaml.safe_load((project / "connector" / "fixtures" / "get_countries" / "named.yaml").read_text(encoding="utf-8"))
    assert doc["response"]["body"]["data"][0]["api_key"] == "<redacted>"


def test_record_fake_needs_no_account(project: Path, monkeypatch):
    monkeypatch.delenv("CLICKSEND_USERNAME")
    monkeypatch.delenv("CLICKSEND_API_KEY")
    r = run_cli("record", "get_countries", "--fake", cwd=project)
    assert r.returncode == 0, r.stderr
    folder = project / "connector" / "fixtures" / "get_countries"
    assert r.stdout.startswith("connector/fixtures/get_countries/fake-200.yaml: GET /v3/countries -> 200")
    doc = yaml.safe_load((folder / "fake-200.yaml").read_text(encoding="utf-8"))
    assert doc["source"].startswith("fake recording, ppconnector record --fake (a replay of connector/fixtures/get_countries/success.yaml")
    assert doc["response"]["body"] == yaml.safe_load((folder / "success.yaml").read_text(encoding="utf-8"))["response"]["body"]


def test_a_refused_redirect_is_reported_without_the_credentials_it_carries(odd_project: Path):
    """The Location of a redirect to another origin may hold the key (in its path): stderr says where it
    pointed, the key replaced."""
    with FakeClickSend(ODD_USER, ODD_KEY) as fake:
        fake.routes[("GET", "/v3/countries")] = (307, {"Location": "http://localhost:1/K3y%2B%2F%3DSecret%2642/steal"}, {})
        r = run_cli("record", "get_countries", "--base-url", fake.url, "--case", "moved", cwd=odd_project)
    assert "redirected to another origin (http://localhost:1/<redacted>/steal)" in r.stderr
    _none_of(r.stdout + r.stderr)


class RawServer:
    """A server on 127.0.0.1 that answers every connection with the same bytes, however malformed."""

    def __init__(self, reply: bytes):
        import socket
        import threading

        self.socket = socket.create_server(("127.0.0.1", 0))
        self.reply = reply
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(self.reply)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}/v3"

    def __enter__(self) -> "RawServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.socket.close()


@pytest.mark.parametrize("reply", [
    b"HTTP/1.1 K3y+/=Secret&42 Nope\r\n\r\n",  # a status line that is not one, echoing the key
    b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{}",  # the connection closes before the body's end
    b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:xK3y+/=Secret&42@elsewhere/\r\n\r\n",  # no port
], ids=["status-line", "short-body", "bad-port"])
def test_a_malformed_answer_is_exit_2_without_the_credentials(odd_project: Path, reply: bytes):
    """The server's fault, not ours: exit 2 naming the server, the key nowhere in what is printed."""
    with RawServer(reply) as server:
        url = server.url
        r = run_cli("record", "get_countries", "--base-url", url, "--case", "bad", cwd=odd_project)
    assert r.returncode == 2, r.stderr
    assert f"no valid HTTP answer from {url}/countries" in r.stderr and "internal error" not in r.stderr
    _none_of(r.stdout + r.stderr)
    assert not (odd_project / "connector" / "fixtures" / "get_countries" / "bad.yaml").exists()


@pytest.mark.parametrize("encode, headers", [
    (lambda data: data.encode("utf-16"), {"Content-Type": "application/json; charset=utf-16"}),
    (lambda data: data.encode("utf-16-le"), {}),  # JSON's own encoding detection, no charset given
    (lambda data: __import__("gzip").compress(data.encode()), {"Content-Encoding": "gzip"}),
], ids=["utf-16", "utf-16-le-json", "gzip"])
def test_a_body_is_read_as_the_server_encoded_it_so_the_key_in_it_is_found(odd_project: Path, encode, headers):
    """Read as UTF-8 bytes, a UTF-16 body kept the key as K\\0 3\\0 y\\0 ... in the fixture (a leak no scan
    saw) and a gzip body was written as mangled bytes; decoded first, the key is found and replaced."""
    answer = {"http_code": 200, "response_code": "SUCCESS", "response_msg": "Countries", "data": [{"code": "AU", "echo": ODD_KEY}]}
    with FakeClickSend(ODD_USER, ODD_KEY) as fake:
        fake.routes[("GET", "/v3/countries")] = (200, headers, encode(json.dumps(answer)))
        r = run_cli("record", "get_countries", "--base-url", fake.url, "--case", "encoded", cwd=odd_project)
    assert r.returncode in (0, 1), r.stderr
    text = (odd_project / "connector" / "fixtures" / "get_countries" / "encoded.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["response"]["body"]["data"] == [{"code": "AU", "echo": "<redacted>"}]
    assert "\\0" not in text and "\\x1F" not in text


def test_a_gzip_body_that_expands_without_bound_is_refused(project: Path):
    import gzip

    bomb = gzip.compress(b"[" + b" " * (40 << 20) + b"]")  # 40 KB on the wire, 40 MB inflated
    with FakeClickSend(USER, KEY) as fake:
        fake.routes[("GET", "/v3/countries")] = (200, {"Content-Encoding": "gzip"}, bomb)
        r = run_cli("record", "get_countries", "--base-url", fake.url, "--case", "bomb", cwd=project)
    assert r.returncode == 2 and "the answer's body expands beyond 4 MB; nothing was written" in r.stderr
    assert not (project / "connector" / "fixtures" / "get_countries" / "bomb.yaml").exists()


@pytest.mark.parametrize("prefix", ["", "k", "k="], ids=["offset-0", "offset-1", "offset-2"])
def test_the_key_inside_a_longer_base64_text_is_found_at_any_offset(odd_project: Path, prefix: str):
    """A server that echoes the request as base64 (a JWT, a debug blob) puts the key at any offset, where its
    base64 characters differ from those of the key alone: each of the three alignments is caught."""
    blob = base64.b64encode(f"{prefix}{ODD_KEY}, and more".encode()).decode()
    urlsafe = base64.urlsafe_b64encode(f"{prefix}{ODD_KEY}, and more".encode()).decode()
    with FakeClickSend(ODD_USER, ODD_KEY) as fake:
        fake.routes[("GET", "/v3/countries")] = (200, {}, {"data": [{"code": "AU", "debug": blob, "jwt": urlsafe}]})
        r = run_cli("record", "get_countries", "--base-url", fake.url, "--case", "blob", cwd=odd_project)
    assert r.returncode in (0, 1), r.stderr
    row = yaml.safe_load((odd_project / "connector" / "fixtures" / "get_countries" / "blob.yaml").read_text(encoding="utf-8"))["response"]["body"]["data"][0]
    for field in ("debug", "jwt"):
        assert "<redacted>" in row[field]
        for piece in row[field].replace("+", "-").replace("/", "_").split("<redacted>"):
            for start in range(4):  # decode what is left at each alignment: no part of the key comes back
                aligned = piece[start:][:len(piece[start:]) // 4 * 4]
                readable = base64.urlsafe_b64decode(aligned)
                assert b"Secret" not in readable and b"K3y" not in readable, (field, piece)


@pytest.mark.parametrize("levels", [400, 100_000])
def test_an_answer_nested_too_deep_is_refused_not_a_crash(project: Path, levels: int):
    """Exit 3 ("a bug") before: the JSON reader, the redaction and the YAML writer all recurse."""
    with FakeClickSend(USER, KEY) as fake:
        fake.routes[("GET", "/v3/countries")] = (200, {}, b'{"a":' * levels + b"1" + b"}" * levels)
        r = run_cli("record", "get_countries", "--base-url", fake.url, "--case", "deep", cwd=project)
    assert r.returncode == 2, r.stderr
    assert "the answer nests deeper than 100 levels; nothing was written" in r.stderr
    assert not (project / "connector" / "fixtures" / "get_countries" / "deep.yaml").exists()


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_no_redirect_status_nor_chain_carries_the_credentials_to_another_origin(project: Path, status: int):
    """Every redirect status, and a chain whose first hop stays within the origin and whose second leaves it."""
    with FakeClickSend(USER, KEY) as elsewhere, FakeClickSend(USER, KEY) as fake:
        fake.routes[("GET", "/v3/countries")] = (status, {"Location": "/v3/hop"}, {})
        fake.routes[("GET", "/v3/hop")] = (status, {"Location": f"{elsewhere.url}/steal"}, {})
        r = run_cli("record", "get_countries", "--base-url", fake.url, "--case", "chain", cwd=project)
    assert elsewhere.received == []
    assert [g["path"] for g in fake.received] == ["/v3/countries", "/v3/hop"]
    assert "redirected to another origin" in r.stderr
