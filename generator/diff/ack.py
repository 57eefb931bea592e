"""The acknowledgement file: a reviewer accepts a known change by kind and place, with a reason.

    # connector/diff-acknowledgements.yaml
    acknowledged:
      - kind: output-removed
        operation: SendSms              # optional: any operation when left out
        location: response/200/data/x   # optional: a location, or a prefix ending in /*
        reason: the field was always empty (confirmed with the API owner)

An acknowledged change is still shown (marked acknowledged) but never fails CI.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import ERROR, WARNING, Collector, Finding, did_you_mean
from .compare import Change
from .kinds import KINDS

DEFAULT = Path("connector") / "diff-acknowledgements.yaml"
KEYS = ("kind", "operation", "location", "reason")


@dataclass(frozen=True)
class Ack:
    kind: str
    operation: str | None
    location: str | None
    reason: str
    file: str
    line: int | None
    column: int | None

    def covers(self, change: Change) -> bool:
        if change.kind != self.kind:
            return False
        if self.operation is not None and change.operation != self.operation:
            return False
        if self.location is None:
            return True
        if self.location.endswith("/*"):
            return change.location == self.location[:-2] or change.location.startswith(self.location[:-1])
        return change.location == self.location


def load_acks(path: Path, shown: str | None = None) -> list[Ack]:
    from ..source.yamlfile import Map, Seq, load, position_of

    shown = shown or str(path)
    root = load(path, shown)
    if root is None:
        return []
    collector = Collector()

    def err(message: str, at: tuple = ()) -> None:
        pos = position_of(root, list(at)) if at else None
        collector.add(Finding("diff-acknowledgements", ERROR, message, shown, *(pos or (None, None))))

    if not isinstance(root, Map) or set(root) - {"acknowledged"}:
        extra = sorted(set(root) - {"acknowledged"}) if isinstance(root, Map) else []
        err(f"expected a mapping with one key, acknowledged{'; unknown key ' + repr(extra[0]) if extra else ''}", (extra[0],) if extra else ())
        collector.raise_errors()
    entries = root.get("acknowledged") or []
    if not isinstance(entries, (list, Seq)):
        err("acknowledged must be a list of {kind, operation, location, reason}", ("acknowledged",))
        collector.raise_errors()
    acks = []
    for i, entry in enumerate(entries):
        at = ("acknowledged", i)
        if not isinstance(entry, dict):
            err("each acknowledgement is a mapping with kind, operation, location and reason", at)
            continue
        for key in entry:
            if key not in KEYS:
                err(f'unknown key "{key}"{did_you_mean(str(key), KEYS)}; expected {", ".join(KEYS)}', at + (key,))
        kind = entry.get("kind")
        if not isinstance(kind, str) or kind not in KINDS:
            err(f'unknown kind "{kind}"{did_you_mean(str(kind), KINDS)} (see `ppconnector diff --kinds`)', at + ("kind",))
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            err("an acknowledgement needs a reason (who accepted the change, and why)", at)
        for key in ("operation", "location"):
            if key in entry and not isinstance(entry[key], str):
                err(f"{key} must be text", at + (key,))
        pos = position_of(root, list(at))
        if isinstance(kind, str) and isinstance(reason, str):
            acks.append(Ack(kind, entry.get("operation"), entry.get("location"), reason.strip(), shown, *(pos or (None, None))))
    collector.raise_errors()
    return acks


def apply(changes: list[Change], acks: list[Ack]) -> list[Finding]:
    """Mark covered changes acknowledged; return a warning for each acknowledgement that covers nothing."""
    used = set()
    for change in changes:
        for i, ack in enumerate(acks):
            if ack.covers(change):
                change.acknowledged = ack.reason
                used.add(i)
                break
    return [Finding("diff-acknowledgements", WARNING,
                    f"acknowledgement of {a.kind}{' in ' + a.operation if a.operation else ''}"
                    f"{' at ' + a.location if a.location else ''} matches no change; remove it", a.file, a.line, a.column)
            for i, a in enumerate(acks) if i not in used]
