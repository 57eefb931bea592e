"""GitHub workflow annotations (`::error file=...,line=...::message`), one a line."""

from __future__ import annotations

from ..diagnostics import Finding, printable


def _escape_data(value: str) -> str:
    """GitHub's own escapes for a command's data; every other control character shown as an escape."""
    return printable(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    level = {"error": "error", "warning": "warning"}.get(f.severity, "notice")
    props = []
    if f.file:
        props.append(f"file={_escape_property(f.file)}")
    if f.line:
        props.append(f"line={f.line}")
    if f.column:
        props.append(f"col={f.column}")
    props.append(f"title={_escape_property(f.rule)}")
    return f"::{level} {','.join(props)}::{_escape_data(f.message)}"


def findings(found: list[Finding]) -> str:
    return "\n".join(annotation(f) for f in found)


def check(outcomes: list) -> str:
    return findings([f for o in outcomes for f in o.findings])
