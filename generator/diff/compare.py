"""Compare two connectors (Swagger definition + apiProperties) the way a flow sees them.

Actions are matched by operationId, parameters by name and location, body and output properties by
their path; ``$ref``s are resolved before comparing, so moving a schema into ``definitions`` is no
change.  Every difference becomes a ``Change`` of one kind from ``kinds.KINDS``, carrying the action's
and the field's display names (the operation's summary, the field's x-ms-summary) as the designer shows them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .. import agents
from ..check.walk import obj
from ..pointer import value_at
from .connection import compare_properties, compare_settings, policy_values
from .kinds import CERT_OUTPUT_FORMAT, KINDS

Json = dict[str, Any]
MAX_DEPTH = 40  # deeper schemas than this are compared as a whole (guards pathological nesting)
VISIBILITY_ORDER = {"important": 0, None: 1, "none": 1, "": 1, "advanced": 2, "internal": 3}
TEXT_SUMMARY = {"summary", "x-ms-summary", "title"}
TEXT_DESCRIPTION = {"description", "x-ms-trigger-hint"}
EXAMPLES = {"example", "x-example", "x-ms-test-value", "examples"}
DROPDOWN = {"x-ms-dynamic-values", "x-ms-dynamic-list"}
DYNAMIC_SCHEMA = {"x-ms-dynamic-schema", "x-ms-dynamic-properties"}
MEDIA_TYPES = ("consumes", "produces")
# formats from narrow to wide; None (no format) is the widest
WIDENING = {"integer": ("int32", "int64", None), "number": ("float", "double", None)}
PROPERTIES_FILE = "apiProperties.json"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch")


@dataclass
class Change:
    kind: str
    operation: str | None
    location: str
    old: Any = None
    new: Any = None
    acknowledged: str | None = None  # the reviewer's reason, when an acknowledgement covers this change
    operation_summary: str | None = None  # the action's name in the designer
    field_summary: str | None = None  # the field's x-ms-summary
    certification: str | None = None  # Microsoft's change validator's message, where it is known to object
    detail: str | None = None  # why this change got its kind, when the kind alone does not say

    def __post_init__(self) -> None:
        if self.certification is None:
            self.certification = KINDS[self.kind].certification

    @property
    def severity(self) -> str:
        return KINDS[self.kind].severity

    @property
    def breaks_flows(self) -> bool:
        return self.severity == "breaking"

    @property
    def message(self) -> str:
        return KINDS[self.kind].message

    def as_json(self) -> Json:
        out = {"severity": self.severity, "kind": self.kind, "operation": self.operation,
               "operation_summary": self.operation_summary, "location": self.location,
               "field_summary": self.field_summary, "old": self.old, "new": self.new, "message": self.message,
               "breaks_flows": self.breaks_flows, "certification": self.certification}
        if self.detail:
            out["detail"] = self.detail
        if self.acknowledged is not None:
            out["acknowledged"] = self.acknowledged
        return out


@dataclass
class Side:
    """One side of a diff: the Swagger definition and apiProperties (either may be empty).

    `unreadable` is where and why apiProperties.json could not be read: the definition is still compared.
    """

    shown: str
    definition: Json
    properties: Json = field(default_factory=dict)
    unreadable: str | None = None
    settings: Json | None = None  # paconn's settings.json (where deploy sends it); None when the side has none


def diff(old: Side, new: Side) -> list[Change]:
    """Every change from OLD to NEW, for one connector."""
    d = _Differ(old.definition, new.definition, policy_values(old.properties), policy_values(new.properties))
    d.connector()
    d.operations()
    if old.unreadable or new.unreadable:
        d.changes.append(Change("properties-unreadable", None, PROPERTIES_FILE, old.unreadable, new.unreadable))
    else:
        compare_properties(old.properties, new.properties, d.add_property)
    if old.settings is not None and new.settings is not None:
        compare_settings(old.settings, new.settings, d.add_property)
    d.internal_operations()
    for change in d.changes:
        change.operation_summary = d.titles.get(change.operation or "")
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

    def follow(self, node: Any) -> tuple[Any, str | None]:
        """Follow a $ref chain to its schema: (schema, the last ref followed, or None when inline).

        A chain that comes back to itself never reaches a schema: it is {"$cycle": ref}, a value of its own.
        """
        chain: list[str] = []
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in chain:
                return {"$cycle": ref}, ref
            chain.append(ref)
            target = self._pointer(ref)
            if target is None:
                return {"$unresolved": ref}, ref
            if len(node) > 1:  # siblings of $ref (x-ms-summary, description) overlay the target
                target = {**target, **{k: v for k, v in node.items() if k != "$ref"}} if isinstance(target, dict) else target
            node = target
        return node, (chain[-1] if chain else None)

    def _pointer(self, ref: str) -> Any:
        return value_at(self.doc, ref) if ref.startswith("#/") else None


def _declares_nothing(schema: Any) -> bool:
    """An empty schema (`{}`, or only display strings and examples): no type, no field, no constraint."""
    return isinstance(schema, dict) and not _marker(schema) and not (set(_strip_display(schema)) - EXAMPLES)


def _items_of(schema: Json) -> Any:
    """What an array holds, as the designer reads it: its `items`, or items of any type (`{}`) for an array or an
    untyped schema without them; None for a schema of another type (its own type change says what changed)."""
    if "items" in schema:
        return schema["items"]
    return {} if _type_of(schema) in ("array", None) else None


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


def _marker(node: Any) -> bool:
    """A $ref that leads nowhere or only to itself: compared as a value, it has no fields."""
    return isinstance(node, dict) and ("$cycle" in node or "$unresolved" in node)


def _summary(node: Any) -> str | None:
    value = node.get("x-ms-summary") if isinstance(node, dict) else None
    return value if isinstance(value, str) and value else None


def _widens(type_: Any, old: Any, new: Any) -> bool:
    """int32 -> int64, float -> double (whatever the declared type: the corpus has `number` and even `string`
    with int32), or a format added to (or dropped from) an integer or number."""
    for order in WIDENING.values():
        if old in order and new in order and (old is not None and new is not None or type_ in WIDENING):
            return old is None or order.index(new) >= order.index(old)
    return False


# --- the connector and its operations ---------------------------------------------------------


@dataclass
class _Op:
    id: str
    method: str
    path: str
    node: Json
    item: Json  # the path item (path-level parameters, x-ms-notification-content)
    url: str = ""  # basePath + path: what is sent, wherever the prefix is declared

    @property
    def internal(self) -> bool:
        return self.node.get("x-ms-visibility") == "internal"

    @property
    def trigger(self) -> bool:
        return "x-ms-trigger" in self.node


class _Differ:
    def __init__(self, old: Json, new: Json, old_policies: list | None = None, new_policies: list | None = None):
        self.old = _Doc(old)
        self.new = _Doc(new)
        self.old_policies, self.new_policies = old_policies or [], new_policies or []
        self.changes: list[Change] = []
        self.titles: dict[str, str] = {}  # operation key -> its summary (NEW's, else OLD's)
        self.old_ops: dict[str, _Op] = {}

    # connector level

    def connector(self) -> None:
        o, n = self.old.doc, self.new.doc
        oi, ni = obj(o.get("info")), obj(n.get("info"))
        for key in sorted(set(oi) | set(ni)):
            if oi.get(key) != ni.get(key):
                kind = ("summary-changed" if key == "title" else "description-changed" if key == "description"
                        else "metadata-changed")
                self.add(kind, None, f"info/{key}", oi.get(key), ni.get(key))
        servers = sorted({op.id for doc in (o, n) for op in _operations(doc).values() if agents.is_mcp(op.node)})
        for key in ("host", "schemes"):  # basePath is compared as part of each operation's URL
            if o.get(key) != n.get(key):
                self.add("host-changed", None, key, o.get(key), n.get(key))
                if servers:
                    self.changes[-1].detail = f"agents reach the MCP server {', '.join(servers)} at the new address"
        if not _operations(o) and not _operations(n) and o.get("basePath") != n.get("basePath"):
            self.add("host-changed", None, "basePath", o.get("basePath"), n.get("basePath"))
        before = len(self.changes)
        renamed = self.security(obj(o.get("securityDefinitions")), obj(n.get("securityDefinitions")))
        if (_requirements(o.get("security"), renamed) or None) != (n.get("security") or None):
            self.add_structural("connection-changed", None, "security", o.get("security"), n.get("security"))
        for change in self.changes[before:]:
            if change.kind == "connection-changed" and servers:
                change.detail = f"agents connect to the MCP server {', '.join(servers)} through these connections too"
        for key in ("x-ms-connector-metadata", "tags"):
            if o.get(key) != n.get(key):
                self.add("metadata-changed", None, key, o.get(key), n.get(key))
        for key in MEDIA_TYPES:
            if o.get(key) != n.get(key):
                self.add("media-type-changed", None, key, o.get(key), n.get(key))
        om, nm = o.get(agents.AI_MANIFEST), n.get(agents.AI_MANIFEST)
        if isinstance(om, dict) and isinstance(nm, dict):  # read by Copilot: its name and model description are what agents read
            for key in [*om, *(k for k in nm if k not in om)]:
                if om.get(key) != nm.get(key):
                    kind = "agent-description-changed" if key in ("humanName", "modelDescription") else "metadata-changed"
                    self.add(kind, None, f"{agents.AI_MANIFEST}/{key}", om.get(key), nm.get(key))
        handled = {"swagger", "info", "host", "basePath", "schemes", "securityDefinitions", "security",
                   "x-ms-connector-metadata", "tags", "paths", "definitions", "parameters", "responses", *MEDIA_TYPES}
        if isinstance(om, dict) and isinstance(nm, dict):
            handled.add(agents.AI_MANIFEST)
        for key in sorted((set(o) | set(n)) - handled):
            if o.get(key) != n.get(key):
                self.add_structural("extension-changed", None, key, o.get(key), n.get(key))

    def security(self, o: Json, n: Json) -> dict[str, str]:
        """Security definitions as existing connections see them: an API-key header name in another letter case is
        the same header (HTTP header names are case-insensitive); an added OAuth scope is not asked of them; a
        definition renamed with the same content is the same scheme (connections see its type, place and header,
        never its name). Returns the renamed ones, {old name: new name}."""
        def content(name: str) -> str:
            scheme = o[name] if name in o else n[name]
            return json.dumps(_security_key(scheme), sort_keys=True) if isinstance(scheme, dict) else f"not a definition {name}"

        renamed = _renames(o, n, content)
        for old_name, new_name in renamed.items():
            self.add("metadata-changed", None, f"securityDefinitions/{old_name}", old_name, new_name)
            self.changes[-1].detail = "the security definition was renamed; connections see its type, place and header, not its name"
        pairs = [(name, name) for name in sorted(set(o) | set(n), key=str) if name not in renamed and name not in renamed.values()]
        for old_name, new_name in [*pairs, *renamed.items()]:
            a, b = o.get(old_name), n.get(new_name)
            where = f"securityDefinitions/{new_name}"
            if not isinstance(a, dict) or not isinstance(b, dict):
                if a != b:
                    self.add_structural("connection-changed", None, where, a, b)
                continue
            sa, sb = obj(a.get("scopes")), obj(b.get("scopes"))
            for scope in sorted(set(sa) - set(sb)):
                self.add("connection-changed", None, f"{where}/scopes", scope, None)
            for scope in sorted(set(sb) - set(sa)):
                self.add("connection-scope-added", None, f"{where}/scopes", None, scope)
            if _security_key(a) != _security_key(b):
                self.add_structural("connection-changed", None, where, a, b)
        return renamed

    def operations(self) -> None:
        old_ops, new_ops = _operations(self.old.doc), _operations(self.new.doc)
        self.old_ops = old_ops
        for ops in (old_ops, new_ops):
            for key, op in ops.items():
                summary = op.node.get("summary")
                if isinstance(summary, str) and summary.strip():
                    self.titles[key] = summary.strip()
        by_request_new = {(op.method, op.url): op for op in new_ops.values()}
        renamed_to: set[str] = set()
        for oid, op in old_ops.items():
            if oid in new_ops:
                continue
            twin = by_request_new.get((op.method, op.url))
            if twin is not None and twin.id not in old_ops:
                self.add("operation-id-changed", oid, "operationId", oid, twin.id)
                renamed_to.add(twin.id)
                folded = self._folded(op, twin)  # for existing flows the action is gone: its field changes are moot
                if folded:
                    self.changes[-1].detail = (f"{folded} other change{'s' if folded != 1 else ''} inside the action "
                                               "are folded under this one")
            else:
                self.add("operation-removed", oid, "", f"{op.method.upper()} {op.path}", None)
                if agents.is_mcp(op.node):
                    self.changes[-1].detail = "it was an MCP server: agents that use it lose every tool it listed"
                elif agents.ai_enabled(op.node):
                    self.changes[-1].detail = "it was an AI action: Copilot and agents can no longer call it"
        for nid, op in new_ops.items():
            if nid not in old_ops and nid not in renamed_to:
                self.add("operation-added", nid, "", None, f"{op.method.upper()} {op.path}")
        for oid, op in old_ops.items():
            if oid in new_ops:
                self.operation(op, new_ops[oid])

    def _folded(self, o: _Op, n: _Op) -> int:
        """How many changes comparing the two would report (not reported: they are folded under the removal)."""
        kept = self.changes
        self.changes = []
        try:
            self.operation(o, n)
            return sum(1 for c in self.changes if c.severity != "display-only")
        finally:
            self.changes = kept

    def operation(self, o: _Op, n: _Op) -> None:
        opid = o.id
        if o.method != n.method:
            self.add("operation-request-changed", opid, "request", f"{o.method.upper()} {o.url}", f"{n.method.upper()} {n.url}")
        elif o.url != n.url:
            moved = "mcp-endpoint-moved" if agents.is_mcp(o.node) or agents.is_mcp(n.node) else "operation-path-changed"
            self.add(moved, opid, "request", f"{o.method.upper()} {o.url}", f"{n.method.upper()} {n.url}")
        on, nn = o.node, n.node
        read_by_agents = agents.agent_facing(on) or agents.agent_facing(nn)
        for key in ("summary", "x-ms-summary", "description", "x-ms-trigger-hint"):
            if on.get(key) != nn.get(key):
                kind = "summary-changed" if key in TEXT_SUMMARY else "description-changed"
                if read_by_agents and key in ("summary", "description"):
                    kind = "agent-description-changed"
                self.add(kind, opid, key, on.get(key), nn.get(key))
        self.agents(opid, on, nn)
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
        for key in ("tags", "x-ms-api-annotation"):
            if on.get(key) != nn.get(key):
                self.add("metadata-changed", opid, key, on.get(key), nn.get(key))
        for key in MEDIA_TYPES:
            if on.get(key) != nn.get(key):
                self.add("media-type-changed", opid, key, on.get(key), nn.get(key))
        handled = {"summary", "x-ms-summary", "description", "x-ms-trigger-hint", "x-ms-visibility", "deprecated", "x-ms-trigger",
                   "tags", "operationId", "parameters", "responses", "x-ms-api-annotation", "x-ms-trigger-metadata",
                   agents.PROTOCOL, agents.AI_DATA, *MEDIA_TYPES}
        for key in sorted((set(on) | set(nn)) - handled):
            if on.get(key) != nn.get(key):
                if key in EXAMPLES:
                    self.add("example-changed", opid, key, on.get(key), nn.get(key))
                else:
                    self.add_structural("extension-changed", opid, key, on.get(key), nn.get(key))
        self.parameters(o, n)
        self.responses(o, n)
        self.notification(o, n)

    def agents(self, opid: str, on: Json, nn: Json) -> None:
        """What the operation is to agents: an MCP server (its transport), an AI action (offered, and whether Copilot asks
        before it runs it); anything else inside x-ms-openai-data is an extension change."""
        op_, np_ = agents.mcp_protocol(on), agents.mcp_protocol(nn)
        if on.get(agents.PROTOCOL) != nn.get(agents.PROTOCOL):
            if op_ is not None and np_ is None:
                self.add("mcp-server-removed", opid, agents.PROTOCOL, on.get(agents.PROTOCOL), None)
            elif op_ is None and np_ is not None:
                self.add("mcp-server-added", opid, agents.PROTOCOL, on.get(agents.PROTOCOL), np_)
            else:
                self.add("mcp-transport-changed", opid, agents.PROTOCOL, on.get(agents.PROTOCOL), nn.get(agents.PROTOCOL))
        od, nd = on.get(agents.AI_DATA), nn.get(agents.AI_DATA)
        if od == nd:
            return
        oe, ne = agents.ai_enabled(on), agents.ai_enabled(nn)
        oc, nc = agents.require_confirmation(on), agents.require_confirmation(nn)
        where, before = agents.AI_DATA, len(self.changes)
        if oe and not ne:
            self.add("ai-action-disabled", opid, where + "/openai-enabled", True, obj(nd).get("openai-enabled"))
        elif ne and not oe:
            self.add("ai-action-enabled", opid, where + "/openai-enabled", obj(od).get("openai-enabled"), True)
        if oc != nc and (oe or ne):
            self.add("ai-confirmation-changed", opid, where + "/x-ms-require-user-confirmation", oc, nc)
        if len(self.changes) == before or (isinstance(od, dict) and isinstance(nd, dict) and _ai_rest(od) != _ai_rest(nd)):
            self.add_structural("extension-changed", opid, where, od, nd)

    def internal_operations(self) -> None:
        """A change that would break an action, made to an operation that was internal: no saved flow calls it, so it
        is a warning naming the dropdowns (and dynamic schemas) it feeds."""
        feeds = _fed_by(self.old.doc, self.old_ops)
        for i, change in enumerate(self.changes):
            op = self.old_ops.get(change.operation or "")
            if op is None or not op.internal or change.severity != "breaking":
                continue
            fed = feeds.get(op.id) or []
            what = (f"it feeds {', '.join(fed[:10])}{f' and {len(fed) - 10} more' if len(fed) > 10 else ''}" if fed
                    else "no input of this connector names it (a webhook's unsubscribe, or a helper nothing uses)")
            self.changes[i] = Change("internal-operation-changed", change.operation, change.location, change.old, change.new,
                                     field_summary=change.field_summary, certification=change.certification,
                                     detail=f"{change.kind} in an internal operation; {what}")

    def _visibility(self, opid: str | None, location: str, old: Any, new: Any, title: str | None = None) -> None:
        lo = VISIBILITY_ORDER.get(old, 1) if isinstance(old, str) or old is None else 1
        ln = VISIBILITY_ORDER.get(new, 1) if isinstance(new, str) or new is None else 1
        if ln > lo:
            self.add("visibility-lowered", opid, location, old, new, title)
        elif ln < lo:
            self.add("visibility-raised", opid, location, old, new, title)

    # parameters

    def parameters(self, o: _Op, n: _Op) -> None:
        op = o.id
        old_params = _params(self.old, o)
        new_params = _params(self.new, n)
        renamed = _renames(old_params, new_params, lambda key: (key[0].lower(), key[1]))
        for key, p in old_params.items():
            where = _param_location(key)
            if key in renamed:
                q = new_params[renamed[key]]
                self.add("input-renamed", op, where, key[0], renamed[key][0], _summary(q) or _summary(p))
            elif key not in new_params:
                sent = _policy_sends(self.new_policies, op, key)
                if sent is not None and "default" in p and p.get("x-ms-visibility") == "internal":
                    if sent != p["default"]:  # the platform now sends another value in its place
                        self.add("default-changed", op, f"{where}/default", p["default"], sent, _summary(p))
                        self.changes[-1].detail = "the hidden input became a policy template that sends another value"
                    continue  # a hidden input with a default, now sent by a policy template: the same request
                self.add("input-removed", op, where, _describe(p), None, _summary(p))
                continue
            else:
                q = new_params[key]
            title = _summary(q) or _summary(p)
            if key[1] == "body":
                if not (self._required_param(self.new, q) and _body_always_sent(self.old, p)):
                    self._required(op, where, self._requirement(self.old, p), self._requirement(self.new, q), title)
                if p.get("name") != q.get("name") and not _platform_filled_body(self.old, p):
                    self.add("input-removed", op, where, p.get("name"), q.get("name"), title)
                    self.changes[-1].detail = "flows store a body field under the body parameter's name"
                self._text(op, where, p, q, ("description", "x-ms-summary"))
                self.schema(p.get("schema") or {}, q.get("schema") or {}, op, where, "input", frozenset(), 0)
                continue
            self._required(op, where, self._requirement(self.old, p), self._requirement(self.new, q), title)
            strip = ("name", "in", "required")
            self.schema({k: v for k, v in p.items() if k not in strip}, {k: v for k, v in q.items() if k not in strip},
                        op, where, "input", frozenset(), 0)
            self._fold_added_default(op, where)
        for key, q in new_params.items():
            if key not in old_params and key not in renamed.values():
                sent = _policy_sends(self.old_policies, op, key)
                if sent is not None and q.get("default") == sent and q.get("x-ms-visibility") == "internal":
                    continue  # a policy template's value, now a hidden input with the same default: the same request
                kind = "required-input-added" if self._required_param(self.new, q) else "optional-input-added"
                self.add(kind, op, _param_location(key), None, _describe(q), _summary(q))

    def _required_param(self, doc: _Doc, p: Json) -> bool:
        """Required and without a default: a required input with a default counts as optional (the platform sends it)."""
        required, default = self._requirement(doc, p)
        return required and not default

    def _requirement(self, doc: _Doc, p: Json) -> tuple[bool, Any]:
        """(required, its default or None): what decides whether a flow that left the input empty sends it."""
        schema = doc.follow(p.get("schema"))[0] if p.get("in") == "body" else p
        for node in (p, schema):
            if _has_default(node):
                return bool(p.get("required")), node["default"]
        return bool(p.get("required")), None

    def _required(self, op: str, where: str, old: Any, new: Any, title: str | None = None) -> None:
        """old and new are (required, default) pairs, or plain booleans (required without a default)."""
        (old_req, old_default), (new_req, new_default) = [r if isinstance(r, tuple) else (r, None) for r in (old, new)]
        old_eff, new_eff = old_req and old_default is None, new_req and new_default is None
        if old_eff != new_eff:
            self.add("input-became-required" if new_eff else "input-became-optional", op, where, old_eff, new_eff, title)
        elif not old_req and new_req:  # required now, with a default the platform sends for flows that left it empty
            self.add("input-required-with-default", op, where, old_default, new_default, title)
            self.changes[-1].detail = f"flows that left it empty now send the default {json.dumps(new_default)}"

    def _fold_added_default(self, op: str, where: str) -> None:
        """The default that came with making an input required is said by input-required-with-default: one finding."""
        made = any(c.kind == "input-required-with-default" and c.operation == op and c.location == where for c in self.changes)
        if made:
            self.changes = [c for c in self.changes if not (c.kind == "default-changed" and c.operation == op and c.old is None
                                                            and c.location == f"{where}/default")]

    def _text(self, op: str | None, where: str, o: Json, n: Json, keys) -> None:
        for key in keys:
            if o.get(key) != n.get(key):
                kind = "summary-changed" if key in TEXT_SUMMARY else "description-changed"
                self.add(kind, op, f"{where}/{key}" if where else key, o.get(key), n.get(key), _summary(n) or _summary(o))

    # schemas (inputs and outputs)

    def schema(self, o: Any, n: Any, op: str | None, where: str, mode: str, pairs: frozenset, depth: int) -> None:
        """Compare two schemas; `pairs` are the (OLD ref, NEW ref) pairs on the way here, so recursion ends
        where the same pair comes back, and a change behind a cycle is still found once."""
        o, oref = self.old.follow(o)
        n, nref = self.new.follow(n)
        if oref or nref:
            if (oref, nref) in pairs:
                return  # compared where this pair was first met
            pairs = pairs | {(oref, nref)}
        io = "input" if mode == "input" else "output"
        title = _summary(n) or _summary(o)

        def add(kind: str, location: str, a: Any, b: Any, t: str | None = title) -> None:
            self.add(kind, op, location, a, b, t)

        if not isinstance(o, dict) or not isinstance(n, dict) or _marker(o) or _marker(n):
            if o != n:
                add(f"{io}-type-changed", where, _describe(o), _describe(n))
            return
        if depth > MAX_DEPTH:
            return
        ot, nt = _type_of(o), _type_of(n)
        if ot != nt:
            kind = _type_change(io, ot, nt, o)
            add(kind, where, ot, nt)
            if ot is None:  # a type declared where there was none: no pull request shows the validator objecting to that
                self.changes[-1].certification = None
            if ot is not None and nt is not None and kind.endswith("-type-changed"):
                return  # a different shape: its old fields are not "removed" one by one
        of, nf = o.get("format") or None, n.get("format") or None  # an empty format is no format
        if of != nf:
            # an output's format dropped: the API sends the same value, still of its type, and expressions read it as before
            widened = _widens(nt or ot, of, nf) or (io == "output" and nf is None)
            add("format-widened" if widened else f"{io}-format-changed", where, of, nf)
            if widened and io == "output":
                self.changes[-1].certification = CERT_OUTPUT_FORMAT
        self._enum(o, n, op, where, mode, title)
        if o.get("default") != n.get("default"):
            add("default-changed" if mode == "input" else "output-changed", f"{where}/default", o.get("default"), n.get("default"))
        ov, nv = o.get("x-ms-visibility"), n.get("x-ms-visibility")
        if ov != nv:
            self._visibility(op, f"{where}/x-ms-visibility", ov, nv, title)
        for key in sorted(TEXT_SUMMARY | TEXT_DESCRIPTION):
            if o.get(key) != n.get(key):
                add("summary-changed" if key in TEXT_SUMMARY else "description-changed", f"{where}/{key}", o.get(key), n.get(key))
        for key in sorted(EXAMPLES):
            if o.get(key) != n.get(key):
                add("example-changed", f"{where}/{key}", o.get(key), n.get(key))
        for key in sorted(DROPDOWN):
            if o.get(key) != n.get(key):
                add("dropdown-changed", f"{where}/{key}", o.get(key), n.get(key))
        for key in sorted(DYNAMIC_SCHEMA):
            if o.get(key) != n.get(key):
                add("dynamic-schema-changed", f"{where}/{key}", o.get(key), n.get(key))
        handled = ({"type", "format", "enum", "x-ms-enum-values", "x-ms-enum", "default", "x-ms-visibility", "properties",
                    "required", "items", "additionalProperties", "$ref", "allOf"}
                   | TEXT_SUMMARY | TEXT_DESCRIPTION | EXAMPLES | DROPDOWN | DYNAMIC_SCHEMA)
        for key in sorted((set(o) | set(n)) - handled):
            if o.get(key) != n.get(key):
                self.add_structural("constraint-changed" if mode == "input" else "output-changed", op, f"{where}/{key}",
                                    o.get(key), n.get(key), title)
        self._properties(o, n, op, where, mode, pairs, depth)
        oi, ni = _items_of(o), _items_of(n)
        if ("items" in o or "items" in n) and oi is not None and ni is not None:
            self.schema(oi, ni, op, f"{where}/[]", mode, pairs, depth + 1)
        oa, na = o.get("additionalProperties"), n.get("additionalProperties")
        if isinstance(oa, dict) and isinstance(na, dict):
            self.schema(oa, na, op, f"{where}/*", mode, pairs, depth + 1)
        elif oa != na:
            add("constraint-changed" if mode == "input" else "output-changed", f"{where}/additionalProperties", oa, na)

    def _properties(self, o: Json, n: Json, op: str | None, where: str, mode: str, pairs: frozenset, depth: int) -> None:
        oprops, nprops = _properties_of(self.old, o), _properties_of(self.new, n)
        oreq, nreq = _required_of(o), _required_of(n)
        renamed = _renames(oprops, nprops, str.lower) if mode == "input" else {}
        for name, sub in oprops.items():
            loc = f"{where}/{name}"
            old_sub = self.old.follow(sub)[0]
            if name in renamed:
                new_name = renamed[name]
                self.add("input-renamed", op, loc, name, new_name, _summary(self.new.follow(nprops[new_name])[0]) or _summary(old_sub))
            elif name not in nprops:
                kind = "input-removed" if mode == "input" else "output-placeholder-removed" if _placeholder(name, old_sub) else "output-removed"
                self.add(kind, op, loc, _describe(old_sub), None, _summary(old_sub))
                continue
            else:
                new_name = name
            nsub = nprops[new_name]
            if mode == "input":
                new_sub = self.new.follow(nsub)[0]
                self._required(op, f"{where}/{new_name}", (name in oreq, _default_of(old_sub)),
                               (new_name in nreq, _default_of(new_sub)), _summary(new_sub) or _summary(old_sub))
            self.schema(sub, nsub, op, f"{where}/{new_name}", mode, pairs, depth + 1)
            if mode == "input":
                self._fold_added_default(op, f"{where}/{new_name}")
        for name, sub in nprops.items():
            if name in oprops or name in renamed.values():
                continue
            resolved = self.new.follow(sub)[0]
            if mode == "input":
                kind = "required-input-added" if name in nreq and not _has_default(resolved) else "optional-input-added"
            else:
                kind = "output-added"
            self.add(kind, op, f"{where}/{name}", None, _describe(resolved), _summary(resolved))

    def add(self, kind: str, op: str | None, location: str, old: Any = None, new: Any = None, title: str | None = None) -> None:
        certification = KINDS[kind].certification
        if self._notification_mode and kind in ("output-removed", "output-type-changed", "output-format-changed"):
            kind = "notification-schema-changed"  # the validator reads x-ms-notification-content as outputs
        self.changes.append(Change(kind, op, location, old, new, field_summary=title, certification=certification))

    _notification_mode = False

    def add_structural(self, kind: str, op: str | None, location: str, old: Any, new: Any, title: str | None = None) -> None:
        """A change of an opaque value: display-only when only its display strings differ."""
        self.add("description-changed" if _strip_display(old) == _strip_display(new) else kind, op, location, old, new, title)

    def add_property(self, kind: str, location: str, old: Any = None, new: Any = None) -> None:
        """A change in apiProperties (connector level): display-only when only display strings differ inside it."""
        if KINDS[kind].severity != "display-only" and old is not None and new is not None \
                and _strip_display(old) == _strip_display(new):
            kind = "description-changed"
        self.add(kind, None, location, old, new)

    def _enum(self, o: Json, n: Json, op: str | None, where: str, mode: str, title: str | None) -> None:
        oe, ne = _enum_of(o), _enum_of(n)
        if oe == ne:
            pass
        elif mode != "input":
            self.add("output-changed", op, f"{where}/enum", oe, ne, title)
        elif oe is None:
            self.add("input-enum-introduced", op, f"{where}/enum", None, ne, title)
        elif ne is None:
            self.add("input-enum-removed", op, f"{where}/enum", oe, None, title)
        else:
            for v in [v for v in oe if v not in ne]:
                self.add("input-enum-value-removed", op, f"{where}/enum", v, None, title)
            for v in [v for v in ne if v not in oe]:
                self.add("input-enum-value-added", op, f"{where}/enum", None, v, title)
        # display names of enum values, matched by value
        od = {json.dumps(e.get("value"), sort_keys=True): e for e in (o.get("x-ms-enum-values") or []) if isinstance(e, dict)}
        nd = {json.dumps(e.get("value"), sort_keys=True): e for e in (n.get("x-ms-enum-values") or []) if isinstance(e, dict)}
        for value in sorted(od.keys() & nd.keys()):
            if od[value].get("displayName") != nd[value].get("displayName"):
                self.add("summary-changed", op, f"{where}/x-ms-enum-values/{json.loads(value)}", od[value].get("displayName"),
                         nd[value].get("displayName"), title)
        if o.get("x-ms-enum") != n.get("x-ms-enum"):
            self.add_structural("extension-changed" if mode == "input" else "output-changed", op, f"{where}/x-ms-enum",
                                o.get("x-ms-enum"), n.get("x-ms-enum"), title)

    # responses and notifications

    def responses(self, o: _Op, n: _Op) -> None:
        op = o.id
        ors, nrs = o.node.get("responses") or {}, n.node.get("responses") or {}
        if not isinstance(ors, dict) or not isinstance(nrs, dict):
            return
        old_success, new_success = _successes(ors), _successes(nrs)
        moved = self._moved(ors, nrs, old_success, new_success)
        for code in sorted(set(ors) | set(nrs), key=str):
            where = f"response/{code}"
            if code in moved:
                self.add("success-response-moved", op, where, code, moved[code])
                self._response(op, f"response/{moved[code]}", True, ors[code], nrs[moved[code]])
            elif code in old_success and code not in new_success:
                self.add("success-response-removed", op, where, code, None)
            elif code not in nrs:
                self.add("error-response-removed", op, where, code, None)
            elif code not in ors:
                if code not in moved.values():
                    self.add("response-added", op, where, None, code)
            elif code not in moved.values():
                self._response(op, where, code in old_success, ors[code], nrs[code])

    def _moved(self, ors: Json, nrs: Json, old_success: list[str], new_success: list[str]) -> dict[str, str]:
        """Success codes of OLD whose response lives on under another success code of NEW (`default` <-> `200`):
        one with the same outputs, else the one new success code when exactly one was removed."""
        gone = [c for c in old_success if c not in new_success]
        fresh = [c for c in new_success if c not in old_success]
        moved: dict[str, str] = {}
        for code in gone:
            same = [c for c in (*fresh, *(c for c in new_success if c in old_success)) if self._same_output(ors[code], nrs[c])]
            if same:
                moved[code] = same[0]
        rest_gone = [c for c in gone if c not in moved]
        rest_fresh = [c for c in fresh if c not in moved.values()]
        if len(rest_gone) == 1 and len(rest_fresh) == 1:
            moved[rest_gone[0]] = rest_fresh[0]
        return moved

    def _same_output(self, old_response: Any, new_response: Any) -> bool:
        r, rs = self.old.resolve(old_response)
        s, ss = self.new.resolve(new_response)
        if not isinstance(r, dict) or not isinstance(s, dict):
            return r == s
        a = _expand(self.old, r.get("schema"), rs, 0)
        b = _expand(self.new, s.get("schema"), ss, 0)
        return _strip_display(a) == _strip_display(b)

    def _response(self, op: str, where: str, success: bool, old_response: Any, new_response: Any) -> None:
        (r, rs), (s, ss) = self.old.resolve(old_response), self.new.resolve(new_response)
        if not isinstance(r, dict) or not isinstance(s, dict):
            return
        for key in ("description", "x-ms-summary"):
            if r.get(key) != s.get(key):
                self.add("summary-changed" if key in TEXT_SUMMARY else "description-changed", op, f"{where}/{key}", r.get(key), s.get(key))
        if "schema" in r and "schema" not in s:
            old_schema = self.old.follow(r["schema"])[0]
            if success and _declares_nothing(old_schema):
                # `schema: {}` named no type and no field: flows could only read the whole body, which the API still sends
                self.add("output-type-widened", op, f"{where}/schema", _describe(old_schema), None)
                self.changes[-1].certification = None  # no type or field on either side for the validator to compare
                self.changes[-1].detail = "the response's schema declared nothing (no type, no field)"
            else:
                self.add("output-removed" if success else "output-changed", op, f"{where}/schema", _describe(old_schema), None)
        elif "schema" in s and "schema" not in r:
            self.add("output-added" if success else "output-changed", op, f"{where}/schema", None,
                     _describe(self.new.follow(s["schema"])[0]))
        elif "schema" in r:
            if success:
                self.schema(r["schema"], s["schema"], op, where, "output", frozenset(), 0)
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
        if not (o.trigger or n.trigger):  # the payload belongs to the path's trigger, not to its other methods (a webhook's DELETE)
            siblings = [v for k, v in {**o.item, **n.item}.items() if k.lower() in METHODS and isinstance(v, dict)]
            if any("x-ms-trigger" in v for v in siblings) or o.method == "delete":
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
            self.schema(oc.get("schema") or {}, nc.get("schema") or {}, op, where, "notification", frozenset(), 0)
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


def _successes(responses: Json) -> list[str]:
    """The codes whose schema is the action's outputs: the 2xx ones; `default` only when there is no 2xx
    (beside a 2xx response, default is the error response)."""
    codes = [c for c in responses if str(c).startswith("2")]
    return codes or [c for c in responses if c == "default"]


SCALARS = {"string", "integer", "number", "boolean"}
PLACEHOLDER_NAME = re.compile(r"(additionalprop|property|prop|field|key|value)\d+|string|foo|bar|baz"
                              r"|(sample|example|placeholder|dummy)(_?(field|property|value))?\d*", re.IGNORECASE)
PLACEHOLDER_TEXT = re.compile(r"\b(placeholder|sample (field|property|value)|dummy)\b", re.IGNORECASE)


def _type_change(io: str, old: Any, new: Any, old_schema: Json) -> str:
    """The kind of a type change. Inputs: widened when every value flows send still fits (integer -> number, a
    scalar -> string, any -> untyped). Outputs: the payload is the API's, not the declaration's, so a type declared
    differently between scalars, or a list declared as an object now an array, is a correction; only a change of
    shape between a value, an object and an array breaks what flows do with it."""
    if io == "input":
        widened = (new is None or (old, new) == ("integer", "number")
                   or (new == "string" and old in ("integer", "number", "boolean")))
        return "input-type-widened" if widened else "input-type-changed"
    if new is None or (old, new) == ("integer", "number"):
        return "output-type-widened"
    if old is None or (old in SCALARS and new in SCALARS):
        return "output-type-corrected"
    if old == "object" and new == "array" and (not old_schema.get("properties") or "items" in old_schema):
        return "output-type-corrected"
    return "output-type-changed"


def _enum_of(schema: Json) -> Any:
    """The schema's enum, or None when it allows every value of its type ([true, false] on a boolean)."""
    enum = schema.get("enum")
    if _type_of(schema) == "boolean" and isinstance(enum, list) and {True, False} <= {v for v in enum if isinstance(v, bool)}:
        return None
    return enum


