"""OLD and NEW of `ppconnector diff`: a YAML source, a connector folder, a definition file or `git:REV`."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path, PurePosixPath

from ..diagnostics import ERROR, Finding, InputError
from .compare import Side

DEFINITION = "apiDefinition.swagger.json"
PROPERTIES = "apiProperties.json"
SETTINGS = "settings.json"
ACK_NAME = "diff-acknowledgements.yaml"  # lives beside the source in connector/, is not a source


def _fail(message: str, where: str) -> InputError:
    return InputError(Finding("diff-input", ERROR, message, where))


def load_side(spec: str, locale: str | None = None, cwd: Path | None = None) -> Side:
    if spec.startswith("git:"):
        return _git(spec, spec[4:], locale, cwd or Path.cwd())
    path = Path(spec)
    if not path.is_absolute() and cwd is not None:
        path = cwd / path
    if not path.exists():
        raise _fail("no such file or folder; expected a YAML source, a connector folder, an apiDefinition.swagger.json or git:REV", spec)
    if path.is_dir():
        if (path / DEFINITION).is_file():
            return _json_side(path / DEFINITION, spec)
        sources = [p for p in sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")) if p.name != ACK_NAME]
        if len(sources) == 1:
            return _yaml_side(sources[0], spec, locale)
        if not sources and (path / "connector").is_dir():
            return load_side(str(path / "connector"), locale)
        what = f"several YAML files ({', '.join(p.name for p in sources)})" if sources else f"no {DEFINITION} and no YAML source"
        raise _fail(f"connector folder has {what}", spec)
    if path.suffix.lower() in (".yaml", ".yml"):
        return _yaml_side(path, spec, locale)
    if path.suffix.lower() == ".json":
        return _json_side(path, spec)
    raise _fail("expected a YAML source (.yaml), a connector folder, an apiDefinition.swagger.json or git:REV", spec)


def _yaml_side(path: Path, shown: str, locale: str | None) -> Side:
    from ..build import select_locales
    from ..emit.properties import properties
    from ..emit.settings import settings
    from ..emit.swagger import definition
    from ..source.loader import load_connector

    connector, _warnings = load_connector(path, icon=False)  # diff never compares icons
    loc = select_locales(connector, locale)[0] if locale else connector.source_locale
    target = settings(connector, loc)
    recorded = _optional_json(path.parent / f"deploy.{loc}.json")  # the ids `deploy create` recorded
    if isinstance(recorded, dict) and isinstance(recorded.get("connectorIds"), dict):
        target["connectorIds"] = recorded["connectorIds"]
    return Side(shown, definition(connector, loc), properties(connector, loc), settings=target)


def _optional_json(path: Path) -> object:
    """A JSON file beside what is compared that only adds facts (settings, recorded ids): None when absent or unreadable."""
    from ..source.jsonfile import read_json

    if not path.is_file():
        return None
    try:
        return read_json(path).value
    except InputError:
        return None


def _json_side(path: Path, shown: str) -> Side:
    from ..source.jsonfile import read_json

    doc = read_json(path, shown if path.name != DEFINITION or shown.endswith(".json") else f"{shown}/{DEFINITION}").value
    if not isinstance(doc, dict) or not isinstance(doc.get("paths", {}), dict) or not ("swagger" in doc or "paths" in doc):
        raise InputError(Finding("diff-input", ERROR, "not a Swagger 2.0 definition (no swagger/paths object at the top)",
                                 str(path), 1, 1))
    props, unreadable = {}, None
    beside = path.parent / PROPERTIES
    if beside.is_file() and beside != path:
        try:  # the definition alone is still worth comparing: the broken file becomes a finding of its own
            value = read_json(beside, _beside(shown)).value
            props = value if isinstance(value, dict) else {}
        except InputError as e:
            unreadable = "; ".join(f"{f.where()}: {f.message}" for f in e.findings)
    settings = _optional_json(path.parent / SETTINGS) if path.name == DEFINITION else None
    return Side(shown, doc, props, unreadable, settings if isinstance(settings, dict) else None)


def _beside(shown: str) -> str:
    """How to name apiProperties.json beside the definition the user named."""
    if shown.startswith("git:"):
        return f"{shown}:{PROPERTIES}"
    folder = Path(shown).parent if shown.endswith(".json") else Path(shown)
    return (folder / PROPERTIES).as_posix()


def _git(spec: str, rev: str, locale: str | None, cwd: Path) -> Side:
    if not rev:
        raise _fail("git: needs a revision, e.g. git:origin/main or git:HEAD~1", spec)

    def git(*args: str, binary: bool = False):
        try:
            r = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60)
        except FileNotFoundError:
            raise _fail("git is not installed", spec) from None
        return r.returncode, (r.stdout if binary else r.stdout.decode("utf-8", "replace")), r.stderr.decode("utf-8", "replace").strip()

    code, top, err = git("rev-parse", "--show-toplevel")
    if code:
        raise _fail(f"not inside a git repository ({err})", spec)
    code, _, err = git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if code:
        raise _fail(f'unknown git revision "{rev}"', spec)
    from ..gittree import UnsafeTree, entries, extract

    root = Path(top.strip())
    try:
        names = [PurePosixPath(e.path).name for e in entries(root, rev, "connector", recursive=False) if e.kind == "blob"]
    except UnsafeTree:
        raise
    except InputError:
        names = []  # no connector/ at that revision
    with tempfile.TemporaryDirectory(prefix="ppconnector-diff-") as tmp:
        yaml_sources = [n for n in names if n.endswith((".yaml", ".yml")) and n != ACK_NAME]
        if len(yaml_sources) == 1:
            extract(root, rev, "connector", Path(tmp), recursive=False)
            folder = Path(tmp) / "connector"
            side = _relabel(lambda: _yaml_side(folder / yaml_sources[0], spec, locale), tmp, spec)
            return Side(spec, side.definition, side.properties, settings=side.settings)
        top_files = {e.path: e for e in entries(root, rev, "", recursive=False)}
        for name in (DEFINITION, PROPERTIES, SETTINGS):
            if name in top_files and top_files[name].kind == "blob":
                c, data, _ = git("-C", str(root), "cat-file", "blob", top_files[name].object, binary=True)
                if c == 0:
                    (Path(tmp) / name).write_bytes(data)
        if not (Path(tmp) / DEFINITION).is_file():
            raise _fail(f"revision {rev} has neither one YAML source in connector/ nor an {DEFINITION} at the repo root", spec)
        side = _relabel(lambda: _json_side(Path(tmp) / DEFINITION, spec), tmp, spec)
        return Side(spec, side.definition, side.properties, side.unreadable, side.settings)


def _relabel(load, tmp: str, spec: str) -> Side:
    """Run load; findings about files in the temporary checkout name them as `git:REV:path`."""
    import dataclasses
    import os

    try:
        return load()
    except InputError as e:
        fixed = []
        for f in e.findings:
            name = f.file or ""
            full = os.path.realpath(name) if name else ""
            base = os.path.realpath(tmp)
            if full.startswith(base + os.sep):
                name = f"{spec}:{Path(os.path.relpath(full, base)).as_posix()}"
            fixed.append(dataclasses.replace(f, file=name or spec))
        raise InputError(fixed) from None
