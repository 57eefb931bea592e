"""Rewrite C# 8+ syntax that mono's ``mcs`` lacks into older C# with the same meaning, line for line.

Every rewrite keeps the script's line breaks, so mcs's line numbers are the author's line numbers.
What cannot be rewritten is detected instead (``modern_syntax``), so that a compile error on such a
line is reported as a limitation of the harness, never as the author's error.

The rewrites work on a masked copy of the text (string literals and comments blanked out), so text
inside strings is never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Value types whose `T?` is Nullable<T> (valid C# 2) and must stay; any other `T?` in a declaration is
# a nullable reference annotation (C# 8) and is dropped.
VALUE_TYPES = {
    "bool", "byte", "sbyte", "char", "decimal", "double", "float", "int", "uint", "long", "ulong", "short",
    "ushort", "nint", "nuint", "DateTime", "DateTimeOffset", "TimeSpan", "Guid", "HttpStatusCode",
    "CancellationToken", "Boolean", "Int32", "Int64", "Double", "Decimal", "Single", "Byte", "Char",
    "JTokenType", "LogLevel", "StringComparison", "Formatting", "NullValueHandling",
}


_DECLARATION_END = re.compile(r"[{;]")


@dataclass(frozen=True)
class Syntax:
    line: int  # 1-based, in the original script
    version: str  # C# version that introduced it
    name: str  # what a person calls it


def mask(text: str) -> str:
    """The text with the contents of comments, strings and chars replaced by spaces (newlines kept)."""
    out = list(text)
    i, n = 0, len(text)

    def blank(a: int, b: int) -> None:
        for k in range(a, min(b, n)):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = text[i]
        two = text[i:i + 2]
        if two == "//":
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif two == "/*":
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            blank(i, j)
            i = j
        elif text.startswith('"""', i):  # raw string literal (C# 11): up to the same run of quotes
            run = len(re.match(r'"+', text[i:]).group())
            j = text.find('"' * run, i + run)
            j = n if j < 0 else j + run
            blank(i + 1, j - 1)
            i = j
        elif c == '"' or (c in "@$" and re.match(r'[@$]{1,2}"', text[i:i + 3])):
            # Literal text is blanked; the code in an interpolation's holes stays visible (and rewritable).
            prefix = re.match(r'[@$]*', text[i:]).group()
            verbatim = "@" in prefix
            interpolated = "$" in prefix
            j = i + len(prefix) + 1
            depth = 0
            while j < n:
                ch = text[j]
                if depth:  # code inside {...}
                    if ch == "{":
                        depth += 1
                    elif ch == "}":
                        depth -= 1
                        if depth == 0:
                            blank(j, j + 1)
                    elif ch == '"':  # a string inside the hole: skip it
                        k = j + 1
                        while k < n and text[k] != '"' and text[k] != "\n":
                            k += 2 if text[k] == "\\" else 1
                        blank(j + 1, k)
                        j = k
                    j += 1
                    continue
                if interpolated and ch == "{":
                    if text[j + 1:j + 2] == "{":
                        blank(j, j + 2)
                        j += 2
                        continue
                    depth = 1
                    blank(j, j + 1)
                    j += 1
                    continue
                if verbatim:
                    if ch == '"' and text[j + 1:j + 2] == '"':
                        blank(j, j + 2)
                        j += 2
                        continue
                    if ch == '"':
                        break
                else:
                    if ch == "\\":
                        blank(j, j + 2)
                        j += 2
                        continue
                    if ch == '"' or ch == "\n":
                        break
                blank(j, j + 1)
                j += 1
            i = j + 1
        elif c == "'":
            m = re.match(r"'(\\.[^']*|[^'\\])'", text[i:])
            if m:
                blank(i + 1, i + len(m.group()) - 1)
                i += len(m.group())
            else:
                i += 1
        else:
            i += 1
    return "".join(out)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


class _Edits:
    def __init__(self, text: str):
        self.text = text
        self.edits: list[tuple[int, int, str]] = []

    def replace(self, start: int, end: int, new: str) -> None:
        self.edits.append((start, end, new))

    def apply(self) -> str:
        out, last = [], 0
        for start, end, new in sorted(self.edits):
            if start < last:
                continue  # overlapping rewrite: keep the first
            out.append(self.text[last:start])
            out.append(new)
            last = end
        out.append(self.text[last:])
        return "".join(out)


def _declared_value_types(masked: str) -> set[str]:
    return set(re.findall(r"\b(?:enum|struct)\s+([A-Za-z_]\w*)", masked))


