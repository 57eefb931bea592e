"""Edits of one kind each, applied to a copy of a corpus connector, for the `ppconnector diff` tests.

Each edit takes a (definition, apiProperties) pair, changes it in place and returns the operationId it
changed ("" for a connector-level change), or None when the connector has nothing to apply it to; the
tests try the corpus connectors in order until one fits.  Some kinds are the reverse of another edit
(``REVERSED``): the edited copy is OLD and the original is NEW.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Callable, Iterator

from ppconnector.diff.compare import Side, _Doc
from ppconnector.source.jsonfile import read_json

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def connectors(corpus: Path) -> list[Path]:
    return sorted(p.parent for p in corpus.glob("*/*/apiDefinition.swagger.json"))


def readable(folder: Path, files: tuple[str, ...] = ("apiDefinition.swagger.json", "apiProperties.json")) -> bool:
    from ppconnector.diagnostics import InputError

    try:
        for name in files:
            if (folder / name).is_file() or name == "apiDefinition.swagger.json":
                read_json(folder / name)
        return True
    except InputError:
        return False


def load(folder: Path) -> tuple[dict, dict]:
    doc = read_json(folder / "apiDefinition.swagger.json").value
    props_file = folder / "apiProperties.json"
    props = read_json(props_file).value if props_file.is_file() else {}
    return doc, props


def side(doc: dict, props: dict, shown: str = "x") -> Side:
    return Side(shown, doc, props)


def operations(doc: dict) -> Iterator[tuple[str, str, dict, dict]]:
    for path, item in (doc.get("paths") or {}).items():
        for method, op in item.items():
            if method in METHODS and isinstance(op, dict) and op.get("operationId"):
                yield path, method, op, item


def unique_ops(doc: dict) -> Iterator[tuple[str, str, dict, dict]]:
    ids = [op["operationId"] for _, _, op, _ in operations(doc)]
    for entry in operations(doc):
        if ids.count(entry[2]["operationId"]) == 1:
            yield entry


def inline_params(op: dict, where: str = "query") -> Iterator[dict]:
    for p in op.get("parameters") or []:
        if isinstance(p, dict) and "$ref" not in p and p.get("in") == where:
            yield p


def success_schema(doc: dict, op: dict) -> tuple[str, dict] | None:
    """Inline the first 2xx response's schema (top level only) and return it, ready to edit."""
    d = _Doc(doc)
    for code, resp in (op.get("responses") or {}).items():
        if not str(code).startswith("2"):
            continue
        resp, _ = d.resolve(resp)
        if not isinstance(resp, dict) or "schema" not in resp:
            continue
        schema, _ = d.resolve(resp["schema"])
        if isinstance(schema, dict) and isinstance(schema.get("properties"), dict) and schema["properties"]:
            resp = copy.deepcopy(resp)
            resp["schema"] = copy.deepcopy(schema)
            op["responses"][code] = resp
            return code, resp["schema"]
    return None


def _string_prop(schema: dict, doc: dict) -> str | None:
    d = _Doc(doc)
    for name, sub in schema["properties"].items():
        sub, _ = d.resolve(sub)
        if isinstance(sub, dict) and sub.get("type") == "string" and "format" not in sub and "enum" not in sub and "$ref" not in schema["properties"][name]:
            return name
    return None


# --- the edits -----------------------------------------------------------------------------------------


def remove_operation(doc, props):
    for path, method, op, item in unique_ops(doc):
        if "x-ms-notification-content" not in item:
            del item[method]
            return op["operationId"]


def rename_operation(doc, props):
    for path, method, op, item in unique_ops(doc):
        old = op["operationId"]
        op["operationId"] = old + "_V2"
        return old


def hide_operation(doc, props):
    for _, _, op, _ in unique_ops(doc):
        if op.get("x-ms-visibility") != "internal":
            op["x-ms-visibility"] = "internal"
            return op["operationId"]


