"""The files of an unmanaged Dataverse solution holding one connector, in the layout Power Platform exports.

Verified against a real export holding a custom connector and a flow (KarolFilipKozlowski/Power-Automate---
Konektor-api.nbp.pl on GitHub: its `[Content_Types].xml`, `solution.xml`, `customizations.xml`, `Connector/`
and `Workflows/` files) and Microsoft's CoE Starter Kit (`environmentvariabledefinitions/<name>/
environmentvariabledefinition.xml`, `<connectionreferences>`); docs/solution.md lists which elements come
from where and which are not seen in any export we could read.  The zip holds:

    [Content_Types].xml   customizations.xml   solution.xml
    Connector/<name>_openapidefinition.json        the definition, as the build writes it
    Connector/<name>_connectionparameters.json     apiProperties' connectionParameters
    Connector/<name>_policytemplateinstances.json  apiProperties' policyTemplateInstances
    Connector/<name>_iconblob.Png                  the icon (when the connector has one)
    Connector/<name>_customcodeblobcontent.csx     the script (when the connector has one)
    environmentvariabledefinitions/<schema name>/environmentvariabledefinition.xml   one per variable
"""

from __future__ import annotations

import json
import re
import uuid
import zlib
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from .. import envvars
from ..diagnostics import ERROR, Finding, InputError
from ..model import Connector

# Stable GUIDs: the same source gives the same component ids, so the same zip bytes.
NAMESPACE = uuid.UUID("5d9f6c2e-3b1a-4f0e-9a57-1c2d3e4f5a6b")
LANGUAGE = "1033"
TEXT, SECRET = "100000000", "100000005"  # environmentvariabledefinition type: String, Secret
CONNECTOR_COMPONENT, VARIABLE_COMPONENT, WORKFLOW_COMPONENT = "372", "380", "29"
# The root element of solution.xml as a 2022 export writes it (the real export above).
SOLUTION_ROOT = ('<ImportExportXml version="9.2.22071.170" SolutionPackageVersion="9.2" languagecode="1033" '
                 'generatedBy="CrmLive" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">')
DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
ADDRESS_FIELDS = ("AddressTypeCode", "City", "County", "Country", "Fax", "FreightTermsCode", "ImportSequenceNumber",
                  "Latitude", "Line1", "Line2", "Line3", "Longitude", "Name", "PostalCode", "PostOfficeBox",
                  "PrimaryContactName", "ShippingMethodCode", "StateOrProvince", "Telephone1", "Telephone2",
                  "Telephone3", "TimeZoneRuleVersionNumber", "UPSZone", "UTCOffset", "UTCConversionTimeZoneCode")
CUSTOMIZATION_SECTIONS = ("Entities", "Roles", "Workflows", "FieldSecurityProfiles", "Templates", "EntityMaps",
                          "EntityRelationships", "OrganizationSettings", "optionsets", "CustomControls",
                          "EntityDataProviders")


def encode_name(text: str) -> str:
    """A display name as Power Platform writes it into a connector's logical name: lower case, letters and
    digits as they are, every other character as -xx, its UTF-8 bytes in hex ("Stable Baseline" ->
    "stable-20baseline", "purview-func" -> "purview-2dfunc", as in public exports)."""
    out = []
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        else:
            out.extend(f"-{b:02x}" for b in ch.encode("utf-8"))
    return "".join(out)


def stable_guid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "\n".join(parts)))


@dataclass
class Plan:
    """What the solution holds and what everything in it is called."""

    unique_name: str
    display_name: str
    version: str
    publisher_unique_name: str
    publisher_display_name: str
    prefix: str
    option_value_prefix: int
    connector_name: str  # the connector's logical name (schema name): prefix_encoded-title
    connector_id: str  # its Dataverse id, a GUID
    connector_display_name: str
    connector_description: str
    brand_color: str
    api_name: str  # shared_..., what a connection reference and a flow call the connector
    reference_name: str  # the connection reference's logical name
    reference_display_name: str
    variables: list[envvars.Variable] = field(default_factory=list)


def _version(text: str) -> str:
    parts = [p for p in str(text).split(".") if p.isdigit()][:4] or ["1"]
    return ".".join(parts + ["0"] * (4 - len(parts)))


