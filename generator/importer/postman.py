"""A Postman collection (v2.0 or v2.1) -> a Swagger 2.0 definition, apiProperties and fixtures.

- requests -> operations (the method and the URL's path; requests to the same method and path are one
  operation, their parameters and examples together); folders -> tags ("Parent / Child");
- the host and base path: the host most requests use (collection variables filled in), and the path
  prefix they all share; a request to another host is reported and left out;
- `:name` and `{{name}}` in a path -> path parameters; query and header entries -> parameters (a value made
  of variables is no example); variables the collection defines fill the host only;
- bodies: raw JSON -> a body parameter whose schema is inferred from the example (and the saved examples'),
  urlencoded / formdata -> formData parameters, other raw text and files -> a string body;
- saved examples -> responses (schemas inferred from their bodies) and fixtures under fixtures/ in the
  project's format (docs/fixtures.md): credentials never reach one (Authorization, cookies, the API key's
  header or query parameter, and anything named like a secret are left out);
- auth: apikey, basic, bearer (an apiKey with a policy), oauth2 (authorization code) -> securityDefinitions
  and the connection; other auth types, pre-request and test scripts are findings.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any
from urllib.parse import unquote

from ..diagnostics import Finding
from . import connection
from .fit import _valid
from .losses import KINDS
from .sniff import Document

Json = dict[str, Any]
VARIABLE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
SECRET_NAME = re.compile(r"auth|token|secret|password|passwd|api[-_]?key|apikey|session|cookie|signature", re.I)
TRANSPORT_HEADERS = {"content-type", "accept", "content-length", "host", "user-agent", "connection", "accept-encoding", "cache-control",
                     "postman-token"}
KEPT_RESPONSE_HEADERS = {"content-type", "retry-after", "location"}


def _text(value: Any) -> str:
    """A description: text, or v2.1's {content, type}."""
    if isinstance(value, dict):
        value = value.get("content")
    return value if isinstance(value, str) else ""


def _pairs(value: Any) -> dict[str, Any]:
    """Auth parameters: v2.1's [{key, value}], or v2.0's {key: value}."""
    if isinstance(value, list):
        return {p.get("key"): p.get("value") for p in value if isinstance(p, dict)}
    return dict(value) if isinstance(value, dict) else {}


# --- schemas from examples -----------------------------------------------------------------------


def infer(value: Any) -> Json:
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer"}
    if isinstance(value, float):
        return {"type": "number"}
    if isinstance(value, str):
        return {"type": "string"}
    if isinstance(value, list):
        items: Json | None = None
        for item in value:
            items = infer(item) if items is None else merge(items, infer(item))
        return {"type": "array", "items": items or {}}
    if isinstance(value, dict):
        return {"type": "object", "properties": {k: infer(v) for k, v in value.items()}}
    return {}  # null: any value


def merge(a: Json, b: Json) -> Json:
    """One schema both examples fit."""
    if not a or not b:
        return a or b
    ta, tb = a.get("type"), b.get("type")
    if {ta, tb} == {"integer", "number"}:
        return {"type": "number"}
    if ta != tb:
        return {}
    if ta == "object":
        props = dict(a.get("properties") or {})
        for k, v in (b.get("properties") or {}).items():
            props[k] = merge(props[k], v) if k in props else v
        return {"type": "object", "properties": props}
    if ta == "array":
        return {"type": "array", "items": merge(a.get("items") or {}, b.get("items") or {})}
    return a


def parse_json(text: Any) -> tuple[bool, Any]:
    """(True, value) when the text is JSON once Postman's {{variables}} stand for a value."""
    if not isinstance(text, str) or not text.strip():
        return False, None
    try:
        return True, json.loads(text)
    except ValueError:
        pass
    try:
        return True, json.loads(VARIABLE.sub(lambda m: "null", text))
    except ValueError:
        return False, None


# --- the collection ------------------------------------------------------------------------------


class Request:
    def __init__(self, node: Json, path: tuple, tags: list[str], auth: Any, scripts: list):
        self.node = node
        self.path = path
        self.tags = tags
        self.auth = auth
        self.scripts = scripts
        self.name = str(node.get("name") or "request")


