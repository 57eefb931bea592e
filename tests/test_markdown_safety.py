"""Connector text in the Markdown the toolkit writes for people (the one-connector diff's pull-request comment)
and the SARIF it writes for tools stays inert: it cannot add a link, an image, HTML, an @mention, break out of
a code span or change the table; a file's SARIF URI names that file whatever its name holds."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from conftest import ROOT, SOURCE
from hostile_support import cli

HOSTILE_TEXT = ["@octocat please look", "cc @my-org/reviewers", "[click](https://example.com/phish)",
                "![x](https://example.com/pixel.png)", "<img src=x onerror=alert(1)>", "x` [a](https://example.com) `y",
                "``double`` and ` single", "<https://example.com/auto>", "[x]: https://example.com/ref", "a | b | c",
                "# heading", "**bold** _it_", "\\` escaped backtick"]
INTENDED_HTML = {"<details>", "<summary>", "</summary>", "</details>", "<br>"}


def _structure(page: str):
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(page)
    blocks = [(t.type, t.tag) for t in tokens if t.type != "inline"]
    inline = [c for t in tokens if t.type == "inline" for c in t.children or []]
    targets = [c.attrs.get("href") or c.attrs.get("src") for c in inline if c.type in ("link_open", "image")]
    html = {c.content for c in inline if c.type == "html_inline"} | {t.content.strip() for t in tokens if t.type == "html_block"}
    mentions = [c.content for c in inline if c.type == "text" and re.search(r"(?<![\w`])@\w", c.content)]
    return blocks, targets, html, mentions


def _diff_markdown(tmp_path: Path, name: str, text: str) -> str:
    """The markdown diff of the ClickSend source against a copy whose sms_send summary, a new input's name and
    summary, and a changed output's title hold text."""
    tree = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    op = tree["operations"]["sms_send"]
    op["summary"] = {"en": f"{text} one", "cs": "x"}
    key = re.sub(r"[\s|]", "_", text)[:40] or "x"
    op["body"]["properties"]["messages"]["items"]["properties"][key] = {"type": "string", "summary": {"en": text, "cs": text}}
    folder = tmp_path / name / "connector"
    folder.mkdir(parents=True)
    shutil.copy(SOURCE.parent / "icon.png", folder / "icon.png")
    (folder / "clicksend.yaml").write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = cli("diff", str(SOURCE), str(folder / "clicksend.yaml"), "--format", "markdown", cwd=tmp_path)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.mark.parametrize("text", HOSTILE_TEXT, ids=range(len(HOSTILE_TEXT)))
def test_connector_text_cannot_break_the_diff_comment(tmp_path, text):
    benign_blocks, _, benign_html, _ = _structure(_diff_markdown(tmp_path, "benign", "plain words"))
    page = _diff_markdown(tmp_path, "hostile", text)
    blocks, targets, html, mentions = _structure(page)
    assert blocks == benign_blocks, page  # the same tables, rows and sections
    assert targets == [], page  # no link, no image
    assert html <= benign_html | INTENDED_HTML, page  # the report's own folding, nothing from the text
    assert mentions == [], page  # an @name only inside a code span, where GitHub notifies nobody


def test_a_backtick_in_a_field_name_stays_inside_its_code_span(tmp_path):
    page = _diff_markdown(tmp_path, "tick", "x` [a](https://example.com) `y")
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(page)
    spans = [c.content for t in tokens if t.type == "inline" for c in t.children or [] if c.type == "code_inline"]
    assert "body/messages/[]/x`_[a](https://example.com)_`y" in spans, spans


# --- SARIF -------------------------------------------------------------------------------------------------------

RFC3986_PATH = re.compile(r"(?:[A-Za-z0-9\-._~:/@!$&'()*+,;=]|%[0-9A-F]{2})*")  # a path: no ?, #, or bare %


@pytest.mark.parametrize("name", ["my conn", "a#b?c", "100%", "čeština", "x\ny"])
def test_sarif_uris_are_percent_encoded_and_name_the_file(tmp_path, name):
    folder = tmp_path / name
    folder.mkdir()
    definition = json.loads((ROOT / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    definition["schemes"] = []  # one finding at least, in the definition
    (folder / "apiDefinition.swagger.json").write_text(json.dumps(definition), encoding="utf-8")
    shutil.copy(ROOT / "apiProperties.json", folder)
    result = cli("check", name, "--format", "sarif", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in json.loads(result.stdout)["runs"][0]["results"]
            for loc in r.get("locations", [])}
    assert uris, result.stdout
    for uri in uris:
        assert RFC3986_PATH.fullmatch(uri), uri
        assert (tmp_path / unquote(uri)).is_file(), uri


def test_an_absolute_path_is_a_file_uri():
    from ppconnector.render.sarif import uri as sarif_uri

    assert sarif_uri("/tmp/my conn/apiDefinition.swagger.json") == "file:///tmp/my%20conn/apiDefinition.swagger.json"
    assert sarif_uri("C:\\work\\a#b\\x.json") == "file:///C:/work/a%23b/x.json"
    assert sarif_uri("conn/apiDefinition.swagger.json") == "conn/apiDefinition.swagger.json"
