"""Reading decisions back for GET /content_safety/audit and the front end's sidebar.

The audit store is the `safety.audit` package; `read_audit_rows` is the one place that reads
it, so the route works unchanged whichever store (SQLite, PostgreSQL) it holds: the package
provides `read_rows(config, limit)`, newest first, rows shaped as `Decision.to_dict()` or as
the store's flat columns (level, categories as a comma string, user, node_id, stage...).
Filters apply here, store-agnostic."""

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


def row_level(row: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    """(level, categories) of a row: its own columns when the store keeps them flat
    (categories as a comma string), else from its verdicts."""
    if row.get("level"):
        categories = row.get("categories") or ()
        if isinstance(categories, str):
            categories = tuple(c for c in categories.split(",") if c)
        return str(row["level"]), tuple(categories)
    verdict = combine(Verdict.from_dict(v) for v in row.get("verdicts") or ())
    return verdict.level, verdict.categories


def matches(row: Mapping[str, Any], filters: Mapping[str, str]) -> bool:
    level, categories = row_level(row)
    wanted = {k: v for k, v in filters.items() if k in AUDIT_FILTERS and v}
    return (wanted.get("level", level) == level
            and wanted.get("category", "") in ("", *categories)
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
