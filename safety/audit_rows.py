"""Reading decisions back for GET /content_safety/audit and the front end's sidebar: the
newest rows of the audit store, filtered in the store's query (level, stage, user, node;
category within its comma-separated column), each with its detail (verdicts, outputs,
error) unpacked. Store-agnostic: SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # SQLAlchemy comes with the first store
    from .audit.store import AuditStore

AUDIT_FILTERS = ("level", "category", "node", "user", "stage")
_COLUMNS = {"level": "level", "node": "node_id", "user": "user", "stage": "stage"}
_CHAIN = ("prev_hash", "hash", "detail")


def _row(stored: Mapping[str, Any]) -> dict[str, Any]:
    detail = json.loads(stored.get("detail") or "{}")
    row = {k: v for k, v in stored.items() if k not in _CHAIN}
    row["categories"] = [c for c in (stored.get("categories") or "").split(",") if c]
    return {**row, "verdicts": detail.get("verdicts", []), "outputs": detail.get("outputs", []),
            "error": detail.get("error")}


def read_audit_rows(store: AuditStore, *, limit: int, filters: Mapping[str, str]) -> list[dict[str, Any]]:
    """Up to `limit` rows, newest first, that pass `filters` (keys of AUDIT_FILTERS)."""
    wanted = {k: v for k, v in filters.items() if k in AUDIT_FILTERS and v}
    equal = {_COLUMNS[k]: v for k, v in wanted.items() if k in _COLUMNS}
    category = wanted.get("category", "")
    with store.reader() as conn:
        stored = store.recent(conn, limit, equal, {"categories": category} if category else None)
    rows = [_row(r) for r in stored]
    return [r for r in rows if not category or category in r["categories"]]  # not a part of another name
