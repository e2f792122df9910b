"""`audit export`: rows of a period as JSON lines or CSV, exactly as stored (the `detail`
JSON text and the hashes included, so an export can be re-verified)."""

from __future__ import annotations

import csv
import json
from typing import TextIO

from .store import STORED, AuditStore

ORDER = ("seq", *[c for c in STORED if c != "seq"])


def export(store: AuditStore, out: TextIO, fmt: str, since: float | None, until: float | None) -> int:
    count = 0
    writer = csv.DictWriter(out, fieldnames=ORDER) if fmt == "csv" else None
    if writer:
        writer.writeheader()
    with store.reader() as conn:
        for row in store.rows(conn, since=since, until=until):
            if writer:
                writer.writerow(row)
            else:
                out.write(json.dumps({k: row[k] for k in ORDER}, ensure_ascii=False) + "\n")
            count += 1
    return count
