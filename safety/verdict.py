"""The one result type every checker returns, and how results combine."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .taxonomy import CATEGORIES

LEVELS: tuple[str, ...] = ("safe", "controversial", "unsafe")
_RANK = {level: rank for rank, level in enumerate(LEVELS)}
_CATEGORY_ORDER = {name: i for i, name in enumerate(CATEGORIES)}


def _ordered(categories: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(categories), key=lambda c: _CATEGORY_ORDER.get(c, len(CATEGORIES))))


@dataclass(frozen=True)
class Verdict:
    """A moderation decision: `level` is what callers act on, the rest explains it.

    `categories` are the taxonomy categories the policy flagged; `scores` holds every
    category a provider reported (flagged or not) so a stricter policy can be replayed.
    """

    level: str = "safe"
    categories: tuple[str, ...] = ()
    score: float = 0.0
    provider: str = ""
    evidence: tuple[Mapping[str, Any], ...] = ()
    latency_ms: float = 0.0
    scores: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.level not in _RANK:
            raise ValueError(f"Verdict.level must be one of {LEVELS}, got {self.level!r}")

    @property
    def is_safe(self) -> bool:
        return self.level == "safe"

    @property
    def blocked(self) -> bool:
        """Nodes act (raise/substitute/block) only on unsafe; controversial passes, flagged."""
        return self.level == "unsafe"

    @property
    def labels(self) -> str:
        """Comma string of categories, the form the Aliyun anchor nodes return."""
        return ",".join(self.categories)

    def with_latency(self, latency_ms: float) -> Verdict:
        return Verdict(self.level, self.categories, self.score, self.provider,
                       self.evidence, latency_ms, self.scores)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "is_safe": self.is_safe,
            "categories": list(self.categories),
            "labels": self.labels,
            "score": round(self.score, 4),
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
            "provider": self.provider,
            "evidence": [dict(e) for e in self.evidence],
            "latency_ms": round(self.latency_ms, 3),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Verdict:
        return cls(
            level=data.get("level", "safe"),
            categories=tuple(data.get("categories", ())),
            score=float(data.get("score", 0.0)),
            provider=data.get("provider", ""),
            evidence=tuple(data.get("evidence", ())),
            latency_ms=float(data.get("latency_ms", 0.0)),
            scores=dict(data.get("scores", {})),
        )


@dataclass(frozen=True)
class Finding:
    """What one checker saw in one item: raw per-category scores and the evidence. Only the
    engine turns it into a Verdict, under its policy (`Policy.decide`).

    `at_most` and `at_least` are the checker's own guards on that level: an LLM that
    answered "controversial" is never raised above it (`at_most`), and a flag the taxonomy
    cannot place is at least controversial, under the categories in `flags` (`at_least`).
    """

    scores: Mapping[str, float] = field(default_factory=dict)
    provider: str = ""
    evidence: tuple[Mapping[str, Any], ...] = ()
    latency_ms: float = 0.0
    at_most: str = "unsafe"
    at_least: str = "safe"
    flags: tuple[str, ...] = ()
    context: bool = False  # news, legal, medical or historical use: the policy reviews, not blocks


def rank(level: str) -> int:
    return _RANK[level]


def combine(verdicts: Iterable[Verdict]) -> Verdict:
    """Worst level wins, categories merge, evidence is kept from every provider."""
    items = list(verdicts)
    if not items:
        return Verdict()
    if len(items) == 1:
        return items[0]
    scores: dict[str, float] = {}
    for v in items:
        for cat, s in v.scores.items():
            scores[cat] = max(s, scores.get(cat, 0.0))
    providers = list(dict.fromkeys(v.provider for v in items if v.provider))
    return Verdict(
        level=max((v.level for v in items), key=_RANK.__getitem__),
        categories=_ordered(c for v in items for c in v.categories),
        score=max(v.score for v in items),
        provider="+".join(providers),
        evidence=tuple(e for v in items for e in v.evidence),
        latency_ms=sum(v.latency_ms for v in items),
        scores=scores,
    )


ordered_categories = _ordered
