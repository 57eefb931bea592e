"""One case per rule of check's own families: the minimal connector of check_support passes every rule; each
case breaks it in one place and the rule (and only a finding of that rule id at least) reports it."""

from __future__ import annotations

import pytest

from check_support import OWN_FAMILIES, OWN_SCRIPT_RULES, findings, own_rules, parts, write_folder

LIST, CREATE, DELETE, HOOK = ("/items", "get"), ("/items", "post"), ("/items/{id}", "delete"), ("/hooks", "post")


def op(d, where):
    return d["paths"][where[0]][where[1]]


def body(d, where=CREATE):
    return op(d, where)["parameters"][0]["schema"]


def prop(d, name="name"):
    return body(d)["properties"][name]


def set_(fn):
    """A case mutator: fn(d, p) changes the definition/properties in place; the script stays."""
    def mutate(d, p, s):
        fn(d, p)
        return d, p, s
    return mutate


def script(fn):
    def mutate(d, p, s):
        return d, p, fn(s)
    return mutate


def _paths(d, mapping):
    d["paths"] = mapping(d["paths"])


def annotate(d, *notes):
    """x-ms-api-annotation on LIST, CREATE, DELETE in turn (a note of None leaves that operation alone)."""
    for where, note in zip((LIST, CREATE, DELETE), notes):
        if note is not None:
            op(d, where)["x-ms-api-annotation"] = note


def add_get(d, path, **extra):
    d["paths"][path] = {"get": {"operationId": "Things", "summary": "Things", "description": "Things.",
                                "responses": {"200": {"description": "OK"}}, **extra}}


def upload(d, consumes):
    d["paths"]["/upload"] = {"post": {"operationId": "Upload", "summary": "Upload", "description": "Uploads.", "consumes": consumes,
                                      "parameters": [{"name": "file", "in": "formData", "type": "file", "x-ms-summary": "File"}],
                                      "responses": {"200": {"description": "OK"}}}}


def polled_by_webhook(d, same_name_type="integer"):
    op(d, LIST).update({"x-ms-trigger": "batch", "x-ms-notification": {"operationId": "OnNewItem"}})
    op(d, HOOK)["parameters"].append({"name": "limit", "in": "query", "type": same_name_type, "x-ms-summary": "Limit"})


def dynamic_values(d, **changes):
    prop(d, "kind")["x-ms-dynamic-values"].update(changes)


def dynamic_schema(d, value_path, properties=None):
    prop(d)["x-ms-dynamic-schema"] = {"operationId": "ListItems", "parameters": {"limit": 5}, "value-path": value_path}
    if properties is not None:
        prop(d)["x-ms-dynamic-properties"] = {"operationId": "ListItems", "parameters": {"limit": {"value": 5}}, "itemValuePath": properties}


def require_limit(d):
    op(d, LIST)["parameters"][0].update(required=True)
    op(d, LIST)["parameters"][0].pop("default")


def list_param(d, name="source", **extra):
    """A query parameter of CreateItem that the kind property's x-ms-dynamic-values passes to ListItems' limit."""
    op(d, CREATE)["parameters"].append({"name": name, "in": "query", "type": "integer", "x-ms-summary": "Source", **extra})
    dynamic_values(d, parameters={"limit": {"parameter": name}})


def nested(levels):
    """A schema `levels` objects deep below the one it updates."""
    schema = {"type": "string"}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"inner": schema}}
    return schema


def chain(levels):
    """Definitions L0 -> L1 -> ... each an object whose one property is a $ref to the next."""
    return {f"L{i}": {"type": "object", "properties": {"next": {"$ref": f"#/definitions/L{i + 1}"} if i < levels else {"type": "string"}}}
            for i in range(levels + 1)}


def many(count):
    return {f"p{i}": {"type": "string"} for i in range(count)}


FILE_PICKER = {"file-picker": {"open": {"operationId": "ListItems"}, "value-title": "name"}}
OAUTH = {"oauth": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://example.com/a", "tokenUrl": "https://example.com/t",
                   "scopes": {"read": "Read"}}}
ID_PARAM = {"name": "id", "in": "path", "required": True, "type": "string", "x-ms-url-encoding": "single", "x-ms-summary": "Item ID"}


