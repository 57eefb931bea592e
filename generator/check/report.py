"""Output formats of `ppconnector check`: text (grouped by file, with the source line), json, SARIF 2.1.0
(GitHub code scanning) and GitHub workflow annotations."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Iterable

from ..diagnostics import Finding, counted, printable
from .registry import Rule

FORMATS = ("text", "json", "sarif", "github")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def summary(findings: list[Finding]) -> dict:
    by = Counter(f.severity for f in findings)
    return {"errors": by.get("error", 0), "warnings": by.get("warning", 0), "infos": by.get("info", 0),
            "total": len(findings), "by_rule": dict(sorted(Counter(f.rule for f in findings).items()))}


def as_json(findings: list[Finding]) -> str:
    return json.dumps({"findings": [{"rule": f.rule, "severity": f.severity, "message": f.message, "file": f.file,
                                     "line": f.line, "column": f.column, "pointer": f.pointer} for f in findings],
                       "summary": summary(findings)}, indent=2, ensure_ascii=False)


def as_text(findings: list[Finding], texts: dict[str, str], show_info: bool = False) -> str:
    """Findings grouped by file, each with its source line; infos only when asked for (they are advice)."""
    lines: list[str] = []
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        if show_info or f.severity != "info":
            by_file.setdefault(f.file or "<input>", []).append(f)
    cache: dict[str, list[str]] = {}
    for file, group in by_file.items():
        lines.append(printable(file))
        source = cache.setdefault(file, texts[file].splitlines() if file in texts else [])
        for f in sorted(group, key=lambda f: (f.line or 0, f.column or 0, f.rule)):
            where = f"{f.line}:{f.column}" if f.line and f.column else (str(f.line) if f.line else "-")
            lines.append(f"  {where}: {f.severity}: {printable(f.message)} [{f.rule}]")
            if f.line and 0 < f.line <= len(source):
                text = source[f.line - 1]
                shown = text.strip()
                if len(shown) > 140:
                    shown = shown[:137] + "..."
                lines.append(f"      | {shown}")
        lines.append("")
    s = summary(findings)
    hint = " (--show-info lists them)" if s["infos"] and not show_info else ""
    counts = ", ".join(counted(s[k + "s"], k) for k in ("error", "warning", "info"))
    lines.append(f"{counts}{hint}" if findings else "no findings")
    return "\n".join(lines)


def sarif_uri(path: str) -> str:
    """A file as SARIF's artifactLocation.uri, an RFC 3986 URI reference: a relative path percent-encoded
    (a space, #, ?, % or a line break in a folder name cannot change what it points to), an absolute one as
    a file: URI."""
    from urllib.parse import quote

    posix = path.replace("\\", "/")
    if re.match(r"[A-Za-z]:/", posix):  # a Windows drive
        return "file:///" + posix[:2] + quote(posix[2:], safe="/")
    if posix.startswith("/"):
        return "file://" + quote(posix, safe="/")
    return quote(posix, safe="/")


def _escape_data(value: str) -> str:
    """GitHub's own escapes for a command's data; every other control character shown as an escape."""
    return printable(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def as_github(findings: list[Finding]) -> str:
    out = []
    for f in findings:
        level = {"error": "error", "warning": "warning"}.get(f.severity, "notice")
        props = []
        if f.file:
            props.append(f"file={_escape_property(f.file)}")
        if f.line:
            props.append(f"line={f.line}")
        if f.column:
            props.append(f"col={f.column}")
        props.append(f"title={_escape_property(f.rule)}")
        out.append(f"::{level} {','.join(props)}::{_escape_data(f.message)}")
    return "\n".join(out)


def as_sarif(findings: list[Finding], rules: Iterable[Rule], version: str) -> str:
    rules = list(rules)
    ids = [r.id for r in rules]
    for f in findings:  # input findings (json-*, input) have rules too, in SARIF's reportingDescriptors
        if f.rule not in ids:
            ids.append(f.rule)
    by_id = {r.id: r for r in rules}
    descriptors = []
    for rid in ids:
        r = by_id.get(rid)
        d = {"id": rid, "shortDescription": {"text": r.doc if r else rid},
             "defaultConfiguration": {"level": _SARIF_LEVEL.get(r.severity if r else "warning", "warning")}}
        if r:
            d["properties"] = {"family": r.family}
        descriptors.append(d)
    results = []
    for f in findings:
        result = {"ruleId": f.rule, "ruleIndex": ids.index(f.rule), "level": _SARIF_LEVEL.get(f.severity, "note"),
                  "message": {"text": f.message}}
        if f.file:
            location: dict = {"physicalLocation": {"artifactLocation": {"uri": sarif_uri(f.file)}}}
            if f.line:
                region = {"startLine": f.line}
                if f.column:
                    region["startColumn"] = f.column
                location["physicalLocation"]["region"] = region
            if f.pointer:
                location["logicalLocations"] = [{"fullyQualifiedName": f.pointer, "kind": "member"}]
            result["locations"] = [location]
        results.append(result)
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0",
           "runs": [{"tool": {"driver": {"name": "ppconnector check", "version": version,
                                         "informationUri": "https://github.com/ppconnector/ppconnector", "rules": descriptors}},
                     "results": results}]}
    return json.dumps(log, indent=2, ensure_ascii=False)
