"""Fixtures of script operations -> harness cases, and the harness's outcomes -> findings.

A fixture (``fixtures/<operationId>/<case>.yaml``) records one exchange with the service::

    operation: sms_inbound_automation
    source: ...                      # where the example comes from
    request: {method, path, query, headers, body}     # path with the base path (/v3/...), as fixtures write it
    response: {status, headers, body}                 # what the service answers

The request goes into the script; ``Context.SendAsync`` answers with the response.  What the script
must do is stated under ``script:`` (docs/script.md)::

    script:
      response:                      # what the script returns to the platform
        status: 200
        headers: {Location: https://.../automations/sms/inbound/42}   # null: must be absent
        body: {...}                  # JSON-equal; or body_contains: text
      sent:                          # what the script passed to SendAsync, in order (default: the request, unchanged)
        - {method: POST, path: /automations/sms/inbound, query: {...}, headers: {...}, body: {...}}
      responses: [{status, headers, body}, ...]   # answers to further SendAsync calls (the last repeats)
      logs_contain: text             # a log line the script must write

Without ``script:``, a fixture still requires that the script neither throws nor times out, sends the
request unchanged, and returns the service's status.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from ..diagnostics import ERROR, INFO, Finding
from ..source.yamlfile import Map, position_of
from .runner import Case, Outcome

RULE = "script-test"
REDACTED = "<redacted>"  # what record writes for a credential (generator/fixtures/secrets.py)


@dataclass
class Fixture:
    operation_id: str
    file: Path
    shown: str
    node: Map


@dataclass
class Api:
    scheme: str
    host: str
    base_path: str

    @property
    def root(self) -> str:
        return f"{self.scheme}://{self.host}{self.base_path}"

    def url(self, path: str, query: Any = None) -> str:
        path = path or ""
        if not (self.base_path and (path == self.base_path or path.startswith(self.base_path + "/"))):
            path = self.base_path + path
        url = f"{self.scheme}://{self.host}{path}"
        if query:
            url += "?" + (urlencode([(k, _text(v)) for k, v in query.items()]) if isinstance(query, dict) else str(query).lstrip("?"))
        return url


    def platform_url(self, path: str, query: Any = None) -> str:
        """The URL the platform received (Context.OriginalRequestUri): its own host and connection, the
        operation's path without the base path; a host of its own so that a script mixing the two is caught."""
        path = path or ""
        if self.base_path and (path == self.base_path or path.startswith(self.base_path + "/")):
            path = path[len(self.base_path):]
        backend = self.url(self.base_path + path, query)
        return PLATFORM_ROOT + backend[len(self.root):]


# A connection's URL as Power Automate calls it: the region's API host, the connector, the connection id.
PLATFORM_ROOT = "https://europe-001.azure-apim.net/apim/connector/0123456789abcdef0123456789abcdef"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def body_text(body: Any) -> str | None:
    if body is None:
        return None
    if isinstance(body, str):
        return body
    return json.dumps(body, ensure_ascii=False)


def _shown(path: Path) -> str:
    from ..source.loader import display_path

    return display_path(path)


def find_fixtures(folder: Path, operations: list[str]) -> tuple[list[Fixture], list[Finding]]:
    """The exchange fixtures of the given operations under folder/fixtures (read by ppconnector.fixtures.load,
    the one fixture reader); files of those operations that cannot be used become findings."""
    from ..fixtures.load import find_fixtures as find_all, fixtures_folder

    root = fixtures_folder(folder)
    if root is None:
        return [], []
    found, problems = find_all(root)
    wanted = set(operations)
    out = [Fixture(fx.operation, fx.file, fx.shown, fx.node) for fx in found
           if fx.operation in wanted and fx.kind != "notification"]  # notifications never pass through the script
    ours = {_shown(root / op) for op in wanted}
    findings = [Finding(RULE, f.severity, f.message, f.file, f.line, f.column) for f in problems
                if f.file and any(f.file.startswith(folder_shown + "/") for folder_shown in ours)]
    return out, findings


