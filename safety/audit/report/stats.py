"""The figures of a monthly report, computed from audit rows in one pass (plus bursts)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..period import day_of
from ..record import is_block

COLUMNS = ("time", "stage", "action", "level", "categories", "providers", "user", "prompt_id",
           "labelled", "detail")
NO_USER = "(none)"


@dataclass(frozen=True)
class Burst:
    user: str
    start: float
    end: float
    requests: int


@dataclass
class MonthStats:
    month: str
    days: list[date]
    checks_per_day: Counter[date] = field(default_factory=Counter)
    blocks_per_day: Counter[date] = field(default_factory=Counter)
    blocks_by_category: Counter[str] = field(default_factory=Counter)
    blocks_by_provider: Counter[str] = field(default_factory=Counter)
    checks_by_user: Counter[str] = field(default_factory=Counter)
    blocks_by_user: Counter[str] = field(default_factory=Counter)
    blocked_terms: Counter[str] = field(default_factory=Counter)
    unlabelled_by_user: Counter[str] = field(default_factory=Counter)  # who received unlabelled files
    bursts: list[Burst] = field(default_factory=list)
    totals: Counter[str] = field(default_factory=Counter)

    def top_users(self, n: int = 10) -> list[tuple[str, int, int]]:
        return [(u, c, self.blocks_by_user[u]) for u, c in self.checks_by_user.most_common(n)]


def _terms(detail: str) -> Iterable[str]:
    for verdict in json.loads(detail).get("verdicts", []):
        for item in verdict.get("evidence", []):
            term = item.get("lexicon") or item.get("term")
            if isinstance(term, str) and term:
                yield term


def _count(stats: MonthStats, row: Mapping[str, Any], prompts: set[str]) -> None:
    totals = stats.totals
    user = row["user"] or NO_USER
    if row["stage"] == "quota":
        totals["quota_refusals"] += row["action"] == "raised"
        return
    if row["action"] == "disabled":
        totals["disabled"] += 1
        return
    day = day_of(row["time"])
    totals["checks"] += 1
    stats.checks_per_day[day] += 1
    stats.checks_by_user[user] += 1
    if row["prompt_id"]:
        prompts.add(row["prompt_id"])
    if row["action"] == "error":
        totals["errors"] += 1
    elif row["level"] == "controversial":
        totals["flagged"] += 1
    if row["labelled"] is not None:
        totals["labelled_outputs" if row["labelled"] else "unlabelled_outputs"] += 1
        if not row["labelled"]:
            stats.unlabelled_by_user[user] += 1
    if is_block(row):
        totals["blocks"] += 1
        stats.blocks_per_day[day] += 1
        stats.blocks_by_user[user] += 1
        stats.blocks_by_category.update(c for c in row["categories"].split(",") if c)
        stats.blocks_by_provider.update(p for p in row["providers"].split(",") if p)
        stats.blocked_terms.update(_terms(row["detail"]))


def bursts(times_by_user: Mapping[str, list[float]], requests: int, window_s: float) -> list[Burst]:
    """Spans where a user made at least `requests` checks within `window_s`; overlapping
    windows merge into one burst."""
    found: list[Burst] = []
    for user, times in sorted(times_by_user.items()):
        times = sorted(times)
        spans: list[list[float]] = []
        lo = 0
        for hi, t in enumerate(times):
            while t - times[lo] > window_s:
                lo += 1
            if hi - lo + 1 >= requests:
                if spans and times[lo] <= spans[-1][1]:
                    spans[-1][1] = t
                else:
                    spans.append([times[lo], t])
        for start, end in spans:
            found.append(Burst(user, start, end, sum(start <= t <= end for t in times)))
    return sorted(found, key=lambda b: (-b.requests, b.start))


def month_stats(rows: Iterable[Mapping[str, Any]], month: str, days: list[date],
                burst_requests: int = 30, burst_minutes: float = 5.0) -> MonthStats:
    stats = MonthStats(month, days)
    prompts: set[str] = set()
    times: defaultdict[str, list[float]] = defaultdict(list)
    for row in rows:
        _count(stats, row, prompts)
        if row["stage"] != "quota" and row["action"] != "disabled":
            times[row["user"] or NO_USER].append(row["time"])
    stats.totals["users"] = len(stats.checks_by_user)
    stats.totals["prompts"] = len(prompts)
    stats.bursts = bursts(times, burst_requests, burst_minutes * 60)
    stats.totals["bursts"] = len(stats.bursts)
    return stats