def lower_operation(doc, props):
    for _, _, op, _ in unique_ops(doc):
        if op.get("x-ms-visibility") in (None, "none", "important"):
            op["x-ms-visibility"] = "advanced"
            return op["operationId"]


def deprecate_operation(doc, props):
    for _, _, op, _ in unique_ops(doc):
        if not op.get("deprecated"):
            op["deprecated"] = True
            return op["operationId"]


def add_parameter(required: bool):
    def edit(doc, props):
        for _, _, op, _ in unique_ops(doc):
            op.setdefault("parameters", []).append({"name": "zz_added", "in": "query", "required": required, "type": "string"})
            return op["operationId"]
    return edit


def _with_param(test: Callable[[dict], bool], change: Callable[[dict, dict], Any]):
    def edit(doc, props):
        for _, _, op, _ in unique_ops(doc):
            for p in inline_params(op):
                if test(p):
                    change(p, op)
                    return op["operationId"]
    return edit


def _remove_param(p, op):
    op["parameters"].remove(p)


def _plain_string(p):
    return p.get("type") == "string" and "format" not in p and "enum" not in p and "x-ms-dynamic-values" not in p and "x-ms-dynamic-list" not in p


def _remove_last_enum_value(p, op):
    p["enum"] = p["enum"][:-1]


require_with_default = _with_param(lambda p: not p.get("required") and _plain_string(p) and "default" not in p,
                                   lambda p, op: p.update(required=True, default="zz-default"))
widen_param_type = _with_param(lambda p: p.get("type") == "integer" and "enum" not in p, lambda p, op: p.update(type="string"))
require_param = _with_param(lambda p: not p.get("required"), lambda p, op: p.__setitem__("required", True))
remove_param = _with_param(lambda p: True, _remove_param)
retype_param = _with_param(_plain_string, lambda p, op: p.__setitem__("type", "integer"))
reformat_param = _with_param(_plain_string, lambda p, op: p.__setitem__("format", "date-time"))
narrow_enum = _with_param(lambda p: isinstance(p.get("enum"), list) and len(p["enum"]) >= 2, _remove_last_enum_value)
widen_enum = _with_param(lambda p: isinstance(p.get("enum"), list), lambda p, op: p["enum"].append("zz-added"))
introduce_enum = _with_param(_plain_string, lambda p, op: p.__setitem__("enum", ["a", "b"]))
change_default = _with_param(_plain_string, lambda p, op: p.__setitem__("default", "zz-default"))
constrain_param = _with_param(_plain_string, lambda p, op: p.__setitem__("maxLength", 3))
example_param = _with_param(_plain_string, lambda p, op: p.__setitem__("x-ms-test-value", "zz-example"))


def change_dropdown(doc, props):
    for _, _, op, _ in unique_ops(doc):
        for p in op.get("parameters") or []:
            if isinstance(p, dict) and isinstance(p.get("x-ms-dynamic-values"), dict):
                p["x-ms-dynamic-values"]["value-path"] = "zz_changed"
                return op["operationId"]


def _with_output(change: Callable[[dict, dict, str], bool]):
    def edit(doc, props):
        for _, _, op, _ in unique_ops(doc):
            before = copy.deepcopy(op.get("responses"))
            found = success_schema(doc, op)
            if found is not None:
                code, schema = found
                name = _string_prop(schema, doc)
                if name is not None and change(schema, doc, name):
                    return op["operationId"]
            if before is not None:
                op["responses"] = before
    return edit


def _drop(schema, doc, name):
    del schema["properties"][name]
    if isinstance(schema.get("required"), list) and name in schema["required"]:
        schema["required"].remove(name)
    return True


def _set(key, value):
    def change(schema, doc, name):
        schema["properties"][name] = {**_Doc(doc).resolve(schema["properties"][name])[0], key: value}
        return True
    return change


remove_output = _with_output(_drop)
retype_output = _with_output(_set("type", "array"))  # a value that is now a list: Apply to each and string use break
correct_output = _with_output(_set("type", "integer"))  # a declared string id corrected to the integer the API sends


