"""Script behaviours declared in the YAML -> ``script.csx`` (jinja2 template beside this module)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Connector

if TYPE_CHECKING:  # imported when a script is rendered: commands that read connector folders never need it
    import jinja2


def cs_string(value: object) -> str:
    """A C# regular string literal for any text: quotes, backslashes, control and non-ASCII escaped."""
    out = ['"']
    for ch in str(value):
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code > 0xFFFF:  # outside the BMP: a UTF-16 surrogate pair, as C# strings hold it
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04X}\\u{0xDC00 + (code & 0x3FF):04X}")
        else:
            out.append(f"\\u{code:04X}")
    out.append('"')
    return "".join(out)


def cs_comment(value: object) -> str:
    """Text safe inside a // comment: one line, ASCII."""
    return cs_string(value)[1:-1]


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["cs"] = cs_string
    env.filters["cs_comment"] = cs_comment
    return env


def script(c: Connector) -> str | None:
    """The connector's script.csx: a hand-written file (`script: {file: ...}`) as it is, else generated."""
    if not c.script:
        return None
    if c.script.get("file"):
        return _hand_written(c, str(c.script["file"]))
    location = [
        {"id": op_id, "id_from": spec["id_from"], "path": spec["path"], "subscribe_path": _path_of(c, op_id),
         "cleanup": _cleanup(c, op_id, spec.get("cleanup"))}
        for op_id, spec in (c.script.get("location_header") or {}).items()
    ]
    wrap_page = [{"id": op_id, "at": at} for op_id, at in (c.script.get("wrap_page") or {}).items()]
    route = [{"id": op_id, "from_path": _path_of(c, op_id), "to_path": to} for op_id, to in (c.script.get("route") or {}).items()]
    return _environment().get_template("script.csx.j2").render(
        source_name=c.file.name, base_path=(c.info.get("base_path") or "").rstrip("/"),
        location_header=location, wrap_page=wrap_page, route=route)


def _cleanup(c: Connector, operation_id: str, spec) -> dict | None:
    """How the script finds a subscription the service created without naming it: the list of subscriptions,
    where its items are, which keys hold an item's id, and the field holding the callback URL (by default the
    body property marked notification_url)."""
    if not spec:
        return None
    ids = spec.get("ids")
    return {"list": spec["list"], "items_at": spec["items"], "ids": list(ids) if isinstance(ids, list) else [ids],
            "match": spec.get("match") or _notification_field(c, operation_id)}


def _notification_field(c: Connector, operation_id: str) -> str:
    op = c.operations.get(operation_id)
    body = (op.node.get("body") or {}) if op else {}
    for name, prop in (body.get("properties") or {}).items():
        if isinstance(prop, dict) and prop.get("notification_url"):
            return str(name)
    return ""


def _path_of(c: Connector, operation_id: str) -> str:
    """The operation's path relative to base_path ("/automations/sms/inbound")."""
    op = c.operations.get(operation_id)
    return op.path if op else ""


def _hand_written(c: Connector, relative: str) -> str:
    """The file's text, byte for byte (BOM and line ends kept); InputError when it is unusable.
    (The loader has checked that the file is inside the connector folder, as it does for the icon.)"""
    from ..diagnostics import ERROR, Finding, InputError
    from ..source.yamlfile import position_of

    line, col = position_of(c.node, ("script", "file")) or (None, None)
    path = c.folder / relative
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(Finding("source-reference", ERROR, f'script file "{relative}" cannot be read: {e.strerror}', c.shown, line, col)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(Finding("source-reference", ERROR, f'script file "{relative}" is not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})',
                                 c.shown, line, col)) from None
