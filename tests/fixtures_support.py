"""Helpers for the contract-check and record tests: the definition fixes the fixtures call for (applied
to a project copy until the lead applies them to connector/clicksend.yaml), building a copy, editing a
fixture, and a fake ClickSend server on 127.0.0.1."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

from ppconnector.fixtures import fake
from ppconnector.fixtures.run import contract_findings, target_for_source
from ppconnector.source.yamlfile import load

# --- the definition fixes (docs/fixtures.md lists them for the lead) ------------------------------------

ERROR_SCHEMA = """\
  ErrorResponse:
    type: object
    properties:
      http_code: {ref: HttpCode}
      response_code: {ref: ResponseCode}
      response_msg: {ref: ResponseMessage}
      data:
        type: object
        summary: {en: Details, cs: Podrobnosti}
        description:
          en: "For a bad request, each invalid field and what is wrong with it; otherwise empty."
          cs: "U chybného požadavku každé neplatné pole a co je na něm špatně; jinak prázdné."
        additionalProperties: {type: string}
"""

ERROR_RESPONSES = {
    "400": "{description: {en: \"Bad request: a field is missing or invalid.\", cs: \"Chybný požadavek: některé pole chybí nebo je neplatné.\"}, schema: {ref: ErrorResponse}}",
    "401": "{description: {en: Wrong username or API key., cs: Nesprávné uživatelské jméno nebo klíč rozhraní API.}, schema: {ref: ErrorResponse}}",
    "404": "{description: {en: \"Not found: no such list, contact or rule.\", cs: \"Nenalezeno: takový seznam, kontakt nebo pravidlo neexistuje.\"}, schema: {ref: ErrorResponse}}",
    "429": "{description: {en: \"Too many requests: wait the Retry-After seconds, then try again.\", cs: \"Příliš mnoho požadavků: počkejte počet sekund z hlavičky Retry-After a zkuste to znovu.\"}, schema: {ref: ErrorResponse}}",
    # Declared where a fixture shows them (issue 17); removed with the rest, never added by apply_definition_fixes.
    "403": "{description: {en: \"Forbidden: the account is suspended or may not do this.\", cs: \"Zakázáno: účet je pozastaven nebo to nesmí dělat.\"}, schema: {ref: ErrorResponse}}",
    "500": "{description: {en: \"ClickSend had an internal error; try again later.\", cs: \"Ve službě ClickSend došlo k vnitřní chybě; zkuste to později.\"}, schema: {ref: ErrorResponse}}",
}


def error_statuses(operation: dict) -> list[str]:
    """400, 401 and 429 for every operation; 404 where a path names a list, contact or rule."""
    statuses = ["400", "401"]
    if "{" in str(operation.get("request", "")):
        statuses.append("404")
    return statuses + ["429"]


def apply_definition_fixes(text: str) -> str:
    """connector/clicksend.yaml with the fixes the fixtures call for: a shared ErrorResponse schema and
    the error responses of every operation, each added as a line after the operation's last response."""
    from ppconnector.source.yamlfile import loads

    root = loads(text)
    lines = text.splitlines(keepends=True)
    inserts: list[tuple[int, list[str]]] = []
    # the schema: before the line of `operations:` (once: the fixes may already be applied)
    if "ErrorResponse" not in (root.get("schemas") or {}):
        ops_line = root.key_pos["operations"][0]
        inserts.append((ops_line - 1, [ERROR_SCHEMA, "\n"]))
    names = list(root["operations"])
    for i, name in enumerate(names):
        op = root["operations"][name]
        responses = op["responses"]
        # the end of the responses block: the next key of the operation after `responses`, or the next operation
        keys = list(op)
        after = keys[keys.index("responses") + 1:]
        if after:
            end = op.key_pos[after[0]][0] - 1
        elif i + 1 < len(names):
            end = root["operations"].key_pos[names[i + 1]][0] - 1
        else:
            end = root.key_pos[list(root)[list(root).index("operations") + 1]][0] - 2
        while end > 0 and not lines[end - 1].strip():
            end -= 1
        indent = " " * (responses.key_pos[next(iter(responses))][1] - 1)
        new = [f"{indent}'{s}': {ERROR_RESPONSES[s]}\n" for s in error_statuses(op) if s not in responses]
        inserts.append((end, new))
    for at, new in sorted(inserts, key=lambda x: -x[0]):
        lines[at:at] = new
    return "".join(lines)


def remove_error_responses(text: str) -> str:
    """The YAML without the error responses apply_definition_fixes adds (the definition before the fixes)."""
    added = {f"'{status}': {line}" for status, line in ERROR_RESPONSES.items()}
    def unhashed(line: str) -> str:  # mark-current adds the translations' source hashes
        return re.sub(r', cs@: "?[0-9a-f]{8}"?', "", line.strip())

    return "".join(l for l in text.splitlines(keepends=True) if unhashed(l) not in added)


def fixed_copy(project: Path) -> Path:
    """Apply the definition fixes to a project copy's YAML; returns the source path."""
    source = project / "connector" / "clicksend.yaml"
    source.write_text(apply_definition_fixes(source.read_text(encoding="utf-8")), encoding="utf-8")
    return source


def findings(source: Path):
    return contract_findings(target_for_source(source))


def position(fixture: Path, *path) -> tuple[int, int]:
    from ppconnector.source.yamlfile import position_of

    return position_of(load(fixture), path)


# --- a fake ClickSend on 127.0.0.1 ----------------------------------------------------------------------

UNAUTHORIZED = {"http_code": 401, "response_code": "UNAUTHORIZED", "response_msg": "Authorization failed.", "data": None}


class FakeClickSend(fake.FakeService):
    """ClickSend as record meets it (a generator/fixtures/fake.py service): Basic auth checked as ClickSend
    checks it (a wrong user or key gets its 401), answering from a table of routes (method, path) ->
    (status, headers, body), else ClickSend's 404; every answer sets a session cookie."""

    def __init__(self, username: str, api_key: str):
        self.routes: dict[tuple[str, str], tuple[int, dict, Any]] = {}
        expected = "Basic " + base64.b64encode(f"{username}:{api_key}".encode()).decode()
        super().__init__(lambda got: None if got.header("Authorization") == expected else "wrong Basic credentials",
                         self._answer, "/v3", (401, {}, UNAUTHORIZED))

    def _answer(self, method: str, path: str) -> tuple[int, dict, Any]:
        status, headers, body = self.routes.get((method, path.split("?")[0])) or (404, {}, {
            "http_code": 404, "response_code": "NOT_FOUND", "response_msg": "Invalid endpoint. Please try again.", "data": None})
        return status, {"Set-Cookie": "laravel_session=abc123; path=/; httponly", **headers}, body