def _untyped(schema, doc, name):
    schema["properties"][name] = {k: v for k, v in _Doc(doc).resolve(schema["properties"][name])[0].items() if k != "type"}
    return True


def _placeholder_output(schema, doc, name):
    schema["properties"]["additionalProp1"] = {"type": "string"}
    return True


untype_output = _with_output(_untyped)
placeholder_output = _with_output(_placeholder_output)
reformat_output = _with_output(_set("format", "date-time"))
enum_output = _with_output(_set("enum", ["a", "b"]))
dynamic_schema = _with_output(lambda schema, doc, name: schema.__setitem__("x-ms-dynamic-schema", {"operationId": "Zz", "value-path": "schema"}) or True)


def remove_success_response(doc, props):
    for _, _, op, _ in unique_ops(doc):
        codes = [c for c in (op.get("responses") or {}) if str(c).startswith("2")]
        if codes:
            del op["responses"][codes[0]]
            return op["operationId"]


def remove_error_response(doc, props):
    for _, _, op, _ in unique_ops(doc):
        codes = [c for c in (op.get("responses") or {}) if not str(c).startswith("2") and c != "default"]
        if codes:
            del op["responses"][codes[0]]
            return op["operationId"]


def change_trigger(doc, props):
    for _, _, op, _ in unique_ops(doc):
        if op.get("x-ms-trigger") == "single":
            op["x-ms-trigger"] = "batch"
            return op["operationId"]


def change_notification(doc, props):
    d = _Doc(doc)
    for _, _, op, item in unique_ops(doc):
        content = item.get("x-ms-notification-content")
        if not isinstance(content, dict) or sum(1 for m in item if m in METHODS) != 1:
            continue
        schema, _ = d.resolve(content.get("schema"))
        if isinstance(schema, dict) and schema.get("properties"):
            schema = copy.deepcopy(schema)
            name = next(iter(schema["properties"]))
            del schema["properties"][name]
            if isinstance(schema.get("required"), list) and name in schema["required"]:
                schema["required"].remove(name)
            item["x-ms-notification-content"] = {**content, "schema": schema}
            return op["operationId"]


def add_connection_parameter(doc, props):
    params = props.get("properties", {}).get("connectionParameters") if isinstance(props, dict) else None
    if isinstance(params, dict):
        params["zz_token"] = {"type": "securestring", "uiDefinition": {"displayName": "Token", "constraints": {"required": "true"}}}
        return ""


def move_operation(doc, props):
    for path, method, op, item in unique_ops(doc):
        if "parameters" not in item and "x-ms-notification-content" not in item:
            del item[method]
            doc["paths"]["/zz-moved"] = {method: op}
            return op["operationId"]


def change_method(doc, props):
    for path, method, op, item in unique_ops(doc):
        other = "put" if method != "put" else "patch"
        if other not in item and "x-ms-notification-content" not in item:
            item[other] = item.pop(method)
            return op["operationId"]


def change_internal_operation(doc, props):
    for _, method, op, item in unique_ops(doc):
        if op.get("x-ms-visibility") == "internal" and "x-ms-notification-content" not in item:
            del item[method]
            return op["operationId"]


def add_scope(doc, props):
    params = props.get("properties", {}).get("connectionParameters") if isinstance(props, dict) else None
    for param in (params or {}).values():
        scopes = param.get("oAuthSettings", {}).get("scopes") if isinstance(param, dict) else None
        if isinstance(scopes, list):
            scopes.append("zz.read")
            return ""


def change_host(doc, props):
    doc["host"] = "zz.example.com"
    return ""


def set_script_operations(doc, props):
    if isinstance(props, dict) and isinstance(props.get("properties"), dict):
        props["properties"]["scriptOperations"] = list(props["properties"].get("scriptOperations") or []) + ["ZzScripted"]
        return ""


