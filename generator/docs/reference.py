"""The connector's reference page for one locale, laid out like Microsoft's connector reference
(learn.microsoft.com/connectors/<name>): description, connection parameters, throttling limits, the
actions with their parameter and output tables, the triggers.

Rows follow Microsoft's page: inputs a user fills in are listed by key (body properties flattened, an
array of objects giving its items' rows), outputs by their dotted path (an object gives its properties'
rows, an array one row of its own and then its items' rows).  Internal operations and parameters are not
shown, as on Microsoft's pages.  The type column is the one Microsoft shows: a schema's format where it is
float, double or byte, else its type; ``array of x`` for arrays.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import agents
from ..check.walk import obj
from ..mdtext import cell, code, para  # noqa: F401 (the templates' filters; tests import them from here)
from ..mdtext import one_line as _one_line
from ..model import Connector, Operation
from .labels import labels, period

TEMPLATES = Path(__file__).with_name("templates")


@dataclass
class Row:
    name: str
    key: str
    type: str
    description: str
    required: bool = False


@dataclass
class OperationDoc:
    id: str
    summary: str
    description: str
    is_trigger: bool
    agent: str = ""  # what a Copilot Studio agent or Copilot does with it (an MCP server, an AI action)
    parameters: list[Row] = field(default_factory=list)
    outputs: list[Row] = field(default_factory=list)


class _Page:
    def __init__(self, c: Connector, locale: str):
        self.c = c
        self.locale = locale

    def text(self, value: Any) -> str:
        if isinstance(value, dict):
            value = value.get(self.locale, value.get(self.c.source_locale, ""))
        return "" if value is None else str(value)

    def resolve(self, node: Any) -> Any:
        seen = set()
        while isinstance(node, dict) and "ref" in node and node["ref"] in self.c.schemas and node["ref"] not in seen:
            seen.add(node["ref"])
            node = self.c.schemas[node["ref"]]
        return node

    def label(self, node: Any, fallback: str) -> str:
        """The name a property shows with: its own summary/title, else the schema's it refers to."""
        for candidate in (node, self.resolve(node)):
            if isinstance(candidate, dict):
                for key in ("summary", "title"):
                    if key in candidate:
                        return self.text(candidate[key])
        return fallback

    def describe(self, node: Any) -> str:
        for candidate in (node, self.resolve(node)):
            if isinstance(candidate, dict) and "description" in candidate:
                return self.text(candidate["description"])
        return ""

    def type_of(self, node: Any, depth: int = 0) -> str:
        node = self.resolve(node)
        if not isinstance(node, dict):
            return "object"
        if node.get("type") == "array":
            return "array of " + (self.type_of(node.get("items", {}), depth + 1) if depth < 8 else "array")
        if node.get("format") in ("float", "double", "byte"):
            return node["format"]
        return node.get("type", "object")

    @staticmethod
    def internal(node: Any) -> bool:
        return isinstance(node, dict) and node.get("visibility") == "internal"

    @staticmethod
    def required_names(schema: dict) -> set[str]:
        props = schema.get("properties") or {}
        listed = schema.get("required")
        if isinstance(listed, list):
            return set(listed)
        return {name for name, p in props.items() if isinstance(p, dict) and p.get("required") is True}

    def inputs(self, schema: Any, rows: list[Row], open_: frozenset = frozenset()) -> None:
        """Rows for the fields of schema; open_ holds the schemas being expanded (a recursive one stops)."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or id(schema) in open_:
            return
        open_ = open_ | {id(schema)}
        if schema.get("type") == "array":
            self.inputs(schema.get("items", {}), rows, open_)
            return
        required = self.required_names(schema)
        for name, prop in obj(schema.get("properties")).items():
            if self.internal(prop):
                continue
            target = self.resolve(prop)
            nested = self.resolve(target.get("items", {}) if isinstance(target, dict) and target.get("type") == "array" else target)
            if isinstance(nested, dict) and nested.get("properties") and id(nested) not in open_:
                self.inputs(prop, rows, open_)  # an object, or an array of objects: its fields are the rows
                continue
            rows.append(Row(self.label(prop, name), name, self.type_of(prop), self.describe(prop), name in required))

    def outputs(self, schema: Any, prefix: str, rows: list[Row], open_: frozenset = frozenset()) -> None:
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or id(schema) in open_:
            return
        open_ = open_ | {id(schema)}
        if schema.get("type") == "array":
            self.outputs(schema.get("items", {}), prefix, rows, open_)
            return
        for name, prop in obj(schema.get("properties")).items():
            path = f"{prefix}.{name}" if prefix else name
            target = self.resolve(prop)
            if not isinstance(target, dict):
                continue
            if target.get("type") == "array":
                rows.append(Row(self.label(prop, name), path, self.type_of(prop), self.describe(prop)))
                self.outputs(target.get("items", {}), path, rows, open_)
            elif target.get("properties") and id(target) not in open_:
                self.outputs(target, path, rows, open_)
            else:
                rows.append(Row(self.label(prop, name), path, self.type_of(prop), self.describe(prop)))

    def agent(self, op: Operation) -> str:
        """One sentence on what agents do with the operation, in the page's language ("" for a plain action)."""
        words = labels(self.locale)
        view = agents.source_view(op.node, op.id)
        transport = agents.TRANSPORTS.get(agents.mcp_protocol(view) or "")
        if transport:
            return words["mcp_server"].format(transport=words["transport_" + transport])
        if agents.ai_enabled(view):
            confirm = agents.require_confirmation(view)
            return words["ai_action"].format(confirm="" if confirm is None else words["confirm_yes" if confirm else "confirm_no"])
        return ""

    def operation(self, op: Operation) -> OperationDoc:
        node = op.node
        doc = OperationDoc(op.id, self.text(node.get("summary")), self.text(node.get("description")), op.is_trigger,
                           self.agent(op))
        for name, p in op.parameter_items(getattr(self.c, "node", {}).get("parameters")):  # a map, or an imported list
            if self.internal(p):
                continue
            if p.get("in") == "body" and isinstance(p.get("schema"), dict):  # Swagger's own form of the body
                self.inputs(p["schema"], doc.parameters)
                continue
            doc.parameters.append(Row(self.label(p, name), name, self.type_of(p), self.describe(p),
                                      bool(p.get("required")) or p.get("in") == "path"))
        if "body" in node:
            self.inputs(node["body"], doc.parameters)
        if op.is_trigger and "notification" in node:
            self.outputs(node["notification"].get("schema"), "", doc.outputs)
        else:
            responses = node.get("responses") or {}
            code = next((k for k in responses if str(k).startswith("2")), None)
            if code is not None and isinstance(responses[code], dict) and "schema" in responses[code]:
                self.outputs(responses[code]["schema"], "", doc.outputs)
        return doc