def _placeholder(name: str, schema: Any) -> bool:
    """An output field that holds no data: a sample or placeholder name, or a description that says so."""
    if PLACEHOLDER_NAME.fullmatch(str(name)):
        return True
    text = " ".join(str(schema.get(k, "")) for k in ("description", "x-ms-summary", "title")) if isinstance(schema, dict) else ""
    return bool(PLACEHOLDER_TEXT.search(text))


def _has_default(node: Any) -> bool:
    return isinstance(node, dict) and "default" in node


def _default_of(node: Any) -> Any:
    return node["default"] if _has_default(node) else None


def _body_always_sent(doc: _Doc, body: Json) -> bool:
    """Every flow that works today sends this body: its schema has a field that is required without a default."""
    schema = doc.follow(body.get("schema"))[0]
    if not isinstance(schema, dict):
        return False
    props = _properties_of(doc, schema)
    return any(name in props and not _has_default(doc.follow(props[name])[0]) for name in _required_of(schema))


def _platform_filled_body(doc: _Doc, body: Json) -> bool:
    """A body no flow fills in: every field is the webhook's callback URL or a hidden field with a default."""
    schema = doc.follow(body.get("schema"))[0]
    props = _properties_of(doc, schema) if isinstance(schema, dict) else {}
    if not props:
        return False
    for sub in props.values():
        sub = doc.follow(sub)[0]
        if not isinstance(sub, dict):
            return False
        if not (sub.get("x-ms-notification-url") in (True, "true")
                or (sub.get("x-ms-visibility") == "internal" and "default" in sub)):
            return False
    return True