def _statement_end(masked: str, start: int) -> int:
    """Index of the `;` ending the expression that starts at start (depth 0), or -1."""
    depth = 0
    for k in range(start, len(masked)):
        ch = masked[k]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                return k
            depth -= 1
        elif ch == ";" and depth == 0:
            return k
    return -1


def lower(text: str) -> tuple[str, list[Syntax]]:
    """The script rewritten for mcs, and the newer syntax it rewrote (for the record)."""
    masked = mask(text)
    edits = _Edits(text)
    done: list[Syntax] = []
    values = VALUE_TYPES | _declared_value_types(masked)

    def note(pos: int, version: str, name: str) -> None:
        done.append(Syntax(_line_of(text, pos), version, name))

    # `await using var x = ...;` / `using var x = ...;` / `using Type x = ...;` -> a plain declaration.
    # The harness runs one request per process, so disposing at the end of the scope changes nothing.
    for m in re.finditer(r"\b(?:await\s+)?using\s+(?=(?:var|[A-Za-z_][\w.]*(?:<[^;()=]*>)?\??)\s+[A-Za-z_]\w*\s*=)", masked):
        before = masked[:m.start()].rstrip()
        if before and before[-1] not in ";{}":
            continue
        if re.match(r"[A-Za-z_][\w.]*\s*=", masked[m.end():]):  # `using Alias = Namespace.Type;`
            continue
        edits.replace(m.start(), m.end(), "")
        note(m.start(), "8", "using declaration")

    # `x is not null` -> `x != null`
    for m in re.finditer(r"\bis\s+not\s+null\b", masked):
        edits.replace(m.start(), m.end(), "!= null")
        note(m.start(), "9", "`is not null` pattern")

    # `@$"..."` -> `$@"..."`
    for m in re.finditer(r'@\$"', masked):
        edits.replace(m.start(), m.start() + 2, "$@")
        note(m.start(), "8", 'interpolated verbatim string written @$"')

    # Nullable reference annotations: `string? x`, `List<string>? x`, `string?[]`, `<string?>`.  A
    # conditional `a ? b : c` never has `=`, `;`, `,`, `)` or `{` right after its second operand.
    # Matches overlap (a lookahead), so `List<string?>?` loses both marks, not just the outer one.
    # An array's `?` (`string[]? x`, `int[]? x`) is always a reference annotation; so is a type parameter's `T?`
    # (`T? Read<T>(...)`), unless `where T : struct` makes it Nullable<T>.  A generic method's name may
    # stand between the annotated return type and its `(`.
    marks: set[int] = set()
    for m in re.finditer(r"(?=\b([A-Za-z_][\w.]*)(\s*<[^;(){}=]*?>)?((?:\s*\[[\s,]*\])*)(\?)"
                         r"(?=\[\]|>|\s*,|\s*[A-Za-z_]\w*\s*(?:<[^;(){}=]*?>\s*)?([=;,){(])))", masked):
        if m.start(4) in marks:
            continue
        name = m.group(1).split(".")[-1]
        if name in values and not m.group(2) and not m.group(3):
            continue
        end = _DECLARATION_END.search(masked, m.end(4))
        head = masked[m.end(4):end.start() if end else len(masked)]
        if not m.group(2) and not m.group(3) and re.search(rf"\bwhere\s+{re.escape(name)}\s*:\s*struct\b", head):
            continue  # `T? F<T>(...) where T : struct` is Nullable<T>
        if name in ("return", "await", "new", "is", "as", "in", "out", "case", "throw", "yield", "else", "when"):
            continue
        if m.group(5) == "(":  # a method's return type: only after modifiers (else `a? F(x) : y` is a conditional)
            prior = masked[masked.rfind("\n", 0, m.start()) + 1:m.start()]
            if not re.fullmatch(r"\s*(?:(?:public|private|protected|internal|static|async|override|virtual|abstract|sealed|new)\s+)+", prior):
                continue
        marks.add(m.start(4))
        edits.replace(m.start(4), m.end(4), "")
        note(m.start(4), "8", "nullable reference annotation")

    # ... and in casts and `as`: `(JObject?)x`, `x as JObject?` (`(int?)x` stays: Nullable<int>).
    for m in re.finditer(r"(?:\(\s*|\bas\s+)([A-Za-z_][\w.]*)(\s*<[^;(){}=]*?>)?(\?)(?=\s*\))|\bas\s+([A-Za-z_][\w.]*)(\s*<[^;(){}=]*?>)?(\?)(?![?.])", masked):
        name_group, generic_group, mark = (1, 2, 3) if m.group(1) else (4, 5, 6)
        if m.group(name_group).split(".")[-1] in values and not m.group(generic_group):
            continue
        edits.replace(m.start(mark), m.end(mark), "")
        note(m.start(mark), "8", "nullable reference annotation")

    _lower_out_var(text, masked, edits, note)

    # Null-forgiving `x!.y`, `x!;`, `x!)` -> `x.y`, `x;`, `x)`.
    for m in re.finditer(r"(?<=[\w)\]])!(?=[.;,)\[}\s])", masked):
        edits.replace(m.start(), m.end(), "")
        note(m.start(), "8", "null-forgiving operator")

    # `a ??= b;` -> `a = a ?? (b);`
    for m in re.finditer(r"([A-Za-z_][\w.]*(?:\[[^\]\n]*\])?)\s*\?\?=", masked):
        end = _statement_end(masked, m.end())
        if end < 0:
            continue
        target = text[m.start(1):m.end(1)]
        edits.replace(m.start(), end, f"{target} = {target} ?? ({text[m.end():end]})")
        note(m.start(), "8", "`??=` assignment")

    # Target-typed `Type x = new(...)` -> `Type x = new Type(...)`.
    for m in re.finditer(r"\b([A-Za-z_][\w.]*(?:<[^;(){}=]*>)?(?:\[\])?)\s+[A-Za-z_]\w*\s*=\s*new(?=\s*\()", masked):
        if m.group(1) in ("return", "var", "await", "new"):
            continue
        edits.replace(m.end(), m.end(), " " + _without_annotations(text[m.start(1):m.end(1)], values))
        note(m.start(), "9", "target-typed `new()`")

    _lower_switch_expressions(text, masked, edits, note)
    return edits.apply(), done


