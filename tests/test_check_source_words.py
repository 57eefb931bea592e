"""Findings on a YAML source speak the YAML's words (`summary`, `connector.contact`, `brand_color`,
`connector.metadata.website`), not the generated files' (x-ms-summary, info.contact, iconBrandColor, 'Website'),
and point at the line of the key they are about."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_cli

# What only the generated files call things the YAML has its own key for (the README's sugar table); an x-ms-… key
# the sugar has no word for is written as it is in the YAML too, and a source that keeps a key as it is (an import's
# raw or extra) may be told about it by that name.
SUGARED = ("summary", "visibility", "notification-url", "notification-content", "url-encoding", "enum-values", "dynamic-values",
           "dynamic-schema", "dynamic-properties", "dynamic-list", "trigger", "trigger-hint", "connector-metadata")
GENERATED = re.compile(rf"x-ms-({'|'.join(SUGARED)})(?![\w-])|\binfo\.\w+|iconBrandColor|stackOwner|basePath|securityDefinitions|connectionParameters|"
                       r"scriptOperations|policyTemplateInstances|displayName|'(Website|Privacy policy|Categories)'")


def _foreign_words(message: str, source_text: str) -> list[str]:
    return [m.group(0) for m in GENERATED.finditer(message) if m.group(0) not in source_text]


def _init(tmp_path: Path) -> Path:
    from ppconnector import api

    made = api.scaffold(tmp_path / "acme", layout="folder")
    api.write_all(made.files)
    return made.source


# The findings the issue named, each made by one edit of a clean source: (rule, old text, new text, what the
# message says instead, the key whose line it points at)
EDITS = {
    "output-summary": ("id: {type: string, summary: Item ID,", "id: {type: string,", "has no summary or title", "id: {type: string,"),
    "contact": ("    name: Acme Support\n", "", "connector.contact lacks name", "  contact:"),
    "brand-color": ('brand_color: "#5c2d91"', 'brand_color: "#007ee5"', "connector.brand_color #007ee5", "  brand_color:"),
    "ConnectorMetadataPropertiesMissing": ("    website: https://www.example.com\n", "", "The key connector.metadata.website is required",
                                           "  metadata:"),
}


@pytest.mark.parametrize("rule_id", sorted(EDITS))
def test_the_findings_the_issue_named_use_the_yamls_keys_and_point_at_them(tmp_path, rule_id):
    old, new, said, key = EDITS[rule_id]
    source = _init(tmp_path)
    text = source.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    source.write_text(text, encoding="utf-8")
    result = run_cli("check", "--select", rule_id, cwd=source.parent)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.lstrip().startswith(key.strip()))
    assert f"{source.name}:{line}:" in result.stdout + result.stderr or f"  {line}:" in result.stdout, result.stdout + result.stderr
    assert said in result.stdout + result.stderr
    assert _foreign_words(result.stdout + result.stderr, text) == []


def test_a_connector_without_metadata_is_told_at_connector_not_at_the_top_of_the_file(tmp_path):
    source = _init(tmp_path)
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"  metadata:.*?\n(?=  readme:)", "", text, flags=re.S)
    source.write_text("locales: [en]\n" + text, encoding="utf-8")
    from ppconnector.check.engine import check

    (f,) = check(source, select=["ConnectorMetadataPropertiesMissing"])[0]
    assert ("locales: [en]\n" + text).splitlines()[f.line - 1].startswith("connector:")
    assert "connector.metadata" in f.message and _foreign_words(f.message, text) == []


def test_no_rule_that_fires_on_an_imported_source_speaks_the_generated_files_words(tmp_path):
    """Each case of tests/test_check_rules.py (a connector folder broken for one rule), imported as a YAML source
    and checked: every finding that still fires says the YAML's keys."""
    from check_support import parts, write_folder
    from test_check_rules import CASES, _id

    from ppconnector.check.engine import check
    from ppconnector.emit.files import write_all
    from ppconnector.importer.targets import import_one

    fired, foreign = set(), {}
    for n, (case, mutate) in enumerate(sorted(CASES.items())):
        d, p, s = mutate(*parts())
        folder = write_folder(tmp_path / f"c{n}", d, p, s)
        try:
            out, _, files = import_one(folder, tmp_path / f"c{n}" / "src" / "x.yaml", False)
        except Exception:  # noqa: BLE001 - a case the importer cannot take is a folder-only case
            continue
        write_all(files)
        try:
            found, loaded = check(out, select=[_id(case)])
        except Exception:  # noqa: BLE001 - a source the loader refuses: the rule cannot fire on a YAML source
            continue
        text = out.read_text(encoding="utf-8")
        for f in found:
            if f.rule == _id(case) and f.file == loaded.target.files.get("definition"):
                fired.add(f.rule)
                if _foreign_words(f.message, text):
                    foreign.setdefault(f.rule, f.message)
    assert len(fired) >= 190, sorted(fired)  # 202 of the 207 rules with a case fire on the imported source too
    assert foreign == {}, "\n".join(f"{k}: {v}" for k, v in sorted(foreign.items()))
