"""Signed marks over the chain: a checkpoint every N rows (so a cut-off tail is noticed)
and an anchor where `purge` cut the expired head (so the rest still verifies). Each is
kept in the store and appended to a file outside it."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # cryptography comes with the first keys
    from .signing import Keys

KINDS = ("checkpoint", "anchor")


@dataclass(frozen=True)
class Mark:
    kind: str  # checkpoint: row `seq` has `hash`; anchor: rows up to `seq` were purged, the last had `hash`
    seq: int
    hash: str
    time: float
    rows: int = 0  # anchors: rows purged so far, all purges together
    signature: str | None = None

    def payload(self) -> dict[str, Any]:
        return {"kind": self.kind, "seq": self.seq, "hash": self.hash, "time": self.time, "rows": self.rows}

    def signed(self, keys: Keys | None) -> Mark:
        if keys is None or keys.signer is None:
            return self
        return Mark(**{**self.payload(), "signature": keys.sign(self.payload())})

    def valid(self, keys: Keys) -> bool:
        return bool(self.signature) and keys.valid(self.payload(), self.signature or "")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Mark:
        return cls(kind=str(data["kind"]), seq=int(data["seq"]), hash=str(data["hash"]),
                   time=float(data["time"]), rows=int(data.get("rows") or 0),
                   signature=data.get("signature"))


class MarkFile:
    """Append-only JSON lines, file mode 0600; one write per line so writers on one host
    do not interleave."""

    def __init__(self, path: str) -> None:
        self.path = path

    def append(self, marks: Iterable[Mark]) -> None:
        lines = "".join(json.dumps(asdict(m), sort_keys=True) + "\n" for m in marks)
        if not lines:
            return
        Path(self.path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, lines.encode("utf-8"))
        finally:
            os.close(fd)

    def read(self) -> tuple[list[Mark], list[str]]:
        """(marks, problems): a line that is not a mark is a problem, not a crash."""
        try:
            text = Path(self.path).read_text(encoding="utf-8")
        except FileNotFoundError:
            return [], []
        marks, problems = [], []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                marks.append(Mark.from_mapping(json.loads(line)))
            except (ValueError, KeyError, TypeError):
                problems.append(f"{self.path}: line {number}: not a checkpoint")
        return marks, problems
