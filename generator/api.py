"""ppconnector for Python scripts: the functions the commands call, and nothing that prints.

    from ppconnector import api

    connectors = api.resolve(["certified-connectors"])          # what `ppconnector check certified-connectors` finds
    for outcome in api.check_connectors(connectors):             # one Outcome per connector, in order
        errors = [f for f in outcome.findings if f.severity == "error"]
        print(outcome.connector.shown, outcome.code, len(errors))

Every function taking `connectors` takes what `resolve` returns (one connector is a list of one) and gives back
one `Outcome` per connector, in the same order: `.value` (the feature's result), `.findings` (diagnostics.Finding:
rule, severity, message, file, line, column) and `.code` (0 usable, 2 unusable input, 3 a bug in ppconnector).
Functions for one connector take a `ConnectorRef` (`resolve_one`).  Problems with the input as a whole raise
`InputError` (its `.findings` say what and where).  Files are never written behind your back: the functions
return path -> bytes, and `write_all` writes them atomically, all or none.  Many connectors run across the
machine's cores (PPCONNECTOR_JOBS sets how many workers).  `render.text`, `render.json`, `render.sarif`, `render.github`
and `render.markdown` turn results into the commands' outputs.
"""

from __future__ import annotations

from . import render
from .render import github, markdown, sarif, text  # noqa: F401 - api.render.<format> for scripts
from .render import json as _json  # noqa: F401
from .build.connectors import build_connectors, editor_schemas
from .check.engine import check_connectors
from .check.registry import all_rules
from .deploy.run import deploy_changed, deploy_connector, deploy_connectors
from .diagnostics import Finding, InputError
from .diff.connectors import diff_changed_since, diff_connector_since, diff_sides
from .docs.pages import reference_pages
from .emit.files import stale_files, write_all
from .i18n.workflow import export_catalog, import_catalog, mark_translations_current, translation_status
from .importer.targets import import_one, import_tree
from .init.scaffold import scaffold
from .importer.verify import verify_all
from .package.folder import certification_folder
from .repo.batch import Outcome, exit_code
from .repo.changed import changed_since
from .repo.resolve import ConnectorRef, require_sources, resolve, resolve_one
from .script.connectors import compile_scripts, script_tests
from .source.loader import load_connector

__all__ = [
    # finding connectors
    "resolve", "resolve_one", "require_sources", "ConnectorRef", "changed_since",
    # features: connectors -> Outcomes
    "build_connectors", "check_connectors", "reference_pages", "translation_status", "compile_scripts", "script_tests",
    # features on one connector, or on two sides
    "load_connector", "export_catalog", "import_catalog", "mark_translations_current", "certification_folder",
    "diff_sides", "diff_connector_since", "diff_changed_since", "import_one", "import_tree", "verify_all", "scaffold",
    "deploy_connector", "deploy_connectors", "deploy_changed", "all_rules",
    # writing, and what results are
    "write_all", "stale_files", "editor_schemas", "Outcome", "Finding", "InputError", "exit_code", "render",
]
