"""What `script compile`, `script test` and the check rules share: find a connector's script, its
script operations and its API root; compile; run every fixture of a script operation."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import ERROR, INFO, Finding, InputError
from . import cases as fixtures
from .compiler import Compiled, compile_script, namespace_findings
from .runner import RunError, run


@dataclass
class ScriptSource:
    text: str
    shown: str  # how findings name the script
    folder: Path  # where fixtures/ is
    operations: list[str] | None  # scriptOperations; None: every operation (an empty list in apiProperties)
    all_operations: list[str]
    api: fixtures.Api
    # The definition and apiProperties, when known: script test then signs each request and runs the
    # request policy templates on it (made-up credentials), as the platform does before the script runs.
    definition: dict | None = None
    properties: dict | None = None


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    compiled: Compiled | None = None
    cases: int = 0
    passed: int = 0
    compile_seconds: float = 0.0
    run_seconds: float = 0.0


def from_connector(c) -> ScriptSource | None:
    """The generated script of a YAML source (None when the source declares no script)."""
    from ..build import default_out
    from ..emit.script import script
    from ..source.loader import display_path

    text = script(c)
    if text is None:
        return None
    info = c.info
    api = fixtures.Api((info.get("schemes") or ["https"])[0], info.get("host", "localhost"), (info.get("base_path") or "").rstrip("/"))
    operations = c.script_operations()
    if c.script.get("file") and not operations:
        operations = None  # a hand-written script with an empty list takes every operation (as paconn says)
    from ..emit.properties import properties
    from ..emit.swagger import definition

    locale = c.source_locale
    return ScriptSource(text, display_path(default_out(c) / "script.csx"), c.folder, operations, list(c.operations), api,
                        definition(c, locale), properties(c, locale))


def from_folder(folder: Path) -> ScriptSource | None:
    """A plain connector folder: apiDefinition.swagger.json, apiProperties.json and its script."""
    from ..source.loader import display_path
    from ..source.yamlfile import read_text

    props_file = folder / "apiProperties.json"
    definition_file = folder / "apiDefinition.swagger.json"
    try:
        props = json.loads(read_text(props_file, "apiProperties.json")).get("properties", {})
        definition = json.loads(read_text(definition_file, "apiDefinition.swagger.json"))
    except ValueError as e:
        raise InputError(Finding("input", ERROR, f"not JSON: {e}", display_path(folder))) from None
    script_file = None
    try:
        settings = json.loads((folder / "settings.json").read_text(encoding="utf-8-sig"))
        if settings.get("script"):
            script_file = folder / settings["script"]
    except (OSError, ValueError):
        pass
    if script_file is None or not script_file.is_file():
        candidates = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".csx", ".cs") and p.is_file())
        script_file = candidates[0] if candidates else None
    if script_file is None:
        return None
    ops = props.get("scriptOperations")
    all_ops = [op.get("operationId") for item in (definition.get("paths") or {}).values() if isinstance(item, dict)
               for op in item.values() if isinstance(op, dict) and op.get("operationId")]
    api = fixtures.Api((definition.get("schemes") or ["https"])[0], definition.get("host", "localhost"),
                       (definition.get("basePath") or "").rstrip("/"))
    return ScriptSource(read_text(script_file, "script"), display_path(script_file), folder,
                        list(ops) if ops else None, all_ops, api, definition, {"properties": props})


def compile_source(src: ScriptSource) -> Report:
    report = Report()
    report.findings.extend(namespace_findings(src.text, src.shown))
    report.compiled = compile_script(src.text, src.shown)
    report.compile_seconds = report.compiled.seconds
    report.findings.extend(report.compiled.findings)
    return report


def compile_only(src: ScriptSource) -> Report:
    """Compile (which runs nothing) and say which fixtures were not run: running a folder's code is a choice."""
    report = compile_source(src)
    if report.compiled.ok and src.folder is not None:
        operations = src.operations if src.operations is not None else src.all_operations
        found, _ = fixtures.find_fixtures(src.folder, operations)
        if found:
            report.findings.append(Finding("script-not-run", INFO, f"the script compiled; it was not run on its {len(found)} fixture(s): "
                                           "running a connector's code is an explicit choice (`ppconnector check --run-scripts` "
                                           "or `ppconnector script test`)", src.shown))
    return report


def run_fixtures(src: ScriptSource) -> Report:
    """Compile, then run every fixture of a script operation; findings for every difference."""
    report = compile_source(src)
    if not report.compiled.ok:
        return report
    operations = src.operations if src.operations is not None else src.all_operations
    found, problems = fixtures.find_fixtures(src.folder, operations)
    report.findings.extend(problems)
    with_fixtures = {fx.operation_id for fx in found}
    for op in operations:
        if op not in with_fixtures:
            report.findings.append(fixtures.no_fixtures(op, src.shown))
    if not found:
        return report
    cases = [fixtures.to_case(fx, src.api, src.definition, src.properties) for fx in found]
    started = time.perf_counter()
    try:
        outcomes, _ = run(report.compiled.exe, cases)
    except RunError as e:
        report.findings.append(Finding("script-harness", ERROR, f"the harness could not run the script: {e}", src.shown))
        return report
    report.run_seconds = time.perf_counter() - started
    for fx, case, outcome in zip(found, cases, outcomes):
        report.cases += 1
        failed = fixtures.judge(fx, src.api, case, outcome)
        report.findings.extend(failed)
        if not failed:
            report.passed += 1
    return report
