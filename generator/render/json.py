"""JSON outputs: one document per run, built from results (never printed text pasted together)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from ..diagnostics import Finding


def dumps(doc: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False)


def tally(findings: list[Finding]) -> dict:
    by = Counter(f.severity for f in findings)
    return {"errors": by.get("error", 0), "warnings": by.get("warning", 0), "infos": by.get("info", 0),
            "total": len(findings), "by_rule": dict(sorted(Counter(f.rule for f in findings).items()))}


def finding(f: Finding, **extra: Any) -> dict:
    return {**extra, "rule": f.rule, "severity": f.severity, "message": f.message, "file": f.file, "line": f.line,
            "column": f.column, "pointer": f.pointer}


def findings(found: list[Finding]) -> str:
    """`check --format json` of one connector."""
    return dumps({"findings": [finding(f) for f in found], "summary": tally(found)})


def check(outcomes: list) -> str:
    """`check --format json`: one connector's findings, or every connector with its summary and every finding
    with its connector."""
    if len(outcomes) == 1:
        return findings(outcomes[0].findings)
    every = [f for o in outcomes for f in o.findings]
    return dumps({"connectors": [{"connector": o.connector.shown, "exit": o.code, "summary": tally(o.findings)} for o in outcomes],
                  "findings": [finding(f, connector=o.connector.shown) for o in outcomes for f in o.findings],
                  "summary": tally(every)})


def _status(s) -> dict:
    from ..i18n.strings import STATES

    categories = list(STATES) + ["over_length"]
    return {"source": s.source, "source_locale": s.source_locale, "strings": s.strings,
            "locales": {r.locale: {**{k: r.count(k) for k in categories}, "ids": {k: r.ids[k] for k in categories if k != "translated"}}
                        for r in s.rows}}


def status(outcomes: list) -> str:
    """`i18n status --format json`: one connector's document, or {"connectors": [each one's document]} (an
    unusable connector's with its errors instead of its locales)."""
    docs = [_status(o.value) if o.ok else {"source": o.connector.shown, "errors": [finding(f) for f in o.findings]}
            for o in outcomes]
    return dumps(docs[0] if len(docs) == 1 else {"connectors": docs})


def rules(listed: list) -> str:
    """`rules --format json`: every check rule."""
    return json.dumps([{"id": r.id, "severity": r.severity, "family": r.family, "section": r.section, "doc": r.doc}
                       for r in listed], indent=2)


def diff_changed(items: list, fail_on: str) -> str:
    """`diff git:REV --format json` over many connectors: one document, a connector each."""
    from ..diff.connectors import failed
    from ..diff.report import as_json as one

    return dumps({"connectors": [{"connector": i.shown, "folder": i.folder, "status": i.status, "failed": failed(i, fail_on),
                                  **json.loads(one(i.changes, fail_on))} for i in items]}) + "\n"