def _policy_sends(policies: list, op: str, key: tuple[str, str]) -> Any:
    """The value a policy template sends for this header or query parameter of op, or None."""
    name, where = key
    for ops, place, pname, value in policies:
        if place == where and (ops is None or op in ops) and (pname.lower() == name.lower() if where == "header" else pname == name):
            return value
    return None


def _describe(node: Any) -> Any:
    """What a removed or added input/output was, in a word: its type (and format)."""
    if not isinstance(node, dict):
        return node
    if "$recursive" in node:
        return node["$recursive"]
    if "$cycle" in node:
        return f"$ref cycle {node['$cycle']}"
    if "$unresolved" in node:
        return f"unresolved $ref {node['$unresolved']}"
    if node.get("in") == "body" and "schema" in node:
        return "body"
    t = _type_of(node) or "any"
    return f"{t} ({node['format']})" if node.get("format") else t


def _renames(old: dict, new: dict, fold) -> dict:
    """Keys of OLD missing in NEW that match exactly one new key, and no other old key, under `fold` (letter case
    folded, or a security definition's content): {old key: new key}."""
    gone = [k for k in old if k not in new]
    fresh = [k for k in new if k not in old]
    pairs = {}
    for k in gone:
        twins = [f for f in fresh if fold(f) == fold(k)]
        if len(twins) == 1 and sum(1 for g in gone if fold(g) == fold(k)) == 1:
            pairs[k] = twins[0]
    return pairs


