"""XLIFF 1.2 catalogs: written with the standard library, read with defusedxml.

One ``<file original="clicksend.yaml" product-name="ClickSend SMS">``; each ``<trans-unit>`` has the
string's id as ``id`` and ``resname``, ``maxwidth`` + ``size-unit="char"`` for its length limit, the
source text, a ``<target>`` with ``state="translated"`` (and ``approved="yes"`` on the unit) or
``state="needs-review-translation"`` when the source changed since (no target when untranslated), a ``<note>`` saying where it shows, and its YAML line as a location context group.

Reading refuses any DTD (so no external entities and no entity-expansion bombs), anything but XLIFF
1.2, inline markup inside a display string, and a unit count that differs from the header's.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from ..diagnostics import ERROR, Finding, InputError
from .catalog import TOOL, Catalog, Entry, entry_count

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
REVIEW_STATES = {"needs-review-translation", "needs-review-adaptation", "needs-review-l10n", "needs-adaptation",
                 "needs-l10n"}
UNTRANSLATED_STATES = {"new", "needs-translation"}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def write(cat: Catalog) -> bytes:
    ET.register_namespace("", NS)
    root = ET.Element(_q("xliff"), {"version": "1.2"})
    file_el = ET.SubElement(root, _q("file"), {
        "original": cat.source_file, "source-language": cat.source_locale, "target-language": cat.locale,
        "datatype": "plaintext", "product-name": cat.connector})
    header = ET.SubElement(file_el, _q("header"))
    ET.SubElement(header, _q("tool"), {"tool-id": TOOL, "tool-name": TOOL})
    group = ET.SubElement(header, _q("count-group"), {"name": "entries"})
    count = ET.SubElement(group, _q("count"), {"count-type": "total", "unit": "trans-unit"})
    count.text = str(len(cat.entries))
    ET.SubElement(header, _q("note")).text = (
        f"Translations of the {cat.connector} connector ({cat.source_file}). Bring them back with "
        f"`{TOOL} i18n import FILE`; keep each unit's id and source as they are.")
    body = ET.SubElement(file_el, _q("body"))
    for e in cat.entries:
        attrs = {"id": e.id, "resname": e.id, f"{{{XML_NS}}}space": "preserve"}
        if e.target and not e.needs_review:
            attrs["approved"] = "yes"
        if e.limit:
            attrs.update({"maxwidth": str(e.limit), "size-unit": "char"})
        unit = ET.SubElement(body, _q("trans-unit"), attrs)
        ET.SubElement(unit, _q("source")).text = e.source
        if e.target:
            state = "needs-review-translation" if e.needs_review else "translated"
            ET.SubElement(unit, _q("target"), {"state": state}).text = e.target
        ET.SubElement(unit, _q("note"), {"from": TOOL}).text = e.note
        if e.line:
            # No name: the schema wants context-group names unique within the file.
            where = ET.SubElement(unit, _q("context-group"), {"purpose": "location"})
            ET.SubElement(where, _q("context"), {"context-type": "sourcefile"}).text = cat.source_file
            ET.SubElement(where, _q("context"), {"context-type": "linenumber"}).text = str(e.line)
    ET.indent(root, "  ")
    # A reader turns a raw CR (and CR LF) in text into LF, as XML says; a character reference keeps it.
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=False).replace(b"\r", b"&#13;")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + xml + b"\n"


def _fail(shown: str, message: str, line: int | None = None, column: int | None = None) -> InputError:
    return InputError(Finding("catalog-syntax", ERROR, message, shown, line, column))


def _plain_text(el: ET.Element, shown: str, unit_id: str) -> str:
    if len(el):
        raise _fail(shown, f'unit "{unit_id}": inline markup (<{el[0].tag.split("}")[-1]}>) in a display string is not supported; use plain text')
    return el.text or ""


def read(data: bytes, shown: str) -> Catalog:
    import defusedxml
    from defusedxml import ElementTree as DET

    _declared_encoding(data, shown)
    try:
        root = DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        raise _fail(shown, "the catalog declares a DTD (<!DOCTYPE ...>); refused: entity declarations could read local files or expand without bound") from None
    except defusedxml.EntitiesForbidden as e:
        raise _fail(shown, f"the catalog declares entities ({e.name}); refused") from None
    except defusedxml.ExternalReferenceForbidden:
        raise _fail(shown, "the catalog refers to an external resource; refused") from None
    except defusedxml.DefusedXmlException as e:
        raise _fail(shown, f"the catalog uses a forbidden XML construct ({type(e).__name__}); refused") from None
    except ET.ParseError as e:
        line, column = getattr(e, "position", (None, None))
        reason = str(e).split(":")[0]
        raise _fail(shown, f"not well-formed XML ({reason}; truncated or damaged?)", line, (column + 1) if column is not None else None) from None
    if root.tag != _q("xliff"):
        raise _fail(shown, f"expected an XLIFF 1.2 document (<xliff xmlns=\"{NS}\">), found <{root.tag}>", 1)
    if root.get("version") != "1.2":
        raise _fail(shown, f"XLIFF version {root.get('version')!r} is not supported; expected 1.2", 1)
    files = root.findall(_q("file"))
    if len(files) != 1:
        raise _fail(shown, f"expected one <file> element, found {len(files)}")
    file_el = files[0]
    missing = [a for a in ("original", "source-language", "target-language", "product-name") if not file_el.get(a)]
    if missing:
        raise InputError(Finding("catalog-header", ERROR, f"not a {TOOL} catalog: <file> has no {', '.join(missing)} attribute (export one with `{TOOL} i18n export`)", shown))
    declared = None
    count = file_el.find(f"{_q('header')}/{_q('count-group')}/{_q('count')}")
    if count is not None:
        declared = entry_count((count.text or "").strip(), shown, "<count>")
    cat = Catalog(file_el.get("original"), file_el.get("product-name"), file_el.get("source-language"),
                  file_el.get("target-language"), declared=declared)
    body = file_el.find(_q("body"))
    text = data.decode("utf-8", "replace")
    lines = {}  # unit id -> line of its <trans-unit>, for messages (ElementTree keeps no positions)
    line, pos = 1, 0
    for m in re.finditer(r'<(?:[\w.-]+:)?trans-unit\b[^>]*?\sid\s*=\s*["\']([^"\']*)["\']', text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        lines.setdefault(html.unescape(m.group(1)), line)
    for unit, plural in _units(body) if body is not None else []:
        unit_id = unit.get("id") or ""
        source_el = unit.find(_q("source"))
        target_el = unit.find(_q("target"))
        source = _plain_text(source_el, shown, unit_id) if source_el is not None else ""
        target = _plain_text(target_el, shown, unit_id) if target_el is not None else ""
        state = target_el.get("state", "") if target_el is not None else ""
        # approved="yes" is a translator's "done" (translate-toolkit and most CAT tools set it); without
        # it, a target whose state asks for review or translation is held for review, not imported.
        review = unit.get("approved") != "yes" and (state in REVIEW_STATES or state in UNTRANSLATED_STATES)
        cat.entries.append(Entry(id=unit_id, source=source, target=target, needs_review=review, line=lines.get(unit_id),
                                 plural=plural))
    return cat


def _units(body: ET.Element):
    """Every <trans-unit> in document order, and whether a plural group holds it: one walk over the tree (a
    catalog of groups nested 100,000 deep is read in linear time, not one pass per group)."""
    unit_tag, group_tag = _q("trans-unit"), _q("group")
    stack = [(body, False)]
    while stack:
        el, plural = stack.pop()
        if el.tag == unit_tag:
            yield el, plural
            continue
        plural = plural or (el.tag == group_tag and el.get("restype") == "x-gettext-plurals")
        stack.extend((child, plural) for child in reversed(el))


_DECLARATION = re.compile(rb"""\A(?:\xef\xbb\xbf)?\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")


def _declared_encoding(data: bytes, shown: str) -> None:
    """Catalogs are read as UTF-8 (the file was decoded as UTF-8 before parsing): a declaration of another
    encoding would be wrong for its bytes, or unknown to the parser."""
    m = _DECLARATION.match(data)
    name = m.group(1).decode("ascii", "replace") if m else "UTF-8"
    if name.lower().replace("_", "-") not in ("utf-8", "utf8", "us-ascii", "ascii"):
        raise _fail(shown, f"the XML declaration says encoding={name[:40]!r}; a catalog is UTF-8: declare "
                           'encoding="UTF-8" (or none) and save the file as UTF-8', 1)
