"""SARIF 2.1.0 (GitHub code scanning): one run holding every connector's findings."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from ..diagnostics import Finding
from .json import dumps

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ppconnector")
    except PackageNotFoundError:
        return "0"


def uri(path: str) -> str:
    """A file as SARIF's artifactLocation.uri, an RFC 3986 URI reference: a relative path percent-encoded
    (a space, #, ?, % or a line break in a folder name cannot change what it points to), an absolute one as
    a file: URI."""
    posix = path.replace("\\", "/")
    if re.match(r"[A-Za-z]:/", posix):  # a Windows drive
        return "file:///" + posix[:2] + quote(posix[2:], safe="/")
    if posix.startswith("/"):
        return "file://" + quote(posix, safe="/")
    return quote(posix, safe="/")


def findings(found: list[Finding], rules: Iterable, version: str | None = None) -> str:
    """rules: the check rules that ran (id, doc, severity, family), listed as the run's reportingDescriptors."""
    rules = list(rules)
    ids = [r.id for r in rules]
    for f in found:  # input findings (json-*, input) have rules too, in SARIF's reportingDescriptors
        if f.rule not in ids:
            ids.append(f.rule)
    by_id = {r.id: r for r in rules}
    descriptors = []
    for rid in ids:
        r = by_id.get(rid)
        d = {"id": rid, "shortDescription": {"text": r.doc if r else rid},
             "defaultConfiguration": {"level": _LEVEL.get(r.severity if r else "warning", "warning")}}
        if r:
            d["properties"] = {"family": r.family}
        descriptors.append(d)
    results = []
    for f in found:
        result = {"ruleId": f.rule, "ruleIndex": ids.index(f.rule), "level": _LEVEL.get(f.severity, "note"),
                  "message": {"text": f.message}}
        if f.file:
            location: dict = {"physicalLocation": {"artifactLocation": {"uri": uri(f.file)}}}
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
           "runs": [{"tool": {"driver": {"name": "ppconnector check", "version": version or _version(),
                                         "informationUri": "https://github.com/ppconnector/ppconnector", "rules": descriptors}},
                     "results": results}]}
    return dumps(log)


def check(outcomes: list, rules: Iterable) -> str:
    return findings([f for o in outcomes for f in o.findings], rules)