def plan(c: Connector, locale: str, definition: dict, properties: dict) -> Plan:
    """The solution's names, from the YAML's `solution:` section and defaults; definition and properties are
    the locale's build (the variables they refer to are the solution's)."""
    from ..emit.swagger import Localizer

    text = Localizer(c, locale)
    section = c.node.get("solution") or {}
    publisher = section.get("publisher") or {}
    variables = collect_variables(c, locale, definition, properties)
    prefixes = [v.name.split("_", 1)[0] for v in variables]
    prefix = publisher.get("prefix") or (prefixes[0] if prefixes else "new")
    title = str(text(c.info["title"]))
    unique = section.get("unique_name") or re.sub(r"[^A-Za-z0-9]", "", title) or "Connector"
    if unique[0].isdigit():
        unique = "_" + unique
    name = f"{prefix}_{encode_name(title)}"
    publisher_unique = publisher.get("unique_name") or prefix
    reference = section.get("connection_reference") or {}
    return Plan(
        unique_name=unique,
        display_name=section.get("display_name") or title,
        version=_version(section.get("version") or c.info.get("version", "1.0")),
        publisher_unique_name=publisher_unique,
        publisher_display_name=publisher.get("display_name") or c.info.get("publisher") or publisher_unique,
        prefix=prefix,
        option_value_prefix=publisher.get("option_value_prefix") or 10000 + zlib.crc32(prefix.encode()) % 90000,
        connector_name=name,
        connector_id=stable_guid("connector", name),
        connector_display_name=title,
        connector_description=str(text(c.info["description"])),
        brand_color=properties["properties"].get("iconBrandColor", "#007ee5"),
        api_name="shared_" + name.lower().replace("_", "-5f"),
        reference_name=reference.get("logical_name") or f"{prefix}_{unique}",
        reference_display_name=reference.get("display_name") or title,
        variables=variables,
    )


def collect_variables(c: Connector, locale: str, definition: dict, properties: dict) -> list[envvars.Variable]:
    """Every variable the build refers to, with what the YAML's sugar says of it (default, names, secret).
    A sugar the source gets wrong (two defaults, a bad name) is an input error here."""
    declared, problems = envvars.declared(c.node, locale)
    if problems:
        from ..source.yamlfile import position_of

        raise InputError([Finding("environment-variable-sugar", ERROR, message, c.shown, *(position_of(c.node, path) or (None, None)))
                          for path, message in problems])
    out = []
    for name, places in envvars.referenced(definition, properties).items():
        var = declared.get(name) or envvars.Variable(name)
        var.places = list(places)
        out.append(var)
    return out


# --- XML ------------------------------------------------------------------------------------------------


def _label(tag: str, value: str, indent: str) -> str:
    return (f'{indent}<{tag} default={quoteattr(value)}>\n{indent}  <label description={quoteattr(value)} '
            f'languagecode="{LANGUAGE}" />\n{indent}</{tag}>\n')


def variable_xml(v: envvars.Variable, version: str) -> bytes:
    """environmentvariabledefinition.xml, with the elements and order of the CoE Starter Kit's definitions."""
    out = f"<environmentvariabledefinition schemaname={quoteattr(v.name)}>\n"
    if v.default is not None and not v.secret:
        out += f"  <defaultvalue>{escape(v.default)}</defaultvalue>\n"
    if v.description:
        out += _label("description", v.description, "  ")
    out += _label("displayname", v.display_name or v.name, "  ")
    out += (f"  <introducedversion>{escape(version)}</introducedversion>\n  <iscustomizable>1</iscustomizable>\n"
            f"  <isrequired>0</isrequired>\n  <type>{SECRET if v.secret else TEXT}</type>\n"
            "</environmentvariabledefinition>\n")
    return (DECLARATION + out).encode("utf-8")


