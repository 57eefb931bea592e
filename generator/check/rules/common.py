"""What the rule modules share: severities, family names, and per-target caches of the walks of a definition."""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator

from ..registry import Issue, Target
from ..walk import Op, all_schemas, esc, obj, operations, parameters, ptr, resolve, typed_parameters

ERROR, WARNING, INFO = "error", "warning", "info"


def _cached(target: Target, key: str, make: Callable[[], Any]) -> Any:
    cache = target.__dict__.setdefault("_check_cache", {})
    if key not in cache:
        cache[key] = make()
    return cache[key]


def _ops(t: Target) -> list[Op]:
    return _cached(t, "ops", lambda: list(operations(t.definition)))


def _schemas(t: Target) -> list[tuple[dict, str]]:
    return _cached(t, "schemas", lambda: list(all_schemas(t.definition)))


def _typed(t: Target) -> list[tuple[dict, str]]:
    return _cached(t, "typed", lambda: _schemas(t) + list(typed_parameters(t.definition)))


def _ops_in(t: Target, d: dict) -> list[Op]:
    """The operations of one build: the shared list for the target's own definition."""
    return _ops(t) if d is t.definition else list(operations(d))


def _params(t: Target, op: Op) -> list[tuple[dict, str]]:
    return _cached(t, "params:" + op.pointer, lambda: parameters(t.definition, op))


def _op_ids(t: Target) -> set[str]:
    return _cached(t, "opids", lambda: {op.id for op in _ops(t) if op.id})


def _builds(t: Target) -> list[tuple[str | None, dict, dict]]:
    """(locale, definition, properties) for every build; a folder has one build with no locale."""
    if t.builds:
        return [(loc, d, p) for loc, (d, p) in t.builds.items()]
    return [(None, t.definition, t.properties)]


def _in(locale: str | None) -> str:
    return f" (locale {locale})" if locale else ""


def for_certification(t: Target) -> bool:
    """The target declares stackOwner, which only certification accepts (paconn refuses it): a connector meant for
    microsoft/PowerPlatformConnectors, held to what its CI refuses; a custom connector of your own is not."""
    if t.connector is not None:
        return bool(t.connector.info.get("stack_owner"))
    return "stackOwner" in obj(obj(t.properties).get("properties"))  # any shape may arrive: a folder is input


def _certification_severity(t: Target) -> str:
    """error where Microsoft's certification CI refuses what the platform itself accepts: for a certification target."""
    return ERROR if for_certification(t) else WARNING


def _conn_params(t: Target) -> dict:
    props = (t.properties or {}).get("properties") if isinstance(t.properties, dict) else None
    params = (props or {}).get("connectionParameters") if isinstance(props, dict) else None
    return params if isinstance(params, dict) else {}


def _props(t: Target) -> dict:
    props = (t.properties or {}).get("properties") if isinstance(t.properties, dict) else None
    return props if isinstance(props, dict) else {}


def _all_dicts(node: Any, pointer: str = "") -> Iterator[tuple[dict, str]]:
    """Every object in a JSON document with its pointer (iterative: definitions can be deep)."""
    stack = [(node, pointer)]
    push, pop = stack.append, stack.pop  # the walk every rule shares: kept tight
    while stack:
        value, p = pop()
        if isinstance(value, dict):
            yield value, p
            for k, v in value.items():
                if isinstance(v, (dict, list)):
                    push((v, f"{p}/{k}" if isinstance(k, str) and "/" not in k and "~" not in k else f"{p}/{esc(k)}"))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                if isinstance(v, (dict, list)):
                    stack.append((v, f"{p}/{i}"))


def _dicts(t: Target) -> list[tuple[dict, str]]:
    return _cached(t, "dicts", lambda: list(_all_dicts(t.definition)))


# The keys rules look for in every object of the definition: indexed in one pass, so that each rule visits the few
# objects that have its key instead of all of them.
INDEXED = frozenset({"$ref", "description", "filterFunctions", "selectedItemValuePath", "x-ms-capabilities", "x-ms-dynamic-values",
                     "x-ms-dynamic-schema", "x-ms-dynamic-list", "x-ms-dynamic-tree", "x-ms-dynamic-properties", "x-ms-pageable",
                     "x-ms-trigger-metadata", "x-ms-api-annotation"})


# ... and the keys rules look for in the typed values (schemas and non-body parameters).
TYPED_INDEXED = frozenset({"default", "enum", "exclusiveMaximum", "exclusiveMinimum", "format", "maxItems", "maxLength", "maximum",
                           "maxProperties", "minItems", "minLength", "minimum", "minProperties", "multipleOf", "pattern", "required",
                           "x-ms-enum-values", "uniqueItems", "discriminator", "xml", "readOnly", "externalDocs"})


