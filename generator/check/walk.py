"""Walking a Swagger 2.0 definition: operations, parameters, schemas, each with its JSON pointer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

METHODS = ("get", "put", "post", "delete", "options", "head", "patch")


def obj(value: Any) -> dict:
    """value when it is a JSON object, else {}: a malformed definition is reported, never crashed on."""
    return value if isinstance(value, dict) else {}


def esc(part: Any) -> str:
    text = part if isinstance(part, str) else str(part)
    return text.replace("~", "~0").replace("/", "~1") if "~" in text or "/" in text else text


def ptr(*parts: Any) -> str:
    return "".join("/" + esc(p) for p in parts)


@dataclass
class Op:
    path: str
    method: str
    node: dict
    item: dict
    pointer: str

    @property
    def id(self) -> str | None:
        value = self.node.get("operationId")
        return value if isinstance(value, str) else None

    @property
    def is_trigger(self) -> bool:
        return "x-ms-trigger" in self.node

    @property
    def is_webhook(self) -> bool:
        """A trigger that registers a callback (the platform calls back), not one the platform polls."""
        if not self.is_trigger or self.method == "get":
            return False
        meta = self.node.get("x-ms-trigger-metadata")
        return not (isinstance(meta, dict) and meta.get("mode") == "polling")


def operations(d: dict) -> Iterator[Op]:
    paths = d.get("paths")
    if not isinstance(paths, dict):
        return
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            node = item.get(method)
            if isinstance(node, dict):
                yield Op(path, method, node, item, ptr("paths", path, method))


def resolve(d: dict, ref: Any) -> Any:
    """The value a local $ref names, or None."""
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return None
    node: Any = d
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


def parameters(d: dict, op: Op) -> list[tuple[dict, str]]:
    """The operation's parameters (path-level ones it does not override included), $refs resolved."""
    out: dict[tuple, tuple[dict, str]] = {}
    for where, base in ((op.item, ptr("paths", op.path)), (op.node, op.pointer)):
        params = where.get("parameters")
        if not isinstance(params, list):
            continue
        for i, p in enumerate(params):
            p, where = _followed(d, p, f"{base}/parameters/{i}")
            if isinstance(p, dict):
                out[(str(p.get("name")), str(p.get("in")))] = (p, where)  # str: a name may be any JSON
    return list(out.values())


def _followed(d: dict, p: Any, where: str) -> tuple[Any, str]:
    """A parameter and its pointer; a `$ref` is followed, and the pointer is its target's, so that every
    pointer made below it (…/x-ms-summary, …/schema/properties/x) names a place that is in the file."""
    if isinstance(p, dict) and "$ref" in p:
        target = resolve(d, p["$ref"])
        return target, (p["$ref"][1:] if isinstance(target, dict) else where)
    return (p if isinstance(p, dict) else None), where


def own_parameters(d: dict, params: Any, base: str) -> Iterator[tuple[dict, str]]:
    if isinstance(params, list):
        for i, p in enumerate(params):
            p, where = _followed(d, p, f"{base}/parameters/{i}")
            if isinstance(p, dict):
                yield p, where


def template_names(path: str) -> list[str]:
    return re.findall(r"\{([^{}]*)\}", path)


def _sub(node: Any, pointer: str) -> Iterator[tuple[dict, str]]:
    if not isinstance(node, dict):
        return
    props = node.get("properties")
    if isinstance(props, dict):
        for name, sub in props.items():
            yield from schemas_in(sub, f"{pointer}/properties/{esc(name)}")
    items = node.get("items")
    if isinstance(items, dict):
        yield from schemas_in(items, pointer + "/items")
    elif isinstance(items, list):
        for i, sub in enumerate(items):
            yield from schemas_in(sub, f"{pointer}/items/{i}")
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        yield from schemas_in(extra, pointer + "/additionalProperties")
    for key in ("allOf", "anyOf", "oneOf"):
        if isinstance(node.get(key), list):
            for i, sub in enumerate(node[key]):
                yield from schemas_in(sub, f"{pointer}/{key}/{i}")


def schemas_in(node: Any, pointer: str, depth: int = 0) -> Iterator[tuple[dict, str]]:
    if isinstance(node, dict) and depth < 200:
        yield node, pointer
        yield from _sub(node, pointer)


def all_schemas(d: dict) -> Iterator[tuple[dict, str]]:
    """Every schema object of the definition (not following $ref; definitions are walked themselves)."""
    defs = d.get("definitions")
    if isinstance(defs, dict):
        for name, node in defs.items():
            yield from schemas_in(node, ptr("definitions", name))
    params = d.get("parameters")
    if isinstance(params, dict):
        for name, p in params.items():
            if isinstance(p, dict) and "schema" in p:
                yield from schemas_in(p["schema"], ptr("parameters", name) + "/schema")
    responses = d.get("responses")
    if isinstance(responses, dict):
        for name, r in responses.items():
            if isinstance(r, dict):
                yield from schemas_in(r.get("schema"), ptr("responses", name) + "/schema")
    paths = d.get("paths")
    if isinstance(paths, dict):
        for path, item in paths.items():
            if not isinstance(item, dict):
                continue
            note = item.get("x-ms-notification-content")
            if isinstance(note, dict):
                yield from schemas_in(note.get("schema"), ptr("paths", path, "x-ms-notification-content", "schema"))
    for op in operations(d):
        for where, base in ((op.item, ptr("paths", op.path)), (op.node, op.pointer)):
            if isinstance(where.get("parameters"), list):
                for i, p in enumerate(where["parameters"]):
                    if isinstance(p, dict) and "schema" in p:
                        yield from schemas_in(p["schema"], f"{base}/parameters/{i}/schema")
        responses = op.node.get("responses")
        if isinstance(responses, dict):
            for code, r in responses.items():
                if isinstance(r, dict):
                    yield from schemas_in(r.get("schema"), f"{op.pointer}/responses/{esc(code)}/schema")


def typed_values(d: dict) -> Iterator[tuple[dict, str]]:
    """Schemas and non-body parameters (and their items): everything with type/enum/default/limits."""
    yield from all_schemas(d)
    yield from typed_parameters(d)


def typed_parameters(d: dict) -> Iterator[tuple[dict, str]]:
    """The non-body parameters (and their items) of typed_values."""
    seen = set()
    for op in operations(d):
        for where, base in ((op.item, ptr("paths", op.path)), (op.node, op.pointer)):
            if isinstance(where.get("parameters"), list):
                for i, p in enumerate(where["parameters"]):
                    if isinstance(p, dict) and p.get("in") != "body" and "$ref" not in p:
                        key = f"{base}/parameters/{i}"
                        if key not in seen:
                            seen.add(key)
                            yield p, key
                            if isinstance(p.get("items"), dict):
                                yield p["items"], key + "/items"
    params = d.get("parameters")
    if isinstance(params, dict):
        for name, p in params.items():
            if isinstance(p, dict) and p.get("in") != "body":
                yield p, ptr("parameters", name)