def page_context(c: Connector, locale: str) -> dict:
    page = _Page(c, locale)
    words = labels(locale)
    connection = []
    for name, p in (c.connection.get("parameters") or {}).items():
        connection.append(Row(page.text(p.get("display_name", name)), name, p.get("type", "string"),
                              page.text(p.get("description", "")), bool(p.get("required"))))
    throttling = c.info.get("throttling")
    ops = [page.operation(op) for op in c.operations.values() if not page.internal(op.node)]
    ops.sort(key=lambda o: (o.summary.casefold(), o.id))
    return {
        "l": words,
        "locale": locale,
        "source": _one_line(c.file.name).replace("--", "- -"),  # inside an HTML comment
        "title": page.text(c.info["title"]),
        "description": page.text(c.info["description"]),
        "connection": connection,
        "throttling": {"calls": throttling["calls"], "period": period(locale, throttling["period_seconds"])} if throttling else None,
        "actions": [o for o in ops if not o.is_trigger],
        "triggers": [o for o in ops if o.is_trigger],
    }


def anchor(value: Any) -> str:
    """An operationId as an HTML id and link target: letters, digits, `_`, `.` and `-` only."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", _one_line(value)) or "-"


@functools.lru_cache(maxsize=1)
def _environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=False,
                             keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["cell"] = cell
    env.filters["code"] = code
    env.filters["para"] = para
    env.filters["anchor"] = anchor
    return env


def render(c: Connector, locale: str) -> str:
    return _environment().get_template("reference.md.j2").render(**page_context(c, locale))