def add_policy(doc, props):
    if isinstance(props, dict) and isinstance(props.get("properties"), dict):
        props["properties"]["policyTemplateInstances"] = list(props["properties"].get("policyTemplateInstances") or []) + [
            {"templateId": "setheader", "title": "zz", "parameters": {"x-ms-apimTemplateParameter.name": "X-Zz"}}]
        return ""


def add_extension(doc, props):
    for _, _, op, _ in unique_ops(doc):
        op["x-ms-zz-extension"] = True
        return op["operationId"]


def add_response(doc, props):
    for _, _, op, _ in unique_ops(doc):
        if "418" not in (op.get("responses") or {}):
            op.setdefault("responses", {})["418"] = {"description": "teapot"}
            return op["operationId"]


def change_summary(doc, props):
    for _, _, op, _ in unique_ops(doc):
        op["summary"] = str(op.get("summary", "")) + " (renamed)"
        return op["operationId"]


def change_description(doc, props):
    for _, _, op, _ in unique_ops(doc):
        op["description"] = str(op.get("description", "")) + " More words."
        return op["operationId"]


def _ai_actions(doc):
    for _, _, op, _ in unique_ops(doc):
        data = op.get("x-ms-openai-data")
        if isinstance(data, dict) and data.get("openai-enabled") is True and op.get("x-ms-visibility") != "internal":
            yield op


def disable_ai_action(doc, props):
    for op in _ai_actions(doc):
        op["x-ms-openai-data"]["openai-enabled"] = False
        return op["operationId"]


def flip_confirmation(doc, props):
    for op in _ai_actions(doc):
        for entry in op["x-ms-openai-data"].get("operations") or []:
            if entry.get("operationId") == op["operationId"] and isinstance(entry.get("x-ms-require-user-confirmation"), bool):
                entry["x-ms-require-user-confirmation"] = not entry["x-ms-require-user-confirmation"]
                return op["operationId"]


def describe_ai_action(doc, props):
    for op in _ai_actions(doc):
        op["description"] = str(op.get("description", "")) + " More words."
        return op["operationId"]


def make_mcp_server(doc, props):
    for _, method, op, _ in unique_ops(doc):
        if method == "post":
            op["x-ms-agentic-protocol"] = "mcp-streamable-1.0"
            return op["operationId"]


def change_version(doc, props):
    doc.setdefault("info", {})["version"] = "99.0"
    return ""


def _swap_first_case(p, op):
    p["name"] = p["name"][0].swapcase() + p["name"][1:]


rename_param_case = _with_param(lambda p: p.get("name", "")[:1].isalpha(), _swap_first_case)
widen_param = _with_param(lambda p: p.get("type") == "integer" and p.get("format") in (None, "int32") and "enum" not in p,
                          lambda p, op: p.__setitem__("format", "int64"))


def move_success_to_default(doc, props):
    for _, _, op, _ in unique_ops(doc):
        responses = op.get("responses") or {}
        if "200" in responses and "default" not in responses:
            responses["default"] = responses.pop("200")
            return op["operationId"]


def add_allowed_value(doc, props):
    params = props.get("properties", {}).get("connectionParameters") if isinstance(props, dict) else None
    for param in (params or {}).values():
        allowed = param.get("uiDefinition", {}).get("constraints", {}).get("allowedValues") if isinstance(param, dict) else None
        if isinstance(allowed, list):
            allowed.append({"text": "Zz region", "value": "https://zz.example.com"})
            return ""


def change_consumes(doc, props):
    for _, _, op, _ in unique_ops(doc):
        op["consumes"] = ["application/x-www-form-urlencoded"] if op.get("consumes") != ["application/x-www-form-urlencoded"] else []
        return op["operationId"]


