"""A new connector from templates: its YAML source, icon, example fixtures and, in a git repository, the CI workflow.

What gets written is a table (KINDS): a kind of connector is a template of its source and the fixtures that go
with each trigger, all in templates/.  Adding a kind is adding its templates and a row.  The auth choices follow
the connection templates of `pac connector init --connection-template` (NoAuth, BasicAuth, ApiKey, OAuthGeneric,
OAuthAAD: https://learn.microsoft.com/en-us/power-platform/developer/cli/reference/connector#pac-connector-init).
Nothing is written here: `scaffold` returns the files, the command writes them in one step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import ERROR, Finding, InputError
from ..layout import LEGACY_FOLDER

TEMPLATES = Path(__file__).parent / "templates"
WORKFLOW = TEMPLATES / "connector.yml"  # the same bytes as this repository's .github/workflows/connector.yml
WORKFLOW_PATH = Path(".github") / "workflows" / "connector.yml"

# --auth -> what `pac connector init --connection-template` calls it (the floor these templates start from)
AUTHS = {"none": "NoAuth", "basic": "BasicAuth", "apikey": "ApiKey", "oauth2": "OAuthGeneric", "aad": "OAuthAAD"}
TRIGGERS = ("none", "webhook", "polling")
LAYOUTS = ("auto", "single", "folder")
DEFAULT_BRAND_COLOR = "#5c2d91"


@dataclass(frozen=True)
class Kind:
    """A kind of connector: the template of its source and, per trigger, the fixtures (path below fixtures/ ->
    template) that give each of its operations an example exchange."""

    source: str
    fixtures: dict[str, dict[str, str]]
    description: str


KINDS = {
    "rest": Kind(
        source="rest.yaml.j2",
        fixtures={
            "none": {"list_items/success.yaml": "list_items.yaml.j2"},
            "webhook": {"list_items/success.yaml": "list_items.yaml.j2",
                        "when_an_item_is_added/success.yaml": "webhook_subscribe.yaml.j2",
                        "when_an_item_is_added/notification.yaml": "webhook_notification.yaml.j2",
                        "delete_webhook/success.yaml": "webhook_delete.yaml.j2"},
            "polling": {"list_items/success.yaml": "list_items.yaml.j2",
                        "when_an_item_is_added/success.yaml": "polling.yaml.j2"},
        },
        description="a REST API: an action, and the trigger you choose",
    ),
    # One operation marked as an MCP server; no trigger: the agent's tools come from the server (docs/agents.md).
    "mcp": Kind(
        source="mcp.yaml.j2",
        fixtures={"none": {}},
        description="an MCP server for Copilot Studio agents",
    ),
}

_CREDENTIALS = {
    "none": "The connector needs no credentials.",
    "basic": "Use the username and password of your account.",
    "apikey": "Create an API key in your account's settings and paste it when you create a connection.",
    "oauth2": "Sign in with your account when you create a connection.",
    "aad": "Sign in with your Microsoft work or school account when you create a connection.",
}


@dataclass
class Scaffold:
    source: Path  # the YAML source
    layout: str  # "single": connector/ at a repository's root; "folder": a folder of its own in a repository
    files: dict[Path, bytes] = field(default_factory=dict)
    workflow: str = ""  # "written", "kept" (the repository has one), or "" (not a git repository)


def scaffold(target: Path, kind: str = "rest", auth: str = "apikey", trigger: str = "none", title: str | None = None,
             brand_color: str = DEFAULT_BRAND_COLOR, layout: str = "auto") -> Scaffold:
    """The files of a new connector in target (an empty or new folder); InputError if target holds anything."""
    from ..repo.config import repository_root

    target = target.absolute()
    if trigger not in KINDS[kind].fixtures:
        raise InputError(Finding("usage", ERROR, f"--trigger {trigger} does not go with --kind {kind} ({KINDS[kind].description}); "
                                 f"it takes --trigger {' or '.join(KINDS[kind].fixtures)}"))
    _require_empty(target)
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", brand_color):
        raise InputError(Finding("usage", ERROR, f'--brand-color "{brand_color}" is not a #rrggbb colour'))
    if title and re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", title):  # it also goes into the source's header comment
        raise InputError(Finding("usage", ERROR, f"--title {ascii(title)} holds a line break or control character: a title is one line"))
    root = repository_root(target)
    if layout == "auto":
        # Inside a repository, below its root: one folder per connector; else the single-connector layout.
        layout = "folder" if root is not None and root != target.resolve() and root in target.resolve().parents else "single"
    title = title or _title(target)
    name = _file_name(target)
    folder = target / LEGACY_FOLDER if layout == "single" else target
    source = folder / f"{name}.yaml"
    made = Scaffold(source, layout)
    made.files[source] = _render(KINDS[kind].source, _context(title, auth, trigger, brand_color, source)).encode("utf-8")
    from .icon import icon_png

    made.files[folder / "icon.png"] = icon_png(brand_color)
    for path, template in KINDS[kind].fixtures[trigger].items():
        made.files[folder / "fixtures" / path] = _render(f"fixtures/{template}", {"host": "api.example.com"}).encode("utf-8")
    git_root = _git_root(target)
    if git_root is not None:
        workflow = git_root / WORKFLOW_PATH
        if workflow.exists():
            made.workflow = "kept"
        else:
            made.files[workflow] = WORKFLOW.read_bytes()
            made.workflow = "written"
    from ..build.connectors import editor_schemas
    from ..repo.resolve import ConnectorRef

    for path, data in editor_schemas([ConnectorRef(source, str(source))]).items():
        if not path.exists():  # where the source's $schema comment points; build keeps it current
            made.files[path] = data
    return made


def _require_empty(target: Path) -> None:
    from ..source.loader import display_path

    if target.exists() and not target.is_dir():
        raise InputError(Finding("input", ERROR, "is a file: init writes a new connector into an empty or new folder", display_path(target)))
    if target.is_dir():
        held = sorted(p.name for p in target.iterdir() if p.name != ".git")  # a fresh `git init` is still empty
        if held:
            shown = ", ".join(held[:3]) + (f" and {len(held) - 3} more" if len(held) > 3 else "")
            raise InputError(Finding("input", ERROR, f"is not empty (it holds {shown}): init writes a new connector into an "
                                     "empty or new folder only; name one (`ppconnector init my-connector`)", display_path(target)))


def _git_root(target: Path) -> Path | None:
    here = target.resolve()
    return next((f for f in (here, *here.parents) if (f / ".git").exists()), None)


# Microsoft's title rule refuses these words (ValueContainsRestrictedWords): a title made from a folder leaves them out.
_NOT_IN_TITLES = re.compile(r"^(api|apis|connector|connectors|copilot|studio)$", re.I)


# Written in capitals wherever a folder name has them in lower case (`contoso-mcp` is "Contoso MCP", not "Contoso Mcp").
_ACRONYMS = {"ai", "crm", "erp", "hr", "mcp", "mms", "sms", "sql"}


def _title(target: Path) -> str:
    words = [w for w in re.split(r"[^A-Za-z0-9]+", target.resolve().name) if w and not _NOT_IN_TITLES.match(w)]
    spelled = (w.upper() if w.lower() in _ACRONYMS else w[:1].upper() + w[1:] for w in words)
    return " ".join(spelled)[:30].strip() or "My Service"


def _file_name(target: Path) -> str:
    from ..importer.pipeline import default_output

    return default_output(target.resolve() if target.exists() else target).stem


def _context(title: str, auth: str, trigger: str, brand_color: str, source: Path) -> dict:
    from ..importer.pipeline import schema_reference

    return {"title": title, "title_slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"), "auth": auth,
            "trigger": trigger, "brand_color": brand_color.lower(), "host": "api.example.com", "domain": "www.example.com", "email_domain": "example.com",
            "credentials_text": _CREDENTIALS[auth], "schema_ref": schema_reference(source)}


def _render(template: str, context: dict) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
                             autoescape=False)
    env.filters["q"] = _yaml_scalar
    return env.get_template(template).render(context)


def _yaml_scalar(text: str) -> str:
    """text as a YAML value: plain where YAML reads it back as the same text, else double-quoted."""
    import json

    import yaml

    try:
        plain = yaml.safe_load(text) == text and "#" not in text and "\n" not in text
    except yaml.YAMLError:
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)