def to_case(fx: Fixture, api: Api, definition: dict | None = None, properties: dict | None = None) -> Case:
    req, resp = fx.node["request"], fx.node["response"]
    headers = {str(k): _text(v) for k, v in (req.get("headers") or {}).items()}
    body = body_text(req.get("body"))
    if body is not None and not any(k.lower() == "content-type" for k in headers) and not isinstance(req.get("body"), str):
        headers["Content-Type"] = "application/json"
    answers = [resp] + list(((fx.node.get("script") or {}).get("responses")) or [])
    upstream = []
    for a in answers:
        h = {str(k): _text(v) for k, v in (a.get("headers") or {}).items()}
        b = body_text(a.get("body"))
        if b is not None and not any(k.lower() == "content-type" for k in h) and not isinstance(a.get("body"), str):
            h["Content-Type"] = "application/json"
        upstream.append({"status": int(a.get("status", 200)), "headers": h, "body": b})
    case = Case(fx.operation_id, str(req.get("method", "GET")).upper(), api.url(str(req.get("path", "")), req.get("query")),
                headers, body, upstream, original_url=api.platform_url(str(req.get("path", "")), req.get("query")), root=api.root)
    if definition is not None:
        signed_and_policed(case, fx.operation_id, req, api, definition, properties or {})
    return case


def signed_and_policed(case: Case, operation_id: str, req: Any, api: Api, definition: dict, properties: dict) -> None:
    """The case's request as the script receives it on the platform: signed by the connection (made-up
    credentials: a script under test never sees real ones) and changed by the request policy templates."""
    from ..diagnostics import InputError
    from ..fixtures import auth, policies
    from ..fixtures.contract import operations

    try:
        conn = auth.connection(definition, properties, made_up=True)
    except InputError:
        return
    rel = str(req.get("path") or "")
    if api.base_path and (rel == api.base_path or rel.startswith(api.base_path + "/")):
        rel = rel[len(api.base_path):]
    op = operations(definition).get(operation_id)
    match = op.pattern.match(rel) if op is not None else None
    path_values = {p["name"]: match.group("p_" + re.sub(r"\W", "_", p["name"])) for p in (op.parameters if match else [])
                   if p.get("in") == "path"} if match else {}
    query = req.get("query") if isinstance(req.get("query"), dict) else {}
    body = req.get("body")
    request = policies.Outgoing(case.method, api.root, rel or "/", {str(k): _text(v) for k, v in query.items()},
                                dict(case.headers), body if not isinstance(body, str) else None, path_values)
    conn.sign(request)
    try:
        policies.apply_request(request, operation_id, policies.policies(properties), conn)
    except InputError:
        pass  # a policy needs a value the made-up connection lacks: the request stays as signed
    case.method, case.url, case.headers, case.root = request.method, request.url, request.headers, request.root
    if request.body is not None and not isinstance(body, str):
        case.body = body_text(request.body)


def _json_equal(expected: Any, actual_text: str | None) -> bool:
    if isinstance(expected, str):
        return expected == (actual_text or "")
    try:
        return json.loads(actual_text or "null") == expected
    except ValueError:
        return False


def _header(headers: dict, name: str) -> str | None:
    for k, v in (headers or {}).items():
        if k.lower() == name.lower():
            return v
    return None