def _properties_of(doc: _Doc, schema: Json, refs: frozenset = frozenset()) -> dict[str, Any]:
    """The properties of a schema, allOf parts merged in. An array has none: the designer reads an array's `items`
    only, so `properties` declared on the array itself name no field of dynamic content (see docs/diff.md)."""
    if schema.get("type") == "array":
        return {}
    out: dict[str, Any] = {}
    for part in schema.get("allOf") or []:
        part, ref = doc.follow(part)
        if isinstance(part, dict) and not _marker(part) and (ref is None or ref not in refs):  # inline parts cannot loop
            out.update(_properties_of(doc, part, refs if ref is None else refs | {ref}))
    props = schema.get("properties")
    if isinstance(props, dict):
        out.update(props)
    return out


def _required_of(schema: Json) -> set[str]:
    req = schema.get("required")
    return {r for r in req if isinstance(r, str)} if isinstance(req, list) else set()


def _param_location(key: tuple[str, str]) -> str:
    name, where = key
    return "body" if where == "body" else f"{where}/{name}"


def _params(doc: _Doc, op: _Op) -> dict[tuple[str, str], Json]:
    out: dict[tuple[str, str], Json] = {}
    for source in (op.item.get("parameters"), op.node.get("parameters")):  # operation-level ones win
        for p in source if isinstance(source, list) else []:
            p, _ = doc.follow(p)
            if not isinstance(p, dict) or _marker(p):
                continue
            where = p.get("in", "")
            key = ("", "body") if where == "body" else (str(p.get("name", "")), str(where))
            out[key] = p
    return out