def _connector_element(p: Plan, files: dict[str, str]) -> str:
    """The <Connector> of customizations.xml: the real export's children in its order, then the file-valued
    columns only some connectors have (named after the Dataverse connector table's columns)."""
    out = ("    <Connector>\n"
           f"      <connectorid>{p.connector_id}</connectorid>\n"
           f"      <description>{escape(p.connector_description)}</description>\n"
           f"      <displayname>{escape(p.connector_display_name)}</displayname>\n"
           f"      <iconbrandcolor>{escape(p.brand_color)}</iconbrandcolor>\n"
           f"      <name>{escape(p.connector_name)}</name>\n"
           "      <connectortype>1</connectortype>\n")
    for column in ("openapidefinition", "connectionparameters", "connectionparametersets", "policytemplateinstances",
                   "iconblob", "customcodeblobcontent"):
        if column in files:
            out += f"      <{column}>/{escape(files[column])}</{column}>\n"
    if "scriptoperations" in files:
        out += f"      <scriptoperations>{escape(files['scriptoperations'])}</scriptoperations>\n"
    return out + "    </Connector>\n"


def _reference_element(p: Plan) -> str:
    """A <connectionreference> as the CoE Starter Kit's customizations.xml holds them, plus the custom
    connector's id (customconnectorid: not seen in an export we could read; see docs/solution.md)."""
    return (f"    <connectionreference connectionreferencelogicalname={quoteattr(p.reference_name)}>\n"
            f"      <connectionreferencedisplayname>{escape(p.reference_display_name)}</connectionreferencedisplayname>\n"
            f"      <connectorid>/providers/Microsoft.PowerApps/apis/{escape(p.api_name)}</connectorid>\n"
            f"      <customconnectorid>\n        <connectorid>{p.connector_id}</connectorid>\n      </customconnectorid>\n"
            "      <iscustomizable>1</iscustomizable>\n      <statecode>0</statecode>\n      <statuscode>1</statuscode>\n"
            "    </connectionreference>\n")


def customizations_xml(p: Plan, files: dict[str, str], workflows: str = "") -> bytes:
    out = DECLARATION + '<ImportExportXml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    for section in CUSTOMIZATION_SECTIONS:
        if section == "Workflows" and workflows:
            out += f"  <Workflows>\n{workflows}  </Workflows>\n"
        else:
            out += f"  <{section} />\n" if section not in ("Entities", "Roles", "FieldSecurityProfiles") else f"  <{section}></{section}>\n"
    out += f"  <Connectors>\n{_connector_element(p, files)}  </Connectors>\n"
    out += f"  <connectionreferences>\n{_reference_element(p)}  </connectionreferences>\n"
    out += f"  <Languages>\n    <Language>{LANGUAGE}</Language>\n  </Languages>\n</ImportExportXml>\n"
    return out.encode("utf-8")


def solution_xml(p: Plan, unique_name: str, display_name: str, roots: list[str]) -> bytes:
    address = lambda n: ("        <Address>\n          <AddressNumber>%d</AddressNumber>\n" % n  # noqa: E731
                         + "".join(f'          <{f} xsi:nil="true"></{f}>\n' for f in ADDRESS_FIELDS) + "        </Address>\n")
    out = (DECLARATION + SOLUTION_ROOT + "\n  <SolutionManifest>\n"
           f"    <UniqueName>{escape(unique_name)}</UniqueName>\n"
           f"    <LocalizedNames>\n      <LocalizedName description={quoteattr(display_name)} languagecode=\"{LANGUAGE}\" />\n    </LocalizedNames>\n"
           "    <Descriptions />\n"
           f"    <Version>{escape(p.version)}</Version>\n"
           "    <Managed>0</Managed>\n"
           "    <Publisher>\n"
           f"      <UniqueName>{escape(p.publisher_unique_name)}</UniqueName>\n"
           f"      <LocalizedNames>\n        <LocalizedName description={quoteattr(p.publisher_display_name)} languagecode=\"{LANGUAGE}\" />\n      </LocalizedNames>\n"
           "      <Descriptions />\n"
           '      <EMailAddress xsi:nil="true"></EMailAddress>\n'
           '      <SupportingWebsiteUrl xsi:nil="true"></SupportingWebsiteUrl>\n'
           f"      <CustomizationPrefix>{escape(p.prefix)}</CustomizationPrefix>\n"
           f"      <CustomizationOptionValuePrefix>{p.option_value_prefix}</CustomizationOptionValuePrefix>\n"
           f"      <Addresses>\n{address(1)}{address(2)}      </Addresses>\n"
           "    </Publisher>\n"
           "    <RootComponents>\n" + "".join(f"      {r}\n" for r in roots) + "    </RootComponents>\n"
           "    <MissingDependencies />\n  </SolutionManifest>\n</ImportExportXml>\n")
    return out.encode("utf-8")


