"""Long texts: a default length limit whose worst case checks quickly, a clear error
beyond it, and evidence capped however many matches a text holds."""

from __future__ import annotations

import json
import random
from dataclasses import replace

import pytest
from content_safety_guard.safety import Engine
from content_safety_guard.safety.config import Config
from content_safety_guard.safety.errors import InputError
from content_safety_guard.safety.policy import BUILTIN_POLICIES
from content_safety_guard.safety.text import lexicon, pii


def test_the_default_limit_is_100000_characters_with_a_clear_error_beyond() -> None:
    engine = Engine(BUILTIN_POLICIES["normal"], Config())
    assert engine.check_text("a" * 100_000).is_safe
    with pytest.raises(InputError, match=r"text is 100001 characters, more than policy 'normal' "
                                         r"allows \(max_text_chars=100000\)"):
        engine.check_text("a" * 100_001)


def test_pii_evidence_is_capped() -> None:
    engine = Engine(BUILTIN_POLICIES["normal"], Config())
    verdict = engine.check_text("call 13812345678 " * 5000)
    found = [e for e in verdict.evidence if e.get("rule") == "cn_mobile"]
    assert len(found) == pii.MAX_EVIDENCE
    assert {"truncated": 5000 - pii.MAX_EVIDENCE} in verdict.evidence
    assert len(verdict.to_json()) < 20_000


def test_lexicon_evidence_is_capped_for_terms_and_leetspeak() -> None:
    engine = Engine(replace(BUILTIN_POLICIES["normal"], text_checkers=("lexicon",)), Config())
    verdict = engine.check_text("s3x p0rn " * 10_000)
    assert verdict.level == "unsafe" and len(verdict.to_json()) < 20_000


def test_allow_list_cover_matches_the_plain_definition() -> None:
    rng = random.Random(4)
    for _ in range(200):
        spans = [(s, s + rng.randint(1, 30)) for s in (rng.randint(0, 200) for _ in range(rng.randint(0, 12)))]
        covers = lexicon._Covers(list(spans))
        for _ in range(30):
            start = rng.randint(0, 220)
            end = start + rng.randint(1, 20)
            assert covers(start, end) == any(a <= start and end <= b for a, b in spans)


def test_many_allow_listed_phrases_and_terms_stay_correct() -> None:
    engine = Engine(replace(BUILTIN_POLICIES["normal"], text_checkers=("lexicon",)), Config())
    assert engine.check_text("kill a python process " * 3000).is_safe
    assert json.loads(engine.check_text("kill a python process " * 3000 + " hardcore porn").to_json())["level"] == "unsafe"