# `out var x` -> `out T x` where the method says what T is: mcs 6.8 crashes (InternalErrorException) on
# an `out var` whose variable an async method keeps across an await, and an explicit type avoids it
# while keeping the variable's scope exactly as it was.
_PARSED = {"int", "uint", "long", "ulong", "short", "ushort", "byte", "sbyte", "double", "float", "decimal", "bool",
           "char", "DateTime", "DateTimeOffset", "TimeSpan", "Guid", "Int16", "Int32", "Int64", "UInt32", "UInt64",
           "Double", "Single", "Decimal", "Boolean", "Byte", "Char", "BigInteger"}


def _call_before(masked: str, pos: int) -> tuple[str, str] | None:
    """(receiver, method) of the call whose argument list contains pos: `int.TryParse` -> ("int", "TryParse")."""
    depth = 0
    for k in range(pos - 1, -1, -1):
        ch = masked[k]
        if ch in ")]}":
            depth += 1
        elif ch in "([{":
            if depth == 0:
                if ch != "(":
                    return None
                m = re.search(r"(?:([A-Za-z_][\w.]*(?:\(\s*\))?(?:<[^<>()]*>)?)\s*\.\s*)?([A-Za-z_]\w*)\s*(<[^<>()]*>)?\s*$", masked[:k])
                return (m.group(1) or "", m.group(2) + (m.group(3) or "")) if m else None
            depth -= 1
        elif ch == ";" and depth == 0:
            return None
    return None


def _out_type(masked: str, receiver: str, method: str) -> str | None:
    base = method.split("<")[0]
    if base == "TryParse":
        if "<" in method:  # Enum.TryParse<T>
            return method[method.index("<") + 1:-1].strip()
        name = receiver.split(".")[-1]
        return name if name in _PARSED else None
    if base == "TryGetValues":  # HttpHeaders.TryGetValues
        return "IEnumerable<string>"
    if base == "TryCreate" and receiver.split(".")[-1] == "Uri":
        return "Uri"
    if base == "TryGetValue":
        if re.match(r"JObject\.Parse\b", receiver):
            return "JToken"
        name = re.escape(receiver.split(".")[-1]) if re.fullmatch(r"(?:this\.)?[A-Za-z_]\w*", receiver) else None
        if name is None:
            return None
        dictionary = r"\b(?:I?Dictionary|IReadOnlyDictionary|ConcurrentDictionary|SortedDictionary)\s*<\s*[\w.]+\s*,\s*([\w.<>\[\], ]+?)\s*>"
        declared = (re.search(rf"{dictionary}\s+{name}\b", masked)
                    or re.search(rf"\bvar\s+{name}\s*=\s*new\s+{dictionary[2:]}\s*[({{]", masked))
        if declared:
            return declared.group(1)
        if re.search(rf"\bJObject\s+{name}\b|\bvar\s+{name}\s*=\s*(?:JObject\.Parse\b|\(JObject\)|new\s+JObject\b)", masked):
            return "JToken"
    return None


