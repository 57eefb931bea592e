"""A Swagger 2.0 definition made from another description -> one the platform takes, each change a finding.

Only what has one obvious fix is fitted: operationIds (made from the method and path where missing, made
valid names and unique ignoring case, as the platform compares them), summaries (at most 120 characters,
none of / \\ < > * % & ?), and paths the platform refuses (a query or fragment in the path, `*`, two paths that
differ only in their variables' names or in letter case). A connector folder (paconn download) is never
fitted: it is imported exactly as it is.
"""

from __future__ import annotations

import re
from typing import Any, Callable

Json = dict[str, Any]
Note = Callable[[str, str, tuple], None]  # (kind, message, path in the definition)
METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
SUMMARY_LIMIT = 120  # OperationSummaryTooLong
RESTRICTED = re.compile(r"[/\\<>*%&?]")  # RestrictedCharactersInSummary
VALID_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")  # others draw OperationIdSanitized (the platform strips them)


def operation_id(method: str, route: str) -> str:
    """`GET /pets/{petId}/photos` -> `get_pets_by_petId_photos`: the method and the path's words."""
    words = []
    for segment in route.strip("/").split("/"):
        variable = re.fullmatch(r"\{([^}]*)\}", segment)
        words.append(f"by_{variable.group(1)}" if variable else segment)
    text = "_".join([method.lower(), *[w for w in words if w]])
    return _valid(text)


def _valid(text: str) -> str:
    text = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_")
    text = re.sub(r"_{2,}", "_", text)
    if not text or not re.match(r"[A-Za-z_]", text):
        text = "op_" + text
    return text


