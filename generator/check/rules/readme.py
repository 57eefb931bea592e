"""The readme family of `ppconnector check`: the readme.md of a certification folder has the sections of
Microsoft's template and names every operation (PowerPlatformConnectors/templates/*/readme.md).

A connector folder is held to its readme.md; a YAML source to the readme `ppconnector package` generates
from it, in every locale.  Only a certification target (stackOwner declared) is told it has no readme: a
plain custom connector needs none.  All advice: the validator does not read the readme, a reviewer does.  Of the
106 certified readmes in ../shared/corpus, 96% have Prerequisites and 81% Supported Operations (a missing
one is a warning), but only 33-56% have each other required section and 42% name every operation (info:
Microsoft merged them without).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ...package.sections import OPERATIONS, PUBLISHER, SECTIONS, Section, names
from ..registry import Issue, Target, rule
from ..walk import operations
from .common import for_certification

README = "readme"
WARNING, INFO = "warning", "info"

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # without markup, as written
    line: int


def headings(text: str) -> list[Heading]:
    """The Markdown ATX headings of text (not those inside fenced code)."""
    out, fenced = [], False
    for number, line in enumerate(text.splitlines(), 1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        m = None if fenced else _HEADING.match(line)
        if m:
            plain = re.sub(r"[*_`]", "", m.group(2)).strip().rstrip(":").strip()
            out.append(Heading(len(m.group(1)), plain, number))
    return out


def _is(section: Section, h: Heading) -> bool:
    text = h.text.lower()
    if section is PUBLISHER:  # "Publisher: Contoso" is the template's form
        return any(text == n or text.startswith(n + ":") or text.startswith(n + " ") for n in names(section))
    return text in names(section)


def missing_sections(text: str) -> list[Section]:
    """Required sections of the template the readme has no heading for ("Publisher:" may also be a line)."""
    found = headings(text)
    out = []
    for section in SECTIONS:
        if not section.required or any(_is(section, h) for h in found):
            continue
        if section is PUBLISHER and re.search(r"^\W*(publisher|vydavatel)\W*:", text, re.I | re.M):
            continue
        out.append(section)
    return out


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[*_`\[\]]", "", text).lower().split())


def unnamed_operations(text: str, summaries: dict[str, str]) -> list[str]:
    """The operations (id -> summary) whose summary or operationId the readme does not mention."""
    body = _normal(text)
    return [op_id for op_id, summary in summaries.items()
            if _normal(summary) not in body and op_id.lower() not in body]


# ---------------------------------------------------------------------------------------------- the readme(s) of a target

@dataclass
class Readme:
    text: str
    file: str  # shown file name of the finding
    line: int | None
    column: int | None
    locale: str | None
    summaries: dict[str, str]  # visible operations: id -> summary in the readme's locale
    generated: bool


def _visible_summaries(definition: dict) -> dict[str, str]:
    out = {}
    for op in operations(definition):
        if op.id and op.node.get("x-ms-visibility") != "internal":
            out[op.id] = str(op.node.get("summary") or op.id)
    return out


def readmes(t: Target) -> list[Readme]:
    if t.connector is not None:
        from ...package.readme import render
        from ...source.yamlfile import key_position

        c = t.connector
        if not c.info.get("readme"):
            return []  # no readme written yet: readme-missing says so
        line, column = key_position(c.node, ("connector", "readme")) or (None, None)
        return [Readme(render(c, loc), c.shown, line, column, loc, _visible_summaries(d), True)
                for loc, (d, _) in (t.builds or {c.source_locale: (t.definition, t.properties)}).items()]
    path = find_readme(t.folder) if t.folder else None
    if path is None:
        return []
    from ...source.loader import display_path

    return [Readme(path.read_text(encoding="utf-8", errors="replace"), display_path(path), None, None, None,
                   _visible_summaries(t.definition), False)]


def find_readme(folder: Path) -> Path | None:
    """readme.md in any letter case (merged connectors use both readme.md and README.md)."""
    try:
        return next((p for p in sorted(folder.iterdir()) if p.name.lower() == "readme.md" and p.is_file()), None)
    except OSError:
        return None


def _where(r: Readme) -> str:
    return f" (generated readme.md, locale {r.locale})" if r.generated else ""


def _line_of(r: Readme, section: Section) -> int | None:
    if r.generated:
        return r.line
    h = next((h for h in headings(r.text) if _is(section, h)), None)
    return h.line if h else None


@rule("readme-missing", INFO, README,
      "A certification folder (apiProperties.json has stackOwner) has no readme.md, or a YAML source with connector.stack_owner "
      "no connector.readme sections; a certification pull request needs a readme (`ppconnector package` writes it).")
def readme_missing(t: Target) -> Iterable[Issue]:
    if not for_certification(t):
        return
    if t.connector is not None:
        if not t.connector.info.get("readme"):
            from ...source.yamlfile import key_position

            line, column = key_position(t.connector.node, ("connector",)) or (None, None)
            yield Issue("no connector.readme sections: the readme.md `ppconnector package` writes would have only the title, "
                        "publisher and operations", file=t.connector.shown, line=line, column=column)
    elif t.folder is not None and find_readme(t.folder) is None:
        from ...source.loader import display_path

        yield Issue("no readme.md: Microsoft's certification folder holds one beside the definition", file=display_path(t.folder))


@rule("readme-sections", WARNING, README,
      "readme.md has the required sections of Microsoft's template: Publisher, Prerequisites, Supported Operations, "
      "Obtaining Credentials, Known Issues and Limitations, Deployment Instructions.")
def readme_sections(t: Target) -> Iterable[Issue]:
    for r in readmes(t):
        for section in missing_sections(r.text):
            yield Issue(f'readme.md has no "{section.headings["en"]}" section{_where(r)}', file=r.file, line=r.line, column=r.column,
                        severity=None if section.enforced else INFO)


@rule("readme-operations", INFO, README, "readme.md names every operation a user sees (the template's one sub-heading per operation).")
def readme_operations(t: Target) -> Iterable[Issue]:
    for r in readmes(t):
        for op_id in unnamed_operations(r.text, r.summaries):
            line = r.line if r.generated else _line_of(r, OPERATIONS)
            yield Issue(f'readme.md does not name the operation {op_id} ("{r.summaries[op_id]}"){_where(r)}',
                        file=r.file, line=line, column=r.column if r.generated else None)


def issues_of(text: str, summaries: dict[str, str]) -> Iterator[str]:
    """Every readme finding of a text, as messages (for measuring the rules on readmes outside a target)."""
    for section in missing_sections(text):
        yield f"section {section.headings['en']}"
    for op_id in unnamed_operations(text, summaries):
        yield f"operation {op_id}"