# kind -> edit; REVERSED kinds compare the edited copy (OLD) with the original (NEW).
EDITS: dict[str, Callable] = {
    "operation-removed": remove_operation,
    "operation-id-changed": rename_operation,
    "operation-hidden": hide_operation,
    "required-input-added": add_parameter(True),
    "input-became-required": require_param,
    "input-removed": remove_param,
    "input-renamed": rename_param_case,
    "input-type-changed": retype_param,
    "input-format-changed": reformat_param,
    "input-enum-value-removed": narrow_enum,
    "input-enum-introduced": introduce_enum,
    "output-removed": remove_output,
    "output-type-changed": retype_output,
    "output-type-corrected": correct_output,
    "output-type-widened": untype_output,
    "output-placeholder-removed": placeholder_output,
    "input-type-widened": widen_param_type,
    "input-required-with-default": require_with_default,
    "internal-operation-changed": change_internal_operation,
    "connection-scope-added": add_scope,
    "operation-path-changed": move_operation,
    "output-format-changed": reformat_output,
    "success-response-removed": remove_success_response,
    "dynamic-schema-changed": dynamic_schema,
    "trigger-kind-changed": change_trigger,
    "notification-schema-changed": change_notification,
    "connection-changed": add_connection_parameter,
    "dropdown-changed": change_dropdown,
    "default-changed": change_default,
    "visibility-lowered": lower_operation,
    "operation-deprecated": deprecate_operation,
    "operation-request-changed": change_method,
    "host-changed": change_host,
    "constraint-changed": constrain_param,
    "script-changed": set_script_operations,
    "policy-changed": add_policy,
    "extension-changed": add_extension,
    "media-type-changed": change_consumes,
    "operation-added": remove_operation,
    "optional-input-added": add_parameter(False),
    "input-became-optional": require_param,
    "input-enum-value-added": widen_enum,
    "input-enum-removed": introduce_enum,
    "output-added": remove_output,
    "output-changed": enum_output,
    "format-widened": widen_param,
    "success-response-moved": move_success_to_default,
    "connection-option-added": add_allowed_value,
    "response-added": add_response,
    "error-response-removed": remove_error_response,
    "visibility-raised": lower_operation,
    "operation-undeprecated": deprecate_operation,
    "summary-changed": change_summary,
    "description-changed": change_description,
    "example-changed": example_param,
    "metadata-changed": change_version,
    # agent connectors (generator/agents.py): the corpus has AI actions, and any POST can be made an MCP server
    "ai-action-disabled": disable_ai_action,
    "ai-action-enabled": disable_ai_action,
    "ai-confirmation-changed": flip_confirmation,
    "agent-description-changed": describe_ai_action,
    "mcp-server-added": make_mcp_server,
    "mcp-server-removed": make_mcp_server,
}
# These need an MCP server on both sides, which no corpus connector has: tests/test_agents.py edits the public MCP connectors.
MCP_PAIRS = {"mcp-endpoint-moved", "mcp-transport-changed"}
LOADING = {"properties-unreadable", "deploy-target-changed"}  # made by loading files, not by an edit: tests/test_diff_cli.py
REVERSED = {"output-placeholder-removed", "operation-added", "input-became-optional", "input-enum-removed", "output-added", "visibility-raised", "operation-undeprecated",
            "ai-action-enabled", "mcp-server-removed"}


def make_pair(kind: str, folders: list[Path]) -> tuple[Path, Side, Side, str]:
    """The first corpus connector the edit for kind applies to: (folder, OLD, NEW, operation)."""
    edit = EDITS[kind]
    for folder in folders:
        doc, props = load(folder)
        changed_doc, changed_props = copy.deepcopy(doc), copy.deepcopy(props)
        op = edit(changed_doc, changed_props)
        if op is None:
            continue
        original, edited = side(doc, props, str(folder)), side(changed_doc, changed_props, f"{folder} (edited)")
        return (folder, edited, original, op) if kind in REVERSED else (folder, original, edited, op)
    raise AssertionError(f"no corpus connector has anything the {kind} edit applies to")


DISPLAY_KEYS = {"summary", "description", "x-ms-summary", "title", "displayName", "tooltip", "x-ms-trigger-hint"}
VALUES = {"default", "example", "examples", "x-example", "x-ms-test-value", "enum"}


