"""Engine.check_text on bad input, failing providers and the cascade."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from content_safety_guard.safety import (BUILTIN_POLICIES, Config, ConfigError, Engine, InputError,
                                         Policy, ProviderError, Verdict)
from content_safety_guard.safety import CHECKERS, Finding, Row, Setup

NORMAL = BUILTIN_POLICIES["normal"]


def check(text: object, policy: Policy = NORMAL) -> Verdict:
    return Engine(policy, Config()).check_text(text)


def test_empty_text_is_safe() -> None:
    v = check("")
    assert v.level == "safe" and v.categories == ()


def test_a_megabyte_of_text_is_checked_to_the_end() -> None:
    text = "a calm landscape, " * 58_000 + " hardcore porn"
    assert len(text.encode()) > 1_000_000
    v = check(text, replace(NORMAL, max_text_chars=2_000_000))  # a policy may raise the limit
    assert v.level == "unsafe" and "sexual" in v.categories
    span = next(e["span"] for e in v.evidence if e.get("category") == "sexual")
    assert span[0] > 1_000_000


def test_text_over_the_policy_limit_is_an_input_error() -> None:
    with pytest.raises(InputError, match="more than policy 'tiny' allows"):
        check("x" * 11, replace(NORMAL, name="tiny", max_text_chars=10))


def test_lone_surrogates_and_nul_bytes_do_not_hide_terms() -> None:
    v = check("por\ud800n and \x00por\x00n")
    assert v.level == "unsafe" and "sexual" in v.categories


def test_non_string_is_an_input_error() -> None:
    with pytest.raises(InputError, match="must be a string, got bytes"):
        check(b"porn")


def test_unknown_checker_and_mode_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="text checker\\(s\\) nope not available"):
        Engine(replace(NORMAL, text_checkers=("nope",)), Config())
    with pytest.raises(ConfigError, match="check mode must be one of"):
        Engine(NORMAL, Config(), mode="cloud")


class Broken:
    provider = "test:broken"
    cost = 5

    def __init__(self, setup: Setup, rest: str) -> None:
        pass

    def check_text(self, text: str) -> Finding:
        raise ProviderError(self.provider, "backend down", code="503")


@pytest.fixture
def broken_checker() -> Iterator[None]:
    with CHECKERS.registered(Row("broken", text=Broken)):
        yield


def test_failing_provider_fails_closed_by_default(broken_checker: None) -> None:
    policy = replace(NORMAL, text_checkers=("lexicon", "broken"))
    with pytest.raises(ProviderError, match="backend down"):
        check("a lighthouse", policy)


def test_fail_open_records_the_failure_and_keeps_other_verdicts(broken_checker: None) -> None:
    policy = replace(NORMAL, text_checkers=("lexicon", "broken"), fail_open=True)
    v = check("a lighthouse", policy)
    assert v.level == "safe"
    failure = next(e for e in v.evidence if e.get("error") == "backend down")
    assert failure["code"] == "503" and failure["fail_open"] is True


def test_cascade_stops_at_a_confident_block(broken_checker: None) -> None:
    # the lexicon (cost 0) blocks, so the failing checker (cost 5) is never asked
    v = check("hardcore porn", replace(NORMAL, text_checkers=("broken", "lexicon")))
    assert v.level == "unsafe" and v.provider == "local:lexicon"


def test_trusted_user_is_not_checked() -> None:
    policy = replace(NORMAL, trusted_users=frozenset({"reviewer-1"}))
    engine = Engine(policy, Config())
    assert engine.check_text("hardcore porn", user="reviewer-1").provider == "policy:trusted_user"
    assert engine.check_text("hardcore porn", user="someone").level == "unsafe"


def test_pii_is_reported_as_controversial_under_normal() -> None:
    v = check("mail me at li.lei@example.com")
    assert v.level == "controversial" and v.categories == ("pii",)
    assert "li.lei@example.com" not in v.to_json()
