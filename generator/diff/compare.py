"""Compare two connectors (Swagger definition + apiProperties) the way a flow sees them.

Actions are matched by operationId, parameters by name and location, body and output properties by
their path; ``$ref``s are resolved before comparing, so moving a schema into ``definitions`` is no
change.  Every difference becomes a ``Change`` of one kind from ``kinds.KINDS``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..check.walk import obj
from .kinds import KINDS

Json = dict[str, Any]
MAX_DEPTH = 40  # deeper schemas than this are compared as a whole (guards pathological nesting)
VISIBILITY_ORDER = {"important": 0, None: 1, "none": 1, "": 1, "advanced": 2, "internal": 3}
TEXT_SUMMARY = {"summary", "x-ms-summary", "title"}
TEXT_DESCRIPTION = {"description", "x-ms-trigger-hint"}
EXAMPLES = {"example", "x-example", "x-ms-test-value", "examples"}
DROPDOWN = {"x-ms-dynamic-values", "x-ms-dynamic-list"}
DYNAMIC_SCHEMA = {"x-ms-dynamic-schema", "x-ms-dynamic-properties"}


@dataclass
class Change:
    kind: str
    operation: str | None
    location: str
    old: Any = None
    new: Any = None
    acknowledged: str | None = None  # the reviewer's reason, when an acknowledgement covers this change

    @property
    def severity(self) -> str:
        return KINDS[self.kind].severity

    @property
    def message(self) -> str:
        return KINDS[self.kind].message

    def as_json(self) -> Json:
        out = {"severity": self.severity, "kind": self.kind, "operation": self.operation, "location": self.location,
               "old": self.old, "new": self.new, "message": self.message}
        if self.acknowledged is not None:
            out["acknowledged"] = self.acknowledged
        return out


@dataclass
class Side:
    """One side of a diff: the Swagger definition and apiProperties (either may be empty)."""

    shown: str
    definition: Json
    properties: Json = field(default_factory=dict)


def diff(old: Side, new: Side) -> list[Change]:
    d = _Differ(old.definition, new.definition)
    d.connector()
    d.operations()
    _properties(old.properties, new.properties, d.changes)
    return d.changes


# --- references --------------------------------------------------------------------------------


class _Doc:
    def __init__(self, doc: Json):
        self.doc = doc if isinstance(doc, dict) else {}

    def resolve(self, node: Any, seen: frozenset = frozenset()) -> tuple[Any, frozenset]:
        """Follow $ref chains; a ref already on the path is returned as a marker, not followed again."""
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                return {"$recursive": ref}, seen
            seen = seen | {ref}
            target = self._pointer(ref)
            if target is None:
                return {"$unresolved": ref}, seen
            if len(node) > 1:  # siblings of $ref (x-ms-summary, description) overlay the target
                target = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            node = target
        return node, seen

    def _pointer(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            return None
        node: Any = self.doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        return node


def _short(value: Any) -> Any:
    """A value small enough for a table cell: scalars as they are, structures summarised."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return value if len(value) <= 120 else value[:117] + "..."
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value if len(text) <= 120 else text[:117] + "..."


