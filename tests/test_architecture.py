"""The layout keeps its promises (docs/architecture.md): no module imports the CLI, no import circles (lazy
imports inside functions count too), the batch never re-runs the CLI, and `ppconnector.api` works as a script
uses it."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import ROOT, SOURCE

PACKAGE = ROOT / "generator"


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports() -> dict[str, set[str]]:
    """module -> every module of the package it imports, wherever in the file (functions included)."""
    modules = _modules()
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        found: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If) and _is_type_checking(block.test)
                       for stmt in block.body for n in ast.walk(stmt)}  # names for type hints: never imported at run time
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.ImportFrom):
                base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
                target = ".".join(p for p in (base, node.module or "") if p) if node.level else node.module or ""
                for alias in node.names:
                    full = f"{target}.{alias.name}"
                    found.add(full if full in modules else target)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        edges[name] = {m for m in found if m in modules and m != name}
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on.add(child)
                work.append((child, iter(sorted(edges[child]))))
            elif child in on:
                low[node] = min(low[node], index[child])
    return groups


def test_no_module_imports_the_command_line():
    edges = _imports()
    assert len(edges) > 50  # the walk saw the package
    assert sorted(m for m, targets in edges.items() if "ppconnector.cli" in targets) == []


def test_no_import_circles():
    assert _cycles(_imports()) == []


def test_the_cycle_finder_finds_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_nothing_re_runs_the_command_line():
    """The batch maps library functions over connectors; no module calls a click command's main()."""
    calls = []
    for name, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        if ".main(" in text and name != "ppconnector.cli":
            calls.append(name)
    assert calls == []


def test_the_python_entry_point_works_as_a_script_uses_it(tmp_path):
    """A script outside the project: resolve, check, build into a scratch folder, render JSON."""
    out = tmp_path / "out"
    script = tmp_path / "report.py"
    script.write_text(textwrap.dedent(f"""
        import json
        from pathlib import Path

        from ppconnector import api

        connectors = api.resolve([{str(SOURCE.parent)!r}])
        checked = api.check_connectors(connectors, ignore=["script"])
        built = api.build_connectors(connectors, out=Path({str(out)!r}))
        changed = api.write_all(built[0].value.files)
        print(json.dumps({{
            "connectors": [c.shown for c in connectors],
            "codes": [o.code for o in checked],
            "errors": sum(f.severity == "error" for o in checked for f in o.findings),
            "written": sorted(p.name for p in changed),
            "report": json.loads(api.render.json.check(checked))["summary"]["errors"],
        }}))
    """), encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["connectors"] == [os.path.relpath(SOURCE, tmp_path)]
    assert doc["codes"] == [0] and doc["errors"] == doc["report"] == 0
    assert "apiDefinition.swagger.json" in doc["written"]
    assert (out / "apiDefinition.swagger.json").read_bytes() == (ROOT / "apiDefinition.swagger.json").read_bytes()


def test_every_name_the_entry_point_lists_is_there():
    from ppconnector import api

    assert all(hasattr(api, name) for name in api.__all__)
