"""`audit verify`: walk the chain once, streaming, and name the first broken row and how:
changed, deleted, reordered, truncated, or a bad checkpoint."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .chain import GENESIS, row_hash
from .marks import Mark, MarkFile
from .signing import Keys
from .store import AuditStore

KINDS = ("changed", "deleted", "reordered", "truncated", "bad checkpoint")


@dataclass(frozen=True)
class Problem:
    seq: int
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"row {self.seq}: {self.kind}: {self.detail}"


@dataclass
class VerifyResult:
    rows: int = 0
    first_seq: int = 0
    last_seq: int = 0
    checkpoints: int = 0
    anchor: Mark | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem(self) -> Problem | None:
        """The first broken row."""
        return min(self.problems, key=lambda p: p.seq) if self.problems else None


def _merge(stored: Iterable[Mark], copied: Iterable[Mark], keys: Keys | None,
           result: VerifyResult) -> dict[tuple[str, int], Mark]:
    """Marks of the store and of the file outside it, by (kind, seq); they must agree and,
    with a key, carry valid signatures."""
    merged: dict[tuple[str, int], Mark] = {}
    for where, marks in (("store", stored), ("checkpoint file", copied)):
        for mark in marks:
            key = (mark.kind, mark.seq)
            if keys is not None and not mark.valid(keys):
                result.problems.append(Problem(mark.seq, "bad checkpoint",
                                               f"the {mark.kind} in the {where} has no valid signature"))
                if mark.kind == "checkpoint":
                    continue  # a forged anchor still says where the rows start: scan from there
            seen = merged.get(key)
            if seen is not None and seen.hash != mark.hash:
                result.problems.append(Problem(mark.seq, "bad checkpoint",
                                               f"the {mark.kind} in the store and the checkpoint file disagree"))
            merged.setdefault(key, mark)
    return merged


def verify(store: AuditStore, keys: Keys | None, mark_file: MarkFile | None = None) -> VerifyResult:
    result = VerifyResult()
    copied, unreadable = mark_file.read() if mark_file else ([], [])
    result.warnings += unreadable
    if keys is None:
        result.warnings.append("no verify key in the credentials file: checkpoint signatures are not "
                               "checked and a cut-off tail cannot be proven")
    with store.reader() as conn:
        merged = _merge(store.marks(conn), copied, keys, result)
        anchors = [m for (kind, _), m in merged.items() if kind == "anchor"]
        anchor = result.anchor = max(anchors, key=lambda m: m.seq) if anchors else None
        floor = anchor.seq if anchor else 0
        checkpoints = {m.seq: m for (kind, _), m in merged.items() if kind == "checkpoint" and m.seq > floor}
        result.checkpoints = len(checkpoints)
        prev, expected, last = (anchor.hash if anchor else GENESIS), floor + 1, floor
        for row in store.rows(conn):
            seq = row["seq"]
            problem = _check_row(store, conn, row, prev, expected, last, checkpoints.get(seq))
            if problem:
                result.problems.append(problem)
                break
            result.rows += 1
            result.first_seq = result.first_seq or seq
            prev, expected, last = row["hash"], seq + 1, seq
        result.last_seq = last
    tail = max(checkpoints, default=0)
    if tail > last and not any(p.seq <= tail for p in result.problems):
        result.problems.append(Problem(last + 1, "truncated",
                                       f"the chain ends at row {last} but a signed checkpoint covers row {tail}"))
    if keys is not None and not checkpoints and result.rows >= store.settings.checkpoint_every:
        result.warnings.append("no signed checkpoint covers the current rows")
    return result


def _check_row(store: AuditStore, conn, row: dict, prev: str, expected: int, last: int,
               checkpoint: Mark | None) -> Problem | None:
    seq = row["seq"]
    if row_hash(row) != row["hash"]:
        return Problem(seq, "changed", "its fields no longer match its hash")
    if row["prev_hash"] != prev:
        where = store.seq_of_hash(conn, row["prev_hash"])
        if where is not None:
            return Problem(seq, "reordered", f"it chains to row {where} but comes after row {last}")
        return Problem(last + 1, "deleted", f"row {seq} chains to a row that is gone "
                                            f"(expected it after row {last})")
    if seq != expected:
        return Problem(seq, "reordered", f"numbered {seq} where the chain continues with {expected}")
    if checkpoint is not None and checkpoint.hash != row["hash"]:
        return Problem(seq, "changed", "it differs from the signed checkpoint of this row "
                                       "(rows before it were rewritten and re-chained)")
    return None
