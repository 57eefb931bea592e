"""`ppconnector docs`: the reference page per locale.  The Czech page regenerated from the YAML holds
every row of Microsoft's Czech reference page (../shared/seed): key, type and required flag, under the
Czech names the build gives (test_seed_fidelity holds how much of the page's Czech wording is kept)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from conftest import ROOT, SOURCE, require_shared, run_cli, snapshot
from i18n_support import parse_page
from seed_page import parse
from test_seed_fidelity import CORRECTIONS, LOST_KEYS, SEED_OPERATIONS

from ppconnector.docs.reference import render
from ppconnector.source.loader import load_connector

PAGE = ROOT / "docs" / "reference"


def expected(text: str) -> str:
    return CORRECTIONS.get(text, text)


@pytest.fixture(scope="module")
def seed():
    return parse(require_shared("seed", "000_a19dba9c8847947d.txt"))


@pytest.fixture(scope="module")
def czech_page():
    connector, _ = load_connector(SOURCE)
    top, sections = parse_page(render(connector, "cs"))
    # The page's sections under the seed's operation names (the build may have retranslated a name).
    now = {op_id: connector.operations[op_id].node["summary"]["cs"] for op_id in SEED_OPERATIONS.values()}
    by_seed = {seed_name: sections.get(now[op_id]) for seed_name, op_id in SEED_OPERATIONS.items()}
    return top, {**sections, **by_seed}


def test_czech_page_has_every_action_and_trigger_of_the_seed(seed, czech_page):
    top, sections = czech_page
    listed = {row[0].split("](")[0].lstrip("["): row[1] for row in top["Akce"] + top["Aktivační události"]}
    problems = []
    for op in seed.operations:
        section = sections.get(op.summary)
        if section is None or not section.description or listed.get(section.title) != section.description:
            problems.append(f"section for {op.summary!r} missing, without a description, or not in the list")
    assert problems == []
    triggers = [r[0].split("](")[0].lstrip("[") for r in top["Aktivační události"]]
    seeded = [sections[op.summary].title for op in seed.operations if op.is_trigger]
    assert [t for t in triggers if t in seeded] == seeded  # the seed's triggers, and any the connector adds


def test_czech_page_has_every_connection_parameter_and_throttling(seed, czech_page):
    top, sections = czech_page
    rows = {r[0]: r for r in sections["Parametry pro vytvoření připojení"].tables[""]}
    for row in seed.connection_parameters:
        name, key, typ, description, required = rows[row.name]
        assert (typ, required == "Ano") == (row.type, row.required) and description
    assert top["Limity omezování"] == [["Volání rozhraní API na připojení", "100", "60 sekund"]]


def _match(seed_rows, page_rows, by_key: bool, with_required: bool, where: str) -> tuple[list[str], int]:
    problems, matched = [], 0
    for row in seed_rows:
        if row.key is None:  # the seed lost this key (a mail link): found by the key it names
            hits = [r for r in page_rows if r[1] == LOST_KEYS.get(row.name)]
        else:
            hits = [r for r in page_rows if r[1] == row.key]
        if len(hits) != 1:
            problems.append(f"{where}: {row.key or row.name!r} found {len(hits)} times")
            continue
        cells = hits[0]
        if with_required:
            name, key, required, typ, description = cells
        else:
            (name, _key, typ, description), required = cells, ""
        got = (typ, required == "Ano", bool(name), bool(description) or not row.description)
        want = (row.type, row.required, True, True)
        if got != want:
            problems.append(f"{where} {row.key}: page has {(name, typ, description, required)}, seed says {(row.name, row.type, row.description, row.required)}")
        else:
            matched += (name, description if row.description else "") == (expected(row.name), expected(row.description))
    return problems, matched


def test_czech_page_holds_every_parameter_row_of_the_seed(seed, czech_page):
    _, sections = czech_page
    problems, matched = [], 0
    for op in seed.operations:
        rows = sections[op.summary].tables.get("Parametry", [])
        p, m = _match(op.parameters, rows, True, True, op.summary)
        problems += p
        matched += m
    assert problems == []


def test_czech_page_holds_every_output_row_of_the_seed(seed, czech_page):
    _, sections = czech_page
    problems, matched = [], 0
    for op in seed.operations:
        rows = sections[op.summary].tables.get("Návraty", [])
        p, m = _match(op.outputs, rows, True, False, op.summary)
        problems += p
        matched += m
    assert problems == []


def test_the_comparison_catches_a_wrong_row(seed):
    """The row checks above fail on a wrong type or required flag, and on an empty name."""
    connector, _ = load_connector(SOURCE)
    text = render(connector, "cs")
    text, count = re.subn(r"\| Adresa URL souboru PDF \| `file_url` \| Ano \| string \|", "| Adresa URL souboru PDF | `file_url` |  | integer |", text, count=1)
    assert count == 1
    text, count = re.subn(r"\| Kód HTTP \| `http_code` \| integer \|", "|  | `http_code` | integer |", text, count=1)
    assert count == 1
    _, sections = parse_page(text)
    title = connector.operations["send_letter"].node["summary"]["cs"]
    op = next(o for o in seed.operations if o.summary == "Odeslat dopis")
    params, _ = _match(op.parameters, sections[title].tables["Parametry"], True, True, op.summary)
    outputs, _ = _match(op.outputs, sections[title].tables["Návraty"], True, False, op.summary)
    assert len(params) == 1 and params[0].startswith("Odeslat dopis file_url: page has ('Adresa URL souboru PDF', 'integer'")
    assert len(outputs) == 1 and outputs[0].startswith("Odeslat dopis http_code: page has ('', 'integer'")


def test_english_page_speaks_english():
    connector, _ = load_connector(SOURCE)
    top, sections = parse_page(render(connector, "en"))
    assert {"Actions", "Triggers", "Throttling limits"} <= set(top)
    sms = sections["Send SMS"]
    assert sms.tables["Parameters"][0] == ["To", "to", "True", "string", sms.tables["Parameters"][0][4]]
    assert ["HTTP Code", "http_code", "integer", "The HTTP status code of ClickSend's response, such as 200."] in sms.tables["Returns"]
    assert "Get dedicated numbers" not in sections  # internal operations are not documented


def test_committed_pages_are_current():
    result = run_cli("docs", "--check", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "2 reference pages are up to date" in result.stdout


def test_check_names_a_stale_page_and_writes_nothing(project_copy):
    (project_copy / "docs").mkdir()
    assert run_cli("docs", cwd=project_copy).returncode == 0
    yaml_file = project_copy / "connector" / "clicksend.yaml"
    text, count = re.subn(r"cs: Odeslat SMS(?=[,}])", "cs: Poslat SMS", yaml_file.read_text(encoding="utf-8"))
    assert count == 1
    yaml_file.write_text(text, encoding="utf-8")
    before = snapshot(project_copy)
    result = run_cli("docs", "--check", cwd=project_copy)
    assert result.returncode == 1
    assert "docs/reference/cs.md: stale" in result.stderr and "en.md" not in result.stderr
    assert snapshot(project_copy) == before


def test_unknown_locale_is_a_usage_error():
    result = run_cli("docs", "--locale", "de", "--out", "/nonexistent/never", cwd=ROOT)
    assert result.returncode == 2 and 'locale "de" is not in locales: [en, cs]; to add it' in result.stderr


def _visible_summaries(definition: dict) -> set[str]:
    out = set()
    for path, item in definition.get("paths", {}).items():
        for method, op in item.items():
            if method in ("get", "put", "post", "delete", "patch", "head", "options") and op.get("x-ms-visibility") != "internal":
                out.add(" ".join(str(op.get("summary") or "").split()))
    return out


def test_a_plain_connector_folder_gets_its_page(tmp_path):
    import json

    folder = require_shared("corpus", "certified-connectors", "touchSMS")
    result = run_cli("docs", str(folder), "--out", str(tmp_path), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    definition = json.loads((folder / "apiDefinition.swagger.json").read_text(encoding="utf-8-sig"))
    properties = json.loads((folder / "apiProperties.json").read_text(encoding="utf-8-sig"))
    top, sections = parse_page((tmp_path / "en.md").read_text(encoding="utf-8"))
    assert _visible_summaries(definition) <= set(sections)
    connection = sections["Parameters for creating a connection"].tables[""]
    assert [(r[0], r[1]) for r in connection] == [(p["uiDefinition"]["displayName"], name)
                                                  for name, p in properties["properties"]["connectionParameters"].items()]


def test_every_readable_corpus_connector_gets_a_page():
    """The public corpus: every connector whose JSON is Swagger 2.0 gets a page with each visible operation."""
    from ppconnector.diagnostics import InputError
    from ppconnector.docs.folder import load_folder
    from ppconnector.source.jsonfile import read_json

    folders = sorted(p for p in require_shared("corpus").glob("*/*") if (p / "apiDefinition.swagger.json").is_file())
    assert len(folders) >= 300
    refused, documented = [], 0
    for folder in folders:
        try:
            connector = load_folder(folder, folder.name)
        except InputError as e:
            refused.append((folder.name, e.findings[0].rule))
            continue
        _, sections = parse_page(render(connector, "en"))
        definition = read_json(folder / "apiDefinition.swagger.json").value  # tolerant: comments, trailing commas
        missing = _visible_summaries(definition) - set(sections) - {""}
        assert not missing, f"{folder.name}: no section for {sorted(missing)}"
        documented += 1
    # Judged, each refused by name (not crashed on): two are not JSON at all (the corpus keeps them as published),
    # two have an operation with `responses: {}`, which Swagger 2.0's schema forbids (minProperties 1).
    assert sorted(refused) == [("AccuWeather", "json-syntax"), ("Power Textor", "swagger-schema"),
                               ("gofileroom", "json-syntax"), ("tyntec-WA", "swagger-schema")]
    assert documented + len(refused) == len(folders)


def test_an_imported_connector_with_list_form_parameters_gets_them_on_its_page(tmp_path):
    """Imported YAML keeps Swagger's parameter order as a list; the page must still list every input."""
    import json

    folder = require_shared("corpus", "certified-connectors", "Kanban Tool")
    source = tmp_path / "connector" / "kanban.yaml"
    assert run_cli("import", str(folder), "-o", str(source)).returncode == 0
    assert run_cli("docs", str(source), "--out", str(tmp_path / "docs")).returncode == 0
    page = (tmp_path / "docs" / "en.md").read_text(encoding="utf-8")
    definition = json.loads((folder / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    shared = definition.get("parameters", {})
    resolved = [shared[p["$ref"].split("/")[-1]] if "$ref" in p else p for item in definition["paths"].values()
                for op in item.values() if isinstance(op, dict) for p in op.get("parameters", [])]
    visible = {p["name"] for p in resolved if p.get("x-ms-visibility") != "internal" and p.get("in") != "body"}
    assert visible and all(f"| `{name}` |" in page for name in visible), sorted(n for n in visible if f"| `{n}` |" not in page)


# --- connector text cannot change the page's structure or add a link ---------------------------------------------

HOSTILE_TEXT = ["```\nthe rest of the page would be code", "# A heading", "## Actions", "a | b | c\n---|---|---",
                "[click](javascript:alert(1))", "![x](data:text/html;base64,PHNjcmlwdD4=)", "<script>alert(1)</script>",
                "<a href='javascript:x'>y</a>", "> quoted", "- listed", "1. numbered", "~~~\nfenced", "---",
                "[x]: javascript:alert(1)", "`code", "x\u2028y\x85z\x1b[31m", "<javascript:alert(1)>", "***", "=====", "\\"]


def _structure(page: str) -> tuple[Counter, list, list]:
    """The page as markdown-it (CommonMark with tables) reads it: its blocks (headings, paragraphs, tables,
    rows: counted, as a changed summary moves its section), every link and image target, every piece of HTML."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(page)
    blocks = Counter((t.type, t.tag, t.level) for t in tokens if t.type != "inline")
    inline = [c for t in tokens if t.type == "inline" for c in t.children or []]
    targets = [c.attrs.get("href") or c.attrs.get("src") for c in inline if c.type in ("link_open", "image")]
    html = [t.content.strip() for t in tokens if t.type == "html_block"] + [c.content for c in inline if c.type == "html_inline"]
    return blocks, targets, html


@pytest.mark.parametrize("text", HOSTILE_TEXT, ids=range(len(HOSTILE_TEXT)))
def test_connector_text_cannot_break_the_page(tmp_path, text):
    import yaml

    tree = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    plain, _ = load_connector(SOURCE)
    tree["connector"]["title"] = {"en": text, "cs": text}
    tree["connector"]["description"] = {"en": text, "cs": text}
    op = tree["operations"]["sms_send"]
    op["summary"], op["description"] = {"en": f"{text} one", "cs": "x"}, {"en": text, "cs": text}
    op["body"]["properties"]["messages"]["items"]["properties"]["to"]["description"] = {"en": text, "cs": text}
    source = tmp_path / "connector" / "hostile.yaml"
    source.parent.mkdir()
    (source.parent / "icon.png").write_bytes((SOURCE.parent / "icon.png").read_bytes())
    source.write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False), encoding="utf-8")
    hostile, _ = load_connector(source)
    expected_blocks, expected_targets, expected_html = _structure(render(plain, "en"))
    blocks, targets, html = _structure(render(hostile, "en"))
    assert blocks == expected_blocks
    assert sorted(targets) == sorted(expected_targets) and all(t.startswith("#") for t in targets)
    assert sorted(html[1:]) == sorted(expected_html[1:])  # the first is the page's "generated from" comment, naming the file


def test_an_operation_id_from_a_folder_stays_an_anchor(tmp_path):
    import json

    folder = tmp_path / "conn"
    folder.mkdir()
    definition = json.loads((ROOT / "apiDefinition.swagger.json").read_text(encoding="utf-8"))
    definition["paths"]["/sms/send"]["post"]["operationId"] = 'x"><script>alert(1)</script>\n# `id'
    (folder / "apiDefinition.swagger.json").write_text(json.dumps(definition), encoding="utf-8")
    (folder / "apiProperties.json").write_bytes((ROOT / "apiProperties.json").read_bytes())
    assert run_cli("docs", str(folder), "--out", str(tmp_path / "pages")).returncode == 0
    page = (tmp_path / "pages" / "en.md").read_text(encoding="utf-8")
    _, targets, html = _structure(page)
    assert "#x---script-alert-1---script-----id" in targets
    assert all(re.fullmatch(r'<a id="[A-Za-z0-9_.-]+">|</a>', h) for h in html[1:]), html
