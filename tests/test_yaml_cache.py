"""The on-disk cache of large YAML trees (generator/source/treecache.py): what it reads back is what parsing
gives, positions included; an edited text, a damaged entry or a foreign object in an entry is parsed afresh."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from ppconnector.source import yamlfile

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "ppconnector"


def same(a, b) -> bool:
    """Equal values of equal types, with equal positions at every level."""
    if type(a) is not type(b):
        return False
    if isinstance(a, yamlfile.Map):
        return (a.pos, a.key_pos, a.value_pos, list(a)) == (b.pos, b.key_pos, b.value_pos, list(b)) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, yamlfile.Seq):
        return (a.pos, a.item_pos, len(a)) == (b.pos, b.item_pos, len(b)) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def test_the_cached_tree_is_the_parsed_tree(cache):
    text = (ROOT / "connector" / "clicksend.yaml").read_text(encoding="utf-8")
    assert len(text) >= yamlfile.CACHED_CHARS
    parsed = yamlfile._parse(text, "clicksend.yaml")
    first = yamlfile.loads(text)
    assert list(cache.glob("yaml-*.pickle")), "a large source is stored"
    assert yamlfile.cached_tree(text) is not None
    again = yamlfile.loads(text)
    assert same(parsed, first) and same(parsed, again)
    assert yamlfile.cached_tree(text + "\n# an edit\n") is None


def test_a_damaged_or_foreign_entry_is_a_miss(cache):
    text = "connector:\n  title: " + "x" * yamlfile.CACHED_CHARS + "\n"
    yamlfile.loads(text)
    (entry,) = cache.glob("yaml-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert yamlfile.cached_tree(text) is None
    entry.write_bytes(pickle.dumps(Path("/")))  # any class but Map and Seq is refused, never built
    assert yamlfile.cached_tree(text) is None
    assert yamlfile.loads(text)["connector"]["title"] == "x" * yamlfile.CACHED_CHARS
