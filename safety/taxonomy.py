"""The unified category taxonomy every provider's labels map onto."""

from __future__ import annotations

from typing import Final

CATEGORIES: Final[tuple[str, ...]] = (
    "sexual",
    "minors",
    "violence",
    "gore",
    "self_harm",
    "hate",
    "harassment",
    "extremism",
    "weapons",
    "drugs",
    "gambling",
    "fraud",
    "political",
    "pii",
    "ads",
    "profanity",
    "jailbreak",
    "other",
)

_KNOWN: Final[frozenset[str]] = frozenset(CATEGORIES)


def is_category(name: str) -> bool:
    return name in _KNOWN

