"""Personal data in prompts: mainland ID numbers, mobile numbers, bank cards, e-mails.

Rules run on the per-character view of `char_normalize` (full-width digits become
ASCII, zero-width characters vanish) and report spans of the original text. Evidence
only ever holds a masked value, so a verdict or audit row never leaks the number.
"""

from __future__ import annotations

import datetime as _dt
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..policy import PII_RULES
from ..settings.checks import PiiSettings
from ..verdict import Finding
from .normalize import char_normalize

PROVIDER = "local:pii"
MAX_EVIDENCE = 50

# Digits are matched on the normalised view, which holds only ASCII digits and a
# lower-case "x" for the ID check character. Numbers glued to other digits, or to a
# decimal point before or after them, are parts of something else (tables, amounts).
_START = r"(?<![0-9])(?<![0-9][.,·])"
_END = r"(?![0-9])(?![.,·][0-9])"
_CN_ID = re.compile(_START + r"[1-8]\d{5}[ -]?(?:18|19|20)\d{6}[ -]?\d{3}[0-9x](?![0-9a-z])(?![.,·][0-9])")
_CN_MOBILE = re.compile(_START + r"(?<!\+)(?:(?:\+|00)?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}" + _END)
# Payment cards start with an ISO/IEC 7812 banking or card-scheme digit (2-6).
_BANK_CARD = re.compile(_START + r"(?:[2-6]\d{12,18}|[2-6]\d{3}(?:[ -]\d{4}){2,4}(?:[ -]\d{1,3})?)" + _END)
_EMAIL = re.compile(
    r"(?<![a-z0-9._%+-])[a-z0-9](?:[a-z0-9._%+-]{0,63})@[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?"
    r"(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)*\.[a-z]{2,24}(?![a-z0-9-])"
)
_NON_DIGIT = re.compile(r"[^0-9x]")
# Cheap gate: every digit rule needs 11 or more digits close together. The rules
# themselves open with look-behinds, which the regex engine tries at every position.
_LONG_NUMBER = re.compile(r"\d(?:[ -]?\d){10}")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10x98765432"


@dataclass(frozen=True)
class PiiMatch:
    """One finding: `start`/`end` index the original text; `masked` is safe to log."""

    rule: str
    start: int
    end: int
    masked: str


def _valid_cn_id(digits: str) -> bool:
    """ISO 7064 MOD 11-2 check character plus a birth date that could be real."""
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS))
    if _ID_CHECK[total % 11] != digits[17]:
        return False
    try:
        born = _dt.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return False
    return _dt.date(1900, 1, 1) <= born <= _dt.date.today()


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _mask(digits: str, head: int, tail: int) -> str:
    return digits[:head] + "*" * (len(digits) - head - tail) + digits[-tail:]


def _mask_email(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[0]}***@{domain}"


def _ids(norm: str) -> Iterable[tuple[int, int, str]]:
    for m in _CN_ID.finditer(norm):
        digits = _NON_DIGIT.sub("", m.group())
        if _valid_cn_id(digits):
            yield m.start(), m.end(), _mask(digits, 4, 4).upper()


def _mobiles(norm: str) -> Iterable[tuple[int, int, str]]:
    for m in _CN_MOBILE.finditer(norm):
        number = _NON_DIGIT.sub("", m.group())[-11:]
        yield m.start(), m.end(), _mask(number, 3, 4)


def _cards(norm: str, taken: list[tuple[int, int]]) -> Iterable[tuple[int, int, str]]:
    for m in _BANK_CARD.finditer(norm):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        digits = _NON_DIGIT.sub("", m.group())
        if 13 <= len(digits) <= 19 and _luhn(digits):
            yield m.start(), m.end(), _mask(digits, 4, 4)


def _emails(norm: str) -> Iterable[tuple[int, int, str]]:
    for m in _EMAIL.finditer(norm):
        yield m.start(), m.end(), _mask_email(m.group())


def find_pii(text: str, rules: Iterable[str] = PII_RULES) -> list[PiiMatch]:
    """All matches of the named rules in `text`, ordered by position.

    A bank card never reuses digits of an ID or mobile number, even when those two
    rules are switched off: an ID number is not a card just because it is unreported.
    """
    wanted = set(rules)
    unknown = wanted - set(PII_RULES)
    if unknown:
        raise ValueError(f"unknown PII rule(s) {', '.join(sorted(unknown))}; "
                         f"expected one of {', '.join(PII_RULES)}")
    if not wanted or not text:
        return []
    norm, index = char_normalize(text)
    found: dict[str, list[tuple[int, int, str]]] = {}
    if wanted & {"cn_id", "cn_mobile", "bank_card"} and _LONG_NUMBER.search(norm):
        found["cn_id"] = list(_ids(norm))
        found["cn_mobile"] = [m for m in _mobiles(norm)
                              if not any(m[0] < e and s < m[1] for s, e, _ in found["cn_id"])]
    if "bank_card" in wanted and "cn_id" in found:
        taken = [(s, e) for rule in ("cn_id", "cn_mobile") for s, e, _ in found[rule]]
        found["bank_card"] = list(_cards(norm, taken))
    if "email" in wanted and "@" in norm:
        found["email"] = list(_emails(norm))
    matches = [PiiMatch(rule, *_original_span(index, s, e), masked)
               for rule in PII_RULES if rule in wanted
               for s, e, masked in found.get(rule, ())]
    return sorted(matches, key=lambda m: (m.start, m.end))


def _original_span(index: np.ndarray | None, start: int, end: int) -> tuple[int, int]:
    """Map a span of the normalised view back to the text (`index` None: same offsets)."""
    if index is None:
        return start, end
    return int(index[start]), int(index[end - 1]) + 1


class PiiChecker:
    """Regex rules for personal data; the policy's `pii` list picks which rules run."""

    provider = PROVIDER
    cost = 0

    def __init__(self, settings: PiiSettings) -> None:
        self.settings = settings

    def check_text(self, text: str) -> Finding:
        start = time.perf_counter()
        matches = find_pii(text, self.settings.rules)
        evidence: tuple[dict[str, Any], ...] = tuple(
            {"rule": m.rule, "span": [m.start, m.end], "value": m.masked} for m in matches[:MAX_EVIDENCE])
        if len(matches) > MAX_EVIDENCE:  # 100,000 phone numbers must not make a 7 MB verdict
            evidence += ({"truncated": len(matches) - MAX_EVIDENCE},)
        return Finding({"pii": 1.0 if matches else 0.0}, PROVIDER, evidence,
                       (time.perf_counter() - start) * 1000)
