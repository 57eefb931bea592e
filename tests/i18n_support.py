"""Helpers for the i18n and docs tests: read a generated reference page back into rows, hostile
catalogs, and the YAML-diff helpers that prove an import changed only what it meant to."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from conftest import run_cli

HASH_ENTRY = re.compile(r', cs@: "?[0-9a-f]{8}"?(?=[,}])')
HASH_LINE = re.compile(r'^[ ]*cs@: "?[0-9a-f]{8}"?\n', re.M)


def yaml_hash(source_text: str) -> str:
    """The `cs@` value as the YAML shows it (quoted where it would read as a number)."""
    from ppconnector.i18n.strings import text_hash
    from ppconnector.i18n.yamledit import render_scalar

    return render_scalar(text_hash(source_text), True)


def strip_hashes(text: str) -> str:
    """The YAML without any `cs@` entries (flow `, cs@: x` and block `cs@: x` lines)."""
    return HASH_LINE.sub("", HASH_ENTRY.sub("", text))


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    """(old line, new line) pairs for lines replaced one for one; fails on inserted or deleted lines."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        assert tag == "replace" and i2 - i1 == j2 - j1, f"lines added or removed: {a[i1:i2]} -> {b[j1:j2]}"
        out += list(zip(a[i1:i2], b[j1:j2]))
    return out


def cli_ok(*args: str, cwd: Path):
    result = run_cli(*args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result


def mark_all_current(repo: Path) -> None:
    """What `ppconnector i18n mark-current --locale cs` does (tested through the CLI), in-process for speed."""
    from ppconnector.i18n.merge import mark_current
    from ppconnector.source.loader import load_connector

    yaml_file = repo / "connector" / "clicksend.yaml"
    connector, _ = load_connector(yaml_file)
    _, new_text = mark_current(connector, "cs", include_stale=False)
    if new_text is not None:  # None: every translation already records its hash
        yaml_file.write_text(new_text, encoding="utf-8")


def unmark_all(repo: Path) -> str:
    """Take every `cs@` hash out of the copy's YAML (the state before the workflow); returns the text."""
    yaml_file = repo / "connector" / "clicksend.yaml"
    text = strip_hashes(yaml_file.read_text(encoding="utf-8"))
    yaml_file.write_text(text, encoding="utf-8")
    return text


# --- reading a generated reference page back ------------------------------------------------------


@dataclass
class PageRow:
    cells: list[str]


@dataclass
class PageSection:
    title: str
    description: str = ""
    tables: dict[str, list[list[str]]] = field(default_factory=dict)  # heading -> rows of cells


def _cells(line: str) -> list[str]:
    body = line.strip()[1:-1]
    parts = re.split(r"(?<!\\)\|", body)
    out = []
    for p in parts:
        p = p.strip()
        if p.startswith("`") and p.endswith("`"):
            p = p.strip("`").strip()
        p = p.replace("\\|", "|").replace("\\*", "*").replace("&lt;", "<").replace("\\\\", "\\")
        out.append(p)
    return out


def parse_page(text: str) -> tuple[dict[str, list[list[str]]], dict[str, PageSection]]:
    """(top-level tables by their ## heading, operation sections by their ### heading)."""
    top: dict[str, list[list[str]]] = {}
    sections: dict[str, PageSection] = {}
    current_table: list[list[str]] | None = None
    section: PageSection | None = None
    heading = ""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("### "):
            section = PageSection(line[4:].strip())
            sections[section.title] = section
            heading, current_table = "", None
            # the description is the next non-empty line
            for nxt in lines[i + 1:]:
                if nxt.strip():
                    section.description = nxt.strip().replace("\\*", "*").replace("&lt;", "<").replace("\\\\", "\\")
                    break
        elif line.startswith("## ") or line.startswith("#### "):
            heading = line.lstrip("#").strip()
            if line.startswith("## "):
                section = None
            current_table = None
        elif line.startswith("|"):
            if current_table is None:
                current_table = []
                (section.tables if section is not None else top)[heading] = current_table
                continue  # the header row
            if set(line.replace("|", "").strip()) <= {"-"}:
                continue
            current_table.append(_cells(line))
        else:
            current_table = None
    return top, sections


# --- hostile catalogs -------------------------------------------------------------------------------

XLIFF_HEAD = '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">' \
             '<file original="clicksend.yaml" source-language="en" target-language="cs" datatype="plaintext" product-name="ClickSend SMS">' \
             "<body>"
XLIFF_TAIL = "</body></file></xliff>"


def xxe_catalog(target_file: Path) -> str:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file://{target_file}">]>\n'
            + XLIFF_HEAD + '<trans-unit id="sms_send.summary"><source>Send SMS</source>'
            '<target state="translated">&xxe;</target></trans-unit>' + XLIFF_TAIL)


def billion_laughs_catalog() -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE xliff [' + "".join(entities) + "]>\n" + XLIFF_HEAD
            + '<trans-unit id="sms_send.summary"><source>Send SMS</source><target state="translated">&lol9;</target></trans-unit>'
            + XLIFF_TAIL)
