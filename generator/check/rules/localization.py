"""The localization family: every locale's build complete and within the limits."""

from __future__ import annotations

from typing import Any, Iterable

from ..registry import DEFINITION, PROPERTIES, Issue, Target, rule
from ..walk import esc, obj
from .common import ERROR, LOCALE, WARNING, _all_dicts, _builds, _in

_DISPLAY_KEYS = ("title", "description", "summary", "x-ms-summary", "displayName", "tooltip", "x-ms-trigger-hint")


def _display_strings(doc: Any) -> dict[str, str]:
    out = {}
    for node, p in _all_dicts(doc):
        for key in _DISPLAY_KEYS:
            if isinstance(node.get(key), str) and not p.endswith("/properties") and "/enum" not in p:
                out[f"{p}/{key}"] = node[key]
    return out


@rule("locale-string-missing", ERROR, LOCALE, "Every display string of the source build is present, and not empty, in every locale's build.")
def locale_string_missing(t: Target) -> Iterable[Issue]:
    if len(t.builds) < 2:
        return
    (source, (d0, p0)), *others = list(t.builds.items())
    base = {DEFINITION: _display_strings(d0), PROPERTIES: _display_strings(p0)}
    for loc, (d, p) in others:
        for file, doc in ((DEFINITION, d), (PROPERTIES, p)):
            have = _display_strings(doc)
            for pointer, text in base[file].items():
                if text.strip() and not (have.get(pointer) or "").strip():
                    yield Issue(f"the {loc} build has no text for this {pointer.rsplit('/', 1)[-1]} (source: {text[:60]!r})", pointer, file=file)


@rule("locale-display-name-length", WARNING, LOCALE, "Connection parameter display names and descriptions keep within the designer's limits in every locale (display name 80, description 500).")
def locale_display_name_length(t: Target) -> Iterable[Issue]:
    for loc, _, props in _builds(t):
        params = obj(obj(props).get("properties")).get("connectionParameters")
        for name, param in params.items() if isinstance(params, dict) else []:
            ui = param.get("uiDefinition") if isinstance(param, dict) else None
            for key, limit in (("displayName", 80), ("description", 500), ("tooltip", 500)):
                text = ui.get(key) if isinstance(ui, dict) else None
                if isinstance(text, str) and len(text) > limit:
                    yield Issue(f"{key} is {len(text)} characters{_in(loc)}; at most {limit}",
                                f"/properties/connectionParameters/{esc(name)}/uiDefinition/{key}", file=PROPERTIES)
