"""`audit purge`: drop rows older than `retention_days`, leaving a signed anchor (the hash
of the last purged row) from which the rest of the chain still verifies."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from .marks import Mark, MarkFile
from .signing import Keys
from .store import RECORDS, AuditStore

DAY_S = 86_400


@dataclass(frozen=True)
class PurgeResult:
    removed: int
    anchor: Mark | None


def purge(store: AuditStore, keys: Keys | None, now: float, mark_file: MarkFile | None = None) -> PurgeResult:
    """Only a head of the chain goes: rows up to the first one still within retention
    (a worker's clock running behind cannot punch a hole into the chain)."""
    cutoff = now - store.settings.retention_days * DAY_S
    with store.writer() as conn:
        first_kept = conn.execute(select(func.min(RECORDS.c.seq)).where(RECORDS.c.time >= cutoff)).scalar()
        last = conn.execute(select(func.max(RECORDS.c.seq))).scalar()
        if last is None:
            return PurgeResult(0, None)
        through = int(first_kept) - 1 if first_kept is not None else int(last)
        row = conn.execute(select(RECORDS.c.hash).where(RECORDS.c.seq == through)).first()
        if row is None:
            return PurgeResult(0, None)
        previous = store.latest_anchor(conn)
        count = conn.execute(select(func.count()).select_from(RECORDS).where(RECORDS.c.seq <= through)).scalar()
        anchor = Mark("anchor", through, row.hash, now,
                      rows=int(count or 0) + (previous.rows if previous else 0)).signed(keys)
        removed = store.cut_head(conn, anchor)
    if mark_file is not None:
        mark_file.append([anchor])
    return PurgeResult(removed, anchor)