def content_types_xml(names: list[str]) -> bytes:
    """[Content_Types].xml: one Default per file extension in the zip, xml and json first, as exports list them."""
    extensions = ["xml", "json"]
    for name in sorted(names):
        ext = name.rsplit(".", 1)[-1] if "." in name.rsplit("/", 1)[-1] else None
        if ext and ext not in extensions:
            extensions.append(ext)
    defaults = "".join(f'<Default Extension="{escape(e)}" ContentType="application/octet-stream" />' for e in extensions)
    return ('<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f"{defaults}</Types>").encode("utf-8")


def _json(value) -> bytes:
    from ..emit.files import json_bytes

    return json_bytes(value)


# --- the solutions ----------------------------------------------------------------------------------


def connector_entries(p: Plan, definition_bytes: bytes, properties: dict, icon: bytes | None, script: bytes | None) -> tuple[dict[str, bytes], dict[str, str]]:
    """The Connector/ files (zip name -> bytes) and customizations.xml's column -> file name for them."""
    props = properties["properties"]
    base = f"Connector/{p.connector_name}_"
    entries = {base + "openapidefinition.json": definition_bytes,
               base + "connectionparameters.json": _json(props.get("connectionParameters", {})),
               base + "policytemplateinstances.json": _json(props.get("policyTemplateInstances", []))}
    columns = {"openapidefinition": base + "openapidefinition.json", "connectionparameters": base + "connectionparameters.json",
               "policytemplateinstances": base + "policytemplateinstances.json"}
    if "connectionParameterSets" in props:
        entries[base + "connectionparametersets.json"] = _json(props["connectionParameterSets"])
        columns["connectionparametersets"] = base + "connectionparametersets.json"
    if icon is not None:
        entries[base + "iconblob.Png"] = icon
        columns["iconblob"] = base + "iconblob.Png"
    if script is not None:
        entries[base + "customcodeblobcontent.csx"] = script
        columns["customcodeblobcontent"] = base + "customcodeblobcontent.csx"
        columns["scriptoperations"] = json.dumps(props.get("scriptOperations", []), separators=(",", ":"))
    return entries, columns


def _finish(entries: dict[str, bytes]) -> dict[str, bytes]:
    entries["[Content_Types].xml"] = content_types_xml(list(entries))
    return dict(sorted(entries.items()))


def connector_solution(p: Plan, definition_bytes: bytes, properties: dict, icon: bytes | None, script: bytes | None) -> dict[str, bytes]:
    """The connector's solution: the connector, its environment variables and a connection reference."""
    entries, columns = connector_entries(p, definition_bytes, properties, icon, script)
    for v in p.variables:
        entries[f"environmentvariabledefinitions/{v.name}/environmentvariabledefinition.xml"] = variable_xml(v, p.version)
    roots = [f'<RootComponent type="{CONNECTOR_COMPONENT}" id="{{{p.connector_id}}}" schemaName={quoteattr(p.connector_name)} behavior="0" />']
    roots += [f'<RootComponent type="{VARIABLE_COMPONENT}" schemaName={quoteattr(v.name)} behavior="0" />' for v in p.variables]
    entries["customizations.xml"] = customizations_xml(p, columns)
    entries["solution.xml"] = solution_xml(p, p.unique_name, p.display_name, roots)
    return _finish(entries)


def zip_name(unique_name: str, version: str) -> str:
    """What an export names the zip: Konektorapinbppl_1_0_0_0.zip."""
    return f"{unique_name}_{version.replace('.', '_')}.zip"


def build_solution(c: Connector, locale: str) -> tuple[Plan, dict[str, bytes]]:
    """The plan and the connector solution's entries for one locale's build."""
    from ..build import build, default_out
    from ..emit import settings as names

    built = build(c, locale, default_out(c))
    files = {path.name: data for path, data in built.files.items()}
    definition = json.loads(files[names.DEFINITION])
    properties = json.loads(files[names.PROPERTIES])
    p = plan(c, locale, definition, properties)
    return p, connector_solution(p, files[names.DEFINITION], properties, files.get(names.ICON), files.get(names.SCRIPT))
