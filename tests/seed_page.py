"""Parse the Czech reference page of the ClickSend connector (``../shared/seed``).

The page is Microsoft's connector reference rendered to text: an action list, then per action a
parameter table and an output table, then the triggers.  Table rows are spread over several lines
(``|`` / name / ``|`` / ``key | required | type |`` / ``description |``), which is what this
parser walks.  It returns plain rows so the tests can hold the generated connector to every one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

SHARED = Path(os.environ.get("PPCONNECTOR_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
SEED_FILE = SHARED / "seed" / "000_a19dba9c8847947d.txt"


@dataclass
class Row:
    name: str  # Czech display name
    key: str | None  # parameter key or output path; None where the page lost it
    type: str  # "string", "integer", "array of object", ...
    description: str
    required: bool = False


@dataclass
class Operation:
    summary: str
    description: str
    is_trigger: bool = False
    parameters: list[Row] = field(default_factory=list)
    outputs: list[Row] = field(default_factory=list)


@dataclass
class SeedPage:
    title: str
    connection_parameters: list[Row]
    operations: list[Operation]


def _is_sep(line: str) -> bool:
    return line.strip() in ("|", "||")


def _rows(lines: list[str], start: int, with_required: bool) -> tuple[list[Row], int]:
    """Read the rows of one multi-line table starting after its header; return rows and next index."""
    rows: list[Row] = []
    i = start
    while i + 3 < len(lines):
        if not (_is_sep(lines[i]) and not lines[i + 1].startswith("|") and _is_sep(lines[i + 2])):
            break
        name = lines[i + 1].strip()
        cells = [c.strip() for c in lines[i + 3].split("|")]
        cells = [c for c in cells if c != ""]
        required = False
        if with_required and "True" in cells:
            required = True
            cells.remove("True")
        if len(cells) == 2:
            key, typ = cells
        elif len(cells) == 1:  # the page lost the key (rendered as a link)
            key, typ = None, cells[0]
        else:
            raise ValueError(f"seed line {i + 4}: unexpected cells {cells!r}")
        if lines[i + 3].rstrip().endswith("||"):  # empty description on the cells line itself
            description = ""
            i += 4
        else:
            description = lines[i + 4].strip().rstrip("|").strip() if i + 4 < len(lines) else ""
            i += 5
        rows.append(Row(name=name, key=key, type=typ, description=description, required=required))
        while i < len(lines) and _is_sep(lines[i]) and not (
            i + 2 < len(lines) and not lines[i + 1].startswith("|") and _is_sep(lines[i + 2])
        ):
            i += 1  # empty trailing cells of the previous row
    return rows, i


def parse(path: Path = SEED_FILE) -> SeedPage:
    lines = path.read_text(encoding="utf-8").splitlines()
    title = lines[0].strip()

    # Connection parameters: a one-line-per-row table under "Parametry pro vytvoření připojení".
    conn: list[Row] = []
    header = lines.index("| Název | Typ | Description | Povinné |")
    for line in lines[header + 2 :]:
        if not line.startswith("| "):
            break
        name, typ, desc, req = [c.strip() for c in line.strip().strip("|").split("|")]
        conn.append(Row(name=name, key=None, type=typ, description=desc, required=req == "Pravdivé"))

    # The action and trigger lists give (summary, description) pairs in page order.
    def listing(heading: str) -> list[tuple[str, str]]:
        out = []
        i = lines.index(heading) + 1
        while i + 1 < len(lines) and lines[i].startswith("| ") and lines[i + 1].endswith("|"):
            out.append((lines[i].strip("| ").strip(), lines[i + 1].rstrip("|").strip()))
            i += 2
        return out

    actions = listing("Akce")
    trigger_idx = next(i for i, l in enumerate(lines) if l.startswith("Aktivační události"))
    # The trigger listing shares its first line with the heading: "Aktivační události" / "| name |" / "desc |".
    triggers = []
    i = trigger_idx + 1
    while i + 1 < len(lines) and lines[i].startswith("| ") and lines[i + 1].endswith("|"):
        triggers.append((lines[i].strip("| ").strip(), lines[i + 1].rstrip("|").strip()))
        i += 2

    ops: list[Operation] = []
    for summary, description in actions + triggers:
        op = Operation(summary=summary, description=description, is_trigger=(summary, description) in triggers)
        # The detail section: summary line, description line, then "Parametry" and/or "Návraty".
        for j in range(len(lines) - 2):
            if lines[j] == summary and lines[j + 1] == description and lines[j + 2] in ("Parametry", "Návraty"):
                k = j + 2
                break
        else:
            raise ValueError(f"seed: no detail section for {summary!r}")
        if lines[k] == "Parametry":
            op.parameters, k = _rows(lines, k + 3, with_required=True)
        if k < len(lines) and lines[k] == "Návraty":
            op.outputs, k = _rows(lines, k + 3, with_required=False)
        ops.append(op)
    return SeedPage(title=title, connection_parameters=conn, operations=ops)


if __name__ == "__main__":
    page = parse()
    print(page.title, len(page.connection_parameters), "connection parameters")
    for op in page.operations:
        print(f"{op.summary!r}: {len(op.parameters)} params, {len(op.outputs)} outputs")
    print(sum(len(o.parameters) for o in page.operations), "parameter rows")
    print(sum(len(o.outputs) for o in page.operations), "output rows")