def _operations(doc: Json) -> dict[str, _Op]:
    out: dict[str, _Op] = {}
    paths = doc.get("paths") if isinstance(doc, dict) else None
    if not isinstance(paths, dict):
        return out
    base = doc.get("basePath") if isinstance(doc.get("basePath"), str) else ""
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method, node in item.items():
            if method.lower() not in ("get", "put", "post", "delete", "options", "head", "patch") or not isinstance(node, dict):
                continue
            opid = node.get("operationId")
            key = opid if isinstance(opid, str) and opid and opid not in out else f"{method.upper()} {path}"
            out[key] = _Op(key, method.lower(), path, node, item, _url(base, str(path)))
    return out


DYNAMIC_SOURCES = ("x-ms-dynamic-values", "x-ms-dynamic-list", "x-ms-dynamic-schema", "x-ms-dynamic-properties")


def _fed_by(doc: Json, ops: dict[str, _Op]) -> dict[str, list[str]]:
    """operationId -> the inputs (and outputs) whose dropdown or dynamic schema it fills, as `operation location`."""
    d = _Doc(doc)
    out: dict[str, list[str]] = {}

    def note(node: Any, op: str, where: str) -> None:
        for key in DYNAMIC_SOURCES:
            source = node.get(key)
            target = (source.get("operationId") or source.get("operation")) if isinstance(source, dict) else None
            if isinstance(target, str):
                out.setdefault(target, []).append(f"{op} {where}")

    def schema(node: Any, op: str, where: str, seen: frozenset) -> None:
        node, ref = d.follow(node)
        if not isinstance(node, dict) or (ref is not None and ref in seen) or len(seen) > MAX_DEPTH:
            return
        seen = seen | {ref} if ref else seen
        note(node, op, where)
        for name, sub in _properties_of(d, node).items():
            schema(sub, op, f"{where}/{name}", seen)
        if "items" in node:
            schema(node["items"], op, f"{where}/[]", seen)

    for op in ops.values():
        for key, p in _params(d, op).items():
            where = _param_location(key)
            note(p, op.id, where)
            if key[1] == "body":
                schema(p.get("schema"), op.id, where, frozenset())
        for code, response in (op.node.get("responses") or {}).items() if isinstance(op.node.get("responses"), dict) else ():
            response = d.follow(response)[0]
            if isinstance(response, dict):
                schema(response.get("schema"), op.id, f"response/{code}", frozenset())
    return {k: sorted(set(v)) for k, v in out.items()}