def _lower_out_var(text: str, masked: str, edits: _Edits, note) -> None:
    for m in re.finditer(r"\bout\s+(var)\s+[A-Za-z_]\w*", masked):
        call = _call_before(masked, m.start())
        kind = _out_type(masked, *call) if call else None
        if kind is not None:
            edits.replace(m.start(1), m.end(1), kind)
            note(m.start(), "7", "`out var` (typed for mcs)")


def _without_annotations(type_text: str, values: set[str]) -> str:
    """`List<string?>` -> `List<string>` (a type copied into `new T()`, where `?` on a class is an error)."""
    return re.sub(r"\b([A-Za-z_]\w*)\?", lambda m: m.group(0) if m.group(1) in values else m.group(1), type_text)


def _lower_switch_expressions(text: str, masked: str, edits: _Edits, note) -> None:
    """`x switch { P1 => a, P2 when c => b, _ => d }` -> `(x is P1 ? a : x is P2 && c ? b : d)`.

    Only constant, type and discard patterns of a side-effect-free subject are rewritten; line breaks
    inside the expression are kept.
    """
    for m in re.finditer(r"\bswitch\s*\{", masked):
        # The subject: a chain of identifiers, member accesses, calls and indexers right before `switch`.
        k = m.start() - 1
        while k >= 0 and masked[k].isspace():
            k -= 1
        end_subject = k + 1
        while k >= 0:
            ch = masked[k]
            if ch in ")]":
                depth, k2 = 0, k
                while k2 >= 0:
                    if masked[k2] in ")]":
                        depth += 1
                    elif masked[k2] in "([":
                        depth -= 1
                        if depth == 0:
                            break
                    k2 -= 1
                k = k2 - 1
            elif ch.isalnum() or ch in "_.\"'" or ch == "?" and masked[k + 1:k + 2] == ".":
                k -= 1
            else:
                break
        start_subject = k + 1
        subject = text[start_subject:end_subject].strip()
        if not subject or re.fullmatch(r"\w+", subject) and subject in ("return", "await"):
            continue
        # The body up to the matching brace.
        open_at = m.end() - 1
        depth, close_at = 0, -1
        for j in range(open_at, len(masked)):
            if masked[j] in "([{":
                depth += 1
            elif masked[j] in ")]}":
                depth -= 1
                if depth == 0:
                    close_at = j
                    break
        if close_at < 0:
            continue
        arms, depth, last = [], 0, open_at + 1
        for j in range(open_at + 1, close_at):
            ch = masked[j]
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth -= 1
            elif ch == "," and depth == 0:
                arms.append((last, j))
                last = j + 1
        if masked[last:close_at].strip():
            arms.append((last, close_at))
        parts = []
        ok = True
        for a, b in arms:
            arm_masked = masked[a:b]
            arrow = arm_masked.find("=>")
            if arrow < 0:
                ok = False
                break
            pattern = text[a:a + arrow].strip()
            pattern_masked = arm_masked[:arrow].strip()
            value = text[a + arrow + 2:b]
            guard = None
            wm = re.search(r"\bwhen\b", pattern_masked)
            if wm:
                guard = pattern[wm.end():].strip()
                pattern = pattern[:wm.start()].strip()
                pattern_masked = pattern_masked[:wm.start()].strip()
            simple = r"(?:\"[^\"]*\"|'.'|-?\d[\w.]*|null|true|false|[A-Za-z_][\w.]*(?:\s+[A-Za-z_]\w*)?)"
            alternatives = [p.strip() for p in re.split(r"\s+or\s+", pattern)]
            if pattern == "_":
                test = None
            elif re.fullmatch(simple, pattern) and not re.search(r"\b(?:and|or|not)\b", pattern_masked):
                test = f"{subject} is {pattern}"
            elif len(alternatives) > 1 and all(re.fullmatch(simple, p) and not re.fullmatch(r"[A-Za-z_][\w.]*\s+[A-Za-z_]\w*", p)
                                               for p in alternatives) and not re.search(r"\b(?:and|not)\b", pattern_masked):
                test = "(" + " || ".join(f"{subject} is {p}" for p in alternatives) + ")"  # `A or B` (C# 9)
            else:
                ok = False  # relational, property, list or combined patterns: not rewritten
                break
            if guard:
                test = f"{test} && ({guard})" if test else f"({guard})"
            # keep the line breaks of the arm
            lead = "\n" * text[a:a + arrow].count("\n")
            parts.append((lead, test, value))
        if not ok or not parts:
            continue
        out = "("
        for lead, test, value in parts:
            if test is None:
                out += f"{lead}{value.strip()}" + "\n" * value.count("\n")
                break
            out += f"{lead}{test} ? {value.strip()}" + "\n" * value.count("\n") + " : "
        else:
            out += "throw new System.InvalidOperationException(\"no switch arm matched\")"
        tail = "\n" * (text[arms[-1][1]:close_at].count("\n") if arms else 0)
        out += tail + ")"
        # Line breaks between the subject and the first arm.
        out = "\n" * text[end_subject:open_at + 1].count("\n") + out
        edits.replace(start_subject, close_at + 1, out)
        note(m.start(), "8", "switch expression")


