"""PII rules: checksums, prefixes and grouping, obfuscated digits, masking, spans, policy."""

from __future__ import annotations

from dataclasses import replace

import pytest

from content_safety_guard.safety import BUILTIN_POLICIES, Engine, Policy, Verdict
from content_safety_guard.safety.settings.checks import PiiSettings
from content_safety_guard.safety.text.pii import PiiChecker, find_pii

VALID_ID = "11010519491231002X"          # a well-known sample number with a valid check char
VALID_ID_LUHN = "310115198805231252"     # valid ID whose digits also pass Luhn
ID_NO_LUHN = "440301199001011234"        # valid ID, fails Luhn
BAD_ID_LUHN = "440301199001011232"       # check char wrong, passes Luhn -> a card
BAD_ID = "440301199001011235"            # check char wrong, fails Luhn -> nothing
BAD_DATE_ID = "320102198513201238"       # check char right, month 13
CARD = "6222021234567894"
NOT_CARD = "6222021234567895"


def rules_found(text: str, rules=("cn_id", "cn_mobile", "bank_card", "email")) -> list[tuple[str, str]]:
    return [(m.rule, text[m.start:m.end]) for m in find_pii(text, rules)]


@pytest.mark.parametrize("number", [VALID_ID, VALID_ID.lower(), ID_NO_LUHN, VALID_ID_LUHN,
                                    "110105 19491231 002X"])
def test_valid_resident_ids_are_found(number: str) -> None:
    assert rules_found(f"我的身份证号是{number}，请保密") == [("cn_id", number)]


def test_id_is_masked() -> None:
    (match,) = find_pii(f"ID: {VALID_ID}", ["cn_id"])
    assert match.masked == "1101**********002X"


@pytest.mark.parametrize("number", [BAD_ID, BAD_DATE_ID])
def test_numbers_failing_checksum_or_date_are_not_ids(number: str) -> None:
    assert all(r != "cn_id" for r, _ in rules_found(f"号码 {number}"))


def test_eighteen_digits_failing_id_checksum_but_passing_luhn_are_a_card() -> None:
    assert rules_found(f"number {BAD_ID_LUHN} end") == [("bank_card", BAD_ID_LUHN)]
    assert rules_found(f"number {BAD_ID} end") == []


def test_id_digits_are_not_reused_as_a_card_even_when_id_rule_is_off() -> None:
    assert rules_found(VALID_ID_LUHN) == [("cn_id", VALID_ID_LUHN)]
    assert rules_found(VALID_ID_LUHN, ["bank_card"]) == []


def test_sixteen_digit_id_like_number_passing_luhn_is_a_card() -> None:
    assert rules_found("卡号4403011990010110") == [("bank_card", "4403011990010110")]


@pytest.mark.parametrize("text", [CARD, "6222 0212 3456 7894", "6222-0212-3456-7894",
                                  "4111111111111111", "4111 1111 1111 1111"])
def test_luhn_valid_cards(text: str) -> None:
    (match,) = find_pii(f"pay with {text} today", ["bank_card"])
    assert (match.rule, match.masked) == ("bank_card", "6222********7894" if "6222" in text
                                          else "4111********1111")


@pytest.mark.parametrize("text", [NOT_CARD, "6222 0212 3456 7895", "123456789012", "4111 1111 1111",
                                  "7111111111111114", "0.4111111111111111", "4111111111111111.5"])
def test_luhn_failures_and_short_numbers_are_not_cards(text: str) -> None:
    assert find_pii(f"order {text}", ["bank_card"]) == []


@pytest.mark.parametrize("text", ["13812345678", "+8613812345678", "+86 138 1234 5678",
                                  "0086-138-1234-5678", "86 13812345678", "138-1234-5678",
                                  "138 1234 5678", "199 0000 5678"])