def translate(value: Any, parent_key: str | None = None) -> Any:
    """Every display string "translated" (upper-cased and marked), nothing else touched."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in DISPLAY_KEYS and isinstance(v, str) and parent_key != "properties":
                out[k] = "[cs] " + v.upper()
            elif k in VALUES:
                out[k] = v  # data (Motimate's default is an object with a "description" key), not display text
            else:
                out[k] = translate(v, k)
        return out
    if isinstance(value, list):
        return [translate(v, parent_key) for v in value]
    return value


def _body_schema(doc: dict, op: dict) -> dict | None:
    """Inline the body parameter's top-level schema and return it, ready to edit."""
    d = _Doc(doc)
    for i, p in enumerate(op.get("parameters") or []):
        resolved, _ = d.resolve(p)
        if isinstance(resolved, dict) and resolved.get("in") == "body":
            schema, _ = d.resolve(resolved.get("schema"))
            if isinstance(schema, dict) and isinstance(schema.get("properties"), dict) and schema["properties"]:
                schema = copy.deepcopy(schema)
                op["parameters"][i] = {**resolved, "schema": schema}
                return schema
    return None


def _with_body(change: Callable[[dict, dict], bool]):
    def edit(doc, props):
        for _, _, op, _ in unique_ops(doc):
            before = copy.deepcopy(op.get("parameters"))
            schema = _body_schema(doc, op)
            if schema is not None and change(schema, doc):
                return op["operationId"]
            if before is not None:
                op["parameters"] = before
    return edit


def _add_body_property(required: bool):
    def change(schema, doc):
        schema["properties"]["zz_added"] = {"type": "string"}
        if required:
            schema["required"] = list(schema.get("required") or []) + ["zz_added"]
        return True
    return change


def _require_body_property(schema, doc):
    optional = [n for n in schema["properties"] if n not in (schema.get("required") or [])]
    if not optional:
        return False
    schema["required"] = list(schema.get("required") or []) + [optional[0]]
    return True


def _remove_body_property(schema, doc):
    name = next(iter(schema["properties"]))
    del schema["properties"][name]
    if name in (schema.get("required") or []):
        schema["required"] = [r for r in schema["required"] if r != name]
    return True


def _retype_body_property(schema, doc):
    name = _string_prop(schema, doc)
    if name is None:
        return False
    schema["properties"][name] = {**_Doc(doc).resolve(schema["properties"][name])[0], "type": "integer"}
    return True


def _rename_body_property_case(schema, doc):
    name = next((n for n in schema["properties"] if n[:1].isalpha() and n[0].swapcase() + n[1:] not in schema["properties"]), None)
    if name is None:
        return False
    renamed = name[0].swapcase() + name[1:]
    schema["properties"] = {renamed if n == name else n: v for n, v in schema["properties"].items()}
    if name in (schema.get("required") or []):
        schema["required"] = [renamed if r == name else r for r in schema["required"]]
    return True


BODY_EDITS: dict[str, Callable] = {
    "required-input-added": _with_body(_add_body_property(True)),
    "optional-input-added": _with_body(_add_body_property(False)),
    "input-became-required": _with_body(_require_body_property),
    "input-removed": _with_body(_remove_body_property),
    "input-type-changed": _with_body(_retype_body_property),
    "input-renamed": _with_body(_rename_body_property_case),
}


def edited_clicksend(source: Path) -> str:
    """ClickSend's source with one output field removed and one required input added (YAML text)."""
    import yaml

    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    sms = data["operations"]["sms_send"]
    del sms["responses"]["200"]["schema"]["properties"]["data"]["properties"]["messages"]["items"]["properties"]["carrier"]
    sms["body"]["properties"]["messages"]["items"]["properties"]["source"] = {
        "type": "string", "required": True, "summary": {"en": "Source", "cs": "Zdroj"}}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