CASES = {
    "swagger-schema": set_(lambda d, p: d.update(schemes=["https", "https"])),
    "JsonTypeIncorrect": set_(lambda d, p: body(d).update(required="name")),
    "JsonValueNotInEnum": set_(lambda d, p: op(d, LIST)["parameters"][0].update(collectionFormat="commas")),
    "RequiredPropertyMissing": set_(lambda d, p: d["info"].pop("version")),
    "ExtensionNameNotValid": set_(lambda d, p: op(d, LIST).update(summry="List")),
    "ms-definition-schema": set_(lambda d, p: op(d, LIST)["parameters"][0].update({"x-ms-summmary": "Limit"})),
    "ms-properties-schema": set_(lambda d, p: p["properties"]["connectionParameters"]["region"]["uiDefinition"]["constraints"].update(hidden=False)),
    "swagger-unresolved-ref": set_(lambda d, p: op(d, LIST)["responses"]["200"].update(schema={"$ref": "other.json#/X"})),
    "SchemaReferenceNotFound": set_(lambda d, p: op(d, LIST)["responses"]["200"].update(schema={"$ref": "#/definitions/Nope"})),
    "ParameterReferenceNotFound": set_(lambda d, p: op(d, LIST)["parameters"].append({"$ref": "#/parameters/Nope"})),
    "ResponseReferenceNotFound": set_(lambda d, p: op(d, LIST)["responses"].update({"404": {"$ref": "#/responses/Nope"}})),
    "ParameterReferenceNotValid": set_(lambda d, p: op(d, LIST)["parameters"].append({"$ref": "#/definitions/Items"})),
    "PathItemRefNotSuppored": set_(lambda d, p: d["paths"].update({"/other": {"$ref": "#/paths/~1items"}})),
    "SpecificationVersionIncorrect": set_(lambda d, p: d.update(swagger="3.0")),
    "OperationIdRequired": set_(lambda d, p: op(d, LIST).pop("operationId")),
    "OperationIdNotUnique": set_(lambda d, p: op(d, CREATE).update(operationId="listitems")),
    "OperationIdSanitized": set_(lambda d, p: op(d, CREATE).update(operationId="Create.Item")),
    "OperationSummaryTooLong": set_(lambda d, p: op(d, LIST).update(summary="L" * 121)),
    "RestrictedCharactersInSummary": set_(lambda d, p: op(d, LIST).update(summary="List items/things")),
    "PathParameterMissingEncoding": set_(lambda d, p: op(d, DELETE)["parameters"][0].pop("x-ms-url-encoding")),
    "PathParameterMustBeRequired": set_(lambda d, p: op(d, DELETE)["parameters"][0].update(required=False)),
    "PathParameterNotDefinedInTemplate": set_(lambda d, p: op(d, DELETE)["parameters"].append(
        {"name": "other", "in": "path", "required": True, "type": "string", "x-ms-url-encoding": "single", "x-ms-summary": "O"})),
    "OperationMissingPathParameter": set_(lambda d, p: op(d, DELETE)["parameters"].pop()),
    "OperationParametersContainDuplicateParameter": set_(lambda d, p: op(d, LIST)["parameters"].append(dict(op(d, LIST)["parameters"][0]))),
    "OperationParametersContainMultipleBodyParameters": set_(lambda d, p: op(d, CREATE)["parameters"].append(
        {"name": "body2", "in": "body", "schema": {"type": "string"}})),
    "ParameterListContainsFormDataAndBody": set_(lambda d, p: op(d, CREATE)["parameters"].append(
        {"name": "f", "in": "formData", "type": "string", "x-ms-summary": "F"})),
    "BodyOrFormDataParameterInFetchOperationNotAllowed": set_(lambda d, p: op(d, LIST)["parameters"].append(
        {"name": "b", "in": "body", "schema": {"type": "string"}})),
    "ConnectionIdParameterNotAllowed": set_(lambda d, p: op(d, LIST)["parameters"].append(
        {"name": "connectionId", "in": "query", "type": "string", "x-ms-summary": "C"})),
    "FileParameterMustBeInFormData": set_(lambda d, p: op(d, LIST)["parameters"].append(
        {"name": "f", "in": "query", "type": "file", "x-ms-summary": "F"})),
    "InvalidFormDataParameterName": set_(lambda d, p: d["paths"].update({"/upload": {"post": {
        "operationId": "Upload", "summary": "Upload", "description": "Uploads.", "consumes": ["multipart/form-data"],
        "parameters": [{"name": "soubor-č", "in": "formData", "type": "file", "x-ms-summary": "File"}],
        "responses": {"200": {"description": "OK"}}}}})),
    "DynamicExtensionDefinitionNotAllowedInParameter": set_(lambda d, p: op(d, CREATE)["parameters"][0].update(
        {"x-ms-dynamic-schema": {"operationId": "ListItems", "value-path": "items"}})),
    "OperationMustHaveResponse": set_(lambda d, p: op(d, LIST).update(responses={})),
    "OperationShouldHaveSuccessfulResponse": set_(lambda d, p: op(d, DELETE).update(responses={"default": {"description": "x"}})),
    "ResponseMustBeDefaultOrHttpStatusCode": set_(lambda d, p: op(d, DELETE)["responses"].update({"2XX": {"description": "x"}})),
    "DefaultResponseHasSchema": set_(lambda d, p: op(d, CREATE)["responses"]["default"].update(schema={"type": "object"})),
    "OperationPathMustStartWithSlash": set_(lambda d, p: d["paths"].update({"things": d["paths"].pop("/items/{id}")}) or
                                           op(d, ("things", "delete")).update(parameters=[])),
    "OperationPathMayNotContainQueryOrFragment": set_(lambda d, p: d["paths"].update({"/things?x=1": {"get": {
        "operationId": "Things", "summary": "Things", "description": "Things.", "responses": {"200": {"description": "OK"}}}}})),
    "OperationPathContainsUnsupportedCharacters": set_(lambda d, p: d["paths"].update({"/things/*": {"get": {
        "operationId": "Things", "summary": "Things", "description": "Things.", "responses": {"200": {"description": "OK"}}}}})),
    "OperationPathTemplateNotValid": set_(lambda d, p: d["paths"].update({"/things/{}": {"get": {
        "operationId": "Things", "summary": "Things", "description": "Things.", "responses": {"200": {"description": "OK"}}}}})),
    "PathRedefined": set_(lambda d, p: d["paths"].update({"/Items": {"put": {
        "operationId": "Things", "summary": "Things", "description": "Things.", "responses": {"200": {"description": "OK"}}}}})),
    "DuplicateOperationPath": set_(lambda d, p: d["paths"].update({"/items/{other}": {"delete": {
        "operationId": "Things", "summary": "Things", "description": "Things.",
        "parameters": [{"name": "other", "in": "path", "required": True, "type": "string", "x-ms-url-encoding": "single", "x-ms-summary": "O"}],
        "responses": {"200": {"description": "OK"}}}}})),
    "ArrayHasNoItems": set_(lambda d, p: prop(d).update(type="array")),
    "EnumMustContainAtLeastOneElement": set_(lambda d, p: prop(d).update(enum=[])),
    "ArrayDuplicateValue": set_(lambda d, p: prop(d, "kind").update(enum=["a", "b", "a"])),
    "DuplicateEnumValuesInExtension": set_(lambda d, p: prop(d, "kind")["x-ms-enum-values"].append({"value": "a", "displayName": "A2"})),
    "MissingEnumValuesDisplayName": set_(lambda d, p: prop(d, "kind")["x-ms-enum-values"][1].pop("displayName")),
    "InvalidEnumValuesExtensionValue": set_(lambda d, p: prop(d, "kind")["x-ms-enum-values"][1].update(value="c")),
    "RequiredPropertyArrayEmpty": set_(lambda d, p: body(d).update(required=[])),
    "RequiredPropertyDefinitionMissing": set_(lambda d, p: body(d).update(required=["name", "nmae"])),
    "DefaultValueMustMatchType": set_(lambda d, p: op(d, LIST)["parameters"][0].update(default="10")),
    "default-value-valid": set_(lambda d, p: prop(d, "kind").update(default="c")),
    "value-format": set_(lambda d, p: prop(d).update(format="date-time", default="tomorrow")),
    "value-format (example)": set_(lambda d, p: op(d, LIST)["parameters"][0].update(format="int32", example=2**40)),
    "MultipleOfMustBeGreaterThanZero": set_(lambda d, p: op(d, LIST)["parameters"][0].update(multipleOf=0)),
    "ExclusiveMaximumRequiresMaximum": set_(lambda d, p: op(d, LIST)["parameters"][0].update(exclusiveMaximum=True)),
    "ExclusiveMinimumRequiresMinimum": set_(lambda d, p: op(d, LIST)["parameters"][0].update(exclusiveMinimum=True)),
    "MinimumShouldBeLessThanOrEqualToMaximum": set_(lambda d, p: op(d, LIST)["parameters"][0].update(minimum=10, maximum=5)),
    "MinLengthShouldBeLessThanOrEqualToMaxLength": set_(lambda d, p: prop(d).update(minLength=10, maxLength=5)),
    "MinItemsShouldBeLessThanOrEqualToMaxItems": set_(lambda d, p: prop(d).update(type="array", items={"type": "string"}, minItems=3, maxItems=1)),
    **{f"{k[0].upper()}{k[1:]}MustBeGreaterThanOrEqualToZero": set_(lambda d, p, k=k: prop(d).update({k: -1}))
       for k in ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")},
    "PatternShouldBeValidRegularExpression": set_(lambda d, p: prop(d).update(pattern="[a-")),
    "AdditionalPropertyNotAllowedAdjacentToRef": set_(lambda d, p: op(d, LIST)["responses"]["200"]["schema"].update(type="object")),
    "SchemesArrayEmpty": set_(lambda d, p: d.update(schemes=[])),
    "SchemeNotSupported": set_(lambda d, p: d.update(schemes=["https", "wss"])),
    "BasePathNotValid": set_(lambda d, p: d.update(basePath="v1")),
    "HostNameNotValid": set_(lambda d, p: d.update(host="https://api.example.com/v1")),
    "MimeTypeNotValid": set_(lambda d, p: d.update(consumes=["json"])),
    "SecurityRequirementMustBeDefined": set_(lambda d, p: d.update(security=[{"oauth": []}])),
    "InvalidNextLinkNameValue": set_(lambda d, p: op(d, LIST).update({"x-ms-pageable": {"nextLinkName": "next"}})),
    "WebhookOperationsMissingNotificationUrlProperty": set_(lambda d, p: body(d, HOOK)["properties"]["url"].pop("x-ms-notification-url")),
    "NotificationUrlNotString": set_(lambda d, p: body(d, HOOK)["properties"]["url"].update(type="integer")),
    "NotificationUrlNotInternal": set_(lambda d, p: body(d, HOOK)["properties"]["url"].pop("x-ms-visibility")),
    "NotificationUrlNotRequired": set_(lambda d, p: body(d, HOOK).pop("required")),
    "OperationMustHaveNotificationContentExtension": set_(lambda d, p: d["paths"]["/hooks"].pop("x-ms-notification-content")),
    "NotificationExtensionSupportedForTriggerOnly": set_(lambda d, p: op(d, LIST).update({"x-ms-notification": {"operationId": "OnNewItem"}})),
    "PropertyMustBeRequired": set_(lambda d, p: op(d, LIST)["parameters"][0].update({"x-ms-visibility": "internal"})),
    "ValueContainsRestrictedWords": set_(lambda d, p: d["info"].update(description="Sends messages from Power Automate flows to people.")),
    "ValueMustEndWithAlphanumeric": set_(lambda d, p: d["info"].update(title="Example Mail.")),
    "FieldLengthExceeded": set_(lambda d, p: d["info"].update(title="Example Mail For Everyone Everywhere")),
    "FieldLengthNotInRange": set_(lambda d, p: d["info"].update(description="Too short.")),
    "ConnectorMetadataPropertiesMissing": set_(lambda d, p: d["x-ms-connector-metadata"].pop(1)),
    "InvalidConnectorCategory": set_(lambda d, p: d["x-ms-connector-metadata"][2].update(propertyValue="Communication;Mail")),
    "TooManyConnectorCategories": set_(lambda d, p: d["x-ms-connector-metadata"][2].update(propertyValue="AI;Data;Finance")),
    "UrlNotValid": set_(lambda d, p: d["x-ms-connector-metadata"][0].update(propertyValue="example.com")),
    "ContactEmailNotValid": set_(lambda d, p: d["info"]["contact"].update(email="help at example.com")),
    "ValueContainsRestrictedWords (title)": set_(lambda d, p: d["info"].update(title="Example Mail API")),
    "summary-length": set_(lambda d, p: prop(d).update({"x-ms-summary": "N" * 81})),
    "operation-summary": set_(lambda d, p: op(d, LIST).pop("description")),
    "parameter-summary": set_(lambda d, p: op(d, LIST)["parameters"][0].pop("x-ms-summary")),
    "output-summary": set_(lambda d, p: op(d, CREATE)["responses"]["200"]["schema"]["properties"]["id"].pop("x-ms-summary")),
    "contact": set_(lambda d, p: d["info"]["contact"].pop("email")),
    "brand-color": set_(lambda d, p: p["properties"].update(iconBrandColor="#007ee5")),
    "auth-connection-parameters": set_(lambda d, p: p["properties"]["connectionParameters"].pop("password")),
    "script-operations-exist": set_(lambda d, p: p["properties"]["scriptOperations"].append("ListItem")),
    "script-operations-without-script": lambda d, p, s: (d, p, None),
    "policy-template-operations": set_(lambda d, p: p["properties"]["policyTemplateInstances"][0]["parameters"].update(
        {"x-ms-apimTemplate-operationName": ["ListItems", "Gone"]})),
    "connection-parameter-reference": set_(lambda d, p: p["properties"]["connectionParameters"].pop("region")),
    "OperationIdNotFound": set_(lambda d, p: prop(d, "kind")["x-ms-dynamic-values"].update(operationId="ListItem")),
    "OperationParameterNameNotFound": set_(lambda d, p: prop(d, "kind")["x-ms-dynamic-values"].update(parameters={"top": 5})),
    "webhook-delete": set_(lambda d, p: d["paths"].pop("/hooks/{hookId}") and d["paths"].pop("/items/{id}")),
    "script-class": script(lambda s: s.replace("class Script", "class MyScript")),
    "script-execute-async": script(lambda s: s.replace("ExecuteAsync()", "RunAsync()")),
    "script-size": script(lambda s: s + "// " + "x" * (1024 * 1024) + "\n"),
    "script-httpclient": script(lambda s: s.replace("return await this", "var c = new HttpClient();\n        return await this", 1)),
    "script-operation-id": script(lambda s: s.replace('== "ListItems"', '== "ListItem"')),
    "definition-size": set_(lambda d, p: d["definitions"].update({"Big": {"type": "string", "description": "x" * (1024 * 1024)}})),
    "TotalOperationsCountExceedsMaxAllowed": set_(lambda d, p: d["paths"].update({f"/n{i}": {"get": {
        "operationId": f"N{i}", "summary": "N", "description": "N.", "responses": {"200": {"description": "OK"}}}} for i in range(257)})),
    "OAuthSecurityRequirementValueMustBeScopeName": set_(lambda d, p: d.update(securityDefinitions=OAUTH, security=[{"oauth": ["write"]}])),
    "SecurityRequirementMustHaveEmptyValue": set_(lambda d, p: d.update(security=[{"basic": ["read"]}])),
    "SecurityRequirementMustHaveValue": set_(lambda d, p: d.update(security=[{"basic": None}])),
    "SchemaRefLoopNotAllowed": set_(lambda d, p: d["definitions"].update(Alias={"$ref": "#/definitions/Items"})),
    "SchemaReferenceNotValid": set_(lambda d, p: op(d, LIST)["responses"]["200"].update(schema={"$ref": "#/parameters/Items"})),
    "ResponseReferenceNotValid": set_(lambda d, p: op(d, LIST)["responses"].update({"404": {"$ref": "#/definitions/Items"}})),
    "JsonPointerNotValid": set_(lambda d, p: op(d, LIST)["responses"]["200"].update(schema={"$ref": "#/definitions/It~ems"})),
    "BodyParameterSchemaRequired": set_(lambda d, p: op(d, CREATE)["parameters"][0].pop("schema")),
    "NonBodyParameterSchemaNotValid": set_(lambda d, p: op(d, LIST)["parameters"][0].update(schema={"type": "integer"})),
    "RequiredLoopInSchemaNotAllowed": set_(lambda d, p: d["definitions"].update(
        A={"type": "object", "required": ["b"], "properties": {"b": {"$ref": "#/definitions/B"}}},
        B={"type": "object", "required": ["a"], "properties": {"a": {"$ref": "#/definitions/A"}}})),
    "ResponseExampleMustBeProducedByOperation": set_(lambda d, p: op(d, LIST)["responses"]["200"].update(examples={"text/csv": "a,b"})),
    "ResponseHeadersAreNotUnique": set_(lambda d, p: op(d, DELETE)["responses"]["200"].update(
        headers={"X-Id": {"type": "string"}, "x-id": {"type": "string"}})),
    "SchemaDefinitionSetIncorrectly": set_(lambda d, p: d["paths"]["/hooks"].pop("x-ms-notification-content")),
    "SchemaTypeFileNotValid": set_(lambda d, p: prop(d).update(type="file")),
    "InvalidCustomEditorExtensionDictionaryValue": set_(lambda d, p: prop(d).update({"x-ms-editor": "dictionary"})),
    "ParameterRefLoopNotAllowed": set_(lambda d, p: d.update(parameters={"A": {"name": "a", "in": "query", "type": "string"},
                                                                          "B": {"$ref": "#/parameters/A"}})),
    "ResponseRefLoopNotAllowed": set_(lambda d, p: d.update(responses={"Ok": {"description": "OK"}, "Alias": {"$ref": "#/responses/Ok"}})),
    "QueryParameterEncodingNotSupported": set_(lambda d, p: op(d, LIST)["parameters"][0].update({"x-ms-url-encoding": "single"})),
    "ParamtersWithSameNameMustHaveSameTypeAndVisibility": set_(lambda d, p: polled_by_webhook(d, "string")),
    "PathParametersContainDuplicateParameter": set_(lambda d, p: d["paths"]["/items/{id}"].update(parameters=[ID_PARAM, dict(ID_PARAM)])),
    "PathParametersContainMultipleBodyParameters": set_(lambda d, p: d["paths"]["/items"].update(parameters=[
        {"name": "a", "in": "body", "schema": {"type": "object"}}, {"name": "b", "in": "body", "schema": {"type": "object"}}])),
    "OperationParametersAreNotUnique": set_(lambda d, p: op(d, LIST)["parameters"].append(op(d, LIST)["parameters"][0])),
    "ConsumesMissing": set_(lambda d, p: upload(d, [])),
    "StringBinaryNotSupportedForFormUrlEncoded": set_(lambda d, p: upload(d, ["application/x-www-form-urlencoded"])),
    "OperationPathVariablesContainDefaults": set_(lambda d, p: add_get(d, "/things/{id=1}")),
    "PartialDuplicateOperationPath": set_(lambda d, p: d["paths"].update({"/items/search": {"delete": {
        "operationId": "Things", "summary": "Things", "description": "Things.", "responses": {"200": {"description": "OK"}}}}})),
    "OperationHasManyResponsesWithSchema": set_(lambda d, p: op(d, LIST)["responses"].update(
        {"201": {"description": "Created", "schema": {"type": "object"}}})),
    "NotificationExtensionNotSupportedInWebhookOperation": set_(lambda d, p: op(d, HOOK).update({"x-ms-notification": {"operationId": "OnNewItem"}})),
    "NotificationOperationMustBeWebhook": set_(lambda d, p: op(d, LIST).update(
        {"x-ms-trigger": "batch", "x-ms-notification": {"operationId": "CreateItem"}})),
    "InvalidEnumValue": set_(lambda d, p: prop(d, "kind").update(enum=["a", "b", 3])),
    "SelectedItemValuePathNotAllowedInThisPosition": set_(lambda d, p: prop(d, "kind")["x-ms-dynamic-values"].update(selectedItemValuePath="id")),
    "ApiAnnotationExtensionReplacementInfoForNonDeprecatedOperations": set_(lambda d, p: annotate(d, {"replacement": {"api": "x", "operationId": "Y"}})),
    "ApiAnnotationExtensionReplacementInfoMissingApiProperty": set_(lambda d, p: annotate(d, {"replacement": {"operationId": "Y"}})),
    "ApiAnnotationExtensionReplacementInfoMissingOperationIdProperty": set_(lambda d, p: annotate(d, {"replacement": {"api": "x"}})),
    "OperationRevisionEmpty": set_(lambda d, p: annotate(d, {"family": "F"}, {"family": "F", "revision": 2})),
    "OperationFamilyHasDuplicateRevisions": set_(lambda d, p: annotate(d, {"family": "F", "revision": 1}, {"family": "F", "revision": 1})),
    "OperationFamilyHasManyEmptyRevisions": set_(lambda d, p: annotate(d, {"family": "F"}, {"family": "F"})),
    "OperationFamilyHasManyActiveOperations": set_(lambda d, p: annotate(d, *({"family": "F", "revision": i} for i in (1, 2, 3)))),
    "OperationFamilyHasManyActiveProductionOperations": set_(lambda d, p: annotate(
        d, {"family": "F", "revision": 1, "status": "Production"}, {"family": "F", "revision": 2, "status": "Production"})),
    "OperationIdShouldEndWithRevision": set_(lambda d, p: annotate(d, {"family": "ListItems", "revision": 2})),
    "OperationStatusAheadOfConnector": set_(lambda d, p: d["info"].update({"x-ms-api-annotation": {"status": "Preview"}})
                                            or annotate(d, {"status": "Production"})),
    "BodyParameterPropertyNotValid": set_(lambda d, p: op(d, CREATE)["parameters"][0].update(type="object")),
    "RequiredPropertyNotOnObject": set_(lambda d, p: prop(d).update(required=["x"])),
    "RequiredReadOnlyPropertyNotAllowedAsInput": set_(lambda d, p: prop(d).update(readOnly=True)),
    "InvalidStringBinaryProperty": set_(lambda d, p: prop(d).update(format="binary")),
    "SchemeNotValid": set_(lambda d, p: d.update(schemes=["https", "ftp"])),
    "SecuritySchemePropertyNotValid": set_(lambda d, p: d["securityDefinitions"]["basic"].update(flow="implicit")),
    "SecuritySchemePropertyRequired": set_(lambda d, p: d.update(securityDefinitions={"key": {"type": "apiKey", "in": "header"}},
                                                                 security=[{"key": []}])),
    "TagRedefined": set_(lambda d, p: d.update(tags=[{"name": "Items"}, {"name": "Items"}])),
    "InternalPropertyWithDefaultOptional": set_(lambda d, p: prop(d, "kind").update({"x-ms-visibility": "internal", "default": "a"})),
    "NotificationUrlNotAllowedInThisPosition": set_(lambda d, p: op(d, HOOK)["parameters"].append(
        {"name": "callback", "in": "query", "type": "string", "x-ms-notification-url": True, "x-ms-visibility": "internal"})),
    "AllowEmptyValueOnlyValidForQueryFormData": set_(lambda d, p: op(d, DELETE)["parameters"][0].update(allowEmptyValue=True)),
    "DiscriminatorMustBeARequiredStringProperty": set_(lambda d, p: body(d).update(discriminator="kind")),
    "RequiredValueEmpty": set_(lambda d, p: d["info"].update(version=" ")),
    "ValueMustBeInEnglish": set_(lambda d, p: d["info"].update(description="Odesílá a vypisuje zprávy služby Příklad pro toky: žluťoučký kůň.")),
    "ProductionStatusOnBetaService": set_(lambda d, p: d["info"].update({"x-ms-api-annotation": {"status": "Production"}})
                                          or d.update(host="beta.example.com")),
    "DynamicListExtensionRequiredForNonParameterReferences": set_(lambda d, p: dynamic_values(d, parameters={"limit": {"parameter": "body/name"}})),
    "DynamicPropertiesExtensionRequiredForNonParameterReferences": set_(lambda d, p: dynamic_schema(d, "schema") or prop(d)[
        "x-ms-dynamic-schema"].update(parameters={"limit": {"parameter": "body/name"}})),
    "DynamicPropertiesExtensionRequiredForPropertiesValuePath": set_(lambda d, p: dynamic_schema(d, "schema/properties")),
    "DynamicPropertiesItemValuePathMismatch": set_(lambda d, p: dynamic_schema(d, "schema/properties", "other")),
    "InvokedOperationShouldProduceArray": set_(lambda d, p: d["definitions"]["Items"]["properties"].update(items={"type": "string"})),
    "InvokedOperationShouldProduceProperty": set_(lambda d, p: dynamic_values(d, **{"value-path": "ident"})),
    "OperationMissingRequiredProperty": set_(lambda d, p: require_limit(d) or dynamic_values(d, parameters={})),
    "OperationParameterStaticTypeMismatch": set_(lambda d, p: dynamic_values(d, parameters={"limit": "five"})),
    "OperationParameterTypeMismatch": set_(lambda d, p: list_param(d, type="string")),
    "OperationParameterRequiredMismatch": set_(lambda d, p: require_limit(d) or list_param(d)),
    "SourcePropertyInternal": set_(lambda d, p: list_param(d, **{"x-ms-visibility": "internal"})),
    "OperationParameterNameIsAmbiguous": set_(lambda d, p: op(d, CREATE)["parameters"].append(
        {"name": "name", "in": "query", "type": "string", "x-ms-summary": "N"}) or prop(d)
        .update({"x-ms-dynamic-values": {"operationId": "CreateItem", "parameters": {"name": "x"}, "value-path": "id"}})),
    "DynamicListExtensionRequiredForAmbiguousReferences": set_(lambda d, p: list_param(d, "name")),
    "DynamicPropertiesExtensionRequiredForAmbiguousReferences": set_(lambda d, p: op(d, CREATE)["parameters"].append(
        {"name": "name", "in": "query", "type": "integer", "x-ms-summary": "N"}) or dynamic_schema(d, "schema") or prop(d)[
        "x-ms-dynamic-schema"].update(parameters={"limit": {"parameter": "name"}})),
    "FilterFunctionsPropertyEmpty": set_(lambda d, p: d["definitions"]["Items"].update(filterFunctions=[])),
    "FilterFunctionsPropertyHasDuplicates": set_(lambda d, p: d["definitions"]["Items"].update(filterFunctions=["eq", "eq"])),
    "FilterFunctionsPropertyInInputSchema": set_(lambda d, p: body(d).update(filterFunctions=["eq"])),
    "FilterFunctionsPropertyInvalidValue": set_(lambda d, p: d["definitions"]["Items"].update(filterFunctions=["eq", "like"])),
    "OperationIdTooLong": set_(lambda d, p: op(d, DELETE).update(operationId="D" * 80)),
    "SchemaTooDeep": set_(lambda d, p: prop(d).update(nested(20))),
    "SchemaTooDeep (through $refs)": set_(lambda d, p: d["definitions"].update(chain(20)) or prop(d).update({"$ref": "#/definitions/L0"})),
    "BodySchemaCountExceedsMaxAllowed": set_(lambda d, p: body(d)["properties"].update(many(200))),
    "OperationSchemaCountExceedsMaxAllowed": set_(lambda d, p: body(d)["properties"].update(many(500))),
    "TotalSchemaCountExceedsMaxAllowed": set_(lambda d, p: d["definitions"].update({f"D{i}": {"type": "string"} for i in range(5000)})),
    "MimeTypeNotSupported": set_(lambda d, p: op(d, CREATE).update(consumes=["application/json", "application/pdf"])),
    "MimeTypeNotCompatibleWithRequestContentSchemaType": set_(lambda d, p: op(d, CREATE).update(consumes=["text/plain"])),
    "SwaggerKeywordNotSupported": set_(lambda d, p: prop(d).update(uniqueItems=True)),
    "CollectionFormatValueNotSupported": set_(lambda d, p: op(d, LIST)["parameters"].append(
        {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}, "collectionFormat": "pipes", "x-ms-summary": "Tags"})),
    "ReservedParameterIsUsed": set_(lambda d, p: op(d, LIST)["parameters"].append(
        {"name": "Content-Length", "in": "header", "type": "integer", "x-ms-summary": "Length"})),
    "UnrecognizedTypeFormat": set_(lambda d, p: prop(d).update(format="int32")),
    "AdditionalPropertyNotAllowed": set_(lambda d, p: prop(d, "kind")["x-ms-dynamic-values"].update({"valuePath": "id"})),
    "OneOfPropertiesRequired": set_(lambda d, p: _dynamic_list(d, {"limit": {"default": 5}})),
    "DynamicTreeExtensionMissing": set_(lambda d, p: d.update({"x-ms-capabilities": FILE_PICKER})),
    "summary-sentence-case": set_(lambda d, p: op(d, LIST).update(summary="List All Items")),
    "trigger-summary-when": set_(lambda d, p: op(d, HOOK).update(summary="On a new item")),
    "description-says-more": set_(lambda d, p: prop(d).update(description="Name.")),
    "description-says-more (raw key)": set_(lambda d, p: prop(d).update(description="name")),
    "description-sentence": set_(lambda d, p: op(d, LIST).update(description="Lists the items")),
    "label-duplicate": set_(lambda d, p: prop(d, "kind").update({"x-ms-summary": "Name"})),
    # The solution family (generator/check/rules/solution.py); its YAML-only rules are in tests/test_solution.py.
    "environment-variable-reference": set_(lambda d, p: d.update(host="@environmentVariables('cr123_ApiHost')")),
    "environment-variable-place": set_(lambda d, p: op(d, LIST)["parameters"][0].update(default='@environmentVariables("cr123_Limit")')),
    "environment-variable-name": set_(lambda d, p: d.update(host='@environmentVariables("ApiHost")')),
    "solution-column-size": set_(lambda d, p: d.update(host='@environmentVariables("cr123_ApiHost")') or
                                 d["definitions"].update({"Big": {"type": "string", "description": "x" * 500_001}})),
    # The agents family (generator/check/rules/agents.py): MCP servers and AI actions; tests/test_agents.py has the rest.
    "mcp-transport-sse": set_(lambda d, p: op(d, CREATE).update({"x-ms-agentic-protocol": "mcp-sse-1.0"})),
    "mcp-protocol-unknown": set_(lambda d, p: op(d, CREATE).update({"x-ms-agentic-protocol": "mcp-streamable-2.0"})),
    "mcp-operation-method": set_(lambda d, p: op(d, LIST).update({"x-ms-agentic-protocol": "mcp-streamable-1.0"})),
    "ai-action-operation-id": set_(lambda d, p: op(d, LIST).update({"x-ms-openai-data": {"openai-enabled": True, "operations": [
        {"operationId": "ListItems.", "x-ms-require-user-confirmation": False}]}})),
    "ai-action-confirmation": set_(lambda d, p: op(d, CREATE).update({"x-ms-openai-data": {"openai-enabled": True, "operations": [
        {"operationId": "CreateItem", "x-ms-require-user-confirmation": False}]}})),
}

