"""English that certification reviewers send back, as far as a rule can decide it (docs/style.md is the
convention): sentence-case operation summaries, triggers that read "When ...", descriptions that are
sentences and say more than the label, no two inputs of an operation with the same label.

Checked in the source locale's build only, and only when it is English (`not_english`): Microsoft's string
guidance is for English, and certification takes English only (ValueMustBeInEnglish says so where the text is
not); a Czech build is not judged by English capitalisation or punctuation.  Severities were
measured on the certified connectors of ../shared/corpus (docs/style.md gives the numbers): what most
merged connectors do anyway is a warning where they break it, the rest is info.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from ..registry import Issue, Target, rule
from .common import _ops_in, _params, CERT, _all_dicts, _cached, _having, not_english
from ..walk import obj

WARNING, INFO = "warning", "info"

# Words a sentence-case string keeps in lower case after its first word: their capitals prove nothing.
_SMALL = {"a", "an", "the", "of", "to", "in", "for", "by", "and", "or", "on", "with", "from", "at", "as", "is", "per", "via"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def is_title_case(text: str) -> bool:
    """Every word after the first that is not a small word or an acronym starts with a capital (at least two)."""
    words = [w for w in _WORD.findall(text)[1:] if w.lower() not in _SMALL and not (len(w) > 1 and w.isupper())]
    return len(words) >= 2 and all(w[0].isupper() for w in words)


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def _plain(text: str) -> str:
    return _NOT_ALNUM.sub(" ", text.lower()).strip()


def says_nothing_more(description: str, *names: str) -> bool:
    """The description only repeats a label or the raw key (compared without case and punctuation)."""
    d = _plain(description)
    return bool(d) and any(d == _plain(n) for n in names if n)


def is_sentence(text: str) -> bool:
    """A description of more than one word ends like a sentence (Microsoft: no period only for a single word)."""
    text = text.strip()
    return len(text.split()) < 2 or text.endswith((".", "!", "?", ".)", '."'))


def _source_definition(t: Target) -> dict:
    return t.definition  # for a YAML source: the source locale's build


def _described(t: Target) -> list[tuple[str, str, str, str, str]]:
    """(what, label, key, description, pointer of the description's owner) for every visible operation, parameter
    and schema property that has a description; computed once for the rules that read it."""
    return _cached(t, "described", lambda: list(_describe(t)))


def _describe(t: Target) -> Iterator[tuple[str, str, str, str, str]]:
    for node, pointer in _having(t, "description"):  # the source locale's build
        if node.get("x-ms-visibility") == "internal" or not isinstance(node.get("description"), str):
            continue
        parts = pointer.split("/")
        if len(parts) == 4 and parts[1] == "paths" and isinstance(node.get("summary"), str):  # an operation
            yield "operation", node["summary"], "", node["description"], pointer
        elif _label(node):  # the designer's label: x-ms-summary, else the schema's title
            key = parts[-1] if len(parts) > 1 and parts[-2] == "properties" else str(node.get("name", ""))
            yield "field", _label(node), key.replace("~1", "/").replace("~0", "~"), node["description"], pointer


def _label(node: dict) -> str:
    for key in ("x-ms-summary", "title"):
        if isinstance(node.get(key), str) and node[key].strip():
            return node[key]
    return ""


@rule("summary-sentence-case", INFO, CERT,
      "Operation summaries are in sentence case (Microsoft's string guidance): \"Create contact list\", not \"Create Contact List\". English text only.")
def summary_sentence_case(t: Target) -> Iterable[Issue]:
    if not_english(t):
        return
    for op in _ops_in(t, _source_definition(t)):
        s = op.node.get("summary")
        if isinstance(s, str) and is_title_case(s):
            yield Issue(f'summary "{s}" is in Title Case; operation names are in sentence case', op.pointer + "/summary")


@rule("trigger-summary-when", INFO, CERT, 'A trigger\'s summary reads as Power Automate triggers do: "When ..." ("When an SMS is received"). English text only.')
def trigger_summary_when(t: Target) -> Iterable[Issue]:
    if not_english(t):
        return
    for op in _ops_in(t, _source_definition(t)):
        s = op.node.get("summary")
        if "x-ms-trigger" in op.node and isinstance(s, str) and not s.lower().startswith("when "):
            yield Issue(f'trigger summary "{s}" does not start with "When"', op.pointer + "/summary")


@rule("description-says-more", INFO, CERT,
      "A description says more than its label: not the summary again, not the raw key (\"custom_string\").")
def description_says_more(t: Target) -> Iterable[Issue]:
    for what, label, key, description, pointer in _described(t):
        if says_nothing_more(description, label, key):
            said = "the raw key" if key and _plain(description) == _plain(key) and description.strip() == key else "its label"
            yield Issue(f'{what} description "{description}" only repeats {said}', pointer + "/description")


@rule("description-sentence", INFO, CERT, "A description of more than one word is a sentence: it ends with a period. English text only.")
def description_sentence(t: Target) -> Iterable[Issue]:
    if not_english(t):
        return
    for what, _label, _key, description, pointer in _described(t):
        if not is_sentence(description):
            yield Issue(f'{what} description "{description}" does not end with a period', pointer + "/description")


@rule("label-duplicate", WARNING, CERT, "Two inputs of one operation have the same label: the user cannot tell them apart on the card.")
def label_duplicate(t: Target) -> Iterable[Issue]:
    d = _source_definition(t)
    for op in _ops_in(t, d):
        seen: dict[str, str] = {}
        for p, where in _params(t, op):
            if p.get("in") == "body":
                fields = [(n, w) for n, w in _all_dicts(obj(p.get("schema")), where + "/schema")]
            else:
                fields = [(p, where)]
            for node, pointer in fields:
                label = node.get("x-ms-summary")
                if not isinstance(label, str) or node.get("x-ms-visibility") == "internal":
                    continue
                if _plain(label) in seen:
                    yield Issue(f'label "{label}" is used twice in operation {op.id} (also at {seen[_plain(label)]})', pointer + "/x-ms-summary")
                else:
                    seen[_plain(label)] = pointer
