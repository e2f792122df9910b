"""Reading decisions back for GET /content_safety/audit and the front end's sidebar.

The audit store is the `safety.audit` package; `read_audit_rows` is the one place that reads
it, so the route works unchanged whichever store (SQLite, PostgreSQL) it holds. Rows
are `Decision.to_dict()` mappings, newest first; filters apply here, store-agnostic."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable, Mapping
from typing import Any

from .config import Config
from .verdict import Verdict, combine

AUDIT_FILTERS = ("level", "category", "node", "user", "stage")


def audit_available() -> bool:
    return importlib.util.find_spec(f"{__package__}.audit") is not None


def read_audit_rows(cfg: Config, *, limit: int, filters: Mapping[str, str]) -> list[dict[str, Any]] | None:
    """Up to `limit` rows that pass `filters`; None when no audit store is installed."""
    if not audit_available():
        return None
    audit = importlib.import_module(f"{__package__}.audit")
    rows = audit.read_rows(cfg, limit=cfg.server.max_audit_rows)
    return select(rows, filters, limit)


def row_verdict(row: Mapping[str, Any]) -> Verdict:
    return combine(Verdict.from_dict(v) for v in row.get("verdicts") or ())


def matches(row: Mapping[str, Any], filters: Mapping[str, str]) -> bool:
    verdict = row_verdict(row)
    wanted = {k: v for k, v in filters.items() if k in AUDIT_FILTERS and v}
    return (wanted.get("level", verdict.level) == verdict.level
            and wanted.get("category", "") in ("", *verdict.categories)
            and wanted.get("node", str(row.get("node_id", ""))) == str(row.get("node_id", ""))
            and wanted.get("user", str(row.get("user", ""))) == str(row.get("user", ""))
            and wanted.get("stage", str(row.get("stage", ""))) == str(row.get("stage", "")))


def select(rows: Iterable[Mapping[str, Any]], filters: Mapping[str, str], limit: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for row in rows:
        if len(out) >= limit:
            break
        if matches(row, filters):
            out.append(dict(row))
    return out