# Shapes of live connectors (Microsoft merged them) that a rule once took for errors: each must stay clean.
def _dynamic_list(d, parameters):
    prop(d, "kind")["x-ms-dynamic-list"] = {"operationId": "CreateItem", "itemsPath": "items", "itemValuePath": "id",
                                             "parameters": parameters}


def _api_key_by_policy(d, p):
    d["securityDefinitions"] = {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}
    d["security"] = [{"key": []}]
    p["properties"]["connectionParameters"] = {"secret": {"type": "securestring", "uiDefinition": {"displayName": "Key"}},
                                               "region": p["properties"]["connectionParameters"]["region"]}
    p["properties"]["policyTemplateInstances"].append({"templateId": "setheader", "title": "Key", "parameters": {
        "x-ms-apimTemplateParameter.name": "X-Key", "x-ms-apimTemplateParameter.value": "@connectionParameters('secret')"}})


NOT_ERRORS = {
    "x-ms-notification-content on a path item without a trigger": ("NotificationExtensionSupportedForTriggerOnly", set_(
        lambda d, p: d["paths"]["/items"].update({"x-ms-notification-content": {"schema": {"type": "object"}}}))),
    "body/<property> in x-ms-dynamic-list parameters": ("OperationParameterNameNotFound", set_(
        lambda d, p: _dynamic_list(d, {"body/name": {"value": "x"}}))),
    "the older x-ms-dynamic-values kept beside x-ms-dynamic-list": ("OperationParameterNameNotFound", set_(
        lambda d, p: _dynamic_list(d, {}) or prop(d, "kind")["x-ms-dynamic-values"].update(parameters={"top": 5}))),
    "@connectionParameters naming a parameter in another letter case": ("connection-parameter-reference", set_(
        lambda d, p: p["properties"]["policyTemplateInstances"][0]["parameters"].update(
            {"x-ms-apimTemplateParameter.urlTemplate": "https://@connectionParameters('Region').example.com"}))),
    "an API key named otherwise, sent by a setheader policy template": ("auth-connection-parameters", set_(_api_key_by_policy)),
    "an extra apiKey scheme beside basic": ("auth-connection-parameters", set_(
        lambda d, p: d["securityDefinitions"].update({"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}))),
    "no connection parameters at all (made from securityDefinitions)": ("auth-connection-parameters", set_(
        lambda d, p: p["properties"].update(connectionParameters={}, policyTemplateInstances=[]))),
    "nextLinkName in another letter case": ("InvalidNextLinkNameValue", set_(
        lambda d, p: op(d, LIST).update({"x-ms-pageable": {"nextLinkName": "nextlink"}}))),
    "a date-time default that is a workflow expression": ("value-format", set_(
        lambda d, p: prop(d).update(format="date-time", default="@{addDays(utcNow(), 7)}"))),
    "a null default": ("DefaultValueMustMatchType", set_(lambda d, p: prop(d).update(default=None))),
    "x-ms-dynamic-schema and -properties that agree": ("DynamicPropertiesItemValuePathMismatch", set_(
        lambda d, p: dynamic_schema(d, "schema/properties", "schema"))),
    "a required parameter the dynamic call passes": ("OperationMissingRequiredProperty", set_(lambda d, p: require_limit(d))),
    "same-named parameters of a polled and a webhook trigger that agree": ("ParamtersWithSameNameMustHaveSameTypeAndVisibility", set_(
        lambda d, p: polled_by_webhook(d))),
    "a dynamic call fed from a source parameter of the same type": ("OperationParameterTypeMismatch", set_(lambda d, p: list_param(d))),
    "the file-picker capability beside an x-ms-dynamic-tree": ("DynamicTreeExtensionMissing", set_(
        lambda d, p: d.update({"x-ms-capabilities": FILE_PICKER}) or prop(d).update({"x-ms-dynamic-tree": {
            "settings": {"canSelectLeafNodes": True}, "open": {"operationId": "ListItems", "itemValuePath": "id"}}}))),
    "a JSON object body that may also be sent as text": ("MimeTypeNotCompatibleWithRequestContentSchemaType", set_(
        lambda d, p: op(d, CREATE).update(consumes=["text/plain", "application/json; charset=utf-8"]))),
    "int32 on a number (three corpus connectors)": ("UnrecognizedTypeFormat", set_(lambda d, p: op(d, LIST)["parameters"][0].update(
        type="number", format="int32"))),
    "a recursive definition (folders of folders) in a body": ("SchemaTooDeep", set_(lambda d, p: d["definitions"].update(
        Folder={"type": "object", "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {
            "$ref": "#/definitions/Folder"}}}}) or prop(d).update({"$ref": "#/definitions/Folder"}))),
    "a policy template naming an operation in another letter case": ("policy-template-operations", set_(
        lambda d, p: p["properties"]["policyTemplateInstances"][0]["parameters"].update({"x-ms-apimTemplate-operationName": ["listitems"]}))),
    "a streamable MCP server on a POST (Affinity MCP, Seismic MCP)": ("mcp-operation-method", set_(
        lambda d, p: op(d, CREATE).update({"x-ms-agentic-protocol": "mcp-streamable-1.0"}))),
    "an AI action that reads without asking (28 published GETs)": ("ai-action-confirmation", set_(
        lambda d, p: op(d, LIST).update({"x-ms-openai-data": {"openai-enabled": True, "operations": [
            {"operationId": "ListItems", "x-ms-require-user-confirmation": False}]}}))),
    "a disabled AI action that would not ask": ("ai-action-confirmation", set_(
        lambda d, p: op(d, CREATE).update({"x-ms-openai-data": {"openai-enabled": False, "operations": [
            {"operationId": "CreateItem", "x-ms-require-user-confirmation": False}]}}))),
    "x-ms-openai-data with openai-enabled alone (PROS AI)": ("ai-action-operation-id", set_(
        lambda d, p: op(d, LIST).update({"x-ms-openai-data": {"openai-enabled": True}}))),
}


@pytest.mark.parametrize("case", sorted(NOT_ERRORS))
def test_live_connector_shapes_are_not_errors(case):
    rule_id, mutate = NOT_ERRORS[case]
    got = [str(f) for f in findings(*mutate(*parts())) if f.rule == rule_id]
    assert got == []


def test_a_body_path_the_called_operation_lacks_is_still_an_error():
    d, p, s = parts()
    _dynamic_list(d, {"body/nmae": {"value": "x"}})
    got = [f for f in findings(d, p, s) if f.rule == "OperationParameterNameNotFound"]
    assert len(got) == 1 and "'CreateItem'" in got[0].message and "body/nmae" in got[0].message


# Localization rules need several locale builds: they get their own cases below.
BUILD_CASES = {"locale-string-missing", "locale-display-name-length"}


def test_the_minimal_connector_passes_every_rule():
    assert findings(*parts()) == []


def test_every_own_rule_has_a_case():
    ids = {r.id for r in own_rules()}
    assert ids - {_id(case) for case in CASES} - BUILD_CASES - set(README_CASES) == set()
    assert {_id(case) for case in CASES} - ids == set()


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_reports_the_broken_connector(rule_id):
    d, p, s = CASES[rule_id](*parts())
    got = [f for f in findings(d, p, s)]
    assert _id(rule_id) in {f.rule for f in got}, [str(f) for f in got]


def _id(case: str) -> str:
    """A case is named by its rule id, with " (variant)" when a rule has several cases."""
    return case.split(" (")[0]


def _builds(mutate_cs):
    d, p, s = parts()
    cs_d, cs_p, _ = parts()
    mutate_cs(cs_d, cs_p)
    return d, p, s, {"en": (d, p), "cs": (cs_d, cs_p)}


# Readme rules read a folder's readme.md: their cases write the minimal connector as a certification folder
# (stackOwner, which only certification accepts) with a readme of every section of Microsoft's template.
README = """# Example Mail

## Publisher: Example

## Prerequisites

An Example account.

## Supported Operations

### List items
### Create an item
### Delete an item
### When an item is created

## Obtaining Credentials

Your Example user name and password.

## Known Issues and Limitations

None known.

## Deployment Instructions

Run `paconn create` on this folder.
"""

README_CASES = {
    "readme-missing": lambda text: None,
    "readme-sections": lambda text: text.replace("## Prerequisites", "## Before you start"),
    "readme-operations": lambda text: text.replace("### Delete an item\n", ""),
}


def certification_folder(tmp_path, readme: str | None = README):
    d, p, s = parts()
    p["properties"]["stackOwner"] = "Example"
    folder = write_folder(tmp_path / "conn", d, p, s)
    if readme is not None:
        (folder / "readme.md").write_text(readme, encoding="utf-8")
    return folder


def folder_findings(folder):
    from ppconnector.check.engine import load, run

    return run(load(folder), own_rules())


def test_the_minimal_certification_folder_passes_every_rule(tmp_path):
    assert [str(f) for f in folder_findings(certification_folder(tmp_path))] == []


@pytest.mark.parametrize("rule_id", sorted(README_CASES))
def test_readme_rule_reports_the_broken_folder(tmp_path, rule_id):
    got = folder_findings(certification_folder(tmp_path, README_CASES[rule_id](README)))
    assert rule_id in {f.rule for f in got}, [str(f) for f in got]


def test_a_plain_custom_connector_folder_needs_no_readme(tmp_path):
    """Without stackOwner the folder is a custom connector (paconn refuses stackOwner outside certification)."""
    folder = write_folder(tmp_path / "conn", *parts())
    assert [str(f) for f in folder_findings(folder)] == []


def test_localization_rules_pass_when_every_locale_is_complete():
    d, p, s, builds = _builds(lambda d, p: d["info"].update(title="Příklad pošty"))
    assert [f for f in findings(d, p, s, builds) if f.rule.startswith("locale-")] == []


def test_locale_string_missing():
    d, p, s, builds = _builds(lambda d, p: op(d, LIST).update(summary=""))
    got = [f for f in findings(d, p, s, builds) if f.rule == "locale-string-missing"]
    assert len(got) == 1 and "cs build" in got[0].message and got[0].pointer == "/paths/~1items/get/summary"


def test_locale_display_name_length():
    d, p, s, builds = _builds(lambda d, p: p["properties"]["connectionParameters"]["username"]["uiDefinition"].update(displayName="U" * 81))
    got = [f for f in findings(d, p, s, builds) if f.rule == "locale-display-name-length"]
    assert len(got) == 1 and "locale cs" in got[0].message


def test_length_limits_apply_to_every_locale():
    d, p, s, builds = _builds(lambda d, p: d["info"].update(title="Velmi dlouhý název konektoru pro poštu"))
    got = [f for f in findings(d, p, s, builds) if f.rule == "FieldLengthExceeded"]
    assert len(got) == 1 and "locale cs" in got[0].message


def test_own_families_are_the_ones_listed():
    assert {r.family for r in own_rules()} == set(OWN_FAMILIES) | {"script"}
    assert {r.id for r in own_rules() if r.family == "script"} == set(OWN_SCRIPT_RULES)


def test_extension_schema_findings_name_the_typo():
    d, p, s = CASES["ms-definition-schema"](*parts())
    (f,) = [f for f in findings(d, p, s) if f.rule == "ms-definition-schema"]
    assert 'unknown key "x-ms-summmary"' in f.message and '(did you mean "x-ms-summary"?)' in f.message
    assert f.pointer == "/paths/~1items/get/parameters/0"


def test_script_operation_ids_in_a_switch_and_in_comparisons():
    d, p, _ = parts()
    code = '''public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        // case "Commented": is not code
        switch (this.Context.OperationId)
        {
            case "ListItems": break;
            case "ListItemz": break;
        }
        if ("CreateItem" == Context.OperationId || Context.OperationId.Equals("DeleteItems")) { }
        return await this.Context.SendAsync(this.Context.Request, this.CancellationToken);
    }
}
'''
    got = [(f.line, f.column, f.message) for f in findings(d, p, code) if f.rule == "script-operation-id"]
    assert [(line, col) for line, col, _ in got] == [(9, 19), (11, 80)]
    assert 'did you mean "ListItems"' in got[0][2] and '"DeleteItems"' in got[1][2]


def test_a_crashing_rule_is_reported_and_the_others_still_run():
    from ppconnector.check.engine import INTERNAL, run
    from ppconnector.check.registry import Issue, Rule

    from check_support import target

    def boom(t):
        yield Issue("first", "/info")
        raise KeyError("x")

    d, p, s = parts()
    d["schemes"] = []
    rules = [Rule("boom", "warning", "test", "crashes", boom)] + own_rules()
    got = run(target(d, p, s), rules)
    assert sorted(f.rule for f in got if f.rule in ("boom", INTERNAL, "SchemesArrayEmpty")) == sorted(["boom", INTERNAL, "SchemesArrayEmpty"])
    assert "rule boom crashed: KeyError" in next(f.message for f in got if f.rule == INTERNAL)


def test_microsoft_rules_sit_in_the_module_of_their_page_section():
    sections = {"Operations", "Arrays", "Not supported", "Parameters", "Properties", "Response", "Security", "Webhooks", "Metadata"}
    ms = [r for r in own_rules() if r.family == "microsoft"]
    assert len(ms) > 120 and all(r.section in sections for r in ms), [r.id for r in ms if r.section not in sections]
    assert {r.section for r in own_rules() if r.family != "microsoft" and r.id[0].islower()} <= set(OWN_FAMILIES) | {"script"}


def test_rules_json_gives_each_rule_its_section():
    import json

    from conftest import run_cli

    listed = json.loads(run_cli("rules", "--format", "json").stdout)
    by_id = {x["id"]: x for x in listed}
    assert by_id["ConsumesMissing"]["section"] == "Operations" and by_id["SchemaRefLoopNotAllowed"]["section"] == "Response"
    assert by_id["swagger-schema"]["section"] == "swagger" and all(x["section"] and x["doc"] for x in listed)


def test_a_limit_microsoft_does_not_publish_is_ours_to_adjust(monkeypatch):
    d, p, s = CASES["OperationIdTooLong"](*parts())
    monkeypatch.setenv("PPCONNECTOR_CHECK_LIMITS", "SchemaTooDeep=30, OperationIdTooLong=81")
    assert [f for f in findings(d, p, s) if f.rule == "OperationIdTooLong"] == []
    monkeypatch.setenv("PPCONNECTOR_CHECK_LIMITS", "OperationIdTooLong=10")
    got = sorted(f.message for f in findings(*parts()) if f.rule == "OperationIdTooLong")
    assert got == [f"The operationId length must be less than '10'. ('{i}' has 10)" for i in ("CreateItem", "DeleteHook", "DeleteItem")]


def test_a_limit_that_is_not_a_number_says_so_and_keeps_the_default(monkeypatch):
    monkeypatch.setenv("PPCONNECTOR_CHECK_LIMITS", "OperationIdTooLong=short")
    (f,) = [f for f in findings(*parts()) if f.rule == "OperationIdTooLong"]
    assert f.severity == "info" and "'OperationIdTooLong=short'" in f.message and "default 80" in f.message


@pytest.mark.parametrize(("collection_format", "severity"), [("multi", "error"), ("Multi", "error"), ("pipes", "warning"), ("csv", None)])
def test_the_platform_refuses_collection_format_multi_and_we_only_doubt_the_others(collection_format, severity):
    d, p, s = parts()
    op(d, LIST)["parameters"].append({"name": "tags", "in": "query", "type": "array", "items": {"type": "string"},
                                      "collectionFormat": collection_format, "x-ms-summary": "Tags"})
    got = [f.severity for f in findings(d, p, s) if f.rule == "CollectionFormatValueNotSupported"]
    assert got == ([severity] if severity else [])


def _catalogue(sections: bool = False) -> dict[str, str]:
    """Rule id -> English message template (or the page section listing it), from Microsoft's catalogue read in place."""
    import re

    from conftest import require_shared

    text = require_shared("reference", "powerplatform", "validator-rules.md").read_text(encoding="utf-8")
    tables = text[text.index("## Rule tables"):text.index("## Other certification requirements")]
    found, section = {}, None
    for line in tables.splitlines():
        heading = re.match(r"### (.+?) \(\d+ rules\)", line)
        section = heading.group(1) if heading else section
        row = re.match(r"\| ([A-Z][A-Za-z]+) \| `([^`]*)`", line)
        if row:
            found[row.group(1)] = section if sections else row.group(2)
    return found


def test_every_rule_of_microsofts_catalogue_is_a_rule_under_its_id():
    listed = _catalogue()
    assert len(listed) == 174
    assert set(listed) - {r.id for r in own_rules()} == set()


def test_each_microsoft_rule_sits_in_the_module_of_the_section_that_lists_it():
    by_id = {r.id: r for r in own_rules()}
    assert {i: s for i, s in _catalogue(sections=True).items() if by_id[i].section != s} == {}


def test_each_microsoft_finding_reads_as_the_catalogues_template_filled_in():
    """The template's {n} filled in, and at most a parenthesised detail after it, so the page's text is found."""
    import re

    templates, wrong = _catalogue(), []
    for case, mutate in CASES.items():
        template = templates.get(_id(case))
        if template is None:
            continue
        pattern = re.sub(r"\\\{\d\\\}", ".*", re.escape(template.replace("{{", "{").replace("}}", "}")))
        messages = [f.message for f in findings(*mutate(*parts())) if f.rule == _id(case)]
        if not any(re.fullmatch(pattern + r"( \(.*\))?", m, re.S) for m in messages):
            wrong.append((case, template, messages[:1]))
    assert wrong == []
