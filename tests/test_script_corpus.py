"""Every public script in ../shared/corpus, compiled offline: Microsoft compiled and runs each, so none may
get an error, and at least 95% must compile locally (the rest: a limit of mcs, reported as info)."""

from __future__ import annotations

from conftest import SHARED, require_shared

from ppconnector.script.compiler import compile_script
from ppconnector.script.toolchain import available

SCRIPTS = sorted((SHARED / "corpus").glob("*/*/script.csx")) if (SHARED / "corpus").is_dir() else []


def test_public_scripts_compile_offline():
    require_shared("corpus")
    assert SCRIPTS and available()
    compiled, errors = [], []
    for path in SCRIPTS:  # compiled scripts are cached by content: a second run costs a hash each
        result = compile_script(path.read_text(encoding="utf-8-sig", errors="replace"), str(path))
        if result.ok:
            compiled.append(path)
        errors += [str(f) for f in result.findings if f.severity == "error"]
    print(f"{len(compiled)} of {len(SCRIPTS)} public scripts compile offline ({len(compiled) / len(SCRIPTS):.0%})")
    assert errors == []  # what mcs cannot decide is an info, never an error in a script Microsoft deployed
    assert len(compiled) >= 0.95 * len(SCRIPTS)