def _index(t: Target, name: str = "dicts") -> dict[str, list[tuple[int, dict, str]]]:
    keys, items = (INDEXED, _dicts) if name == "dicts" else (TYPED_INDEXED, _typed)

    def build() -> dict[str, list[tuple[int, dict, str]]]:
        index: dict[str, list[tuple[int, dict, str]]] = {key: [] for key in keys}
        for i, (node, p) in enumerate(items(t)):
            for key in keys.intersection(node):
                index[key].append((i, node, p))
        return index

    return _cached(t, "index:" + name, build)


def _from_index(index: dict, keys: tuple[str, ...]) -> list[tuple[dict, str]]:
    if len(keys) == 1:
        return [(node, p) for _, node, p in index[keys[0]]]
    found = {i: (node, p) for key in keys for i, node, p in index[key]}
    return [found[i] for i in sorted(found)]


def _having(t: Target, *keys: str) -> list[tuple[dict, str]]:
    """(object, pointer) of each object of the definition with one of keys (all in INDEXED), in _dicts's order."""
    return _from_index(_index(t), keys)


def _typed_having(t: Target, *keys: str) -> list[tuple[dict, str]]:
    """(value, pointer) of each typed value (_typed) with one of keys (all in TYPED_INDEXED), in _typed's order."""
    return _from_index(_index(t, "typed"), keys)


SWAGGER = "swagger"


MS = "microsoft"


_REF_KINDS = {"definitions": "SchemaReferenceNotFound", "parameters": "ParameterReferenceNotFound",
              "responses": "ResponseReferenceNotFound"}


_REF_WORDS = {"definitions": "schema", "parameters": "parameter", "responses": "response"}


def _ref_not_found(t: Target, kind: str) -> Iterator[Issue]:
    for node, p in _having(t, "$ref"):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(f"#/{kind}/") and resolve(t.definition, ref) is None:
            yield Issue(f"The {_REF_WORDS[kind]} reference '{ref}' could not be found in the swagger document.", p + "/$ref")


def _aliases(t: Target, section: str, what: str) -> Iterator[Issue]:
    """An entry of a top-level section (definitions, parameters, responses) that is only a $ref: an alias."""
    for name, node in obj(t.definition.get(section)).items():
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            chain, seen = node["$ref"], {f"#/{section}/{name}"}
            target = node
            while isinstance(target, dict) and isinstance(target.get("$ref"), str) and target["$ref"] not in seen:
                seen.add(target["$ref"])
                target = resolve(t.definition, target["$ref"])
            loop = " (the $refs loop back)" if isinstance(target, dict) and "$ref" in target else ""
            yield Issue(f"The {what} definition may not use a '$ref' to point to another definition. ('{name}' is only "
                        f"$ref \"{chain}\"{loop})", ptr(section, name, "$ref"))


def _repeats(values: list) -> Iterator[tuple[int, Any]]:
    """(index, value) of each value already seen earlier in the list (a list, not a set: values may be unhashable)."""
    seen: list = []
    for i, v in enumerate(values):
        if v in seen:
            yield i, v
        seen.append(v)


def _json_type(value: Any) -> str:
    for name, kind in (("boolean", bool), ("integer", int), ("number", float), ("string", str), ("array", list), ("object", dict)):
        if isinstance(value, kind):
            return name
    return "null"


def _has_type(value: Any, type_: str) -> bool:
    return {"string": lambda v: isinstance(v, str), "boolean": lambda v: isinstance(v, bool),
            "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
            "array": lambda v: isinstance(v, list), "object": lambda v: isinstance(v, dict),
            "file": lambda v: True, "null": lambda v: v is None}.get(type_, lambda v: True)(value)


def _notification_urls(t: Target, op: Op) -> list[tuple[dict, str, list[dict]]]:
    """(node, pointer, ancestors) of each x-ms-notification-url in the operation's body (once per operation: the
    webhook rules each ask)."""
    return _cached(t, "notification-urls:" + op.pointer, lambda: _find_notification_urls(t, op))


def _find_notification_urls(t: Target, op: Op) -> list[tuple[dict, str, list[dict]]]:
    found = []
    for p, where in _params(t, op):
        if p.get("x-ms-notification-url") is True:
            found.append((p, where, []))
        if p.get("in") == "body":
            stack = [(p.get("schema"), where + "/schema", [p], 0)]
            while stack:
                node, pointer, parents, depth = stack.pop()
                if isinstance(node, dict) and "$ref" in node:
                    node = resolve(t.definition, node["$ref"])
                if not isinstance(node, dict) or depth > 20:
                    continue
                if node.get("x-ms-notification-url") is True:
                    found.append((node, pointer, parents))
                for name, sub in (node.get("properties") or {}).items() if isinstance(node.get("properties"), dict) else []:
                    stack.append((sub, f"{pointer}/properties/{esc(name)}", parents + [node], depth + 1))
    return found


