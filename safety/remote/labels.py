"""Green's labels onto the unified taxonomy, and responses into scores plus evidence.

Raw labels, confidences (0-100), risk words and the request id stay in the evidence;
the policy only sees category scores 0..1. A label counts when its confidence exceeds
the node's `remote_confidence_threshold`; labels without a confidence (the classic
TextModeration API returns none) count as 100.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

NO_RISK = frozenset({"", "nonLabel", "normal", "none", "NonLabel"})

_EXACT: dict[str, str] = {
    # TextModerationPlus
    "pornographic_adult": "sexual", "sexual_terms": "sexual", "sexual_suggestive": "sexual",
    "violent_extremist": "extremism", "violent_incidents": "extremism",
    "violent_weapons": "weapons", "contraband_drug": "drugs", "contraband_gambling": "gambling",
    "contraband_act": "other", "contraband_entity": "other",
    "inappropriate_discrimination": "hate", "inappropriate_profanity": "harassment",
    "inappropriate_oral": "profanity", "inappropriate_ethics": "other",
    "inappropriate_superstition": "other", "inappropriate_nonsense": "other",
    # classic TextModeration
    "ad": "ads", "ad_compliance": "ads", "spam": "ads", "political_content": "political",
    "profanity": "profanity", "abuse": "harassment", "cyberbullying": "harassment",
    "sexual_content": "sexual", "porn": "sexual", "violence": "violence",
    "terrorism": "extremism", "contraband": "other", "nonsense": "other",
    "negative_content": "other", "religion": "other", "flood": "other", "meaningless": "other",
    # ImageModeration
    "violent_explosion": "violence", "violent_gunKnives": "weapons",
    "violent_armedForces": "violence", "violent_crowding": "violence",
    "violent_burning": "violence", "violent_horrific": "gore", "violent_ACGHorrific": "gore",
    "political_racism": "hate", "contraband_gamble": "gambling",
    "inappropriate_middleFinger": "harassment",
}
# Substrings that decide regardless of prefix (checked in order).
_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("minor", "minors"), ("child", "minors"), ("suicide", "self_harm"), ("selfharm", "self_harm"),
    ("self_harm", "self_harm"), ("bloody", "gore"), ("gore", "gore"), ("weapon", "weapons"),
    ("drug", "drugs"), ("gambl", "gambling"), ("fraud", "fraud"), ("scam", "fraud"),
    ("terror", "extremism"), ("extrem", "extremism"), ("racism", "hate"), ("discriminat", "hate"),
)
_PREFIXES: tuple[tuple[str, str], ...] = (
    ("pornographic_", "sexual"), ("sexual_", "sexual"), ("political_", "political"),
    ("violent_", "violence"), ("profanity_", "profanity"), ("pt_", "ads"), ("ad_", "ads"),
    ("contraband_", "other"), ("inappropriate_", "other"), ("religion_", "other"),
)
SENSITIVE_LEVELS = {"S1": 25.0, "S2": 50.0, "S3": 75.0, "S4": 100.0}  # PII grades as confidences


def category_of(label: str) -> str:
    """The taxonomy category of one raw Green label (`other` when unknown)."""
    if label in _EXACT:
        return _EXACT[label]
    lower = label.lower()
    is_sexual = lower.startswith(("pornographic_", "sexual_"))
    for needle, category in _KEYWORDS:
        if needle in lower and (category != "minors" or is_sexual):
            return category
    for prefix, category in _PREFIXES:
        if lower.startswith(prefix):
            return category
    return "other"


@dataclass
class Hit:
    label: str
    confidence: float | None
    extra: dict[str, Any] = field(default_factory=dict)
    category: str = ""

    def __post_init__(self) -> None:
        self.category = self.category or category_of(self.label)


@dataclass
class Reading:
    """What one successful call said, before the policy judges it."""

    request_id: str
    risk_level: str
    hits: list[Hit]
    region: str = ""


def _number(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _words(value: Any) -> list[str]:
    if isinstance(value, str):
        return [w for w in (p.strip() for p in value.split(",")) if w]
    if isinstance(value, list):
        return [str(w) for w in value if w]
    return []


def read_plus(data: Mapping[str, Any]) -> list[Hit]:
    """TextModerationPlus `Data`: Result labels, AttackResult (prompt attacks), SensitiveResult (PII)."""
    hits = [Hit(r.get("Label", ""), _number(r.get("Confidence")),
                {k: v for k, v in (("risk_words", _words(r.get("RiskWords"))),
                                   ("description", r.get("Description"))) if v})
            for r in data.get("Result") or () if r.get("Label", "") not in NO_RISK]
    for r in data.get("AttackResult") or ():
        if r.get("Label", "") not in NO_RISK and r.get("AttackLevel", "none") != "none":
            hits.append(Hit(r["Label"], _number(r.get("Confidence")),
                            {"attack_level": r.get("AttackLevel")}, category="jailbreak"))
    for r in data.get("SensitiveResult") or ():
        level = r.get("SensitiveLevel", "S0")
        if level in SENSITIVE_LEVELS:
            hits.append(Hit(r.get("Label", "sensitive"), SENSITIVE_LEVELS[level],
                            {"sensitive_level": level, "description": r.get("Description")},
                            category="pii"))
    return hits


def read_classic(data: Mapping[str, Any]) -> tuple[list[Hit], str]:
    """TextModeration `Data`: comma `labels` and a JSON `reason` with riskTips/riskWords."""
    reason: dict[str, Any] = {}
    raw = data.get("reason")
    if isinstance(raw, str) and raw.strip():
        try:
            parsed = json.loads(raw)
            reason = parsed if isinstance(parsed, dict) else {}
        except ValueError:
            reason = {"raw_reason": raw[:200]}
    extra = {k: v for k, v in (("risk_words", _words(reason.get("riskWords"))),
                               ("risk_tips", reason.get("riskTips"))) if v}
    hits = [Hit(label, None, dict(extra)) for label in _words(data.get("labels"))
            if label not in NO_RISK]
    return hits, str(reason.get("riskLevel") or ("high" if hits else "none"))


def read_image(data: Mapping[str, Any]) -> list[Hit]:
    """ImageModeration `Data.Result`: Label, Confidence, Description, per-label RiskLevel."""
    return [Hit(r.get("Label", ""), _number(r.get("Confidence")),
                {k: v for k, v in (("description", r.get("Description")),
                                   ("risk_level", r.get("RiskLevel"))) if v})
            for r in data.get("Result") or () if r.get("Label", "") not in NO_RISK]


def scores_and_evidence(readings: Iterable[Reading], threshold: float,
                        context: Mapping[str, Any]) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """Category scores (max over parts) and evidence: one item per call, one per label."""
    scores: dict[str, float] = {}
    evidence: list[dict[str, Any]] = []
    for part, reading in enumerate(readings):
        evidence.append({**context, "region": reading.region, "request_id": reading.request_id,
                         "risk_level": reading.risk_level, "part": part})
        for hit in reading.hits:
            confidence = 100.0 if hit.confidence is None else hit.confidence
            counted = confidence > threshold
            if counted:
                scores[hit.category] = max(scores.get(hit.category, 0.0), min(confidence, 100.0) / 100)
            evidence.append({"label": hit.label, "category": hit.category,
                             "confidence": hit.confidence, "counted": counted, **hit.extra,
                             "request_id": reading.request_id, "part": part})
    return scores, evidence
