"""`script compile` and `script test` as library functions: connectors (or .csx files) -> one Report each."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import ERROR, Finding, InputError
from .harness import Report, ScriptSource, compile_source, from_connector, from_folder, run_fixtures


def require_toolchain() -> None:
    """mono's mcs must be there: without it nothing can be compiled (exit 2, once, for every connector)."""
    from .toolchain import ToolchainMissing, find

    try:
        find()
    except ToolchainMissing as e:
        raise InputError(Finding("script-not-compiled", ERROR, f"cannot compile the script: {e}", "mcs")) from None


SCRIPT_SUFFIXES = (".csx", ".cs")


def resolve_scripts(paths: tuple[str, ...]) -> list:
    """What `script compile` takes: script files as they are, and connectors as `repo.resolve` finds them."""
    from ..repo.resolve import ConnectorRef, resolve
    from ..source.loader import display_path

    out: list = []
    for spec in paths or (None,):
        if spec is not None and Path(spec).suffix.lower() in SCRIPT_SUFFIXES and Path(spec).is_file():
            out.append(ConnectorRef(Path(spec), display_path(Path(spec))))
        else:
            out.extend(r for r in resolve([spec] if spec is not None else []) if r not in out)
    return out


def script_of(target) -> ScriptSource | None:
    """The script of a connector (a ConnectorRef: its YAML source's generated script, a plain folder's file,
    or a script file named on its own); None when the connector has none."""
    from ..source.loader import load_connector
    from ..source.yamlfile import read_text
    from . import cases

    if target.path.suffix.lower() in SCRIPT_SUFFIXES and target.path.is_file():
        return ScriptSource(read_text(target.path, "script"), target.shown, target.path.parent, None, [],
                            cases.Api("https", "localhost", ""))
    if not target.is_source:
        return from_folder(target.path)
    connector, _ = load_connector(target.path)
    return from_connector(connector)


def _compile_one(target) -> tuple[tuple[str, Report | None], list[Finding]]:
    src = script_of(target)
    if src is None:
        return (str(target), None), []
    report = compile_source(src)
    return (src.shown, report), report.findings


def _test_one(target) -> tuple[tuple[str, Report | None], list[Finding]]:
    src = script_of(target)
    if src is None:
        return (str(target), None), []
    report = run_fixtures(src)
    return (src.shown, report), report.findings


def compile_scripts(targets: list) -> list:
    """Each connector's (or .csx file's) script compiled: an Outcome each, valued (script shown, Report or None)."""
    from ..repo.batch import each

    require_toolchain()
    return each(_compile_one, targets)


def script_tests(targets: list) -> list:
    """Each connector's script compiled and run on every fixture of its script operations (runs its C# code)."""
    from ..repo.batch import each

    require_toolchain()
    return each(_test_one, targets)
