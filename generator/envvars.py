"""Dataverse environment variables in a connector: `@environmentVariables("prefix_Name")` references, the
YAML sugar that writes them, and where Microsoft documents that the platform resolves them.

Microsoft's "Use environment variables in solution custom connectors"
(https://learn.microsoft.com/en-us/connectors/custom-connectors/environment-variables) documents the syntax
`@environmentVariables("{{environmentVariableName}}")` (the variable's schema name, with its publisher
prefix) for the Host and Base URL fields of the General tab and for "any of the fields on the Security
tab" (client id, client secret, login and refresh URLs; a secret may be a Key Vault backed variable of
type Secret), and says that "environment variables aren't supported in actions, triggers, or policies".
The platform reads the values when the connector is saved inside a solution: outside a solution the
reference is taken as literal text.

In the YAML a value may be written as the reference itself or with the sugar
`{environment_variable: cr123_ApiHost, default: api.example.com}` (also `display_name`, `description`,
`secret: true`); the build writes the reference, and `ppconnector solution` the variable's definition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

DOC_URL = "https://learn.microsoft.com/en-us/connectors/custom-connectors/environment-variables"

SUGAR_KEY = "environment_variable"
SUGAR_KEYS = frozenset({SUGAR_KEY, "default", "display_name", "description", "secret"})

# Exactly one reference, the documented double-quoted form.
REFERENCE = re.compile(r'@environmentVariables\("([^"\\]*)"\)')
# Any reference-like text, to find malformed ones too (single quotes, spaces, several in one value).
ANY_REFERENCE = re.compile(r"@environmentVariables\s*\(")
# A schema name: the publisher's customization prefix (2 to 8 letters and digits, starting with a letter),
# an underscore, then letters, digits and underscores (what the maker portal lets one type).
SCHEMA_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]{1,7}_[A-Za-z0-9_]+")

DEFINITION, PROPERTIES = "definition", "properties"


def reference(name: str) -> str:
    return f'@environmentVariables("{name}")'


def name_of(value: Any) -> str | None:
    """The schema name when value is exactly one documented reference, else None."""
    if isinstance(value, str):
        m = REFERENCE.fullmatch(value.strip())
        if m:
            return m.group(1)
    return None


def mentions(value: Any) -> bool:
    return isinstance(value, str) and "@environmentVariables" in value and ANY_REFERENCE.search(value) is not None


# --- the YAML sugar ------------------------------------------------------------------------------------


def is_sugar(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get(SUGAR_KEY), str) and set(node) <= SUGAR_KEYS


def value(node: Any) -> Any:
    """A scalar place of the YAML (host, base_path): the sugar becomes its reference, anything else stays."""
    return reference(node[SUGAR_KEY]) if is_sugar(node) else node


def resolve(node: Any) -> Any:
    """node with every sugar replaced by its reference (a copy where anything changed; the same object where
    nothing did, so the common case costs one walk and no copies)."""
    if is_sugar(node):
        return reference(node[SUGAR_KEY])
    if isinstance(node, dict):
        out = {k: resolve(v) for k, v in node.items()}
        return node if all(out[k] is node[k] for k in node) else out
    if isinstance(node, list):
        items = [resolve(v) for v in node]
        return node if all(a is b for a, b in zip(items, node)) else items
    return node


@dataclass
class Variable:
    """One environment variable the connector refers to, as its solution defines it."""

    name: str
    default: str | None = None
    display_name: str | None = None
    description: str | None = None
    secret: bool = False
    places: list[tuple] = field(default_factory=list)  # YAML paths of the sugar, or (file, pointer) of references


def _text(value: Any, locale: str | None) -> str | None:
    if isinstance(value, dict):
        return value.get(locale) if locale in value else next(iter(value.values()), None)
    return None if value is None else str(value)


def declared(source: Any, locale: str | None = None) -> tuple[dict[str, Variable], list[tuple[tuple, str]]]:
    """The variables a YAML source's sugar declares (name -> Variable, in source order) and the problems:
    (path, message) for a sugar node that is not well formed or a variable given two different defaults."""
    found: dict[str, Variable] = {}
    problems: list[tuple[tuple, str]] = []
    stack: list[tuple[tuple, Any]] = [((), source)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            if SUGAR_KEY in node:
                _declare(path, node, found, problems, locale)
                continue
            stack.extend(reversed([(path + (k,), v) for k, v in node.items()]))
        elif isinstance(node, list):
            stack.extend(reversed([(path + (i,), v) for i, v in enumerate(node)]))
    return found, problems


def _declare(path: tuple, node: dict, found: dict[str, Variable], problems: list, locale: str | None) -> None:
    name = node.get(SUGAR_KEY)
    unknown = sorted(set(node) - SUGAR_KEYS)
    if not isinstance(name, str):
        problems.append((path + (SUGAR_KEY,), f"{SUGAR_KEY} must be the variable's schema name (a string)"))
        return
    if unknown:
        problems.append((path + (unknown[0],), f'unknown key "{unknown[0]}" beside {SUGAR_KEY}; expected '
                                               f'{", ".join(sorted(SUGAR_KEYS - {SUGAR_KEY}))}'))
    if not SCHEMA_NAME.fullmatch(name):
        problems.append((path + (SUGAR_KEY,), f'"{name}" is not a schema name: the publisher prefix, an underscore and '
                                              "letters, digits or underscores (cr123_ApiHost)"))
    default = node.get("default")
    if default is not None and not isinstance(default, (str, int, float, bool)):
        problems.append((path + ("default",), "default must be a text value"))
        default = None
    default = None if default is None else str(default).lower() if isinstance(default, bool) else str(default)
    var = found.setdefault(name, Variable(name))
    if default is not None:
        if var.default is not None and var.default != default:
            problems.append((path + ("default",), f'{name} has two defaults: "{var.default}" and "{default}"'))
        var.default = var.default if var.default is not None else default
    var.display_name = var.display_name or _text(node.get("display_name"), locale)
    var.description = var.description or _text(node.get("description"), locale)
    var.secret = var.secret or node.get("secret") is True
    if var.secret and var.default is not None:
        problems.append((path + ("default",), f"{name} is a secret (a Key Vault reference per environment): it takes no default"))
    var.places.append(path)


# --- references in the built files ---------------------------------------------------------------------


def references(definition: dict, properties: dict) -> Iterator[tuple[str, str, str]]:
    """(file, JSON pointer, value) of every string that mentions @environmentVariables, definition first."""
    for file, document in ((DEFINITION, definition), (PROPERTIES, properties)):
        stack: list[tuple[str, Any]] = [("", document)]
        while stack:
            pointer, node = stack.pop()
            if isinstance(node, dict):
                stack.extend(reversed([(f"{pointer}/{_esc(k)}", v) for k, v in node.items()]))
            elif isinstance(node, list):
                stack.extend(reversed([(f"{pointer}/{i}", v) for i, v in enumerate(node)]))
            elif mentions(node):
                yield file, pointer, node


def _esc(key: Any) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


_DEFINITION_PLACES = re.compile(r"/host|/basePath|/securityDefinitions/[^/]+/.+")
_PROPERTIES_PLACES = re.compile(r"/properties/(connectionParameters|connectionParameterSets)/.+")
_UNSUPPORTED_PLACES = re.compile(r"/paths/.+|/properties/policyTemplateInstances(/.*)?")


def documented(file: str, pointer: str) -> bool:
    """Whether Microsoft documents environment variables at this place: Host, Base URL, and the Security tab
    (securityDefinitions and the connection parameters' settings)."""
    places = _DEFINITION_PLACES if file == DEFINITION else _PROPERTIES_PLACES
    return places.fullmatch(pointer) is not None


def unsupported(file: str, pointer: str) -> bool:
    """Where Microsoft says they are not supported: actions and triggers (paths), policies."""
    return _UNSUPPORTED_PLACES.fullmatch(pointer) is not None


def accepted(document: Any, file: str, pointer: str) -> bool:
    """True when the value at pointer is one well-formed reference at a documented place: the rules that judge
    a host, a base path or a URL leave such a value to the platform, which replaces it when the connector is saved."""
    if not documented(file, pointer):
        return False
    node = document
    for part in pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return name_of(node) is not None


def referenced(definition: dict, properties: dict) -> dict[str, list[tuple[str, str]]]:
    """Schema name -> the (file, pointer) places a well-formed reference names it, in file order."""
    out: dict[str, list[tuple[str, str]]] = {}
    for file, pointer, text in references(definition, properties):
        name = name_of(text)
        if name is not None:
            out.setdefault(name, []).append((file, pointer))
    return out