def _type_of(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return None
    if "type" in schema:
        return schema["type"]
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return None


# --- the connector and its operations ---------------------------------------------------------


@dataclass
class _Op:
    id: str
    method: str
    path: str
    node: Json
    item: Json  # the path item (path-level parameters, x-ms-notification-content)


class _Differ:
    def __init__(self, old: Json, new: Json):
        self.old = _Doc(old)
        self.new = _Doc(new)
        self.changes: list[Change] = []

    # connector level

    def connector(self) -> None:
        o, n = self.old.doc, self.new.doc
        oi, ni = obj(o.get("info")), obj(n.get("info"))
        for key in sorted(set(oi) | set(ni)):
            if oi.get(key) != ni.get(key):
                kind = ("summary-changed" if key == "title" else "description-changed" if key == "description"
                        else "metadata-changed")
                self.add(kind, None, f"info/{key}", oi.get(key), ni.get(key))
        for key in ("host", "basePath", "schemes"):
            if o.get(key) != n.get(key):
                self.add("host-changed", None, key, o.get(key), n.get(key))
        for key in ("securityDefinitions", "security"):
            if (o.get(key) or None) != (n.get(key) or None):
                self.add_structural("connection-changed", None, key, o.get(key), n.get(key))
        for key in ("x-ms-connector-metadata", "tags"):
            if o.get(key) != n.get(key):
                self.add("metadata-changed", None, key, o.get(key), n.get(key))
        handled = {"swagger", "info", "host", "basePath", "schemes", "securityDefinitions", "security",
                   "x-ms-connector-metadata", "tags", "paths", "definitions", "parameters", "responses",
                   "consumes", "produces"}
        for key in sorted((set(o) | set(n)) - handled):
            if o.get(key) != n.get(key):
                self.add_structural("extension-changed", None, key, o.get(key), n.get(key))

    def operations(self) -> None:
        old_ops, new_ops = _operations(self.old.doc), _operations(self.new.doc)
        by_request_new = {(op.method, op.path): op for op in new_ops.values()}
        renamed_to: set[str] = set()
        for oid, op in old_ops.items():
            if oid in new_ops:
                continue
            twin = by_request_new.get((op.method, op.path))
            if twin is not None and twin.id not in old_ops:
                self.add("operation-id-changed", oid, "operationId", oid, twin.id)
                renamed_to.add(twin.id)
                self.operation(op, twin)  # and whatever else changed in it, under its old id
            else:
                self.add("operation-removed", oid, "", f"{op.method.upper()} {op.path}", None)
        for nid, op in new_ops.items():
            if nid not in old_ops and nid not in renamed_to:
                self.add("operation-added", nid, "", None, f"{op.method.upper()} {op.path}")
        for oid, op in old_ops.items():
            if oid in new_ops:
                self.operation(op, new_ops[oid])

    def operation(self, o: _Op, n: _Op) -> None:
        opid = o.id
        if (o.method, o.path) != (n.method, n.path):
            self.add("operation-request-changed", opid, "request", f"{o.method.upper()} {o.path}", f"{n.method.upper()} {n.path}")
        on, nn = o.node, n.node
        for key in ("summary", "x-ms-summary", "description", "x-ms-trigger-hint"):
            if on.get(key) != nn.get(key):
                self.add("summary-changed" if key in TEXT_SUMMARY else "description-changed", opid, key, on.get(key), nn.get(key))
        ov, nv = on.get("x-ms-visibility"), nn.get("x-ms-visibility")
        if ov != nv:
            if nv == "internal":
                self.add("operation-hidden", opid, "x-ms-visibility", ov, nv)
            else:
                self._visibility(opid, "x-ms-visibility", ov, nv)
        if bool(on.get("deprecated")) != bool(nn.get("deprecated")):
            self.add("operation-deprecated" if nn.get("deprecated") else "operation-undeprecated", opid, "deprecated",
                     bool(on.get("deprecated")), bool(nn.get("deprecated")))
        if on.get("x-ms-trigger") != nn.get("x-ms-trigger"):
            self.add("trigger-kind-changed", opid, "x-ms-trigger", on.get("x-ms-trigger"), nn.get("x-ms-trigger"))
        if on.get("x-ms-trigger-metadata") != nn.get("x-ms-trigger-metadata"):
            self.add_structural("trigger-kind-changed", opid, "x-ms-trigger-metadata", on.get("x-ms-trigger-metadata"), nn.get("x-ms-trigger-metadata"))
        if on.get("tags") != nn.get("tags"):
            self.add("metadata-changed", opid, "tags", on.get("tags"), nn.get("tags"))
        handled = {"summary", "x-ms-summary", "description", "x-ms-trigger-hint", "x-ms-visibility", "deprecated", "x-ms-trigger",
                   "tags", "operationId", "parameters", "responses", "consumes", "produces", "x-ms-api-annotation",
                   "x-ms-trigger-metadata"}
        for key in sorted((set(on) | set(nn)) - handled):
            if on.get(key) != nn.get(key):
                if key in EXAMPLES:
                    self.add("example-changed", opid, key, on.get(key), nn.get(key))
                else:
                    self.add_structural("extension-changed", opid, key, on.get(key), nn.get(key))
        for key in ("consumes", "produces", "x-ms-api-annotation"):
            if on.get(key) != nn.get(key):
                self.add("metadata-changed" if key == "x-ms-api-annotation" else "extension-changed", opid, key, on.get(key), nn.get(key))
        self.parameters(o, n)
        self.responses(o, n)
        self.notification(o, n)

    def _visibility(self, opid: str | None, location: str, old: Any, new: Any) -> None:
        lo = VISIBILITY_ORDER.get(old, 1) if isinstance(old, str) or old is None else 1
        ln = VISIBILITY_ORDER.get(new, 1) if isinstance(new, str) or new is None else 1
        if ln > lo:
            self.add("visibility-lowered", opid, location, old, new)
        elif ln < lo:
            self.add("visibility-raised", opid, location, old, new)

    # parameters

    def parameters(self, o: _Op, n: _Op) -> None:
        op = o.id
        old_params = _params(self.old, o)
        new_params = _params(self.new, n)
        for key, (p, seen) in old_params.items():
            where = _param_location(key)
            if key not in new_params:
                self.add("input-removed", op, where, _describe(p), None)
                continue
            q, qseen = new_params[key]
            if key[1] == "body":
                if p.get("name") != q.get("name"):
                    self.add("input-removed", op, where, p.get("name"), q.get("name"))
                self._required(op, where, bool(p.get("required")), bool(q.get("required")))
                self._text(op, where, p, q, ("description", "x-ms-summary"))
                self.schema(p.get("schema") or {}, q.get("schema") or {}, op, where, "input", seen, qseen, 0)
                continue
            self._required(op, where, bool(p.get("required")), bool(q.get("required")))
            strip = ("name", "in", "required")
            self.schema({k: v for k, v in p.items() if k not in strip}, {k: v for k, v in q.items() if k not in strip},
                        op, where, "input", seen, qseen, 0)
        for key, (q, _) in new_params.items():
            if key not in old_params:
                kind = "required-input-added" if q.get("required") and not _has_default(q) else "optional-input-added"
                self.add(kind, op, _param_location(key), None, _describe(q))

    def _required(self, op: str, where: str, old: bool, new: bool) -> None:
        if old != new:
            self.add("input-became-required" if new else "input-became-optional", op, where, old, new)

    def _text(self, op: str | None, where: str, o: Json, n: Json, keys) -> None:
        for key in keys:
            if o.get(key) != n.get(key):
                kind = "summary-changed" if key in TEXT_SUMMARY else "description-changed"
                self.add(kind, op, f"{where}/{key}" if where else key, o.get(key), n.get(key))

    # schemas (inputs and outputs)

    def schema(self, o: Any, n: Any, op: str | None, where: str, mode: str, oseen: frozenset, nseen: frozenset, depth: int) -> None:
        o, oseen = self.old.resolve(o, oseen)
        n, nseen = self.new.resolve(n, nseen)
        if not isinstance(o, dict) or not isinstance(n, dict):
            if o != n:
                self.add("input-type-changed" if mode == "input" else "output-type-changed", op, where, _short(o), _short(n))
            return
        if "$recursive" in o or "$recursive" in n:
            return  # compared where the recursion started
        if depth > MAX_DEPTH:
            return
        ot, nt = _type_of(o), _type_of(n)
        output_kinds = mode != "input"
        if ot != nt:
            self.add(f"{'output' if output_kinds else 'input'}-type-changed", op, where, ot, nt)
            if ot is not None and nt is not None:
                return  # a different type: its old fields are not "removed" one by one
        if o.get("format") != n.get("format"):
            self.add(f"{'output' if output_kinds else 'input'}-format-changed", op, where, o.get("format"), n.get("format"))
        self._enum(o, n, op, where, mode)
        if o.get("default") != n.get("default"):
            self.add("default-changed" if mode == "input" else "output-changed", op, f"{where}/default", o.get("default"), n.get("default"))
        ov, nv = o.get("x-ms-visibility"), n.get("x-ms-visibility")
        if ov != nv:
            self._visibility(op, f"{where}/x-ms-visibility", ov, nv)
        for key in sorted(TEXT_SUMMARY | TEXT_DESCRIPTION):
            if o.get(key) != n.get(key):
                self.add("summary-changed" if key in TEXT_SUMMARY else "description-changed", op, f"{where}/{key}", o.get(key), n.get(key))
        for key in sorted(EXAMPLES):
            if o.get(key) != n.get(key):
                self.add("example-changed", op, f"{where}/{key}", o.get(key), n.get(key))
        for key in sorted(DROPDOWN):
            if o.get(key) != n.get(key):
                self.add("dropdown-changed", op, f"{where}/{key}", o.get(key), n.get(key))
        for key in sorted(DYNAMIC_SCHEMA):
            if o.get(key) != n.get(key):
                self.add("dynamic-schema-changed", op, f"{where}/{key}", o.get(key), n.get(key))
        handled = ({"type", "format", "enum", "x-ms-enum-values", "x-ms-enum", "default", "x-ms-visibility", "properties",
                    "required", "items", "additionalProperties", "$ref", "allOf"}
                   | TEXT_SUMMARY | TEXT_DESCRIPTION | EXAMPLES | DROPDOWN | DYNAMIC_SCHEMA)
        for key in sorted((set(o) | set(n)) - handled):
            if o.get(key) != n.get(key):
                self.add("constraint-changed" if mode == "input" else "output-changed", op, f"{where}/{key}", o.get(key), n.get(key))
        # structure
        oprops, nprops = _properties_of(self.old, o, oseen), _properties_of(self.new, n, nseen)
        oreq, nreq = _required_of(o), _required_of(n)
        for name, (sub, sseen) in oprops.items():
            loc = f"{where}/{name}"
            if name not in nprops:
                self.add(self._kind(mode, "removed"), op, loc, _describe(self.old.resolve(sub, sseen)[0]), None)
                continue
            if mode == "input":
                self._required(op, loc, name in oreq, name in nreq)
            nsub, nsseen = nprops[name]
            self.schema(sub, nsub, op, loc, mode, sseen, nsseen, depth + 1)
        for name, (sub, sseen) in nprops.items():
            if name not in oprops:
                loc = f"{where}/{name}"
                resolved = self.new.resolve(sub, sseen)[0]
                if mode == "input":
                    kind = "required-input-added" if name in nreq and not _has_default(resolved) else "optional-input-added"
                else:
                    kind = "output-added"
                self.add(kind, op, loc, None, _describe(resolved))
        if "items" in o or "items" in n:
            if "items" in o and "items" in n:
                self.schema(o["items"], n["items"], op, f"{where}/[]", mode, oseen, nseen, depth + 1)
            elif o.get("items") != n.get("items"):
                self.add(f"{'output' if output_kinds else 'input'}-type-changed", op, f"{where}/[]", _describe(o.get("items")), _describe(n.get("items")))
        oa, na = o.get("additionalProperties"), n.get("additionalProperties")
        if isinstance(oa, dict) and isinstance(na, dict):
            self.schema(oa, na, op, f"{where}/*", mode, oseen, nseen, depth + 1)
        elif oa != na:
            self.add("constraint-changed" if mode == "input" else "output-changed", op, f"{where}/additionalProperties", oa, na)

    def _kind(self, mode: str, what: str) -> str:
        return f"{'input' if mode == 'input' else 'output'}-{what}"

    def add(self, kind: str, op: str | None, location: str, old: Any = None, new: Any = None) -> None:
        if self._notification_mode and kind in ("output-removed", "output-type-changed", "output-format-changed"):
            kind = "notification-schema-changed"
        self.changes.append(Change(kind, op, location, _short(old), _short(new)))

    _notification_mode = False

    def add_structural(self, kind: str, op: str | None, location: str, old: Any, new: Any) -> None:
        """A change of an opaque value: display-only when only its display strings differ."""
        if _strip_display(old) == _strip_display(new):
            self.add("description-changed", op, location, old, new)
        else:
            self.add(kind, op, location, old, new)

    def _enum(self, o: Json, n: Json, op: str | None, where: str, mode: str) -> None:
        oe, ne = o.get("enum"), n.get("enum")
        if oe == ne:
            pass
        elif mode != "input":
            self.add("output-changed", op, f"{where}/enum", oe, ne)
        elif oe is None:
            self.add("input-enum-introduced", op, f"{where}/enum", None, ne)
        elif ne is None:
            self.add("input-enum-removed", op, f"{where}/enum", oe, None)
        else:
            removed = [v for v in oe if v not in ne]
            added = [v for v in ne if v not in oe]
            for v in removed:
                self.add("input-enum-value-removed", op, f"{where}/enum", v, None)
            for v in added:
                self.add("input-enum-value-added", op, f"{where}/enum", None, v)
        # display names of enum values, matched by value
        od = {json.dumps(e.get("value"), sort_keys=True): e for e in (o.get("x-ms-enum-values") or []) if isinstance(e, dict)}
        nd = {json.dumps(e.get("value"), sort_keys=True): e for e in (n.get("x-ms-enum-values") or []) if isinstance(e, dict)}
        for value in od.keys() & nd.keys():
            if od[value].get("displayName") != nd[value].get("displayName"):
                self.add("summary-changed", op, f"{where}/x-ms-enum-values/{json.loads(value)}", od[value].get("displayName"), nd[value].get("displayName"))
        if o.get("x-ms-enum") != n.get("x-ms-enum"):
            self.add("extension-changed" if mode == "input" else "output-changed", op, f"{where}/x-ms-enum", o.get("x-ms-enum"), n.get("x-ms-enum"))

    # responses and notifications

    def responses(self, o: _Op, n: _Op) -> None:
        op = o.id
        ors, nrs = o.node.get("responses") or {}, n.node.get("responses") or {}
        if not isinstance(ors, dict) or not isinstance(nrs, dict):
            return
        for code in sorted(set(ors) | set(nrs)):
            where = f"response/{code}"
            if code not in nrs:
                self.add("success-response-removed" if _success(code) else "error-response-removed", op, where, code, None)
                continue
            if code not in ors:
                self.add("response-added", op, where, None, code)
                continue
            (r, rs), (s, ss) = self.old.resolve(ors[code]), self.new.resolve(nrs[code])
            if not isinstance(r, dict) or not isinstance(s, dict):
                continue
            for key in ("description", "x-ms-summary"):
                if r.get(key) != s.get(key):
                    self.add("summary-changed" if key in TEXT_SUMMARY else "description-changed", op, f"{where}/{key}", r.get(key), s.get(key))
            if "schema" in r and "schema" not in s:
                self.add("output-removed" if _success(code) else "output-changed", op, f"{where}/schema", _describe(self.old.resolve(r["schema"], rs)[0]), None)
            elif "schema" in s and "schema" not in r:
                self.add("output-added" if _success(code) else "output-changed", op, f"{where}/schema", None, _describe(self.new.resolve(s["schema"], ss)[0]))
            elif "schema" in r:
                if _success(code):
                    self.schema(r["schema"], s["schema"], op, where, "output", rs, ss, 0)
                else:  # an error response: one change for the whole schema
                    a, b = _expand(self.old, r["schema"], rs, 0), _expand(self.new, s["schema"], ss, 0)
                    if a != b:
                        structural = _strip_display(a) != _strip_display(b)
                        self.add("output-changed" if structural else "description-changed", op, f"{where}/schema", _describe(a), _describe(b))
            for key in sorted((set(r) | set(s)) - {"description", "x-ms-summary", "schema"}):
                if r.get(key) != s.get(key):
                    self.add_structural("output-changed", op, f"{where}/{key}", r.get(key), s.get(key))

    def notification(self, o: _Op, n: _Op) -> None:
        oc, nc = o.item.get("x-ms-notification-content"), n.item.get("x-ms-notification-content")
        if oc is None and nc is None:
            return
        op, where = o.id, "notification"
        if oc is None or nc is None or not isinstance(oc, dict) or not isinstance(nc, dict):
            if oc != nc:
                self.add("notification-schema-changed", op, where, _describe(oc), _describe(nc))
            return
        if oc.get("description") != nc.get("description"):
            self.add("description-changed", op, f"{where}/description", oc.get("description"), nc.get("description"))
        self._notification_mode = True
        try:
            self.schema(oc.get("schema") or {}, nc.get("schema") or {}, op, where, "notification", frozenset(), frozenset(), 0)
        finally:
            self._notification_mode = False


def _expand(doc: _Doc, node: Any, seen: frozenset, depth: int) -> Any:
    node, seen = doc.resolve(node, seen)
    if depth > MAX_DEPTH:
        return None
    if isinstance(node, dict):
        return {k: _expand(doc, v, seen, depth + 1) for k, v in node.items()}
    if isinstance(node, list):
        return [_expand(doc, v, seen, depth + 1) for v in node]
    return node


DISPLAY_KEYS = {"summary", "description", "x-ms-summary", "title", "displayName", "tooltip", "x-ms-trigger-hint"}


def _strip_display(value: Any, parent: str | None = None) -> Any:
    """value without its display strings, to tell a structural change from a reworded one."""
    if isinstance(value, dict):
        return {k: _strip_display(v, k) for k, v in value.items()
                if not (k in DISPLAY_KEYS and isinstance(v, str) and parent != "properties")}
    if isinstance(value, list):
        return [_strip_display(v) for v in value]
    return value


def _success(code: str) -> bool:
    return str(code) == "default" or str(code).startswith("2")


def _has_default(node: Any) -> bool:
    return isinstance(node, dict) and "default" in node


def _describe(node: Any) -> Any:
    """What a removed or added input/output was, in a word: its type (and format)."""
    if not isinstance(node, dict):
        return _short(node)
    if "$recursive" in node:
        return node["$recursive"]
    if node.get("in") == "body" and "schema" in node:
        return "body"
    t = _type_of(node) or "any"
    return f"{t} ({node['format']})" if node.get("format") else t


def _properties_of(doc: _Doc, schema: Json, seen: frozenset) -> dict[str, tuple[Any, frozenset]]:
    """The properties of a schema, allOf parts merged in (each with the refs seen on its way)."""
    out: dict[str, tuple[Any, frozenset]] = {}
    for part in schema.get("allOf") or []:
        part, pseen = doc.resolve(part, seen)
        if isinstance(part, dict) and "$recursive" not in part:
            out.update(_properties_of(doc, part, pseen))
    props = schema.get("properties")
    if isinstance(props, dict):
        for name, sub in props.items():
            out[name] = (sub, seen)
    return out


def _required_of(schema: Json) -> set[str]:
    req = schema.get("required")
    return {r for r in req if isinstance(r, str)} if isinstance(req, list) else set()


def _param_location(key: tuple[str, str]) -> str:
    name, where = key
    return "body" if where == "body" else f"{where}/{name}"


def _params(doc: _Doc, op: _Op) -> dict[tuple[str, str], tuple[Json, frozenset]]:
    out: dict[tuple[str, str], tuple[Json, frozenset]] = {}
    for source in (op.item.get("parameters"), op.node.get("parameters")):  # operation-level ones win
        for p in source if isinstance(source, list) else []:
            p, seen = doc.resolve(p)
            if not isinstance(p, dict) or "$unresolved" in p:
                continue
            where = p.get("in", "")
            key = ("", "body") if where == "body" else (str(p.get("name", "")), str(where))
            out[key] = (p, seen)
    return out


def _operations(doc: Json) -> dict[str, _Op]:
    out: dict[str, _Op] = {}
    paths = doc.get("paths") if isinstance(doc, dict) else None
    if not isinstance(paths, dict):
        return out
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method, node in item.items():
            if method.lower() not in ("get", "put", "post", "delete", "options", "head", "patch") or not isinstance(node, dict):
                continue
            opid = node.get("operationId")
            key = opid if isinstance(opid, str) and opid and opid not in out else f"{method.upper()} {path}"
            out[key] = _Op(key, method.lower(), path, node, item)
    return out


# --- apiProperties ---------------------------------------------------------------------------------


def _properties(old: Json, new: Json, changes: list[Change]) -> None:
    o = obj(obj(old).get("properties"))
    n = obj(obj(new).get("properties"))
    if not isinstance(o, dict) or not isinstance(n, dict):
        return

    def add(kind, location, a=None, b=None):
        if kind in KINDS and KINDS[kind].severity != "display-only" and a is not None and b is not None \
                and _strip_display(a) == _strip_display(b):
            kind = "description-changed"  # only display strings differ inside it
        changes.append(Change(kind, None, location, _short(a), _short(b)))

    oc, nc = obj(o.get("connectionParameters")), obj(n.get("connectionParameters"))
    for name in sorted(set(oc) | set(nc)):
        where = f"connectionParameters/{name}"
        if name not in nc or name not in oc:
            add("connection-changed", where, _describe(oc.get(name)), _describe(nc.get(name)))
            continue
        a, b = oc[name], nc[name]
        if not isinstance(a, dict) or not isinstance(b, dict):
            if a != b:
                add("connection-changed", where, a, b)
            continue
        aui, bui = obj(a.get("uiDefinition")), obj(b.get("uiDefinition"))
        for key in ("displayName", "description", "tooltip"):
            if aui.get(key) != bui.get(key):
                add("summary-changed" if key == "displayName" else "description-changed", f"{where}/uiDefinition/{key}", aui.get(key), bui.get(key))
        rest_a = {**a, "uiDefinition": {k: v for k, v in aui.items() if k not in ("displayName", "description", "tooltip")}}
        rest_b = {**b, "uiDefinition": {k: v for k, v in bui.items() if k not in ("displayName", "description", "tooltip")}}
        for key in sorted(set(rest_a) | set(rest_b)):
            if rest_a.get(key) != rest_b.get(key):
                add("connection-changed", f"{where}/{key}", rest_a.get(key), rest_b.get(key))
    for key in sorted((set(o) | set(n)) - {"connectionParameters"}):
        if o.get(key) == n.get(key):
            continue
        if key == "scriptOperations":
            add("script-changed", key, o.get(key), n.get(key))
        elif key == "policyTemplateInstances":
            add("policy-changed", key, o.get(key), n.get(key))
        elif key == "connectionParameterSets":
            add("connection-changed", key, o.get(key), n.get(key))
        elif key in ("iconBrandColor", "publisher", "stackOwner", "capabilities", "termsOfUse"):
            add("metadata-changed", key, o.get(key), n.get(key))
        else:
            add("extension-changed", key, o.get(key), n.get(key))