_MODERN = [
    (r"\bswitch\s*\{", "8", "switch expression"),
    (r"\bis\s+not\b", "9", "`is not` pattern"),
    (r"\bis\s*\{", "8", "property pattern"),
    (r"\b(?:and|or)\s+(?:not\s+)?(?:null\b|[<>]=?|\"|\d)", "9", "combined pattern"),
    (r"\bis\s*[<>]=?", "9", "relational pattern"),
    (r"\brecord\s+(?:class\s+|struct\s+)?[A-Z]", "9", "record"),
    (r"\binit\s*;", "9", "init-only setter"),
    (r"\bwith\s*\{", "9", "`with` expression"),
    (r"\.\.", "8", "range"),  # `..` is nothing else in C# outside strings and comments
    (r"\[\s*\^\s*\w+\s*\]", "8", "index from end"),
    (r'"""', "11", "raw string literal"),
    (r"\busing\s+(?:var\b|[A-Za-z_][\w.<>]*\??\s+[A-Za-z_]\w*\s*=)", "8", "using declaration"),
    (r"\?\?=", "8", "`??=` assignment"),
    (r"\bnew\s*\(", "9", "target-typed `new()`"),  # what lowering left: an argument, a return, a field
    (r"\bawait\s+foreach\b", "8", "`await foreach`"),
    (r"\bstatic\s*(?:\([^)]*\)|\w+)\s*=>", "9", "static lambda"),
    (r"\bcase\b[^:\n]*\bwhen\b", "7", "`case ... when` guard"),
    (r"\bnamespace\s+[\w.]+\s*;", "10", "file-scoped namespace"),
    (r"\bglobal\s+using\b", "10", "global using"),
    (r"\bdefault\s+interface\b", "8", "default interface member"),
]


def modern_syntax(text: str) -> list[Syntax]:
    """Newer C# syntax in text (masked first), one entry per kind per line."""
    masked = mask(text)
    found: dict[tuple[int, str], Syntax] = {}
    for pattern, version, name in _MODERN:
        for m in re.finditer(pattern, masked):
            line = _line_of(masked, m.start())
            found.setdefault((line, name), Syntax(line, version, name))
    for m in re.finditer(_METHOD_HEAD, masked, re.MULTILINE):
        if m.group("type") in _STATEMENT_WORDS or not _inside_code_block(masked, m.start()):
            continue
        line = _line_of(masked, m.start())
        static = bool(re.match(r"\s*(?:async\s+)?static\b", m.group(0)))
        name = "static local function" if static else "local function"
        found.setdefault((line, name), Syntax(line, "8" if static else "7", name))
    return sorted(found.values(), key=lambda s: (s.line, s.name))


# A method head (`[static] [async] Type Name(params)` then `=>`, `{` or the line's end) inside a block of
# code is a local function: C# 7, and mcs 6.8 cannot read one.
_METHOD_HEAD = (r"^[ \t]*(?:(?:static|async)\s+)*(?P<type>[A-Za-z_][\w.]*(?:<[^;(){}=\n]*>)?(?:\[\])?\??)\s+"
                r"[A-Za-z_]\w*\s*(?:<[^;(){}=\n]*>)?\s*\([^;{}]*?\)\s*(?:=>|\{|$)")
_STATEMENT_WORDS = {"return", "await", "new", "throw", "else", "case", "goto", "yield", "using", "lock", "in", "is",
                    "as", "out", "ref", "var", "when", "not", "and", "or", "public", "private", "protected", "internal",
                    "override", "virtual", "abstract", "sealed", "extern", "unsafe", "partial", "readonly", "const"}


def _inside_code_block(masked: str, pos: int) -> bool:
    """Whether pos is in a method's, lambda's or statement's block (one opened after `)`, `=>`, `else`,
    `try`, `finally` or `do`), not directly in a class."""
    depth = 0
    for k in range(pos - 1, -1, -1):
        c = masked[k]
        if c == "}":
            depth += 1
        elif c == "{":
            if depth:
                depth -= 1
                continue
            before = masked[:k].rstrip()
            if before.endswith((")", "=>")) or re.search(r"\b(?:else|try|finally|do)$", before):
                return True
    return False