def _texts(d: dict) -> Iterator[tuple[str, str, str]]:
    """(kind, text, pointer) of the display strings of a definition."""
    info = obj(d.get("info"))
    for key in ("title", "description"):
        if isinstance(info.get(key), str):
            yield key, info[key], f"/info/{key}"
    for op in operations(d):
        for key in ("summary", "description"):
            if isinstance(op.node.get(key), str):
                yield "operation " + key, op.node[key], f"{op.pointer}/{key}"


# Words that make up about a tenth or more of any English connector's display text (every connector of the public
# corpus with 20 words or more: 8% at the least) and almost none of a translation's (ClickSend's Czech build: 2.5%,
# from the few that are words in Czech too: a, to, on).
_ENGLISH_WORDS = frozenset("the of for and with from by this that your you are an be will or if when which it in is to a on".split())
_LOCALE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


def not_english(t: Target) -> str | None:
    """Why the text being checked is not English (a YAML source's source locale, a folder built for another locale
    (dist/<locale>/), or text that reads as another language), or None when it is English or cannot be told."""
    if t.connector is not None:
        locale = t.connector.source_locale
        return None if locale.split("-")[0].lower() == "en" else f"the source locale is {locale}"
    folder = t.folder
    if folder is not None and folder.parent.name == "dist" and _LOCALE.fullmatch(folder.name) and folder.name.split("-")[0] != "en":
        return f"this is the {folder.name} build"
    return _cached(t, "not-english", lambda: _reads_as_another_language(t.definition))


def _reads_as_another_language(d: dict) -> str | None:
    words = [w for _, text, _ in _texts(d) for w in re.findall(r"[^\W\d_]+", text.lower())]
    share = sum(w in _ENGLISH_WORDS for w in words) / len(words) if words else 1.0
    if len(words) >= 20 and share < 0.05:
        return f"its text does not read as English ({share:.0%} of its {len(words)} words are common English words)"
    return None


_RESTRICTED_WORDS = ("power apps", "powerapps", "power automate", "logic apps", "logicapps", "microsoft flow")


def _metadata(t: Target) -> dict[str, tuple[Any, str]]:
    out = {}
    meta = t.definition.get("x-ms-connector-metadata")
    if isinstance(meta, list):
        for i, entry in enumerate(meta):
            if isinstance(entry, dict) and isinstance(entry.get("propertyName"), str):
                out[entry["propertyName"].lower()] = (entry.get("propertyValue"), f"/x-ms-connector-metadata/{i}/propertyValue")
    return out


CERT = "certification"


CROSS = "cross-file"


SCRIPTS = "script"


LIMITS = "limits"


LOCALE = "localization"


LIMITS_ENV = "PPCONNECTOR_CHECK_LIMITS"  # e.g. "SchemaTooDeep=40,OperationIdTooLong=100": our estimates, made adjustable


def _limit(rule_id: str, default: int) -> tuple[int, Issue | None]:
    """The limit of a rule whose number Microsoft does not publish: $PPCONNECTOR_CHECK_LIMITS's value, else ours;
    with an info issue when the variable names the rule with no usable number."""
    import os

    for entry in os.environ.get(LIMITS_ENV, "").split(","):
        name, _, value = entry.partition("=")
        if name.strip() == rule_id:
            if value.strip().isdigit() and int(value) > 0:
                return int(value), None
            return default, Issue(f"{LIMITS_ENV}: '{entry.strip()}' is not {rule_id}=<positive whole number>; the default "
                                  f"{default} is used", severity=INFO)
    return default, None


SCHEMA_WALK_LIMIT = 256  # nesting beyond this is reported as it is (any limit is far below), never recursed into


def _schema_children(node: dict) -> Iterator[Any]:
    props = node.get("properties")
    if isinstance(props, dict):
        yield from props.values()
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            yield node[key]
    if isinstance(node.get("items"), list):
        yield from node["items"]
    for key in ("allOf", "anyOf", "oneOf"):
        if isinstance(node.get(key), list):
            yield from node[key]


def _schema_size(t: Target, node: Any) -> tuple[int, int]:
    """(schema count, depth) of a schema with its $refs expanded; a $ref back into its own chain counts nothing,
    as the platform stops there too. Each definition is measured once per target."""
    memo = _cached(t, "schema-size", dict)

    def size(node: Any, chain: frozenset, level: int) -> tuple[int, int]:
        if not isinstance(node, dict) or level > SCHEMA_WALK_LIMIT:
            return (0, 0) if not isinstance(node, dict) else (1, 1)
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in chain:
                return 0, 0
            if ref not in memo:
                memo[ref] = size(resolve(t.definition, ref), chain | {ref}, level + 1)
            return memo[ref]
        count, depth = 1, 0
        for child in _schema_children(node):
            c, d = size(child, chain, level + 1)
            count, depth = count + c, max(depth, d)
        return count, depth + 1

    tops = _cached(t, "schema-size-top", dict)  # the same inline schema is measured by several rules
    if isinstance(node, dict) and id(node) in tops:
        return tops[id(node)]
    result = size(node, frozenset(), 0)
    if isinstance(node, dict):
        tops[id(node)] = result
    return result
