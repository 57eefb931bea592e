"""YAML source -> Connector model, with every problem reported at its file:line:column.

Two passes, both collecting rather than stopping at the first problem:
1. the JSON Schema of the source (``connector.schema.json``, the same file editors use), with
   messages rewritten for people: unknown keys get a "did you mean", wrong types say what was expected;
2. cross-references the schema cannot express: `ref` names, dropdown operations, path parameters,
   locales of display strings, missing translations, operationIds that differ only in case.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ..diagnostics import ERROR, WARNING, Collector, Finding, InputError, Suggestions, did_you_mean
from ..diagnostics import display_path  # noqa: F401 - how every module names a path in its messages
from ..filenames import windows_reserved
from ..model import Connector, Operation
from .yamlfile import Map, key_position, load, position_of

if TYPE_CHECKING:  # jsonschema is imported only to explain an invalid source: a valid one never needs it
    import jsonschema

SCHEMA_FILE = Path(__file__).with_name("connector.schema.json")
TEXT_KEYS = {"title", "description", "summary", "display_name", "tooltip", "trigger_hint"}


@functools.lru_cache(maxsize=1)
def source_schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    import jsonschema

    schema = source_schema()
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def _fast_validate():
    from ..fastschema import compiled

    return compiled(source_schema(), "source")


NOT_SOURCES = {"diff-acknowledgements.yaml"}  # YAML files in connector/ that other commands own


def load_connector(path: Path, icon: bool = True) -> tuple[Connector, list[Finding]]:
    """Load and validate a source; raise InputError on errors, return warnings alongside the model.
    icon=False: a reader that never uses the icon (diff) does not need it beside the source."""
    shown = display_path(path)
    root = load(path, shown)
    if "connector" not in root:  # an OpenAPI, Swagger or Postman file given where a source belongs: say so in one line
        from ..importer.sniff import foreign_source

        foreign = foreign_source(root, shown)
        if foreign is not None:
            raise InputError(foreign)
    collector = Collector()
    _schema_findings(root, shown, collector)
    if collector.errors():
        # Report everything in one run: cross-references too, where the parts that broke the schema let the
        # model be built at all (a shape too wrong to build is reported by the schema alone).
        shape_errors = list(collector.findings)
        try:
            _cross_reference(_model(path, shown, root), collector, icon)
        except Exception:  # noqa: BLE001 - the schema findings already say what is wrong
            collector.findings = shape_errors
        collector.findings.sort(key=lambda f: (f.line or 0, f.column or 0))
        collector.raise_errors()
    connector = _model(path, shown, root)
    _cross_reference(connector, collector, icon)
    collector.raise_errors()
    return connector, collector.findings


# --- pass 1: the JSON Schema ---------------------------------------------------------------------


def _schema_findings(root: Map, shown: str, collector: Collector) -> None:
    import fastjsonschema

    try:  # the fast answer for the usual case, a valid source; the schema has no keyword newer than draft 7
        _fast_validate()(root)
        return
    except fastjsonschema.JsonSchemaException:
        pass  # jsonschema explains every error, with its place
    seen = set()
    for error in _validator().iter_errors(root):
        for finding in _explain(error, root, shown):
            key = (finding.line, finding.column, finding.message)
            if key not in seen:
                seen.add(key)
                collector.add(finding)
    collector.findings.sort(key=lambda f: (f.line or 0, f.column or 0))


def _where(path: tuple) -> str:
    return "/".join(str(p) for p in path) or "the top level"


def _explain(error: jsonschema.ValidationError, root: Map, shown: str) -> Iterator[Finding]:
    path = tuple(error.absolute_path)
    v = error.validator

    def at(p: tuple, message: str, key: bool = False) -> Finding:
        line, col = (key_position if key else position_of)(root, p) or (None, None)
        return Finding("source-schema", ERROR, message, shown, line, col)

    if v == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {}))
        patterns = list(error.schema.get("patternProperties", {}))
        for name in error.instance:
            if name in allowed or any(re.search(p, name) for p in patterns):
                continue
            expected = ", ".join(allowed) if len(allowed) <= 12 else f"one of {len(allowed)} known keys"
            yield at(
                path + (name,),
                f'unknown key "{name}" in {_where(path)}{did_you_mean(name, allowed)}; expected {expected}',
                key=True,
            )
    elif v == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        for name in missing or [error.message]:
            yield at(path, f'missing required key "{name}" in {_where(path)}')
    elif v == "enum":
        options = error.validator_value
        hint = did_you_mean(str(error.instance), [str(o) for o in options])
        yield at(path, f"{_where(path)}: {error.instance!r} is not allowed{hint}; expected one of {', '.join(map(str, options))}")
    elif v == "type":
        yield at(path, f"{_where(path)}: expected {_type_words(error.validator_value)}, found {_type_name(error.instance)}")
    elif v in ("oneOf", "anyOf"):
        described = error.schema.get("description")
        if path and path[-1] in TEXT_KEYS or "locale" in (described or ""):
            yield at(path, f"{_where(path)}: expected text, or a map of locale to text, found {_type_name(error.instance)}{_text_hint(error.instance)}")
        else:
            # Report the branch that got furthest: it is the one the author meant.
            from jsonschema.exceptions import best_match

            best = best_match(error.context) if error.context else None
            if best is not None:
                yield from _explain(best, root, shown)
            else:
                yield at(path, f"{_where(path)}: {error.message}")
    elif v == "pattern":
        described = error.schema.get("description")
        tail = f" ({described})" if described else f" (expected to match {error.validator_value})"
        yield at(path, f"{_where(path)}: {error.instance!r} is not valid{tail}")
    elif v == "propertyNames":
        yield at(path + (error.instance,), f'{_where(path)}: "{error.instance}" is not a valid name here', key=True)
    else:
        yield at(path, f"{_where(path)}: {error.message}")


def _text_hint(value: Any) -> str:
    """Why a mapping is not a locale map; a comma inside {en: ..., cs: ...} is the usual cause."""
    if not isinstance(value, dict):
        return ""
    for key, text in value.items():
        if text is None:
            return f' ("{key}" has no text; a comma inside {{...}} splits the text: put the text in quotes)'
        if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", key):
            return f' ("{key}" is not a locale; a comma inside {{...}} splits the text: put the text in quotes)'
        if not isinstance(text, str):
            return f' (the "{key}" text is {_type_name(text)}; put it in quotes)'
    return ""


def _type_words(t: Any) -> str:
    names = {"object": "a mapping", "array": "a list", "string": "text", "integer": "a whole number",
             "number": "a number", "boolean": "true or false", "null": "nothing"}
    ts = t if isinstance(t, list) else [t]
    return " or ".join(names.get(x, x) for x in ts)


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f'the text "{value}"'


DEFAULT_LOCALES = ("en",)  # a one-language source may leave out `locales:`


# --- the model -------------------------------------------------------------------------------------


def _model(path: Path, shown: str, root: Map) -> Connector:
    connector = Connector(file=path.resolve(), shown=shown, node=root, locales=list(root.get("locales", DEFAULT_LOCALES)), named=path.absolute())
    for op_id, node in root["operations"].items():
        method, _, op_path = node["request"].partition(" ")
        connector.operations[op_id] = Operation(op_id, method.lower(), op_path.strip(), node)
    return connector


# --- pass 2: cross-references --------------------------------------------------------------------


# Values and Swagger kept as it is (the importer's escape hatches): no sugar, no display strings inside.
_LITERAL = {"default", "example", "raw", "extra", "layout", "parameter_sets", "policies", "info_extra", "properties_extra"}


def _walk(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every node of the source's own structure, parents first, in source order; an x- key's value is yielded,
    not entered (it is copied as it is).  A stack, not recursion: nested generators cost per level per node."""
    stack = [(path, node)]
    while stack:
        path, node = stack.pop()
        yield path, node
        if path and isinstance(path[-1], str) and path[-1].startswith("x-"):
            continue
        if isinstance(node, dict):
            stack.extend(reversed([(path + (k,), v) for k, v in node.items() if k not in _LITERAL]))  # values, not structure
        elif isinstance(node, list):
            stack.extend(reversed([(path + (i,), v) for i, v in enumerate(node)]))


