"""The one way every command finds its connectors: the paths it was given (or the current folder) -> connectors.

- A YAML file is that source; an apiDefinition.swagger.json is its folder.
- A folder is every connector below it (`repo.discover`): at the root of a repository of many connectors all of
  them, in the single-connector layout's root the source in its connector/.
- A folder with no connector below it is inside one: the nearest folder above that is a connector (holds a YAML
  source, is the single-connector layout's root, or is a plain connector folder) is it, up to the repository
  root. So `connector/`, `connector/fixtures/x`, `dist/cs` and a downloaded folder all find their connector.
- Otherwise the command stops with one clear message (exit 2).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..layout import DEFINITION, LEGACY_FOLDER, out_root
from ..diagnostics import ERROR, Finding, InputError, counted
from ..source.loader import display_path
from .config import repository_root
from .discover import discover, legacy_sources, sources_in

@dataclass(frozen=True)
class ConnectorRef:
    """A connector on disk: its YAML source, or a plain connector folder (PowerPlatformConnectors' layout)."""

    path: Path
    shown: str

    @property
    def is_source(self) -> bool:
        return self.path.suffix.lower() in (".yaml", ".yml") or not self.path.is_dir()

    @property
    def folder(self) -> Path:
        """The connector's own folder (the source's, or the plain folder)."""
        return self.path.parent if self.is_source else self.path

    @property
    def out_root(self) -> Path:
        """Where its deployable files are: the source's folder (the repo root for connector/), or the plain folder."""
        return out_root(self.path.parent) if self.is_source else self.path

    def __str__(self) -> str:
        return self.shown


def _ref(path: Path) -> ConnectorRef:
    return ConnectorRef(path, display_path(path))


def _problem(message: str, where: str) -> InputError:
    return InputError(Finding("input", ERROR, message, where))


OUTSIDE_A_REPOSITORY = 2  # folders a command looks up without a repository root: a stray file far above never counts


def _enclosing(folder: Path) -> list[Path]:
    """The connector a folder with none below it belongs to: the nearest folder above that is one, up to the
    repository root (outside any repository, up to two folders: connector/fixtures/x).  Paths stay as named (absolute, links not followed), so outputs never go through a link."""
    top = repository_root(folder)
    chain = [folder.absolute(), *folder.absolute().parents]
    if top is None:  # outside any repository: only as far up as a connector's own folders go (connector/fixtures/x)
        chain = chain[:OUTSIDE_A_REPOSITORY + 1]
    for above in chain:
        legacy = above if above.name == LEGACY_FOLDER else above / LEGACY_FOLDER
        sources = sources_in(above) if above.name != LEGACY_FOLDER else []
        sources += sources_in(legacy) or legacy_sources(legacy)
        if sources:
            return sources
        if (above / DEFINITION).is_file():
            return [above]
        if top is not None and above.resolve() == top:
            break
    return []


def _built_by(folder: Path) -> list[Path]:
    """The source whose build a plain-looking folder is (its output root, or a locale's dist/<locale>/)."""
    here = folder.absolute()
    for root in (here, here.parent.parent if here.parent.name == "dist" else None):
        if root is None:
            continue
        sources = [s for s in sources_in(root) + sources_in(root / LEGACY_FOLDER) if out_root(s.parent) == root]
        if sources:
            return sources
    return []


def resolve(paths: Iterable[str | Path] = (), *, folders: bool = True) -> list[ConnectorRef]:
    """The connectors that paths name (none: the current folder), in order, each once.

    folders=False leaves out the plain connector folders discovery finds (for a command that needs a YAML
    source); a plain folder named, or the one a path is inside, is always returned, and the command says why
    it cannot use it (`require_sources`).
    """
    out: dict[Path, ConnectorRef] = {}
    for spec in list(paths) or ["."]:
        path = Path(spec)
        if not path.exists():
            raise _problem("no such file or folder", str(spec))
        if not path.is_dir():  # a file (or a pipe, a device: the loader refuses those, saying why)
            found = [path.parent if path.name == DEFINITION else path]
        else:
            below = discover(path, folders=True)
            if [p.absolute() for p in below] == [path.absolute()]:
                below = _built_by(path) or below  # a build's output folder stands for its source
            named = [p for p in below if p.absolute() == path.absolute()]  # the folder named is a plain connector folder
            found = named or [p for p in below if folders or not p.is_dir()]
            if below and not found:
                raise _problem(f"no YAML source below this folder, only {counted(len(below), 'connector folder')} without one "
                               f"(`ppconnector import --all {spec}` writes them)", str(spec))
            found = found or _enclosing(path)
            if not found:
                raise _problem("no connector here or in a folder above: expected a YAML source (a .yaml file with a top-level "
                               f"connector: key) or a connector folder (with {DEFINITION})", display_path(path))
            if not below and len(found) > 1:
                raise _problem(f"{' and '.join(display_path(p) for p in found)} all write their files into "
                               f"{display_path(out_root(found[0].parent))}: keep one connector source per folder, or name one",
                               display_path(path))
        for p in found:
            out.setdefault(p.absolute(), _ref(p))
    return list(out.values())


def resolve_one(path: str | Path | None = None, *, what: str = "this command") -> ConnectorRef:
    """The one connector a command for one connector works on: path names it, or the current folder is in it."""
    refs = resolve([path] if path is not None else [])
    if len(refs) > 1:
        names = ", ".join(r.shown for r in refs[:5]) + (", ..." if len(refs) > 5 else "")
        raise _problem(f"{what} takes one connector; {counted(len(refs), 'connector')} found here ({names}): name one",
                       str(path) if path is not None else display_path(Path.cwd()))
    return refs[0]


def require_sources(refs: list[ConnectorRef], command: str) -> list[ConnectorRef]:
    """refs, when every one is a YAML source; a plain connector folder is an error saying how to get one."""
    plain = [r for r in refs if not r.is_source]
    if plain:
        raise InputError([Finding("input", ERROR, f"a connector folder without a YAML source: `ppconnector {command}` needs one; "
                                  f"`ppconnector import {r.shown}` writes it", r.shown) for r in plain])
    return refs