def words(op_id: str) -> str:
    """`listOrders`, `get_pets_by_petId` -> "List orders", "Get pets by pet id": a name for people."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|[_\-.]+", " ", op_id).strip().lower()
    return summary(spaced[:1].upper() + spaced[1:]) if spaced else op_id


def summary(text: str) -> str:
    fitted = text.replace("&", " and ")
    fitted = RESTRICTED.sub(" ", fitted)
    fitted = re.sub(r"\s+", " ", fitted).strip()
    if len(fitted) > SUMMARY_LIMIT:
        cut = fitted[: SUMMARY_LIMIT - 3]
        fitted = (cut.rsplit(" ", 1)[0] if " " in cut[40:] else cut).rstrip(" ,.;:-") + "..."
    return fitted


def fit(definition: Json, note: Note) -> None:
    paths = definition.get("paths")
    if not isinstance(paths, dict):
        return
    _fit_paths(definition, note)
    _rename_reserved(definition, note)
    taken: dict[str, str] = {}
    for route, item in definition["paths"].items():
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            at = ("paths", route, method)
            original = op.get("operationId")
            if not isinstance(original, str) or not original.strip():
                new = operation_id(method, route)
                why = f"{method.upper()} {route} has no operationId: made " + "{new} from its method and path"
            elif not VALID_ID.match(original):
                new = _valid(original)
                why = f"operationId \"{original}\" is not a name a connector action can have (letters, digits, _): " + "{new}"
            else:
                new, why = original, 'operationId "' + original + '" is also the id of another operation (ignoring case): {new}'
            unique = new
            n = 2
            while unique.lower() in taken:
                unique = f"{new}_{n}"
                n += 1
            if unique != original:
                op["operationId"] = unique
                _first(op, "operationId", after=("tags", "summary", "description", "externalDocs"))
                note("import-operation-id", why.replace("{new}", unique), at + (("operationId",) if original is not None else ()))
            taken[unique.lower()] = route
            body = [p for p in op.get("parameters", []) if isinstance(p, dict) and p.get("in") in ("body", "formData")]
            if body and method in ("get", "head"):
                op["parameters"] = [p for p in op["parameters"] if p not in body]
                if not op["parameters"]:
                    del op["parameters"]
                op.pop("consumes", None)
                note("import-operation", f"{method.upper()} {route} sends a body, which the platform refuses on {method.upper()} "
                     "(BodyOrFormDataParameterInFetchOperationNotAllowed); the body is dropped", at)
            text = op.get("summary")
            if not isinstance(text, str) or not text.strip():
                op["summary"] = words(unique)
                _first(op, "summary", after=("tags",))
                note("import-summary", f'{method.upper()} {route} has no summary, the action\'s name in flows: made "{op["summary"]}" from its operationId', at)
                text = op["summary"]
            for parameter in [*op.get("parameters", []), *item.get("parameters", [])]:
                if isinstance(parameter, dict) and parameter.get("in") == "path" and "x-ms-url-encoding" not in parameter:
                    parameter["x-ms-url-encoding"] = "single"  # what PathParameterMissingEncoding asks for
            if isinstance(text, str) and (len(text) > SUMMARY_LIMIT or RESTRICTED.search(text)):
                fitted = summary(text)
                op["summary"] = fitted
                note("import-summary", f'summary "{_short(text)}" written as "{_short(fitted)}": the platform refuses summaries longer than '
                     "120 characters or with / \\ < > * % & ?", at + ("summary",))


def _fit_paths(definition: Json, note: Note) -> None:
    kept: Json = {}
    shapes: dict[str, str] = {}
    for route, item in definition["paths"].items():
        at = ("paths", route)
        if "?" in route or "#" in route:
            note("import-operation", f'path "{route}" holds a query or fragment: the platform refuses it; dropped', at)
            continue
        if "*" in route:
            note("import-operation", f'path "{route}" holds "*": the platform refuses it; dropped', at)
            continue
        shape = re.sub(r"\{[^}]*\}", "{}", route).lower()
        if shape in shapes:
            note("import-operation", f'path "{route}" is "{shapes[shape]}" again (only its variables\' names or letter case differ): '
                 "the platform refuses two; dropped", at)
            continue
        shapes[shape] = route
        kept[route] = item
    definition["paths"] = kept


RESERVED_NAME = "connectionId"  # ConnectionIdParameterNotAllowed: the platform puts the connection's id there


def _rename_reserved(definition: Json, note: Note) -> None:
    """A path parameter named connectionId is renamed in the parameter and the path template alike, which sends
    the same request; a query or header parameter keeps its name (the API reads it), and check reports it."""
    renamed: Json = {}
    shared = definition.get("parameters") if isinstance(definition.get("parameters"), dict) else {}
    for p in shared.values():
        if isinstance(p, dict) and p.get("in") == "path" and p.get("name") == RESERVED_NAME:
            p["name"] = RESERVED_NAME + "_"
    for route, item in definition["paths"].items():
        if not isinstance(item, dict) or "{" + RESERVED_NAME + "}" not in route:
            renamed[route] = item
            continue
        new_route = route.replace("{" + RESERVED_NAME + "}", "{" + RESERVED_NAME + "_}")
        for parameters in [item.get("parameters")] + [op.get("parameters") for m, op in item.items() if m in METHODS and isinstance(op, dict)]:
            for p in parameters if isinstance(parameters, list) else []:
                if isinstance(p, dict) and p.get("in") == "path" and p.get("name") == RESERVED_NAME:
                    p["name"] = RESERVED_NAME + "_"
        note("import-parameter-name", f'path parameter "{RESERVED_NAME}" of {route} written as "{RESERVED_NAME}_" (the platform reserves '
             "the name; the request sent is the same)", ("paths", route))
        renamed[new_route] = item
    definition["paths"] = renamed


def _first(op: Json, key: str, after: tuple) -> None:
    """Put key where Swagger 2.0 writers put it (after tags, summary, description)."""
    items = list(op.items())
    value = op[key]
    items = [(k, v) for k, v in items if k != key]
    position = max([i + 1 for i, (k, _) in enumerate(items) if k in after], default=0)
    items.insert(position, (key, value))
    op.clear()
    op.update(items)


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."
