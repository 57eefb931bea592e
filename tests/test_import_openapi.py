"""ppconnector import of an OpenAPI 3.0/3.1 document, a Swagger 2.0 file (or a folder without apiProperties.json)
and a Postman collection (v2.0, v2.1): each conversion rule, each loss finding with its place, and the
command line end to end (import, build, check), on documents written for these tests (tests/data/import/)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import run_cli

from ppconnector.importer.convert import convert_path
from ppconnector.importer.losses import KINDS
from ppconnector.importer.pipeline import default_output, import_path
from ppconnector.importer.verify import IDENTICAL, verify

DATA = Path(__file__).with_name("data") / "import"
SHOP = DATA / "shop-3.0.yaml"  # OpenAPI 3.0, YAML: every 3.0 rule and loss
EVENTS = DATA / "events-3.1.json"  # OpenAPI 3.1, JSON
PETS = DATA / "pets-swagger.yaml"  # Swagger 2.0 without apiProperties.json
NOTES = DATA / "notes.postman_collection.json"  # Postman v2.1, with saved examples
TASKS = DATA / "tasks-v2.0.postman_collection.json"  # Postman v2.0
QUOTES = DATA / "quotes.postman_collection.json"  # Postman, no auth but an API key header
DOCUMENTS = [SHOP, EVENTS, PETS, NOTES, TASKS, QUOTES]
SECRETS = ["not-a-real-key", "not-a-real-token", "session=abc"]  # credentials in notes.postman_collection.json


def _converted(path: Path):
    return convert_path(path)


def _op(definition: dict, route: str, method: str) -> dict:
    return definition["paths"][route][method]


def _params(op: dict) -> dict:
    return {(p.get("name"), p.get("in")) if "$ref" not in p else p["$ref"]: p for p in op.get("parameters", [])}


# --- every loss and change is a finding with its place ---------------------------------------------

# kind -> (document, JSON pointer of a finding of that kind in the document)
KIND_PLACES = {
    "import-cookie-parameter": (SHOP, "/paths/~1orders/parameters/1"),
    "import-servers": (SHOP, "/servers/0/variables/region"),
    "import-callbacks": (SHOP, "/paths/~1orders/post/callbacks"),
    "import-links": (SHOP, "/paths/~1orders/get/responses/200/links"),
    "import-webhooks": (EVENTS, "/webhooks"),
    "import-content-types": (SHOP, "/paths/~1customers/post/requestBody/content"),
    "import-parameter-style": (SHOP, "/paths/~1orders/get/parameters/1"),
    "import-parameter-schema": (SHOP, "/paths/~1orders/get/parameters/3/schema"),
    "import-form-encoding": (SHOP, "/paths/~1products~1{productId}~1image/put/requestBody/content/multipart~1form-data/encoding"),
    "import-composition": (SHOP, "/components/schemas/Order/properties/payment/oneOf"),
    "import-schema-keyword": (EVENTS, "/components/schemas/Event/properties/slot/prefixItems"),
    "import-external-ref": (SHOP, "/paths/~1customers/post/responses/default/content/application~1problem+json/schema"),
    "import-security": (SHOP, "/components/securitySchemes/oidc"),
    "import-operation": (SHOP, "/paths/~1orders~1{orderId}/trace"),
    "import-unused": (SHOP, "/components/requestBodies/Unused"),
    "import-postman": (NOTES, "/event"),
    "import-const": (EVENTS, "/components/schemas/Event/properties/kind/const"),
    "import-examples": (SHOP, "/paths/~1orders/get/parameters/4/examples"),
    "import-bearer": (SHOP, "/components/securitySchemes/bearerAuth"),
    "import-key-header": (QUOTES, "/item/0/request/header/0"),
    "import-operation-id": (SHOP, "/paths/~1orders/post"),
    "import-summary": (SHOP, "/paths/~1orders/post/summary"),
    "import-parameter-name": (SHOP, "/paths/~1connections~1{connectionId}"),
    "import-response-code": (SHOP, "/paths/~1orders/get/responses/4XX"),
    "import-fill-in": (PETS, ""),
}


def test_every_kind_of_finding_is_in_the_table():
    assert set(KIND_PLACES) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(KIND_PLACES))
def test_each_kind_of_finding_names_its_place(kind):
    document, pointer = KIND_PLACES[kind]
    findings = [f for f in _converted(document).findings if f.rule == kind]
    assert findings, f"{document.name} gives no {kind} finding"
    at = [f for f in findings if f.pointer == pointer]
    assert at, f"no {kind} finding at {pointer}; found at {[f.pointer for f in findings]}"
    f = at[0]
    assert f.severity == KINDS[kind].severity
    assert f.file and f.file.endswith(document.name)
    if pointer and document is not PETS:
        assert f.line is not None and f.column is not None  # file:line:column, where the user looks


def test_findings_on_a_yaml_document_point_at_its_lines():
    text = SHOP.read_text(encoding="utf-8").splitlines()
    trace = next(f for f in _converted(SHOP).findings if f.pointer == "/paths/~1orders~1{orderId}/trace")
    assert text[trace.line - 1].strip().startswith("trace:")
    cookie = next(f for f in _converted(SHOP).findings if f.rule == "import-cookie-parameter" and f.pointer == "/paths/~1orders/parameters/1")
    assert "session" in text[cookie.line - 1]


# --- OpenAPI 3.0 -> Swagger 2.0 --------------------------------------------------------------------


@pytest.fixture(scope="module")
def shop():
    return _converted(SHOP)


def test_the_first_server_is_the_host_base_path_and_schemes(shop):
    d = shop.definition
    assert (d["host"], d["basePath"], d["schemes"]) == ("eu.shop.example.com", "/api/v2", ["https", "http"])


def test_a_json_request_body_is_one_body_parameter(shop):
    post = _op(shop.definition, "/orders", "post")
    body = _params(post)[("body", "body")]
    assert body["required"] is True and body["description"] == "The order to create."
    assert body["schema"]["properties"]["items"]["type"] == "array"
    assert "consumes" not in post  # the document's most common content type is the definition's


def test_a_form_request_body_is_form_data_parameters(shop):
    put = _op(shop.definition, "/products/{productId}/image", "put")
    params = _params(put)
    assert put["consumes"] == ["multipart/form-data"]
    assert params[("image", "formData")] == {"name": "image", "in": "formData", "description": "The picture.", "required": True, "type": "file"}
    assert params[("caption", "formData")]["maxLength"] == 200
    assert params[("tags", "formData")]["type"] == "array" and params[("tags", "formData")]["items"] == {"type": "string"}
    assert params[("meta", "formData")]["type"] == "string"


def test_binary_bodies_are_binary_strings(shop):
    post = _op(shop.definition, "/products/{productId}/file", "post")
    assert _params(post)[("body", "body")]["schema"] == {"type": "string", "format": "binary"}
    assert post["consumes"] == ["application/octet-stream"]
    assert _op(shop.definition, "/products/{productId}/file", "get")["produces"] == ["application/octet-stream"]


def test_components_are_definitions_parameters_and_responses(shop):
    d = shop.definition
    assert set(d["definitions"]) == {"Order", "Card", "Transfer", "NewCustomer"}  # OrderAlias is followed, not kept
    assert d["parameters"]["Limit"] == {"name": "limit", "in": "query", "description": "At most this many.", "type": "integer",
                                        "default": 20, "maximum": 100}
    assert "Tracking" not in d["parameters"]  # a cookie parameter
    get = _op(d, "/orders", "get")
    assert "#/parameters/Limit" in _params(get)
    assert get["responses"]["400"] == {"$ref": "#/responses/Problem"}
    assert _op(d, "/orders/{orderId}", "get")["responses"]["200"]["schema"] == {"$ref": "#/definitions/Order"}


def test_path_parameters_are_written_into_each_operation(shop):
    get = _op(shop.definition, "/orders", "get")
    assert "#/parameters/Tenant" in _params(get)
    assert "parameters" not in shop.definition["paths"]["/orders"]


def test_nullable_and_enum_null_are_x_nullable(shop):
    order = shop.definition["definitions"]["Order"]["properties"]
    assert order["status"] == {"type": "string", "enum": ["open", "paid", "shipped"], "x-nullable": True}
    assert order["coupon"] == {"type": "string", "x-nullable": True}


def test_one_of_objects_become_one_object_and_all_of_is_kept(shop):
    order = shop.definition["definitions"]["Order"]["properties"]
    assert order["payment"] == {"type": "object", "properties": {"kind": {"type": "string"}, "last4": {"type": "string"},
                                                                  "iban": {"type": "string"}}}
    assert order["note"]["type"] == "string"
    assert "type" not in order["extra"]
    assert order["customer"]["allOf"][0] == {"$ref": "#/definitions/NewCustomer"}
    assert shop.definition["definitions"]["NewCustomer"]["type"] == "object"  # properties without a type


def test_extensions_are_kept(shop):
    order = shop.definition["definitions"]["Order"]
    assert order["x-shop-entity"] == "order"


def test_query_arrays_are_comma_separated(shop):
    params = _params(_op(shop.definition, "/orders", "get"))
    assert params[("status", "query")]["collectionFormat"] == "csv"
    assert params[("ids", "query")]["collectionFormat"] == "pipes"
    assert params[("q", "query")]["x-example"] == "shoes"
    assert ("Accept", "header") not in params  # OpenAPI 3 ignores an Accept header parameter


def test_a_bearer_scheme_is_an_api_key_with_a_policy(shop):
    assert shop.definition["securityDefinitions"] == {"bearerAuth": {"type": "apiKey", "in": "header", "name": "Authorization",
                                                                      "description": "A token from the shop's settings page."}}
    props = shop.properties["properties"]
    assert props["connectionParameters"]["api_key"]["type"] == "securestring"
    assert props["policyTemplateInstances"][0]["parameters"]["x-ms-apimTemplateParameter.value"] == "Bearer @connectionParameters('api_key')"
    assert _op(shop.definition, "/orders/{orderId}", "delete")["security"] == []


def test_operation_ids_and_summaries_are_made_or_fitted(shop):
    d = shop.definition
    assert _op(d, "/orders", "post")["operationId"] == "post_orders"
    assert _op(d, "/orders/{orderId}", "delete")["operationId"] == "get_order"
    assert _op(d, "/products/{productId}/image", "put")["operationId"] == "put_products_by_productId_image"
    summary = _op(d, "/orders", "post")["summary"]
    assert len(summary) <= 120 and not re.search(r"[/\\<>*%&?]", summary) and summary.startswith("Create an order and pay for it")
    assert _op(d, "/orders/{orderId}", "get")["summary"] == "Get order"
    assert "/orders/{id}" not in d["paths"] and "trace" not in d["paths"]["/orders/{orderId}"]
    assert "/connections/{connectionId_}" in d["paths"]


# --- OpenAPI 3.1 -------------------------------------------------------------------------------------


def test_openapi_3_1_types_const_and_bounds():
    c = _converted(EVENTS)
    event = c.definition["definitions"]["Event"]["properties"]
    assert event["starts"] == {"type": "string", "format": "date-time", "x-nullable": True}
    assert event["kind"] == {"enum": ["event"]}
    assert event["title"]["example"] == "Stand-up"
    assert "type" not in event["duration"]
    assert event["location"] == {"$ref": "#/definitions/Place", "x-nullable": True}
    size = _params(_op(c.definition, "/events", "get"))[("size", "query")]
    assert (size["minimum"], size["exclusiveMinimum"], size["maximum"]) == (0, True, 50)
    assert _op(c.definition, "/events/{eventId}", "get")["responses"]["200"]["schema"]["description"] == "The event asked for."
    assert c.definition["consumes"] == ["application/merge-patch+json"]  # the only request content type
    assert c.definition["securityDefinitions"] == {"basic": {"type": "basic"}}
    assert set(c.properties["properties"]["connectionParameters"]) == {"username", "password"}
    assert "summary" not in c.definition["info"] and c.definition["info"]["license"] == {"name": "Apache 2.0"}


# --- Swagger 2.0 without apiProperties ------------------------------------------------------------------


def test_a_swagger_file_gets_its_connection_from_security_definitions():
    c = _converted(PETS)
    token = c.properties["properties"]["connectionParameters"]["token"]
    assert token["type"] == "oauthSetting"
    assert token["oAuthSettings"]["customParameters"]["tokenUrl"] == {"value": "https://pets.example.net/oauth/token"}
    assert token["oAuthSettings"]["scopes"] == ["pets"]
    assert c.definition["info"]["version"] == "1.0"  # YAML's number 1.0, as the text Swagger wants
    assert _op(c.definition, "/pets", "get")["operationId"] == "get_pets"
    assert _op(c.definition, "/pets/{petId}", "get")["operationId"] == "get_pet"
    assert "200" in _op(c.definition, "/pets", "get")["responses"]


def test_a_folder_without_api_properties_is_imported(tmp_path):
    folder = tmp_path / "pets"
    folder.mkdir()
    (folder / "apiDefinition.swagger.json").write_text(json.dumps(_converted(PETS).definition), encoding="utf-8")
    result = verify(folder, tmp_path / "scratch")
    assert result.status == IDENTICAL, result.line()
    assert "Swagger 2.0 definition" in result.message


def test_a_folder_holding_an_openapi_definition_keeps_its_own_api_properties(tmp_path):
    folder = tmp_path / "events"
    folder.mkdir()
    shutil.copy(EVENTS, folder / "apiDefinition.swagger.json")
    own = {"properties": {"connectionParameters": {}, "iconBrandColor": "#123456", "capabilities": [], "policyTemplateInstances": []}}
    (folder / "apiProperties.json").write_text(json.dumps(own), encoding="utf-8")
    c = convert_path(folder)
    assert c.properties == own and c.definition["swagger"] == "2.0"


# --- Postman -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def notes():
    return _converted(NOTES)


def test_requests_are_operations_and_folders_are_tags(notes):
    d = notes.definition
    assert (d["host"], d["basePath"]) == ("api.notes.example.com", "/v2")
    assert d["tags"] == [{"name": "Notes"}, {"name": "Account"}]
    listing = _op(d, "/notes", "get")
    assert (listing["operationId"], listing["summary"], listing["tags"]) == ("ListNotes", "List notes", ["Notes"])
    assert "/health" not in json.dumps(d)  # a request to another host is left out, with a finding


def test_path_variables_query_and_headers_are_parameters(notes):
    d = notes.definition
    get = _params(_op(d, "/notes/{noteId}", "get"))
    assert get[("noteId", "path")]["description"] == "The note's id."
    assert _params(_op(d, "/notes/{noteId}/files", "post"))[("noteId", "path")]["required"] is True  # from {{noteId}}
    listing = _params(_op(d, "/notes", "get"))
    assert listing[("limit", "query")]["x-example"] == "20" and "x-example" not in listing[("tag", "query")]
    assert ("X-Api-Key", "header") not in _params(_op(d, "/notes", "post"))  # the API key is the connection's
    assert ("X-Request-Source", "header") in _params(_op(d, "/notes", "post"))


def test_bodies_become_schemas_and_forms(notes):
    d = notes.definition
    body = _params(_op(d, "/notes", "post"))[("body", "body")]["schema"]
    assert body["properties"]["tags"] == {"type": "array", "items": {"type": "string"}}
    files = _op(d, "/notes/{noteId}/files", "post")
    assert files["consumes"] == ["multipart/form-data"] and _params(files)[("file", "formData")]["type"] == "file"
    session = _op(d, "/session", "post")
    assert session["consumes"] == ["application/x-www-form-urlencoded"] and session["security"] == []


def test_saved_examples_are_responses_and_fixtures(notes):
    d = notes.definition
    created = _op(d, "/notes", "post")["responses"]
    assert set(created) == {"201", "400"} and created["201"]["schema"]["properties"]["id"] == {"type": "integer"}
    assert sorted(notes.beside) == ["fixtures/CreateNote/created.yaml", "fixtures/CreateNote/no-title.yaml", "fixtures/ListNotes/two-notes.yaml"]
    fixture = notes.beside["fixtures/ListNotes/two-notes.yaml"].decode("utf-8")
    assert "operation: ListNotes" in fixture and "path: /v2/notes" in fixture and "status: 200" in fixture


def test_no_credential_reaches_a_definition_or_fixture(notes):
    written = json.dumps(notes.definition) + json.dumps(notes.properties) + "".join(b.decode() for b in notes.beside.values())
    for secret in SECRETS:
        assert secret not in written
    assert "Authorization" not in "".join(b.decode() for b in notes.beside.values())


def test_a_postman_v2_0_collection():
    c = _converted(TASKS)
    assert c.definition["securityDefinitions"] == {"basic_auth": {"type": "basic"}}
    assert c.definition["info"]["description"].startswith("A to-do service")
    assert _params(_op(c.definition, "/tasks/{taskId}", "get"))[("taskId", "path")]["in"] == "path"
    graphql = _params(_op(c.definition, "/graphql", "post"))[("body", "body")]["schema"]
    assert set(graphql["properties"]) == {"query", "variables"}
    assert "fixtures/GetATask/not-found.yaml" in c.beside
    kinds = {(f.rule, f.message.split(":")[0]) for f in c.findings}
    assert ("import-operation", 'request "Move a task" uses MOVE, which Swagger 2.0 has not; left out') in kinds


# --- the command line, end to end ----------------------------------------------------------------------


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.name for d in DOCUMENTS])
def test_import_build_check_end_to_end(document, tmp_path):
    shutil.copy(document, tmp_path / document.name)
    imported = run_cli("import", document.name, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    target = default_output(tmp_path / document.name)
    assert (tmp_path / target).is_file() and f"{target.as_posix()} written" in imported.stdout
    assert "Traceback" not in imported.stderr
    built = run_cli("build", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    checked = run_cli("check", cwd=tmp_path)
    assert checked.returncode in (0, 1), checked.stderr
    assert re.search(r"^0 errors", checked.stdout + checked.stderr, re.M), checked.stdout + checked.stderr
    for secret in SECRETS:
        assert all(secret not in p.read_text(encoding="utf-8", errors="replace") for p in tmp_path.rglob("*")
                   if p.is_file() and p.name != document.name)


def test_import_verify_takes_files():
    result = run_cli("import", "--verify", *[str(d) for d in DOCUMENTS])
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(DOCUMENTS)} folders: {len(DOCUMENTS)} identical" in result.stdout


def test_importing_twice_writes_the_same_bytes(tmp_path):
    first = import_path(SHOP, tmp_path / "a.yaml")
    second = import_path(SHOP, tmp_path / "a.yaml")
    assert first.yaml == second.yaml and first.beside == second.beside


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize("document, what", [(SHOP, "an OpenAPI 3.0.3 document"), (EVENTS, "an OpenAPI 3.1.0 document"),
                                            (PETS, 'a Swagger 2.0 definition'), (NOTES, "a Postman collection (v2.1)")])
def test_check_and_build_say_in_one_line_what_the_file_is(command, document, what, tmp_path):
    shutil.copy(document, tmp_path / document.name)
    result = run_cli(command, document.name, cwd=tmp_path)
    assert result.returncode == 2
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert f"this is {what}" in lines[0] and f"ppconnector import {document.name}" in lines[0]


def test_what_import_does_not_read_is_refused_in_one_line(tmp_path):
    v1 = tmp_path / "old.json"
    v1.write_text(json.dumps({"id": "x", "name": "Old", "order": [], "requests": []}), encoding="utf-8")
    other = tmp_path / "other.yaml"
    other.write_text("name: not an API\n", encoding="utf-8")
    future = tmp_path / "future.yaml"
    future.write_text("openapi: 4.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n", encoding="utf-8")
    for path, expected in ((v1, "Postman collection v1; export it from Postman as Collection v2.1"),
                           (other, "expected an OpenAPI 3 document"), (future, 'the import reads OpenAPI 3.0 and 3.1')):
        result = run_cli("import", path.name, cwd=tmp_path)
        assert result.returncode == 2 and expected in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and not (tmp_path / "connector").exists()


@pytest.mark.parametrize("kind, text", [
    ("openapi", 'openapi: 3.0.3\ninfo: {title: T, version: "1"}\nservers:\n  - url: "https://{h}/v1"\n'
                '    variables: {h: {default: "api.example.com\\nevil: yes"}}\n'
                "paths: {/x: {get: {operationId: X, responses: {'200': {description: ok}}}}}\n"),
    ("swagger", 'swagger: "2.0"\ninfo: {title: T, version: "1"}\nhost: "api.example.com\\nconnector: {}"\n'
                "paths: {/x: {get: {operationId: X, responses: {'200': {description: ok}}}}}\n"),
])
def test_a_host_with_a_line_break_is_refused_and_nothing_is_written(tmp_path, kind, text):
    """A server variable or host holding a line break put text of the document's choosing on a YAML line of its own."""
    spec = tmp_path / f"{kind}.yaml"
    spec.write_text(text, encoding="utf-8")
    result = run_cli("import", spec.name, "-o", "out/c.yaml", cwd=tmp_path)
    assert result.returncode == 2 and f"{kind}.yaml:" in result.stderr and "control character" in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()
