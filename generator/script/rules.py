"""`ppconnector check` rules of the script family: the script compiled with mono's mcs against the
harness's stubs, its namespaces, and (with `check --run-scripts`) every fixture of a script operation
run through it.

Without mono, one info finding says the script was not compiled and how to install the compiler
(finding that out is a few stat calls); the static namespace rule runs either way.
"""

from __future__ import annotations

from typing import Iterable

from ..check.registry import SCRIPT, Issue, Target, once_per_target, rule

FAMILY = "script"


def _shown(target: Target) -> str:
    return target.files.get(SCRIPT, "script.csx")


def _source(target: Target):
    from . import cases
    from .harness import ScriptSource

    from ..check.walk import obj, operations

    # Any shape may arrive here (a folder is input): each value is taken only when it has the type it needs.
    ops = obj(obj(target.properties).get("properties")).get("scriptOperations")
    ops = [o for o in ops if isinstance(o, str)] if isinstance(ops, list) else None
    definition = obj(target.definition)
    all_ops = [op.id for op in operations(definition) if op.id]
    schemes = definition.get("schemes")
    scheme = schemes[0] if isinstance(schemes, list) and schemes and isinstance(schemes[0], str) else "https"
    host, base = definition.get("host"), definition.get("basePath")
    api = cases.Api(scheme, host if isinstance(host, str) else "localhost",
                    (base if isinstance(base, str) else "").rstrip("/"))
    folder = target.connector.folder if target.connector is not None else target.folder
    return ScriptSource(target.script, _shown(target), folder, list(ops) if ops else None, all_ops, api, definition,
                        obj(target.properties))


def _report(target: Target):
    """Compile (and, with fixtures, test) once per target; every rule of the family reads the result."""
    return once_per_target(target, "script", target.script, lambda: _compile_and_run(target))


def _compile_and_run(target: Target):
    from .harness import compile_only, compile_source, run_fixtures

    src = _source(target)
    if src.folder is None:
        return compile_source(src)
    return run_fixtures(src) if target.run_scripts else compile_only(src)


def _available() -> bool:
    from .toolchain import available

    return available()


def _issues(target: Target, rule_id: str) -> Iterable[Issue]:
    if not target.script or not _available():
        return
    shown = _shown(target)
    for f in _report(target).findings:
        if f.rule != rule_id:
            continue
        file = SCRIPT if f.file == shown else (f.file or SCRIPT)
        yield Issue(f.message, file=file, line=f.line, column=f.column, severity=f.severity)


@rule("script-not-compiled", "info", FAMILY,
      "mono's C# compiler is not installed, so the script was neither compiled nor run; says how to install it.")
def script_not_compiled(target: Target) -> Iterable[Issue]:
    if not target.script or _available():
        return
    from .toolchain import INSTALL_HINT

    yield Issue(f"the script was not compiled or run: mono's C# compiler (mcs) is not installed; {INSTALL_HINT}", file=SCRIPT, line=1)


@rule("script-not-run", "info", FAMILY,
      "The script compiled but was not run on its fixtures: plain check runs no connector code; `check --run-scripts` or `script test` does.")
def script_not_run(target: Target) -> Iterable[Issue]:
    yield from _issues(target, "script-not-run")


@rule("script-namespace", "warning", FAMILY,
      "A `using` names a namespace outside Microsoft's supported list: certification reviewers reject it; the platform compiles it "
      "where its assemblies have the namespace (else script-compile reports the error).")
def script_namespace(target: Target) -> Iterable[Issue]:
    if not target.script:
        return
    from .compiler import namespace_findings

    for f in namespace_findings(target.script, _shown(target)):
        yield Issue(f.message, file=SCRIPT, line=f.line, column=f.column, severity=f.severity)


@rule("script-compile", "error", FAMILY,
      "The script does not compile (mono's mcs against ScriptBase/IScriptContext stubs); the platform would answer the upload with an internal server error.")
def script_compile(target: Target) -> Iterable[Issue]:
    yield from _issues(target, "script-compile")


@rule("script-harness-limit", "info", FAMILY,
      "The script uses C# mono's mcs cannot compile (syntax newer than it knows that the harness could not rewrite, or a construct it crashes on): it was not compiled locally (not an error in the script).")
def script_harness_limit(target: Target) -> Iterable[Issue]:
    yield from _issues(target, "script-harness-limit")


@rule("script-harness", "error", FAMILY, "The local harness itself failed (a bug in ppconnector or a broken mono install).")
def script_harness(target: Target) -> Iterable[Issue]:
    yield from _issues(target, "script-harness")


@rule("script-test", "error", FAMILY,
      "A fixture of a script operation, run through the compiled script, did not give what the fixture expects (response, requests sent, no exception, under 5 s).")
def script_test(target: Target) -> Iterable[Issue]:
    yield from _issues(target, "script-test")
