"""The README's two commands are what CI runs, and the docs it links to exist."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT


def _readme_commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def test_readme_starts_with_the_build_and_the_test_command():
    build, tests = _readme_commands()
    assert build.endswith("ppconnector build")
    assert tests.endswith("python3 -m pytest")


def test_ci_runs_exactly_the_readmes_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _readme_commands()[1] in ci


def test_every_file_the_readme_links_to_exists():
    links = re.findall(r"\]\(([^)#]+)\)", (ROOT / "README.md").read_text(encoding="utf-8"))
    missing = [link for link in links if not link.startswith("http") and not (ROOT / link).exists()]
    assert missing == []


def test_no_unused_imports_undefined_names_or_syntax_errors():
    """pyflakes' rules (ruff F) and syntax errors (E9) over the code, the tests and the benchmarks."""
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "F,E9", "--output-format", "concise",
                             "generator", "tests", "bench"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_command_the_readme_lists_exists():
    from ppconnector.cli import main

    table = re.findall(r"^\| `ppconnector (\w+)", (ROOT / "README.md").read_text(encoding="utf-8"), re.M)
    assert table and set(table) <= set(main.commands), sorted(set(table) - set(main.commands))


def test_version_is_one_number_printed_by_the_cli_and_named_by_the_changelog():
    from ppconnector import __version__

    result = subprocess.run([sys.executable, "-m", "ppconnector.cli", "--version"], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.strip() == f"ppconnector, version {__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    newest = re.search(r"^## (\S+)", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M).group(1)
    assert newest == __version__
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject and 'version = {attr = "ppconnector.__version__"}' in pyproject


def test_shell_completion_the_readme_documents_works():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'eval "$(_PPCONNECTOR_COMPLETE=bash_source ppconnector)"' in readme
    env = {"COMP_WORDS": "ppconnector dep", "COMP_CWORD": "1", "_PPCONNECTOR_COMPLETE": "bash_complete", "PYTHONPATH": str(ROOT),
           "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", "from ppconnector.cli import main; main(prog_name='ppconnector')"],
                            cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.stdout.split() == ["plain,deploy"]


def test_the_import_package_is_ppconnector_and_lists_every_folder_of_generator():
    """The wheel installs one top-level package, `ppconnector` (generator/ is its source folder, setuptools'
    package-dir): every folder of generator/ holding Python is listed, every data file matches package-data."""
    import fnmatch
    import tomllib

    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert setuptools["package-dir"] == {"ppconnector": "generator"}
    source = ROOT / "generator"
    folders = {d for d in [source, *source.rglob("*")] if d.is_dir() and "__pycache__" not in d.parts and any(d.glob("*.py"))}
    assert sorted(setuptools["packages"]) == sorted(".".join(("ppconnector", *d.relative_to(source).parts)) for d in folders)
    data = [f for f in source.rglob("*") if f.is_file() and f.suffix not in (".py", ".pyc") and "__pycache__" not in f.parts]
    patterns = [p.removeprefix("**/") for p in setuptools["package-data"]["ppconnector"]]
    assert [f for f in data if not any(fnmatch.fnmatch(f.name, p) for p in patterns)] == []
