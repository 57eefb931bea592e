"""A solution zip -> the connector folder inside it (apiDefinition.swagger.json, apiProperties.json, icon.png,
script.csx), so `ppconnector import FILE.zip` turns an exported solution back into a YAML source.

It reads customizations.xml's <Connector> (the element names of a real export, docs/solution.md) and the
Connector/ files it names.  A solution holds no publisher (apiProperties' `publisher`) and no stackOwner:
those are not columns of Dataverse's connector table, so they cannot come back."""

from __future__ import annotations

import json
import tempfile
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..diagnostics import ERROR, Finding, InputError
from .archive import ZipProblem, read_zip


def _refuse(shown: str, message: str) -> InputError:
    return InputError(Finding("import", ERROR, message, shown))


def connector_files(data: bytes, shown: str) -> dict[str, bytes]:
    """The connector folder's files of the solution zip's one connector."""
    try:
        return _connector_files(read_zip(data), shown)
    except ZipProblem as e:
        raise _refuse(shown, str(e)) from None


def _connector_files(entries, shown: str) -> dict[str, bytes]:
    lower = {name.lower(): name for name in entries}
    custom = lower.get("customizations.xml")
    if custom is None:
        raise _refuse(shown, "not a solution zip: no customizations.xml at its root (an export has [Content_Types].xml, "
                             "customizations.xml and solution.xml)")
    text = entries[custom]
    if b"<!DOCTYPE" in text or b"<!ENTITY" in text or _declares_doctype(text):
        raise _refuse(shown, "customizations.xml declares a DOCTYPE or entities, which an export never does; refused")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise _refuse(shown, f"customizations.xml is not well-formed XML ({e})") from None
    connectors = root.findall("./Connectors/Connector")
    if len(connectors) != 1:
        raise _refuse(shown, f"the solution holds {len(connectors)} connectors; import takes a solution with exactly one")
    element = connectors[0]

    def column(name: str) -> bytes | None:
        node = element.find(name)
        if node is None or not (node.text or "").strip():
            return None
        path = node.text.strip().lstrip("/")
        found = lower.get(path.lower())
        if found is None:
            raise _refuse(shown, f"<{name}> names {path}, which the zip does not hold")
        return entries[found]

    def parsed(name: str, default):
        raw = column(name)
        if raw is None:
            return default
        try:
            return json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise _refuse(shown, f"<{name}>'s file is not JSON ({e})") from None

    definition = column("openapidefinition")
    if definition is None:
        raise _refuse(shown, "the connector has no <openapidefinition>")
    props: dict = {"connectionParameters": parsed("connectionparameters", {})}
    brand = element.findtext("iconbrandcolor")
    if brand:
        props["iconBrandColor"] = brand.strip()
    props["capabilities"] = []
    sets = parsed("connectionparametersets", None)
    if sets is not None:
        props["connectionParameterSets"] = sets
    script = column("customcodeblobcontent")
    operations = element.findtext("scriptoperations")
    if script is not None and operations:
        try:
            props["scriptOperations"] = json.loads(operations)
        except json.JSONDecodeError:
            raise _refuse(shown, "<scriptoperations> is not a JSON list") from None
    props["policyTemplateInstances"] = parsed("policytemplateinstances", [])
    files = {"apiDefinition.swagger.json": definition,
             "apiProperties.json": (json.dumps({"properties": props}, indent=2, ensure_ascii=True) + "\n").encode("ascii")}
    icon = column("iconblob")
    if icon is not None:
        files["icon.png"] = icon
    if script is not None:
        files["script.csx"] = script
    return files


def _declares_doctype(text: bytes) -> bool:
    """Whether the XML declares a DOCTYPE, in whatever encoding it is written (UTF-16 hides the bytes
    ``<!DOCTYPE`` from a plain search); found by the parser itself, before any entity is expanded."""
    from xml.parsers import expat

    class Declared(Exception):
        pass

    def declared(*args) -> None:
        raise Declared

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = declared
    parser.EntityDeclHandler = declared
    try:
        parser.Parse(text, True)
    except Declared:
        return True
    except expat.ExpatError:
        return False  # not well-formed: ElementTree says where
    return False


@contextmanager
def unpacked(zip_path: Path, shown: str) -> Iterator[Path]:
    """A temporary connector folder (named after the zip) holding the solution's connector."""
    try:
        data = zip_path.read_bytes()
    except OSError as e:
        raise _refuse(shown, f"cannot read the solution zip: {e.strerror}") from None
    files = connector_files(data, shown)
    with tempfile.TemporaryDirectory(prefix="ppconnector-solution-") as work:
        folder = Path(work) / (zip_path.stem or "connector")
        folder.mkdir()
        for name, content in files.items():
            (folder / name).write_bytes(content)
        yield folder