def judge(fx: Fixture, api: Api, case: Case, outcome: Outcome) -> list[Finding]:
    """What differs between the fixture's expectations and what the script did."""
    out: list[Finding] = []
    node = fx.node
    expect = node.get("script") or {}

    def at(*path: Any) -> tuple[int | None, int | None]:
        return position_of(node, path) or (None, None)

    def fail(message: str, *path: Any) -> None:
        line, col = at(*path)
        out.append(Finding(RULE, ERROR, f"{fx.operation_id}/{fx.file.stem}: {message}", fx.shown, line, col))

    if outcome.timeout_ms:
        fail(f"the script did not finish within {outcome.timeout_ms / 1000:g} seconds (the platform's limit)")
        return out
    if outcome.exception:
        fail(f"the script threw {outcome.exception}")
        return out
    if outcome.response is None:
        fail("the script returned no response")
        return out

    # What the script sent to the service.
    want_sent = expect.get("sent")
    if want_sent is None:
        want_sent = [{"method": case.method, "url": case.url}]
        where: tuple = ("request",)
    else:
        where = ("script", "sent")
        if isinstance(want_sent, dict):
            want_sent = [want_sent]
    if len(outcome.sent) < len(want_sent):
        fail(f"the script sent {len(outcome.sent)} request(s) to the service; the fixture expects {len(want_sent)}", *where)
    for i, (want, got) in enumerate(zip(want_sent, outcome.sent)):
        sub = where if where == ("request",) else where + ((i,) if isinstance(expect.get("sent"), list) else ())
        if "method" in want and str(want["method"]).upper() != got.get("method"):
            fail(f"request {i + 1} to the service used {got.get('method')}, expected {str(want['method']).upper()}", *sub)
        got_url = got.get("url", "")
        if "url" in want:
            want_url = str(want["url"])
            if "query" in want:
                same = _base(got_url) == _base(want_url) and _query_within(want["query"], got_url)
            else:
                same = _matches(want_url, got_url)
            if not same:
                fail(f"request {i + 1} went to {got_url}, expected {want_url}", *sub)
        elif "path" in want:
            want_url = api.url(str(want["path"]), want.get("query"))
            tail = _under(got_url, case.root or api.root)
            if tail is None or tail != _under(want_url, api.root) or not _query_within(want.get("query") or {}, got_url):
                fail(f"request {i + 1} went to {got_url}, expected {want_url}", *sub)
        for name, value in (want.get("headers") or {}).items():
            actual = _header(got.get("headers"), str(name))
            if value is None and actual is not None:
                fail(f'request {i + 1} has header {name}: {actual}; expected none', *sub, "headers", name)
            elif value is not None and not _matches(value, actual):
                fail(f'request {i + 1} has header {name}: {actual!r}, expected {_text(value)!r}', *sub, "headers", name)
        if "body" in want and not _json_equal(want["body"], got.get("body")):
            fail(f"request {i + 1} to the service had body {got.get('body')!r}, expected {body_text(want['body'])!r}", *sub, "body")

    # What the script returned.
    resp = outcome.response
    want_resp = expect.get("response") or {}
    rwhere = ("script", "response") if "response" in expect else ("response",)
    status = want_resp.get("status", node["response"].get("status", 200))
    if resp.get("status") != int(status):
        fail(f"the script returned status {resp.get('status')}, expected {status} (body: {str(resp.get('body'))[:200]!r})", *rwhere, "status")
    for name, value in (want_resp.get("headers") or {}).items():
        actual = _header(resp.get("headers"), str(name))
        if value is None and actual is not None:
            fail(f"the script's response has header {name}: {actual}; expected none", *rwhere, "headers", name)
        elif value is not None and actual is None:
            fail(f"the script's response has no {name} header; expected {_text(value)}", *rwhere, "headers", name)
        elif value is not None and actual != _text(value):
            fail(f"the script's response has {name}: {actual}, expected {_text(value)}", *rwhere, "headers", name)
    if "body" in want_resp and not _json_equal(want_resp["body"], resp.get("body")):
        fail(f"the script returned body {resp.get('body')!r}, expected {body_text(want_resp['body'])!r}", *rwhere, "body")
    if "body_contains" in want_resp and str(want_resp["body_contains"]) not in (resp.get("body") or ""):
        fail(f"the script's response body {resp.get('body')!r} does not contain {want_resp['body_contains']!r}", *rwhere, "body_contains")
    if "logs_contain" in expect:
        text = str(expect["logs_contain"])
        if not any(text in (l.get("message") or "") for l in outcome.logs):
            fail(f"no log line contains {text!r} (logged: {[l.get('message') for l in outcome.logs]})", "script", "logs_contain")
    return out


def _base(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _under(url: str, root: str) -> str | None:
    """The path of url under root (the service's URL), or None when it is elsewhere."""
    base, root_parts = urlsplit(_base(url)), urlsplit(root)
    if (base.scheme, base.netloc) != (root_parts.scheme, root_parts.netloc):
        return None
    path, prefix = base.path or "/", root_parts.path.rstrip("/")
    if prefix and not (path == prefix or path.startswith(prefix + "/")):
        return None
    return path[len(prefix):] or "/"


def _matches(expected: Any, actual: str | None) -> bool:
    """Equal, where ``<redacted>`` in the expectation (a recorded credential) stands for any text."""
    expected, actual = _text(expected), actual or ""
    if REDACTED not in expected:
        return expected == actual
    return re.fullmatch(".+".join(re.escape(part) for part in expected.split(REDACTED)), actual, re.DOTALL) is not None


def _query_within(want: Any, url: str) -> bool:
    got = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    return isinstance(want, dict) and all(str(k) in got and _matches(v, got[str(k)]) for k, v in want.items())


def no_fixtures(operation: str, shown: str) -> Finding:
    return Finding(RULE, INFO, f'script operation "{operation}" has no fixtures (fixtures/{operation}/*.yaml): its script code is not run', shown)
