"""Lexicon matching: spans, boundaries, allow-lists, user files and their reloading."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from content_safety_guard.safety import BUILTIN_POLICIES, Config, ConfigError, Engine
from content_safety_guard.safety.text import lexicon
from content_safety_guard.safety.text.lexicon import Matcher, Term, parse_lexicon

TERMS = [Term(t, c) for t, c in [
    ("sex", "sexual"), ("sexy", "sexual"), ("pr0n", "sexual"), ("ass", "profanity"),
    ("fuck*", "profanity"), ("*fucker", "profanity"), ("色情", "sexual"), ("杀人", "violence"),
    ("杀", "violence"), ("kill", "violence"), ("kill yourself", "self_harm"),
    ("assassin", "violence"), ("cunt", "profanity"),
]]
ALLOW = ["assassin's creed", "scunthorpe", "杀毒软件", "kill a python process"]
MATCHER = Matcher(TERMS, ALLOW)


def found(text: str) -> list[tuple[str, str]]:
    return sorted((m.term.text, m.matched) for m in MATCHER.find(text))


@pytest.mark.parametrize("text, term, original", [
    ("look: S.E.X!", "sex", "S.E.X"),
    ("so sexxxy", "sexy", "sexxxy"),
    ("s3x", "sex", "s3x"),
    ("pr0n site", "pr0n", "pr0n"),
    ("porn is spelled pron", "pr0n", "pron"),
    ("色 情片", "色情", "色 情"),
    ("色*情", "色情", "色*情"),
    ("殺人犯", "杀人", "殺人"),
    ("ѕех", "sex", "ѕех"),
    ("ＳＥＸ", "sex", "ＳＥＸ"),
    ("fucking hell", "fuck*", "fuck"),
    ("you motherfucker", "*fucker", "fucker"),
    ("kick his asss", "ass", "asss"),
    ("kill   yourself", "kill yourself", "kill   yourself"),
])
def test_obfuscated_terms_match_with_original_spans(text: str, term: str, original: str) -> None:
    assert (term, original) in found(text)


@pytest.mark.parametrize("text", [
    "sussex and essex", "analysis", "as you wish", "classic passage", "this extra text",
    "skill and killer whales",
])
def test_latin_terms_respect_word_boundaries(text: str) -> None:
    assert found(text) == []


def test_double_letters_of_a_term_must_be_doubled_in_the_text() -> None:
    assert found("as") == []           # 'ass' needs its double s
    assert ("ass", "ass") in found("ass")


@pytest.mark.parametrize("text", [
    "play Assassin's Creed tonight", "Scunthorpe United", "我用杀毒软件扫描", "kill a python process",
])
def test_allow_list_suppresses_matches_inside_harmless_phrases(text: str) -> None:
    assert found(text) == []


def test_allow_list_does_not_hide_matches_outside_it() -> None:
    assert ("assassin", "assassin") in found("assassin's creed, then hire an assassin")
    assert ("杀", "杀") in found("杀毒软件里也写着杀")


def test_span_of_every_match_is_exact() -> None:
    text = "前缀 fuck 中间 殺人 後"
    for m in MATCHER.find(text):
        assert text[m.start:m.end] == m.matched


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_lexicon_file_format(tmp_path: Path) -> None:
    path = write(tmp_path / "weapons_custom.txt", (
        "# comment line\n"
        "\n"
        "ghost gun\n"
        "pipe bomb | extremism\n"
        "zip gun | weapons | 0.4   # trailing comment\n"))
    terms = parse_lexicon(path)
    assert [(t.text, t.category, t.weight) for t in terms] == [
        ("ghost gun", "weapons", 1.0), ("pipe bomb", "extremism", 1.0), ("zip gun", "weapons", 0.4)]
    assert terms[1].source == "weapons_custom.txt:4"


def test_category_defaults_to_other_without_a_category_prefix(tmp_path: Path) -> None:
    assert parse_lexicon(write(tmp_path / "mywords.txt", "blorp\n"))[0].category == "other"
    assert parse_lexicon(write(tmp_path / "self_harm_en.txt", "blorp\n"))[0].category == "self_harm"


@pytest.mark.parametrize("content, problem", [
    (b"ok\n\xff\xfe bad\n", "weapons.txt:2: lexicon line is not UTF-8"),
    (b"\xef\xbb\xbfok\nab\xff\n", "weapons.txt:2: lexicon line is not UTF-8 .byte 2."),  # Notepad's BOM
    (b"ok | nonsense\n", "weapons.txt:1: unknown category 'nonsense'"),
    (b"ok | weapons | 7\n", "weapons.txt:1: weight must be a number from 0 to 1"),
    (b"ok | weapons | heavy\n", "weapons.txt:1: weight must be"),
    (b"a | b | c | d\n", "weapons.txt:1: expected 'term'"),
])
def test_bad_lexicon_lines_name_file_and_line(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "weapons.txt"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match=problem.replace("|", r"\|").replace("(", r"\(")):
        parse_lexicon(path)


@pytest.fixture
def instant_reload(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexicon, "RELOAD_INTERVAL_S", 0.0)
    monkeypatch.setattr(lexicon, "SETTLE_S", 0.0)  # files written by the test are whole


def test_user_lexicon_dir_is_used_and_reloaded_when_changed(tmp_path: Path, instant_reload: None) -> None:
    words = write(tmp_path / "drugs_house.txt", "blue sky crystal\n")
    engine = Engine(BUILTIN_POLICIES["normal"], Config(lexicon_dirs=(str(tmp_path),)))
    first = engine.check_text("we sell blue sky crystal and zorblax")
    assert first.level == "unsafe" and first.categories == ("drugs",)
    assert "zorblax" not in first.to_json()

    write(words, "blue sky crystal\nzorblax | drugs\n")
    os.utime(words, ns=(0, 10**18))  # a different mtime even on coarse file systems
    second = engine.check_text("only zorblax here")
    assert second.categories == ("drugs",)
    assert second.evidence[0]["term"] == "zorblax"


def test_dropped_in_file_and_allow_file_take_effect(tmp_path: Path, instant_reload: None) -> None:
    engine = Engine(BUILTIN_POLICIES["normal"], Config(lexicon_dirs=(str(tmp_path),)))
    assert engine.check_text("frobnicate the server").is_safe
    write(tmp_path / "violence_local.txt", "frobnicate\n")
    assert engine.check_text("frobnicate the server").level == "unsafe"
    write(tmp_path / "allow_local.txt", "frobnicate the server\n")
    assert engine.check_text("frobnicate the server").is_safe


def test_policy_allow_terms_and_lexicon_files(tmp_path: Path) -> None:
    extra = write(tmp_path / "hate_extra.txt", "grumblewort\n")
    policy = replace(BUILTIN_POLICIES["normal"], lexicons=(str(extra),),
                     allow_terms=("grumblewort tea",))
    engine = Engine(policy, Config())
    assert engine.check_text("you grumblewort").categories == ("hate",)
    assert engine.check_text("a cup of grumblewort tea").is_safe


def test_missing_policy_lexicon_file_is_a_config_error(tmp_path: Path) -> None:
    policy = replace(BUILTIN_POLICIES["normal"], lexicons=(str(tmp_path / "nope.txt"),))
    with pytest.raises(ConfigError, match="nope.txt: lexicon file not found"):
        Engine(policy, Config()).check_text("hello")


def test_weights_meet_policy_thresholds(tmp_path: Path) -> None:
    write(tmp_path / "violence_soft.txt", "smack | violence | 0.4\n")
    config = Config(lexicon_dirs=(str(tmp_path),))
    assert Engine(BUILTIN_POLICIES["normal"], config).check_text("a smack").is_safe
    strict = Engine(BUILTIN_POLICIES["strict"], config).check_text("a smack")
    assert strict.level == "unsafe" and strict.scores["violence"] == pytest.approx(0.4)


def test_seed_lexicon_flags_clear_cases_in_both_languages() -> None:
    engine = Engine(BUILTIN_POLICIES["normal"], Config())
    assert "sexual" in engine.check_text("hardcore porn video").categories
    assert "sexual" in engine.check_text("一部色情片").categories
    assert engine.check_text("生成一张色情图片").level == "unsafe"
    assert engine.check_text("a watercolor painting of a lighthouse at dawn").is_safe
    assert engine.check_text("一幅日出时灯塔的水彩画").is_safe