def _twin_keys(node: dict, path: tuple, add) -> None:
    """Keys of one mapping that are the same text in another Unicode normalization (é as one code point, or as
    e and a combining accent): they look alike to every reader but are two names to YAML and the platform."""
    import unicodedata

    seen: dict[str, str] = {}
    for key in node:
        if not isinstance(key, str) or key.isascii():
            continue
        first = seen.setdefault(unicodedata.normalize("NFC", key), key)
        if first != key:
            add(path + (key,), f'the key "{key}" ({ascii(key)}) is the key "{first}" ({ascii(first)}) in another Unicode '
                "normalization form: they look the same but are two different names; write both alike (NFC)",
                "duplicate-key", key=True)


def _cross_reference(c: Connector, collector: Collector, check_icon: bool = True) -> None:
    root, shown = c.node, c.shown

    def add(path: tuple, message: str, rule: str = "source-reference", severity: str = ERROR, key: bool = False) -> None:
        line, col = (key_position if key else position_of)(root, path) or (None, None)
        collector.add(Finding(rule, severity, message, shown, line, col))

    locales = c.locales
    for i, loc in enumerate(locales):
        device = windows_reserved(loc)
        if device:
            add(("locales", i), f'locale "{loc}" is the device name {device} on Windows: dist/{loc}/ and docs/reference/{loc}.md '
                "could not exist in a checkout there; use another tag for it", rule="locale-name")
    # Suggestions are bounded: a source with thousands of broken names is checked in linear time.
    schema_suggestion, op_suggestion = Suggestions(c.schemas), Suggestions(c.operations)
    shared_suggestion = Suggestions(root.get("parameters") or {})

    for path, node in _walk(root):
        if not path:
            continue
        last = path[-1]
        # Display strings: every locale known, every locale present.
        if last in TEXT_KEYS and _is_text_position(path):
            if isinstance(node, dict):
                for key in node:
                    loc = key.removesuffix("@")  # "cs@" holds the hash of the source text "cs" was translated from
                    if loc not in locales:
                        add(path + (key,), f'locale "{loc}" is not in locales [{", ".join(locales)}]{did_you_mean(loc, locales)}', key=True)
                missing = [loc for loc in locales if loc not in node]
                if c.source_locale in missing:
                    add(path, f"{_where(path)}: no text in the source locale \"{c.source_locale}\"")
                for loc in missing:
                    if loc != c.source_locale:
                        add(path, f'{_where(path)}: missing translation for "{loc}"', "missing-translation", WARNING)
            elif isinstance(node, str) and len(locales) > 1:
                add(path, f"{_where(path)}: missing translation for {', '.join(locales[1:])} (plain text is {c.source_locale} only)",
                    "missing-translation", WARNING)
        if isinstance(node, dict):
            _twin_keys(node, path, add)
            ref = node.get("ref")
            parameter_ref = isinstance(last, int) and len(path) > 1 and path[-2] == "parameters"  # {ref: Name} of a list
            if isinstance(ref, str) and last != "properties" and not parameter_ref and ref not in c.schemas:
                add(path + ("ref",), f'no schema named "{ref}" under schemas{schema_suggestion(ref)}')
            dyn = node.get("dynamic_values")
            if isinstance(dyn, dict) and dyn.get("operation") not in c.operations:
                op = dyn.get("operation")
                add(path + ("dynamic_values", "operation"), f'dropdown source "{op}" is not an operation{op_suggestion(str(op))}')

    lowered: dict[str, str] = {}
    requests: dict[tuple[str, str], str] = {}
    for op in c.operations.values():
        base = ("operations", op.id)
        other = lowered.setdefault(op.id.lower(), op.id)
        if other != op.id:
            add(base, f'duplicate operationId: "{op.id}" differs from "{other}" only in letter case', key=True)
        template = re.sub(r"\{[^}]+\}", "{}", op.path)
        clash = requests.setdefault((op.method, template), op.id)
        if clash != op.id:
            add(base + ("request",), f'"{op.id}" has the same method and path as "{clash}"')
        if "raw" in op.node:
            continue  # Swagger as it is: `ppconnector check` judges it, not the source's rules
        params = dict(op.parameter_items())
        shared = root.get("parameters") or {}
        for item in op.node.get("parameters") if isinstance(op.node.get("parameters"), list) else []:
            if set(item) == {"ref"}:
                if item["ref"] not in shared:
                    index = op.node["parameters"].index(item)
                    add(base + ("parameters", index, "ref"), f'no parameter named "{item["ref"]}" under parameters{shared_suggestion(str(item["ref"]))}')
                elif isinstance(shared[item["ref"]], dict) and "name" in shared[item["ref"]]:
                    params.setdefault(shared[item["ref"]]["name"], shared[item["ref"]])
        declared_path = [name for name, p in params.items() if p.get("in") == "path"]
        for name in op.path_parameters:
            if name not in declared_path:
                add(base + ("request",), f'path parameter "{name}" of {op.method.upper()} {op.path} is not declared under parameters{did_you_mean(name, list(params))}')
        for name in declared_path:
            if name not in op.path_parameters:
                add(base + ("parameters", name), f'parameter "{name}" is in: path but {op.path} has no {{{name}}}', key=True)
        # A webhook trigger (POST: the platform registers its callback) says what the service posts; a polling
        # trigger (a GET the platform calls on a schedule: https://learn.microsoft.com/en-us/training/modules/
        # create-triggers-custom-connectors/5-polling-trigger) has its response schema instead.
        if op.is_trigger and op.method != "get" and "notification" not in op.node:
            add(base, f'trigger "{op.id}" has no notification schema (what the service posts to the callback URL)', key=True)

    for behaviour, ops in (c.script or {}).items():
        if not isinstance(ops, dict):
            continue  # `file:` names a hand-written script
        for op_id in ops:
            if op_id not in c.operations:
                add(("script", behaviour, op_id), f'script behaviour "{behaviour}" names "{op_id}", which is not an operation{op_suggestion(op_id)}', key=True)

    icon = c.info.get("icon")
    if icon and check_icon:
        _check_inside(c, icon, ("connector", "icon"), add)
    script_file = (c.script or {}).get("file")
    if isinstance(script_file, str):
        _check_inside(c, script_file, ("script", "file"), add)

    ids = (root.get("deploy") or {}).get("connector_id")
    if isinstance(ids, dict):
        for loc in ids:
            if loc not in locales:
                add(("deploy", "connector_id", loc), f'locale "{loc}" is not in locales [{", ".join(locales)}]{did_you_mean(loc, locales)}', key=True)


def _check_inside(c: Connector, relative: str, path: tuple, add) -> None:
    target = (c.folder / relative).resolve()
    if c.folder != target and c.folder not in target.parents:
        add(path, f'"{relative}" is outside the connector folder {c.folder}')
    elif not target.is_file():
        add(path, f'file "{relative}" not found next to {c.file.name}')


def _is_text_position(path: tuple) -> bool:
    """Display-string keys are text unless they name a property (under `properties`/`parameters`/...)."""
    parent = path[-2] if len(path) > 1 else None
    return parent not in ("properties", "parameters", "operations", "schemas", "location_header", "wrap_page", "route", "dynamic_values")