def test_mobile_numbers_with_prefixes_and_grouping(text: str) -> None:
    found = find_pii(f"电话：{text}。", ["cn_mobile"])
    assert [(m.rule, f"电话：{text}。"[m.start:m.end]) for m in found] == [("cn_mobile", text)]
    assert found[0].masked[:3] in ("138", "199") and found[0].masked[3:7] == "****"


@pytest.mark.parametrize("text", ["12812345678", "1381234567", "138123456789", "23812345678"])
def test_non_mobile_digit_strings(text: str) -> None:
    assert find_pii(f"id {text}", ["cn_mobile"]) == []


def test_full_width_and_zero_width_digits_map_back_to_original_spans() -> None:
    text = "联系我：１３８\u200b１２３４\u200b５６７８ 或者 ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ"
    found = find_pii(text, ["cn_mobile", "email"])
    assert [(m.rule, text[m.start:m.end]) for m in found] == [
        ("cn_mobile", "１３８\u200b１２３４\u200b５６７８"),
        ("email", "ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
    ]
    assert [m.masked for m in found] == ["138****5678", "a***@example.com"]


@pytest.mark.parametrize("text", ["Bob.Smith+tag@mail.example.co.uk", "x_y@sub-domain.cn"])
def test_emails(text: str) -> None:
    (match,) = find_pii(f"mail <{text}> please", ["email"])
    assert match.masked == f"{text[0].lower()}***@{text.split('@')[1].lower()}"


def test_not_emails() -> None:
    assert find_pii("user@localhost and @handle and a@b.c", ["email"]) == []


def _check(text: str, policy: Policy) -> Verdict:
    """The checker under the policy's rules, judged by that policy (as the engine does)."""
    return policy.decide(PiiChecker(PiiSettings(policy.pii)).check_text(text))


def test_checker_evidence_is_masked_and_spans_point_at_the_original() -> None:
    text = f"身份证{VALID_ID} 手机+86 138-1234-5678 卡{CARD} mail alice.smith@example.com"
    verdict = _check(text, BUILTIN_POLICIES["normal"])
    assert verdict.provider == "local:pii"
    assert verdict.level == "controversial" and verdict.categories == ("pii",)
    assert verdict.scores == {"pii": 1.0}
    assert [e["rule"] for e in verdict.evidence] == ["cn_id", "cn_mobile", "bank_card", "email"]
    originals = [text[e["span"][0]:e["span"][1]] for e in verdict.evidence]
    assert originals == [VALID_ID, "+86 138-1234-5678", CARD, "alice.smith@example.com"]
    dumped = verdict.to_json()
    for full in (VALID_ID, "13812345678", "138-1234-5678", CARD, "alice.smith"):
        assert full not in dumped
    assert [e["value"] for e in verdict.evidence] == [
        "1101**********002X", "138****5678", "6222********7894", "a***@example.com"]


def test_strict_policy_blocks_and_lax_policy_runs_no_rules() -> None:
    text = "call 13812345678"
    assert _check(text, BUILTIN_POLICIES["strict"]).level == "unsafe"
    lax = _check(text, BUILTIN_POLICIES["lax"])
    assert (lax.level, lax.evidence, lax.scores) == ("safe", (), {"pii": 0.0})


def test_rules_disabled_by_policy_do_not_fire() -> None:
    policy = replace(BUILTIN_POLICIES["normal"], pii=frozenset({"email"}))
    text = f"{VALID_ID} 13812345678 {CARD}"
    verdict = _check(text, policy)
    assert (verdict.level, verdict.evidence) == ("safe", ())
    verdict = _check(text + " a@example.org", policy)
    assert [e["rule"] for e in verdict.evidence] == ["email"]


def test_engine_runs_pii_checker_from_policy() -> None:
    policy = replace(BUILTIN_POLICIES["normal"], text_checkers=("pii",))
    verdict = Engine(policy).check_text("我的手机号码是 139 1234 5678")
    assert verdict.categories == ("pii",)
    assert verdict.evidence[0]["value"] == "139****5678"


def test_unknown_rule_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown PII rule.*passport"):
        find_pii("x", ["passport"])
