"""An OpenAPI 3.0 or 3.1 document -> a Swagger 2.0 definition and apiProperties, with a finding for every
part Swagger 2.0 cannot say (losses.py names the kinds).

The mapping, part by part:
- servers -> host, basePath, schemes (the first server; variables at their defaults);
- requestBody -> one `in: body` parameter (JSON and other bodies) or `in: formData` parameters (forms);
  content types -> consumes/produces (the document's most common list at the top, others per operation);
- components.schemas/parameters/responses -> definitions/parameters/responses (request bodies, headers,
  examples and path items are written where they are used);
- schemas: nullable and 3.1's `type: [x, "null"]` -> x-nullable; oneOf/anyOf -> one schema with every
  option's properties; allOf kept; const -> a one-value enum; 3.1's numeric exclusiveMinimum -> minimum +
  exclusiveMinimum: true;
- securitySchemes -> securityDefinitions (apiKey, http basic, http bearer as an apiKey with a policy, oauth2's
  flows) and the connection parameters of apiProperties (connection.py);
- operationIds made from the method and path where missing; fit.py then fits what the platform refuses.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..diagnostics import Finding
from ..pointer import value_at
from . import connection
from .losses import KINDS
from .sniff import Document, pointer

Json = dict[str, Any]
METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
JSON_TYPE = re.compile(r"^application/(.+\+)?json(;.*)?$|^\*/\*$", re.I)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

# Schema keywords Swagger 2.0 has, copied as they are (after their values are converted where they hold schemas).
_SCHEMA_PLAIN = ("title", "description", "format", "default", "multipleOf", "maximum", "minimum", "maxLength", "minLength",
                 "pattern", "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties", "required", "enum",
                 "readOnly", "xml", "externalDocs", "example")
# Keys of a non-body parameter (Swagger 2.0's items-like fields) taken from its schema.
_PARAMETER_FROM_SCHEMA = ("type", "format", "items", "default", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
                          "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "enum", "multipleOf")
_ITEMS_KEYS = _PARAMETER_FROM_SCHEMA
_QUIET = {"$schema", "$id", "$comment"}  # document metadata of a schema, no meaning for a request or response


class Converter:
    def __init__(self, doc: Document):
        self.doc = doc
        self.oas: Json = doc.value
        self.v31 = str(self.oas.get("openapi", "")).startswith("3.1")
        self.findings: list[Finding] = []
        self.components = self.oas.get("components") if isinstance(self.oas.get("components"), dict) else {}
        self.schemas = self._section("schemas")
        self.aliases = self._aliases()
        self.inlining: list[str] = []  # local $refs being written inline: a loop is cut, not followed forever
        self.consumes: Counter = Counter()
        self.produces: Counter = Counter()
        self.used_bodies: set[str] = set()
        self.bearer_schemes: set[str] = set()
        self.definitions_security: Json = {}

    # --- findings --------------------------------------------------------------------------------

    def note(self, kind: str, message: str, path: tuple) -> None:
        k = KINDS[kind]
        self.findings.append(self.doc.finding(k.id, k.severity, message, path))

    # --- references ------------------------------------------------------------------------------

    def _section(self, name: str) -> Json:
        value = self.components.get(name)
        return value if isinstance(value, dict) else {}

    def _aliases(self) -> dict[str, str]:
        """Schemas that are only a $ref to another schema: Swagger 2.0's platform refuses such aliases
        (SchemaRefLoopNotAllowed), so a reference to one points at what it names."""
        out = {}
        for name, s in self.schemas.items():
            only_ref = list(s) == ["$ref"] if self.v31 else True  # OpenAPI 3.0 ignores a $ref's siblings
            if isinstance(s, dict) and "$ref" in s and only_ref and isinstance(s["$ref"], str) and s["$ref"].startswith("#/components/schemas/"):
                out[name] = _unescape(s["$ref"][len("#/components/schemas/"):])
        return out

    def schema_name(self, name: str) -> str:
        seen = set()
        while name in self.aliases and name not in seen:
            seen.add(name)
            name = self.aliases[name]
        return name

    def resolve(self, node: Any, path: tuple) -> tuple[Any, tuple]:
        """A $ref'd object (request body, parameter, response, header, example, path item) and its path."""
        seen = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#/") or ref in seen:
                if not ref.startswith("#"):
                    self.note("import-external-ref", f'$ref "{ref}" names another file; only references inside the document are read', path)
                return {}, path
            seen.add(ref)
            target = self.lookup(ref)
            if target is None:
                return {}, path
            node, path = target, tuple(_unescape(p) for p in ref[2:].split("/"))
        return node, path

    def lookup(self, ref: str) -> Any:
        return value_at(self.oas, ref) if ref.startswith("#/") else self.oas

    # --- schemas ---------------------------------------------------------------------------------

    def schema(self, s: Any, path: tuple) -> Json:
        if s is True or s is None:
            return {}
        if s is False:
            self.note("import-schema-keyword", "the schema `false` (no value is valid) has no Swagger 2.0 form; any value is accepted", path)
            return {}
        if not isinstance(s, dict):
            return {}
        out: Json = {}
        if isinstance(s.get("$ref"), str):
            out.update(self.schema_ref(s["$ref"], path))
            if not self.v31:
                return out  # OpenAPI 3.0: a $ref's siblings are ignored
        nullable = s.get("nullable") is True
        types = s.get("type")
        if isinstance(types, list):
            if "null" in types:
                nullable = True
            rest = [t for t in types if t != "null"]
            if len(rest) == 1:
                out["type"] = rest[0]
            elif rest:
                self.note("import-schema-keyword", f"several types {rest}: Swagger 2.0 has one type per value; any value is accepted", path + ("type",))
        elif isinstance(types, str) and types != "null":
            out["type"] = types
        for key, value in s.items():
            at = path + (key,)
            if key in ("$ref", "type", "nullable") or key.startswith("x-"):
                continue
            if key == "example":
                out[key] = self.example_value(value)
            elif key in _SCHEMA_PLAIN:
                out[key] = value
            elif key in ("exclusiveMinimum", "exclusiveMaximum"):
                if isinstance(value, bool):
                    out[key] = value
                elif isinstance(value, (int, float)):  # 3.1: the bound itself
                    out["minimum" if key == "exclusiveMinimum" else "maximum"] = value
                    out[key] = True
            elif key == "items":
                if isinstance(value, list):
                    self.note("import-schema-keyword", "items as a list (a tuple) has no Swagger 2.0 form; the first item's schema is kept", at)
                    out["items"] = self.schema(value[0] if value else {}, at + (0,))
                else:
                    out["items"] = self.schema(value, at)
            elif key == "properties" and isinstance(value, dict):
                out["properties"] = {name: self.schema(p, at + (name,)) for name, p in value.items()}
            elif key == "additionalProperties":
                out[key] = value if isinstance(value, bool) else self.schema(value, at)
            elif key == "allOf" and isinstance(value, list):
                out["allOf"] = [self.schema(x, at + (i,)) for i, x in enumerate(value)]
            elif key in ("oneOf", "anyOf") and isinstance(value, list):
                nullable = self.composition(key, value, at, out) or nullable
            elif key == "not":
                self.note("import-composition", "not (a value that must not match a schema) has no Swagger 2.0 form; dropped", at)
            elif key == "discriminator" and isinstance(value, dict):
                if isinstance(value.get("propertyName"), str):
                    out["discriminator"] = value["propertyName"]
                if value.get("mapping"):
                    self.note("import-composition", "the discriminator's mapping has no Swagger 2.0 form (the type names must be the values)", at + ("mapping",))
            elif key == "const":
                out["enum"] = [value]
                self.note("import-const", "const written as a one-value enum", at)
            elif key == "examples" and isinstance(value, list):
                if value:
                    out.setdefault("example", value[0])
                if len(value) > 1:
                    self.note("import-examples", f"{len(value)} examples: the first is kept", at)
            elif key in _QUIET:
                continue
            else:
                self.note("import-schema-keyword", f'"{key}" has no Swagger 2.0 form; dropped', at)
        for key, value in s.items():
            if key.startswith("x-"):
                out[key] = value
        if "enum" in out and isinstance(out["enum"], list) and None in out["enum"]:
            out["enum"] = [v for v in out["enum"] if v is not None]
            nullable = True
            if not out["enum"]:
                del out["enum"]
        if "discriminator" in out:
            name = out["discriminator"]
            prop = (out.get("properties") or {}).get(name) or {}
            if "oneOf" in s or "anyOf" in s or prop.get("type") != "string" or name not in (out.get("required") or []):
                del out["discriminator"]  # Swagger 2.0's names a required string property of this schema (allOf inheritance)
                self.note("import-composition", f'the discriminator "{name}" is not a required string property of this schema '
                          "(what Swagger 2.0 asks); dropped", path + ("discriminator",))
        if nullable:
            out["x-nullable"] = True
        if out.get("type") == "array" and "items" not in out:
            out["items"] = {}
        if "type" not in out and "$ref" not in out and ("properties" in out or "required" in out):
            out["type"] = "object"  # OpenAPI documents often leave it out; the platform wants it where required is
        return out

    def schema_ref(self, ref: str, path: tuple) -> Json:
        if ref.startswith("#/components/schemas/"):
            name = self.schema_name(_unescape(ref[len("#/components/schemas/"):]))
            if name in self.schemas:
                return {"$ref": "#/definitions/" + _escape(name)}
        if not ref.startswith("#"):
            self.note("import-external-ref", f'$ref "{ref}" names another file; only references inside the document are read: any value is accepted', path)
            return {}
        if ref in self.inlining:  # a loop through a place that is not a named schema
            return {}
        target = self.lookup(ref)
        if target is None:
            return {"$ref": ref}  # check reports the broken reference where the document has it
        self.inlining.append(ref)
        try:
            return self.schema(target, tuple(_unescape(p) for p in ref[2:].split("/")))
        finally:
            self.inlining.pop()

    def composition(self, key: str, options: list, path: tuple, out: Json) -> bool:
        """oneOf/anyOf: a null option makes the value nullable; one other option is the value's schema; several
        become one schema with every option's properties (a finding says the choice is lost). Returns nullable."""
        nullable = False
        kept = []
        for i, option in enumerate(options):
            if isinstance(option, dict) and (option.get("type") == "null" or option.get("enum") == [None]):
                nullable = True
                continue
            kept.append((i, option))
        if len(kept) == 1:
            i, option = kept[0]
            for k, v in self.schema(option, path + (i,)).items():
                out.setdefault(k, v)
            return nullable
        if not kept:
            return nullable
        converted = [self.schema(o, path + (i,)) for i, o in kept]
        resolved = [self._deref(c) for c in converted]
        types = {r.get("type") or ("object" if "properties" in r else None) for r in resolved}
        if types == {"object"}:
            props: Json = {}
            for r in resolved:
                for name, p in (r.get("properties") or {}).items():
                    props.setdefault(name, p)
            out.setdefault("type", "object")
            if props:
                out.setdefault("properties", {}).update({k: v for k, v in props.items() if k not in out.get("properties", {})})
            self.note("import-composition", f"{key} of {len(kept)} object schemas: written as one object with the properties of each "
                      "(which one applies is lost)", path)
        elif len(types) == 1 and None not in types:
            out.setdefault("type", types.pop())
            enums = [r.get("enum") for r in resolved]
            if all(isinstance(e, list) for e in enums):
                out.setdefault("enum", [v for e in enums for v in e])
            self.note("import-composition", f"{key} of {len(kept)} schemas of type {out['type']}: written as one", path)
        else:
            self.note("import-composition", f"{key} of {len(kept)} schemas of different types: any value is accepted", path)
        return nullable

    def _deref(self, s: Json) -> Json:
        ref = s.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            target = self.schemas.get(_unescape(ref[len("#/definitions/"):]))
            return self.schema(target, ("components", "schemas", ref)) if isinstance(target, dict) and "$ref" not in target else s
        return s

    def quiet_schema(self, s: Any, path: tuple) -> Json:
        """A schema converted only to read its shape (a parameter's type): its findings are not repeated."""
        count = len(self.findings)
        try:
            return self._deref(self.schema(s, path))
        finally:
            del self.findings[count:]

    # --- parameters ------------------------------------------------------------------------------

    def parameter(self, p: Any, path: tuple, shared: bool = False) -> Json | None:
        if isinstance(p, dict) and isinstance(p.get("$ref"), str) and p["$ref"].startswith("#/components/parameters/"):
            name = _unescape(p["$ref"][len("#/components/parameters/"):])
            target = self._section("parameters").get(name)
            if isinstance(target, dict) and target.get("in") != "cookie" and "$ref" not in target:
                return {"$ref": "#/parameters/" + _escape(name)}
        p, path = self.resolve(p, path)
        if not isinstance(p, dict) or not p.get("name"):
            return None
        where = p.get("in")
        if where == "cookie":
            if not shared:
                self.note("import-cookie-parameter", f'cookie parameter "{p["name"]}": Swagger 2.0 has no cookie parameters; not sent', path)
            return None
        if where not in ("query", "header", "path"):
            return None
        if where == "header" and str(p["name"]).lower() in ("accept", "content-type", "authorization"):
            return None  # OpenAPI 3 says these are ignored: content types and security schemes say them
        out: Json = {"name": p["name"], "in": where}
        if isinstance(p.get("description"), str):
            out["description"] = p["description"]
        if where == "path" or p.get("required") is True:
            out["required"] = True
        schema = p.get("schema")
        if schema is None and isinstance(p.get("content"), dict) and p["content"]:
            media, body = next(iter(p["content"].items()))
            schema = body.get("schema") if isinstance(body, dict) else None
            self.note("import-parameter-schema", f'parameter "{p["name"]}" is {media} text: sent as a string', path + ("content",))
            schema = {"type": "string"}
        flat = self.flatten(schema, path + ("schema",), f'parameter "{p["name"]}"')
        out.update(flat)
        if where == "query" and p.get("allowEmptyValue") is True:
            out["allowEmptyValue"] = True
        if out.get("type") == "array":
            fmt = self.collection_format(p, where, path)
            if fmt:
                out["collectionFormat"] = fmt
        if p.get("allowReserved") is True:
            self.note("import-parameter-style", f'parameter "{p["name"]}": allowReserved (reserved characters sent unencoded) has no Swagger 2.0 form', path + ("allowReserved",))
        if p.get("deprecated") is True:
            self.note("import-schema-keyword", f'parameter "{p["name"]}" is deprecated; Swagger 2.0 parameters cannot say so', path + ("deprecated",))
        example = self.example_of(p, path)
        if example is not None:
            out["x-example"] = example
        for k, v in p.items():
            if k.startswith("x-"):
                out[k] = v
        return out

    def _parameter_key(self, p: Json) -> tuple:
        if "$ref" in p:
            target = self._section("parameters").get(_unescape(p["$ref"][len("#/parameters/"):])) or {}
            return (target.get("name"), target.get("in"))
        return (p.get("name"), p.get("in"))

    def flatten(self, schema: Any, path: tuple, what: str) -> Json:
        """A non-body parameter's (or header's) schema as Swagger 2.0's type, format, items, enum, ... fields."""
        s = self.quiet_schema(schema, path) if schema is not None else {"type": "string"}
        kind = s.get("type")
        if kind in ("object",) or (kind is None and ("properties" in s or "allOf" in s)) or "$ref" in s:
            self.note("import-parameter-schema", f"{what} is an object (or a composition): sent as a string", path)
            return {"type": "string"}
        if kind is None:
            self.note("import-parameter-schema", f"{what} has no single type: sent as a string", path)
            return {"type": "string"}
        out = {k: s[k] for k in _PARAMETER_FROM_SCHEMA if k in s}
        if kind == "array":
            items = s.get("items") or {}
            items = self._deref(items) if isinstance(items, dict) else {}
            if items.get("type") not in ("string", "integer", "number", "boolean"):
                if items:
                    self.note("import-parameter-schema", f"{what} is a list of objects: sent as a list of strings", path)
                items = {"type": "string"}
            out["items"] = {k: items[k] for k in _ITEMS_KEYS if k in items and k != "items"}
        if isinstance(s.get("description"), str) and "description" not in out:
            pass  # a parameter's own description wins; its schema's is not a parameter field
        return out

    def collection_format(self, p: Json, where: str, path: tuple) -> str | None:
        style = p.get("style") or ("form" if where == "query" else "simple")
        explode = p.get("explode", style == "form")
        name = p["name"]
        if style == "form" and explode:
            # Swagger 2.0 says this `multi` (?a=1&a=2); the platform refuses it (CollectionFormatValueNotSupported)
            self.note("import-parameter-style", f'parameter "{name}" is sent by the API as ?{name}=1&{name}=2 (form, explode); '
                      f"the platform sends only ?{name}=1,2 (csv)", path)
            return "csv"
        if style in ("form", "simple"):
            return "csv"
        if style == "spaceDelimited":
            return "ssv"
        if style == "pipeDelimited":
            return "pipes"
        self.note("import-parameter-style", f'parameter "{name}" has style {style}, which Swagger 2.0 cannot say: sent comma-separated', path + ("style",))
        return "csv"

    def example_value(self, value: Any, depth: int = 0) -> Any:
        """An example's value with `{$ref: "#/components/examples/X"}` inside it replaced by X's value: Swagger 2.0
        readers take every $ref as a reference (swagger-unresolved-ref), so none may stay in a value."""
        if depth > 20:
            return value
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and len(value) == 1:
                target = self.lookup(ref) if ref.startswith("#/") else None
                if isinstance(target, dict) and ref.startswith("#/components/examples/"):
                    return self.example_value(target.get("value"), depth + 1)
                return {"x-ref": ref}  # a $ref that names no example: kept as text, not as a reference
            return {k: self.example_value(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list):
            return [self.example_value(v, depth + 1) for v in value]
        return value

    def example_of(self, node: Json, path: tuple) -> Any:
        value = self._example_of(node, path)
        return None if value is None else self.example_value(value)

    def _example_of(self, node: Json, path: tuple) -> Any:
        if "example" in node:
            return node["example"]
        examples = node.get("examples")
        if isinstance(examples, dict) and examples:
            name, first = next(iter(examples.items()))
            first, _ = self.resolve(first, path + ("examples", name))
            if len(examples) > 1:
                self.note("import-examples", f"{len(examples)} named examples: the first ({name}) is kept", path + ("examples",))
            if isinstance(first, dict) and "value" in first:
                return first["value"]
        return None

    # --- request bodies and responses -----------------------------------------------------------

    def pick_media(self, content: Json, path: tuple, what: str, request: bool) -> str | None:
        types = [t for t in content if isinstance(t, str)]
        if not types:
            return None
        ranked = sorted(types, key=lambda t: (0 if JSON_TYPE.match(t) and t != "*/*" else 1 if request and t in FORM_TYPES else 2 if t == "*/*" else 3))
        chosen = ranked[0]
        others = [t for t in types if t != chosen]
        if others:
            self.note("import-content-types", f"{what} in {len(types)} content types: {chosen} is kept; {', '.join(others)} "
                      "cannot be chosen in Swagger 2.0", path)
        return chosen

    def request_body(self, body: Any, path: tuple, method: str) -> tuple[list[Json], str | None]:
        if isinstance(body, dict) and isinstance(body.get("$ref"), str):
            self.used_bodies.add(body["$ref"])
        body, path = self.resolve(body, path)
        if not isinstance(body, dict) or not isinstance(body.get("content"), dict) or not body["content"]:
            return [], None
        if method in ("get", "head"):
            self.note("import-operation", f"a request body on {method.upper()}: the platform sends none; dropped", path)
            return [], None
        media = self.pick_media(body["content"], path + ("content",), "the request body", request=True)
        if media is None:
            return [], None
        entry = body["content"][media] if isinstance(body["content"][media], dict) else {}
        at = path + ("content", media)
        if media.split(";")[0].strip().lower() in FORM_TYPES:
            return self.form_parameters(entry, at, media, body.get("required") is True), media
        out: Json = {"name": body.get("x-codegen-request-body-name") or "body", "in": "body"}
        if isinstance(body.get("description"), str):
            out["description"] = body["description"]
        if body.get("required") is True:
            out["required"] = True
        schema = self.schema(entry.get("schema"), at + ("schema",)) if "schema" in entry else ({} if JSON_TYPE.match(media) else {"type": "string", "format": "binary"})
        example = self.example_of(entry, at)
        if example is not None and "$ref" not in schema:
            schema.setdefault("example", example)
        out["schema"] = schema
        for k, v in body.items():
            if k.startswith("x-") and k != "x-codegen-request-body-name":
                out[k] = v
        return [out], media

    def form_parameters(self, entry: Json, path: tuple, media: str, required_body: bool) -> list[Json]:
        schema = self.quiet_schema(entry.get("schema"), path + ("schema",))
        merged = self._merged_object(schema)
        required = set(merged.get("required") or []) if isinstance(merged.get("required"), list) else set()
        multipart = media.startswith("multipart/")
        out = []
        for name, prop in (merged.get("properties") or {}).items():
            at = path + ("schema", "properties", name)
            prop = self._deref(prop) if isinstance(prop, dict) else {}
            p: Json = {"name": name, "in": "formData"}
            if isinstance(prop.get("description"), str):
                p["description"] = prop["description"]
            if name in required:
                p["required"] = True
            if prop.get("type") == "string" and prop.get("format") == "binary" and multipart:
                p["type"] = "file"
            elif prop.get("type") == "array" and isinstance(prop.get("items"), dict) and prop["items"].get("format") == "binary" and multipart:
                self.note("import-form-encoding", f'form field "{name}" is a list of files: Swagger 2.0 sends one file per field', at)
                p["type"] = "file"
            else:
                p.update(self.flatten(prop, at, f'form field "{name}"'))
                if p.get("type") == "array":
                    p["collectionFormat"] = "csv"
            out.append(p)
        if not out and merged.get("type") not in (None, "object"):
            self.note("import-form-encoding", "a form body that is not an object of fields has no Swagger 2.0 form; dropped", path)
        if isinstance(entry.get("encoding"), dict) and entry["encoding"]:
            self.note("import-form-encoding", "the form's encoding (content types and headers of its parts) has no Swagger 2.0 form", path + ("encoding",))
        return out

    def _merged_object(self, s: Json) -> Json:
        if "allOf" not in s:
            return s
        merged: Json = {"type": "object", "properties": {}, "required": []}
        for part in s["allOf"]:
            part = self._merged_object(self._deref(part))
            merged["properties"].update(part.get("properties") or {})
            merged["required"] += list(part.get("required") or [])
        merged["properties"].update(s.get("properties") or {})
        merged["required"] += list(s.get("required") or [])
        return merged

    def response(self, r: Any, path: tuple) -> tuple[Json, str | None]:
        if isinstance(r, dict) and isinstance(r.get("$ref"), str) and r["$ref"].startswith("#/components/responses/"):
            name = _unescape(r["$ref"][len("#/components/responses/"):])
            target = self._section("responses").get(name)
            if isinstance(target, dict) and "$ref" not in target:
                return {"$ref": "#/responses/" + _escape(name)}, self._response_media(target)
        r, path = self.resolve(r, path)
        if not isinstance(r, dict):
            return {"description": ""}, None
        out: Json = {"description": r.get("description") if isinstance(r.get("description"), str) else ""}
        media = None
        content = r.get("content")
        if isinstance(content, dict) and content:
            media = self.pick_media(content, path + ("content",), "the response", request=False)
            entry = content.get(media) if isinstance(content.get(media), dict) else {}
            at = path + ("content", media)
            if "schema" in entry:
                out["schema"] = self.schema(entry["schema"], at + ("schema",))
            example = self.example_of(entry, at)
            if example is not None:
                out["examples"] = {media: example}
        headers = r.get("headers")
        if isinstance(headers, dict) and headers:
            out_headers = {}
            for name, h in headers.items():
                h, hpath = self.resolve(h, path + ("headers", name))
                if not isinstance(h, dict):
                    continue
                header = self.flatten(h.get("schema"), hpath + ("schema",), f'response header "{name}"')
                if isinstance(h.get("description"), str):
                    header = {"description": h["description"], **header}
                out_headers[name] = header
            out["headers"] = out_headers
        if isinstance(r.get("links"), dict) and r["links"]:
            self.note("import-links", f"links ({', '.join(r['links'])}) have no Swagger 2.0 form; dropped", path + ("links",))
        for k, v in r.items():
            if k.startswith("x-"):
                out[k] = v
        return out, media

    def _response_media(self, r: Json) -> str | None:
        content = r.get("content")
        if not isinstance(content, dict) or not content:
            return None
        types = [t for t in content if isinstance(t, str)]
        return sorted(types, key=lambda t: 0 if JSON_TYPE.match(t) and t != "*/*" else 1)[0] if types else None

    # --- operations ------------------------------------------------------------------------------

    def operation(self, route: str, method: str, op: Json, path: tuple) -> Json:
        out: Json = {}
        for key in ("tags", "summary", "description", "externalDocs", "operationId", "deprecated"):
            if key in op:
                out[key] = op[key]
        params = [x for i, p in enumerate(op.get("parameters") or []) if (x := self.parameter(p, path + ("parameters", i))) is not None]
        body, consumes = self.request_body(op.get("requestBody"), path + ("requestBody",), method) if "requestBody" in op else ([], None)
        params += body
        if params:
            out["parameters"] = params
        responses: Json = {}
        produced = []
        for code, r in (op.get("responses") or {}).items():
            key = str(code)
            if re.fullmatch(r"[1-5]XX", key, re.I):
                key = key[0] + "00"
                if key in (op.get("responses") or {}):
                    self.note("import-response-code", f"response {code}: Swagger 2.0 has no ranges, and {key} is declared too; dropped", path + ("responses", code))
                    continue
                self.note("import-response-code", f"response {code} written as {key}: Swagger 2.0 has no ranges", path + ("responses", code))
            responses[key], media = self.response(r, path + ("responses", code))
            if media:
                produced.append(media)
        out["responses"] = responses
        if consumes:
            out["consumes"] = [consumes]
            self.consumes[consumes] += 1
        if produced:
            out["produces"] = list(dict.fromkeys(produced))
            self.produces[tuple(out["produces"])] += 1
        if "security" in op:
            security = self.security_requirement(op["security"], path + ("security",))
            if security is not None:
                out["security"] = security
        if isinstance(op.get("callbacks"), dict) and op["callbacks"]:
            self.note("import-callbacks", f"callbacks ({', '.join(op['callbacks'])}) have no Swagger 2.0 form: a webhook trigger "
                      "is written by hand (docs/import.md)", path + ("callbacks",))
        if isinstance(op.get("servers"), list) and op["servers"]:
            self.note("import-servers", "this operation's own servers have no Swagger 2.0 form: it is sent to the connector's host", path + ("servers",))
        for k, v in op.items():
            if k.startswith("x-"):
                out[k] = v
        return out

    def paths(self) -> Json:
        out: Json = {}
        paths = self.oas.get("paths") if isinstance(self.oas.get("paths"), dict) else {}
        for route, item in paths.items():
            at = ("paths", route)
            item, _ = self.resolve(item, at)
            if not isinstance(item, dict):
                continue
            result: Json = {}
            for key in ("summary", "description"):
                if isinstance(item.get(key), str) and item[key]:
                    self.note("import-unused", f"the path's {key} has no Swagger 2.0 place (an operation's own is kept)", at + (key,))
            if isinstance(item.get("servers"), list) and item["servers"]:
                self.note("import-servers", "this path's own servers have no Swagger 2.0 form: it is sent to the connector's host", at + ("servers",))
            shared = [x for i, p in enumerate(item.get("parameters") or []) if (x := self.parameter(p, at + ("parameters", i))) is not None]
            for method in METHODS:
                if isinstance(item.get(method), dict):
                    result[method] = self.operation(route, method, item[method], at + (method,))
            if isinstance(item.get("trace"), dict):
                self.note("import-operation", "a TRACE operation: Swagger 2.0 has no trace; dropped", at + ("trace",))
            for op in (result[m] for m in METHODS if m in result):
                # the path's parameters written into each operation (the same in Swagger 2.0), as connectors write them
                own = {self._parameter_key(p) for p in op.get("parameters", [])}
                inherited = [p for p in shared if self._parameter_key(p) not in own]
                if inherited:
                    op["parameters"] = inherited + op.get("parameters", [])
            for k, v in item.items():
                if k.startswith("x-"):
                    result[k] = v
            out[route] = result
        return out

    # --- security --------------------------------------------------------------------------------

    def security_schemes(self) -> tuple[Json, dict[str, str]]:
        """Swagger 2.0 securityDefinitions, and for each OpenAPI scheme the Swagger scheme that stands for it."""
        out: Json = {}
        names: dict[str, str] = {}
        for name, scheme in self._section("securitySchemes").items():
            at = ("components", "securitySchemes", name)
            scheme, at = self.resolve(scheme, at)
            if not isinstance(scheme, dict):
                continue
            kind = scheme.get("type")
            about = {"description": scheme["description"]} if isinstance(scheme.get("description"), str) and scheme["description"] else {}
            extensions = {k: v for k, v in scheme.items() if k.startswith("x-")}
            if kind == "apiKey" and scheme.get("in") in ("header", "query"):
                out[name] = {"type": "apiKey", "in": scheme["in"], "name": scheme.get("name", ""), **about, **extensions}
            elif kind == "apiKey":
                self.note("import-cookie-parameter", f'security scheme "{name}" sends its key in a cookie: Swagger 2.0 cannot', at + ("in",))
                continue
            elif kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
                out[name] = {"type": "basic", **about, **extensions}
            elif kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
                out[name] = {"type": "apiKey", "in": "header", "name": "Authorization", **about, **extensions}
                self.bearer_schemes.add(name)
                self.note("import-bearer", f'HTTP bearer scheme "{name}": an API key in the Authorization header, with a policy that '
                          'adds "Bearer " (Swagger 2.0 has no bearer scheme)', at)
            elif kind == "oauth2" and isinstance(scheme.get("flows"), dict):
                flows = scheme["flows"]
                order = [f for f in ("authorizationCode", "implicit", "password", "clientCredentials") if isinstance(flows.get(f), dict)]
                if not order:
                    continue
                flow = flows[order[0]]
                swagger_flow = {"authorizationCode": "accessCode", "implicit": "implicit", "password": "password",
                                "clientCredentials": "application"}[order[0]]
                converted: Json = {"type": "oauth2", "flow": swagger_flow}
                if order[0] in ("authorizationCode", "implicit"):
                    converted["authorizationUrl"] = flow.get("authorizationUrl", "")
                if order[0] != "implicit":
                    converted["tokenUrl"] = flow.get("tokenUrl", "")
                converted["scopes"] = dict(flow.get("scopes") or {})
                if flow.get("refreshUrl"):
                    converted["x-refreshUrl"] = flow["refreshUrl"]
                out[name] = {**converted, **about, **extensions}
                if len(order) > 1:
                    self.note("import-security", f'OAuth scheme "{name}" has the flows {", ".join(order)}: a connection signs in one way; '
                              f"{order[0]} is kept", at + ("flows",))
                if order[0] in ("password", "clientCredentials"):
                    self.note("import-security", f'OAuth flow {order[0]}: Power Platform\'s OAuth connections sign a user in with the '
                              "authorization code flow; this one needs the identity provider oauth2generic or a script", at + ("flows", order[0]))
            else:
                what = scheme.get("scheme") if kind == "http" else kind
                self.note("import-security", f'security scheme "{name}" ({what}) has no Swagger 2.0 form; dropped', at)
                continue
            names[name] = name
        return out, names

    def security_requirement(self, requirement: Any, path: tuple) -> list | None:
        if not isinstance(requirement, list):
            return None
        out = []
        for i, alternative in enumerate(requirement):
            if not isinstance(alternative, dict):
                continue
            kept = {}
            for name, scopes in alternative.items():
                if name not in self.definitions_security:
                    continue
                is_oauth = self.definitions_security[name].get("type") == "oauth2"
                kept[name] = list(scopes or []) if is_oauth else []
            if kept or not alternative:
                out.append(kept)
        return out

    # --- the document ----------------------------------------------------------------------------

    def servers(self) -> Json:
        servers = self.oas.get("servers")
        out: Json = {}
        if not isinstance(servers, list) or not servers or not isinstance(servers[0], dict):
            self.note("import-fill-in", "the document names no server: set connector.host (and base_path) in the source", ("servers",) if servers is not None else ())
            return out
        first = servers[0]
        url = str(first.get("url", ""))
        variables = first.get("variables") if isinstance(first.get("variables"), dict) else {}
        for name, var in variables.items():
            default = var.get("default", "") if isinstance(var, dict) else ""
            url = url.replace("{" + name + "}", str(default))
            choices = [c for c in var.get("enum") or [] if c != default] if isinstance(var, dict) and isinstance(var.get("enum"), list) else []
            self.note("import-servers", f'server variable "{name}" is fixed at its default "{default}"'
                      + (f" (the API also takes {', '.join(map(str, choices[:5]))})" if choices else "")
                      + "; a connection parameter with a policy can make it a choice", ("servers", 0, "variables", name))
        match = re.match(r"^(?:(https?|wss?)://)?([^/]*)(/.*)?$", url)
        scheme, host, base = (match.group(1), match.group(2), match.group(3)) if match else (None, "", None)
        if not scheme or not host:
            self.note("import-fill-in", f'the server URL "{first.get("url")}" has no scheme and host: set connector.host (and base_path) in the source',
                      ("servers", 0, "url"))
            host = ""
        if host:
            out["host"] = host
        if base and base.rstrip("/"):
            out["basePath"] = base.rstrip("/")
        schemes = [scheme] if scheme else []
        for i, other in enumerate(servers[1:], 1):
            other_url = str(other.get("url", "")) if isinstance(other, dict) else ""
            for name, var in (other.get("variables") or {}).items() if isinstance(other, dict) and isinstance(other.get("variables"), dict) else ():
                other_url = other_url.replace("{" + name + "}", str(var.get("default", "")) if isinstance(var, dict) else "")
            m = re.match(r"^(https?)://([^/]*)(/.*)?$", other_url)
            if m and m.group(2) == host and (m.group(3) or "").rstrip("/") == (base or "").rstrip("/") and m.group(1) not in schemes:
                schemes.append(m.group(1))
                continue
            self.note("import-servers", f'server {other_url or i} is not kept: a connector has one host (the first server, {url})', ("servers", i))
        if schemes:
            out["schemes"] = [s for s in ("https", "http") if s in schemes] or schemes
        return out

    def convert(self) -> tuple[Json, Json]:
        oas = self.oas
        swagger: Json = {"swagger": "2.0"}
        info = dict(oas.get("info") or {})
        for key, why in (("summary", "info.summary"), ("identifier", None)):
            if key == "summary" and "summary" in info:
                self.note("import-unused", f"{why} has no Swagger 2.0 place (the description is kept)", ("info", "summary"))
                info.pop("summary")
        if isinstance(info.get("license"), dict) and "identifier" in info["license"]:
            info["license"] = {k: v for k, v in info["license"].items() if k != "identifier"}
            self.note("import-unused", "license.identifier has no Swagger 2.0 place (the license name and url are kept)", ("info", "license", "identifier"))
        if not isinstance(info.get("version"), str):
            info["version"] = str(info.get("version", "1.0"))
        swagger["info"] = info
        swagger.update(self.servers())
        definitions_security, _ = self.security_schemes()
        self.definitions_security = definitions_security
        paths = self.paths()
        top_consumes = _most_common(self.consumes)
        top_produces = _most_common(self.produces)
        if top_consumes:
            swagger["consumes"] = [top_consumes]
        if top_produces:
            swagger["produces"] = list(top_produces)
        for item in paths.values():
            for method in METHODS:
                op = item.get(method)
                if not isinstance(op, dict):
                    continue
                for key in ("consumes", "produces"):
                    if key in op and op[key] == swagger.get(key):
                        del op[key]
                _order(op)
        swagger["paths"] = paths
        definitions = {name: self.schema(s, ("components", "schemas", name)) for name, s in self.schemas.items() if name not in self.aliases}
        for name, d in definitions.items():
            if "$ref" in d:  # a definition that is a $ref and more: Swagger 2.0 ignores a $ref's siblings, allOf keeps them
                definitions[name] = {"allOf": [{"$ref": d.pop("$ref")}], **d}
        if definitions:
            swagger["definitions"] = definitions
        shared_params = {}
        for name, p in self._section("parameters").items():
            converted = self.parameter(p, ("components", "parameters", name))
            if converted is not None and "$ref" not in converted:
                shared_params[name] = converted
        if shared_params:
            swagger["parameters"] = shared_params
        shared_responses = {}
        for name, r in self._section("responses").items():
            if isinstance(r, dict) and "$ref" not in r:
                shared_responses[name], _ = self.response(r, ("components", "responses", name))
        if shared_responses:
            swagger["responses"] = shared_responses
        if definitions_security:
            swagger["securityDefinitions"] = definitions_security
        chosen = connection.chosen_scheme(definitions_security, oas.get("security"))
        if "security" in oas:
            top = self.security_requirement(oas["security"], ("security",))
            if top:
                swagger["security"] = top
        elif chosen:
            swagger["security"] = [{chosen: []}]
        for name in definitions_security:
            if name != chosen and chosen is not None:
                self.note("import-security", f'security scheme "{name}" is not the connection\'s: a connection signs in one way ({chosen})',
                          ("components", "securitySchemes", name))
        if chosen:
            swagger["securityDefinitions"] = {chosen: definitions_security[chosen]}
            if "security" in swagger:
                swagger["security"] = [r for r in ({k: v for k, v in req.items() if k == chosen} for req in swagger["security"]) if r] or [{chosen: []}]
            _strip_security(paths, chosen)
        for key in ("tags", "externalDocs"):
            if key in oas:
                swagger[key] = oas[key]
        for k, v in oas.items():
            if k.startswith("x-"):
                swagger[k] = v
        self.report_unplaced()
        scheme = definitions_security.get(chosen) if chosen else None
        bearer = chosen in self.bearer_schemes
        props = connection.api_properties(connection.connection_parameters(scheme, bearer), [connection.BEARER_POLICY] if bearer else [])
        return swagger, props

    def report_unplaced(self) -> None:
        if isinstance(self.oas.get("webhooks"), dict) and self.oas["webhooks"]:
            self.note("import-webhooks", f"webhooks ({', '.join(self.oas['webhooks'])}) have no Swagger 2.0 form: a webhook trigger is "
                      "written by hand (docs/import.md)", ("webhooks",))
        for name in self._section("callbacks"):
            self.note("import-callbacks", f'the callback "{name}" has no Swagger 2.0 form', ("components", "callbacks", name))
        for name in self._section("links"):
            self.note("import-links", f'the link "{name}" has no Swagger 2.0 form', ("components", "links", name))
        for name in self._section("requestBodies"):
            if f"#/components/requestBodies/{_escape(name)}" not in self.used_bodies:
                self.note("import-unused", f'the request body "{name}" is used by no operation; Swagger 2.0 has no place for it', ("components", "requestBodies", name))


def _most_common(counter: Counter) -> Any:
    return counter.most_common(1)[0][0] if counter else None


_OPERATION_ORDER = ("tags", "summary", "description", "externalDocs", "operationId", "consumes", "produces", "parameters",
                    "responses", "deprecated", "security")


def _order(op: Json) -> None:
    """Swagger 2.0's order of operation keys, as people write it; extensions last."""
    items = sorted(op.items(), key=lambda kv: _OPERATION_ORDER.index(kv[0]) if kv[0] in _OPERATION_ORDER else len(_OPERATION_ORDER))
    op.clear()
    op.update(items)


def _strip_security(paths: Json, chosen: str) -> None:
    """Operation requirements name only the connection's scheme (an empty list, no sign-in, stays)."""
    for item in paths.values():
        for method in METHODS:
            op = item.get(method)
            if isinstance(op, dict) and isinstance(op.get("security"), list):
                kept = [{k: v for k, v in r.items() if k == chosen} for r in op["security"]]
                if any(kept) or op["security"] == []:
                    op["security"] = [r for r in kept if r] if any(kept) else []
                else:
                    del op["security"]


def _unescape(part: str) -> str:
    from urllib.parse import unquote

    return unquote(part).replace("~1", "/").replace("~0", "~")


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def convert(doc: Document) -> tuple[Json, Json, list[Finding]]:
    """(Swagger 2.0 definition, apiProperties, findings) of an OpenAPI 3 document."""
    version = str(doc.value.get("openapi"))
    if not re.match(r"^3\.[01]\.", version + "."):
        from ..diagnostics import ERROR, InputError

        raise InputError(doc.finding("import-unsupported", ERROR, f'"openapi" is {version}; the import reads OpenAPI 3.0 and 3.1', ("openapi",)))
    converter = Converter(doc)
    swagger, props = converter.convert()
    return swagger, props, converter.findings


__all__ = ["convert", "pointer"]