class Converter:
    def __init__(self, doc: Document):
        self.doc = doc
        self.c: Json = doc.value
        self.findings: list[Finding] = []
        self.variables = {v.get("key"): v.get("value") for v in self.c.get("variable") or [] if isinstance(v, dict) and v.get("key")}
        self.requests: list[Request] = []
        self.fixtures: dict[str, bytes] = {}
        self.ids: list[str] = []

    def note(self, kind: str, message: str, path: tuple) -> None:
        k = KINDS[kind]
        self.findings.append(self.doc.finding(k.id, k.severity, message, path))

    def walk(self, items: Any, path: tuple, tags: list[str], auth: Any) -> None:
        for i, item in enumerate(items if isinstance(items, list) else []):
            if not isinstance(item, dict):
                continue
            at = path + (i,)
            scripts = [e for e in item.get("event") or [] if isinstance(e, dict) and (e.get("script") or {}).get("exec")]
            if isinstance(item.get("item"), list):
                if scripts:
                    self.note("import-postman", f'the folder "{item.get("name")}" has {len(scripts)} script(s) (pre-request or test): a connector '
                              "runs none (script.csx could do the same)", at + ("event",))
                self.walk(item["item"], at + ("item",), tags + [str(item.get("name") or "")], item.get("auth", auth))
            elif isinstance(item.get("request"), (dict, str)):
                request = item["request"] if isinstance(item["request"], dict) else {"url": item["request"], "method": "GET"}
                item = {**item, "request": request}
                self.requests.append(Request(item, at, tags, request.get("auth", item.get("auth", auth)), scripts))

    # --- URLs ------------------------------------------------------------------------------------

    def fill(self, text: str) -> str:
        """Collection variables filled in (one level deep, as Postman does for a plain value)."""
        return VARIABLE.sub(lambda m: str(self.variables[m.group(1)]) if isinstance(self.variables.get(m.group(1)), (str, int, float)) else m.group(0), text)

    def fill_host(self, raw: str) -> str:
        """Collection variables filled into the URL's base only ({{baseUrl}}, or those in scheme://host): a
        variable in the path stays a path parameter."""
        lead = re.match(r"^\{\{\s*([^{}]+?)\s*\}\}", raw)
        if lead:
            return self.fill(lead.group(0)) + raw[lead.end():]
        head = re.match(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://)?[^/?#]*", raw)
        return self.fill(head.group(0)) + raw[head.end():] if head else raw

    def split_url(self, url: Any) -> tuple[str, str, list[str], list[Json]]:
        """(scheme, host, path segments, query entries) of a request's URL."""
        if isinstance(url, str):
            raw, query = url, None
        elif isinstance(url, dict):
            raw = url.get("raw")
            query = url.get("query")
            if not isinstance(raw, str):
                host = url.get("host")
                host = ".".join(map(str, host)) if isinstance(host, list) else str(host or "")
                path = url.get("path")
                path = "/".join(map(str, path)) if isinstance(path, list) else str(path or "")
                raw = f"{url.get('protocol', 'https')}://{host}/{path}"
        else:
            raw, query = "", None
        raw = self.fill_host(raw.strip())
        m = re.match(r"^(?:([A-Za-z][A-Za-z0-9+.-]*)://)?([^/?#]*)([^?#]*)(?:\?([^#]*))?", raw)
        scheme, host, path, raw_query = (m.group(1) or "", m.group(2) or "", m.group(3) or "", m.group(4)) if m else ("", "", "", None)
        if query is None and raw_query:
            query = [{"key": unquote(k), "value": unquote(v)} for k, _, v in (p.partition("=") for p in raw_query.split("&") if p)]
        segments = [s for s in path.split("/") if s]
        return scheme.lower(), host, segments, [q for q in query or [] if isinstance(q, dict) and q.get("key")]

    # --- the conversion --------------------------------------------------------------------------

    def convert(self) -> tuple[Json, Json, dict[str, bytes]]:
        c = self.c
        info = c.get("info") if isinstance(c.get("info"), dict) else {}
        if isinstance(c.get("event"), list) and any((e.get("script") or {}).get("exec") for e in c["event"] if isinstance(e, dict)):
            self.note("import-postman", "the collection's scripts (pre-request or test) are not run by a connector", ("event",))
        self.walk(c.get("item"), ("item",), [], c.get("auth"))
        urls = [(r, *self.split_url(r.node["request"].get("url"))) for r in self.requests]
        hosts = Counter(host for _, _, host, _, _ in urls if host)
        chosen = hosts.most_common(1)[0][0] if hosts else ""
        host = "" if "{{" in chosen else chosen  # a variable only an environment defines: the user sets the host
        schemes = Counter(s for _, s, h, _, _ in urls if h == chosen and s)
        kept = []
        for r, scheme, h, segments, query in urls:
            if h != chosen:
                why = f"the host {h}" if h else "no host"
                self.note("import-postman", f'request "{r.name}" goes to {why}, not {chosen or "a host"}: a connector has one host; left out',
                          r.path + ("request", "url"))
                continue
            kept.append((r, segments, query))
        if not host:
            self.note("import-fill-in", f"the requests go to {chosen or 'no host'}, which the collection does not define (an environment does): "
                      "set connector.host (and base_path) in the source", ("item",))
        base = _common_prefix([[s for s in segs] for _, segs, _ in kept])
        while base and _is_variable(base[-1]):
            base.pop()
        swagger: Json = {"swagger": "2.0", "info": {"title": str(info.get("name") or "Imported collection"),
                                                  "description": _text(info.get("description")),
                                                  "version": str(info.get("version") or "1.0")}}
        if not swagger["info"]["description"]:
            del swagger["info"]["description"]
        if host:
            swagger["host"] = host
        if base:
            swagger["basePath"] = "/" + "/".join(base)
        swagger["schemes"] = [schemes.most_common(1)[0][0] if schemes and schemes.most_common(1)[0][0] in ("http", "https") else "https"]
        auth, auth_path = self.connection_auth(c)
        security, props = self.security(auth, auth_path)
        paths: Json = {}
        ops: dict[tuple[str, str], Json] = {}
        tags: list[str] = []
        for r, segments, query in kept:
            route = "/" + "/".join(_segment(s) for s in segments[len(base):])
            method = str(r.node["request"].get("method") or "GET").lower()
            if method not in ("get", "put", "post", "delete", "options", "head", "patch"):
                self.note("import-operation", f'request "{r.name}" uses {method.upper()}, which Swagger 2.0 has not; left out', r.path + ("request", "method"))
                continue
            if r.scripts:
                self.note("import-postman", f'request "{r.name}" has {len(r.scripts)} script(s) (pre-request or test): a connector runs none',
                          r.path + ("event",))
            tag = " / ".join(t for t in r.tags if t)
            if tag and tag not in tags:
                tags.append(tag)
            key = (route, method)
            if key in ops:
                first = ops[key]
                self.note("import-operation", f'request "{r.name}" is {method.upper()} {route} again, as "{first["summary"]}": one operation, '
                          "with the parameters and examples of both", r.path)
                self.operation(r, route, method, query, first, base)
                continue
            op: Json = {"summary": r.name}
            if tag:
                op["tags"] = [tag]
            description = _text(r.node["request"].get("description")) or _text(r.node.get("description"))
            if description:
                op["description"] = description
            op["operationId"] = self.unique_id(_operation_id(r.name))
            ops[key] = op
            self.operation(r, route, method, query, op, base)
            if r.auth is not None and r.auth != auth:
                kind = r.auth.get("type") if isinstance(r.auth, dict) else None
                if kind == "noauth":
                    op["security"] = []
                elif kind != (auth or {}).get("type"):
                    self.note("import-postman", f'request "{r.name}" signs in with {kind} auth, not the collection\'s: a connection signs in one way',
                              r.path + ("request", "auth"))
            paths.setdefault(route, {})[method] = op
        for op in ops.values():
            self.finish(op)
        swagger["paths"] = paths
        if tags:
            swagger["tags"] = [{"name": t} for t in tags]
        swagger.update(security)
        return swagger, props, self.fixtures

    def operation(self, r: Request, route: str, method: str, query: list[Json], op: Json, base: list[str]) -> None:
        request = r.node["request"]
        params: dict[tuple[str, str], Json] = {(p["name"], p["in"]): p for p in op.get("parameters", [])}
        url = request.get("url") if isinstance(request.get("url"), dict) else {}
        described = {v.get("key"): v for v in url.get("variable") or [] if isinstance(v, dict)}
        for name in re.findall(r"\{([^}]+)\}", route):
            p = params.setdefault((name, "path"), {"name": name, "in": "path", "required": True, "type": "string"})
            about = described.get(name) or {}
            if _text(about.get("description")):
                p["description"] = _text(about.get("description"))
            value = about.get("value", self.variables.get(name))
            if isinstance(value, (str, int, float)) and str(value) and not VARIABLE.search(str(value)) and not self._secret(name):
                p.setdefault("x-example", str(value))
        for q in query:
            self.plain_parameter(params, q, "query")
        for h in request.get("header") or []:
            if isinstance(h, dict) and h.get("key"):
                self.plain_parameter(params, h, "header")
        body = request.get("body") if isinstance(request.get("body"), dict) else {}
        self.body(r, op, params, body, request, method)
        op["parameters"] = list(params.values())
        examples = [e for e in r.node.get("response") or [] if isinstance(e, dict)]
        op.setdefault("responses", {})
        for i, example in enumerate(examples):
            self.example(r, op, route, method, example, r.path + ("response", i), params, base)

    def plain_parameter(self, params: dict, entry: Json, where: str) -> None:
        name = str(entry["key"])
        if where == "header" and (name.lower() in TRANSPORT_HEADERS or name.lower() == "authorization" or name.lower() in self.auth_names):
            return
        if where == "query" and name.lower() in self.auth_names:
            return
        p = params.setdefault((name, where), {"name": name, "in": where, "type": "string"})
        if _text(entry.get("description")) and "description" not in p:
            p["description"] = _text(entry.get("description"))
        value = entry.get("value")
        if isinstance(value, str) and value and not VARIABLE.search(value) and not SECRET_NAME.search(name) and "x-example" not in p:
            p["x-example"] = value

    def body(self, r: Request, op: Json, params: dict, body: Json, request: Json, method: str) -> None:
        mode = body.get("mode")
        if not mode or body.get("disabled"):
            return
        content_type = next((str(h.get("value")) for h in request.get("header") or [] if isinstance(h, dict)
                             and str(h.get("key", "")).lower() == "content-type" and not h.get("disabled")), "")
        if mode == "raw":
            text = body.get("raw")
            if not isinstance(text, str) or not text.strip():
                return
            language = ((body.get("options") or {}).get("raw") or {}).get("language")
            ok, value = parse_json(text)
            if ok and (language in (None, "json") or "json" in content_type):
                self.body_parameter(params, infer(value), value)
                op["_consumes"] = content_type.split(";")[0].strip() if "json" in content_type else "application/json"
            else:
                self.body_parameter(params, {"type": "string"}, None)
                op["_consumes"] = content_type.split(";")[0].strip() or {"xml": "application/xml", "html": "text/html"}.get(language or "", "text/plain")
        elif mode in ("urlencoded", "formdata"):
            op["_consumes"] = "application/x-www-form-urlencoded" if mode == "urlencoded" else "multipart/form-data"
            for field in body.get(mode) or []:
                if not isinstance(field, dict) or not field.get("key"):
                    continue
                name = str(field["key"])
                p = params.setdefault((name, "formData"), {"name": name, "in": "formData", "type": "file" if field.get("type") == "file" else "string"})
                if _text(field.get("description")) and "description" not in p:
                    p["description"] = _text(field["description"])
        elif mode == "file":
            self.body_parameter(params, {"type": "string", "format": "binary"}, None)
            op["_consumes"] = content_type.split(";")[0].strip() or "application/octet-stream"
        elif mode == "graphql":
            graphql = body.get("graphql") if isinstance(body.get("graphql"), dict) else {}
            variables = parse_json(graphql.get("variables"))[1] if graphql.get("variables") else None
            value = {"query": graphql.get("query", ""), **({"variables": variables} if variables is not None else {})}
            self.body_parameter(params, infer(value), value)
            op["_consumes"] = "application/json"

    def body_parameter(self, params: dict, schema: Json, example: Any) -> None:
        existing = params.get(("body", "body"))
        if existing is not None:
            existing["schema"] = merge(existing["schema"], schema) if existing["schema"].get("type") == schema.get("type") else existing["schema"]
            return
        p: Json = {"name": "body", "in": "body", "required": True, "schema": schema}
        params[("body", "body")] = p

    def example(self, r: Request, op: Json, route: str, method: str, example: Json, path: tuple, params: dict, base: list[str]) -> None:
        status = example.get("code")
        if not isinstance(status, int):
            return
        headers = {str(h.get("key")): str(h.get("value")) for h in example.get("header") or [] if isinstance(h, dict) and h.get("key")}
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        ok, value = parse_json(example.get("body"))
        response = op["responses"].setdefault(str(status), {"description": str(example.get("status") or example.get("name") or status)})
        if ok:
            schema = infer(value)
            response["_schemas"] = response.get("_schemas", []) + [schema]
            op.setdefault("_produces", []).append(content_type.split(";")[0].strip() or "application/json")
        original = example.get("originalRequest") if isinstance(example.get("originalRequest"), dict) else r.node["request"]
        _, _, segments, query = self.split_url(original.get("url"))
        for q in query:
            if not q.get("disabled"):
                self.plain_parameter(params, q, "query")
        for h in original.get("header") or []:
            if isinstance(h, dict) and h.get("key") and not h.get("disabled"):
                self.plain_parameter(params, h, "header")
        original_body = original.get("body") if isinstance(original.get("body"), dict) else {}
        self.body(r, op, params, original_body, original, method)
        op["parameters"] = list(params.values())
        self.fixture(r, op, method, example, segments, query, original, status, headers, ok, value, path)

    def fixture(self, r: Request, op: Json, method: str, example: Json, segments: list[str], query: list[Json], original: Json,
                status: int, headers: dict, ok: bool, value: Any, path: tuple) -> None:
        from .write import dump

        url = original.get("url") if isinstance(original.get("url"), dict) else {}
        values = {v.get("key"): v.get("value") for v in url.get("variable") or [] if isinstance(v, dict)}

        def filled(segment: str) -> str:  # a path variable's saved value, except a credential's
            name = segment[1:] if segment.startswith(":") else None
            value = values.get(name) if name else None
            return str(value) if isinstance(value, (str, int)) and str(value) and not self._secret(name or "") else segment

        request: Json = {"method": method.upper(), "path": "/" + "/".join(filled(s) for s in segments)}
        sent_query = {str(q["key"]): str(q.get("value") or "") for q in query if not q.get("disabled") and not self._secret(str(q["key"]))}
        if sent_query:
            request["query"] = sent_query
        sent_headers = {str(h["key"]): str(h.get("value") or "") for h in original.get("header") or []
                        if isinstance(h, dict) and h.get("key") and not h.get("disabled") and not self._secret(str(h["key"]))
                        and str(h["key"]).lower() not in TRANSPORT_HEADERS - {"content-type"}}
        if sent_headers:
            request["headers"] = sent_headers
        body = original.get("body") if isinstance(original.get("body"), dict) else {}
        if body.get("mode") == "raw" and isinstance(body.get("raw"), str) and body["raw"].strip():
            parsed, request_value = parse_json(body["raw"])
            request["body"] = request_value if parsed else body["raw"]
        elif body.get("mode") in ("urlencoded", "formdata"):
            request["body"] = {str(f["key"]): str(f.get("value") or "") for f in body.get(body["mode"]) or []
                               if isinstance(f, dict) and f.get("key") and not f.get("disabled") and f.get("type") != "file"}
        response: Json = {"status": status}
        kept = {k: v for k, v in headers.items() if k.lower() in KEPT_RESPONSE_HEADERS}
        if kept:
            response["headers"] = kept
        text = example.get("body")
        if ok:
            response["body"] = value
        elif isinstance(text, str) and text:
            response["body"] = text
        name = _case(str(example.get("name") or f"example-{status}"))
        folder = f"fixtures/{op['operationId']}"
        case, n = name, 2
        while f"{folder}/{case}.yaml" in self.fixtures:
            case = f"{name}-{n}"
            n += 1
        source = (f'Postman collection "{self.c.get("info", {}).get("name", "")}", the saved example "{example.get("name", "")}" of '
                  f'the request "{r.name}" (imported by ppconnector import)')
        node = {"operation": op["operationId"], "source": source, "request": request, "response": response}
        self.fixtures[f"{folder}/{case}.yaml"] = dump(node).encode("utf-8")

    def unique_id(self, wanted: str) -> str:
        """Unique ignoring case (as the platform compares them) before fixtures are filed under it."""
        taken = {op_id.lower() for op_id in self.ids}
        unique, n = wanted, 2
        while unique.lower() in taken:
            unique = f"{wanted}_{n}"
            n += 1
        self.ids.append(unique)
        return unique

    def _secret(self, name: str) -> bool:
        return bool(SECRET_NAME.search(name)) or name.lower() in self.auth_names

    def finish(self, op: Json) -> None:
        """Schemas inferred from every example of a response merged into one; content types set."""
        for response in op.get("responses", {}).values():
            schemas = response.pop("_schemas", [])
            if schemas:
                schema: Json = {}
                for s in schemas:
                    schema = merge(schema, s) if schema else s
                response["schema"] = schema
        if not op.get("responses"):
            op["responses"] = {"200": {"description": "OK"}}
        consumes = op.pop("_consumes", None)
        produces = op.pop("_produces", None)
        ordered: Json = {}
        for key in ("tags", "summary", "description", "operationId"):
            if key in op:
                ordered[key] = op.pop(key)
        if consumes:
            ordered["consumes"] = [consumes]
        if produces:
            ordered["produces"] = list(dict.fromkeys(produces))
        body = [p for p in op.get("parameters", []) if p["in"] in ("body", "formData")]
        if body and any(p["in"] == "formData" for p in body) and any(p["in"] == "body" for p in body):
            op["parameters"] = [p for p in op["parameters"] if p["in"] != "body"]  # a form and a raw body: the form is kept
        if not op.get("parameters"):
            op.pop("parameters", None)
        ordered.update(op)
        op.clear()
        op.update(ordered)

    # --- auth ------------------------------------------------------------------------------------

    auth_names: set[str] = set()

    def key_header(self, c: Json) -> tuple[Any, tuple]:
        """No auth anywhere, but a header named like an API key (X-Api-Key, X-RapidAPI-Key) in every request: that
        is how the API signs in, so it becomes the connection's API key instead of a parameter of each action."""
        names: Counter = Counter()
        first: dict[str, tuple] = {}
        for r in self.requests:
            for i, h in enumerate(r.node["request"].get("header") or []):
                if isinstance(h, dict) and isinstance(h.get("key"), str) and re.search(r"api[-_]?key|token|auth", h["key"], re.I) \
                        and h["key"].lower() != "authorization" and not h.get("disabled"):
                    names[h["key"]] += 1
                    first.setdefault(h["key"], r.path + ("request", "header", i))
        name = next((n for n, count in names.most_common() if count == len(self.requests)), None)
        if name is None or not self.requests:
            return c.get("auth"), ("auth",)
        self.note("import-key-header", f'every request sends the header "{name}", and the collection has no auth: it is the '
                  "connection's API key", first[name])
        return {"type": "apikey", "apikey": [{"key": "key", "value": name}, {"key": "in", "value": "header"}]}, first[name]

    def connection_auth(self, c: Json) -> tuple[Any, tuple]:
        """The collection's auth; without one, the auth most of its requests use (exported collections often
        repeat it on every request)."""
        if isinstance(c.get("auth"), dict) and c["auth"].get("type") not in (None, "noauth"):
            return c["auth"], ("auth",)
        kinds = Counter(json.dumps(r.auth, sort_keys=True) for r in self.requests
                        if isinstance(r.auth, dict) and r.auth.get("type") not in (None, "noauth"))
        if not kinds:
            return self.key_header(c)
        common = kinds.most_common(1)[0][0]
        first = next(r for r in self.requests if json.dumps(r.auth, sort_keys=True) == common)
        return first.auth, first.path + ("request", "auth")

    def security(self, auth: Any, path: tuple) -> tuple[Json, Json]:
        self.auth_names = set()
        if not isinstance(auth, dict) or auth.get("type") in (None, "noauth"):
            return {}, connection.api_properties({})
        kind = auth["type"]
        values = _pairs(auth.get(kind))
        scheme: Json | None = None
        name = kind
        bearer = False
        if kind == "apikey":
            key = str(values.get("key") or "api_key")
            where = "query" if str(values.get("in", "header")) == "query" else "header"
            scheme = {"type": "apiKey", "in": where, "name": key}
            self.auth_names.add(key.lower())
            name = "api_key"
        elif kind == "basic":
            scheme, name = {"type": "basic"}, "basic_auth"
        elif kind == "bearer":
            scheme, name, bearer = {"type": "apiKey", "in": "header", "name": "Authorization"}, "bearer", True
            self.note("import-bearer", 'bearer auth: an API key in the Authorization header, with a policy that adds "Bearer "', path)
        elif kind == "oauth2":
            grant = str(values.get("grant_type") or "authorization_code")
            flow = {"authorization_code": "accessCode", "authorization_code_with_pkce": "accessCode", "implicit": "implicit",
                    "password_credentials": "password", "client_credentials": "application"}.get(grant, "accessCode")
            scheme = {"type": "oauth2", "flow": flow}
            if flow in ("accessCode", "implicit"):
                scheme["authorizationUrl"] = self.fill(str(values.get("authUrl") or ""))
            if flow != "implicit":
                scheme["tokenUrl"] = self.fill(str(values.get("accessTokenUrl") or ""))
            scopes = str(values.get("scope") or "").split()
            scheme["scopes"] = {s: s for s in scopes}
            name = "oauth2"
            if flow in ("password", "application"):
                self.note("import-security", f"OAuth grant {grant}: Power Platform's OAuth connections sign a user in with the authorization "
                          "code flow; this one needs the identity provider oauth2generic or a script", path)
        else:
            self.note("import-postman", f"{kind} auth has no Swagger 2.0 or connection form: the connector signs in with nothing; "
                      "add a connection (docs/import.md) or a script", path)
            return {}, connection.api_properties({})
        props = connection.api_properties(connection.connection_parameters(scheme, bearer), [connection.BEARER_POLICY] if bearer else [])
        return {"securityDefinitions": {name: scheme}, "security": [{name: []}]}, props


def _common_prefix(lists: list[list[str]]) -> list[str]:
    if not lists:
        return []
    prefix = list(lists[0])
    for other in lists[1:]:
        n = 0
        while n < min(len(prefix), len(other)) and prefix[n] == other[n]:
            n += 1
        prefix = prefix[:n]
    # a path that is the prefix entirely would become "/": keep at least one segment for each request's own path
    shortest = min(len(x) for x in lists)
    return prefix[: max(0, min(len(prefix), shortest - 1))] if shortest <= len(prefix) else prefix


def _is_variable(segment: str) -> bool:
    return segment.startswith(":") or bool(VARIABLE.search(segment))


def _segment(segment: str) -> str:
    if segment.startswith(":") and len(segment) > 1:
        return "{" + _valid(segment[1:]) + "}"
    return VARIABLE.sub(lambda m: "{" + _valid(m.group(1)) + "}", segment)


def _operation_id(name: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", name)
    return _valid("".join(w[:1].upper() + w[1:] for w in words) or "Request")


def _case(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "example"


def convert(doc: Document) -> tuple[Json, Json, list[Finding], dict[str, bytes]]:
    """(Swagger 2.0 definition, apiProperties, findings, fixture files by path) of a Postman collection."""
    converter = Converter(doc)
    swagger, props, fixtures = converter.convert()
    return swagger, props, converter.findings, fixtures