def _ai_rest(data: Any) -> Any:
    """x-ms-openai-data less what the agent kinds compare (openai-enabled, each entry's confirmation)."""
    if not isinstance(data, dict):
        return data
    rest = {k: v for k, v in data.items() if k != "openai-enabled"}
    if isinstance(rest.get("operations"), list):
        rest["operations"] = [{k: v for k, v in e.items() if k != "x-ms-require-user-confirmation"} if isinstance(e, dict) else e
                              for e in rest["operations"]]
    return rest


def _url(base: str, path: str) -> str:
    """basePath + path as one URL path: `/api` + `/items` and `/` + `/api/items` are the same request."""
    return ("/" + "/".join(part for part in f"{base}/{path}".split("/") if part)) + ("/" if path.endswith("/") and path != "/" else "")


def _requirements(security: Any, renamed: dict[str, str]) -> Any:
    """A `security` requirement list with renamed security definitions under their new names."""
    if not isinstance(security, list) or not renamed:
        return security
    return [{renamed.get(k, k): v for k, v in req.items()} if isinstance(req, dict) else req for req in security]


def _security_key(scheme: Json) -> Json:
    """A security definition without what existing connections do not see: descriptions, scopes (compared on
    their own), and the letter case of an API-key header's name."""
    out = {k: v for k, v in scheme.items() if k not in ("description", "scopes") and k not in DISPLAY_KEYS}
    if scheme.get("type") == "apiKey" and str(scheme.get("in", "")).lower() == "header" and isinstance(out.get("name"), str):
        out["name"] = out["name"].lower()
    return out
