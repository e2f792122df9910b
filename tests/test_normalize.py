"""Each obfuscation the normaliser undoes, and the map back to original offsets."""

from __future__ import annotations

import pytest

from content_safety_guard.safety.text.normalize import char_normalize, normalize


@pytest.mark.parametrize("text, view", [
    ("ＳＥＸ", "sex"),                   # full-width -> half-width (NFKC)
    ("SeX", "sex"),                      # case folding
    ("Straße", "strase"),                # casefold expands ß, then runs collapse
    ("se\u200bx", "sex"),                # zero-width space
    ("se\u00adx", "sex"),                # soft hyphen
    ("se\x00x\x07", "sex"),              # NUL and other control characters
    ("s.e.x", "sex"),                    # separators inside a word
    ("s e x", "sex"),
    ("s-e-x toys", "sex toys"),
    ("色 情", "色情"),
    ("色*情", "色情"),
    ("色.情", "色情"),
    ("s3x", "sex"),                      # leetspeak
    ("pr0n", "pron"),
    ("$ex", "sex"),
    ("sexxxy", "sexy"),                  # repeated letters
    ("ѕех", "sex"),                      # Cyrillic look-alikes
    ("ΑΒ", "ab"),                        # Greek capitals
    ("殺人", "杀人"),                     # traditional -> simplified
    ("sèx", "sex"),                      # accents stripped
    ("a\u3000b", "a b"),                 # ideographic space -> space
    ("I\u2019m", "i'm"),                 # typographic apostrophe
])
def test_obfuscations_are_undone(text: str, view: str) -> None:
    assert normalize(text).text == view


def test_ordinary_text_keeps_word_boundaries() -> None:
    assert normalize("this extra text").text == "this extra text"
    assert normalize("Version 2024, 100%").text == "version 2024, 100%"


def test_chinese_sentence_punctuation_does_not_join_words() -> None:
    # a comma between two clauses must not glue 杀 and 人 into one word
    assert "杀人" not in normalize("我想杀，人们都走了").text


@pytest.mark.parametrize("text, needle, original", [
    ("hello S.E.X world", "sex", "S.E.X"),
    ("ok ＳＥＸ ok", "sex", "ＳＥＸ"),
    ("so sexxxxy", "sexy", "sexxxxy"),
    ("a se\u200bx b", "sex", "se\u200bx"),
    ("前面 色 情 后面", "色情", "色 情"),
    ("Straße x", "stras", "Straß"),
])
def test_spans_map_back_to_the_original(text: str, needle: str, original: str) -> None:
    norm = normalize(text)
    start = norm.text.index(needle)
    s, e = norm.span(start, start + len(needle))
    assert text[s:e] == original


def test_runs_remember_repetition() -> None:
    norm = normalize("asss")
    assert norm.text == "as"
    assert list(norm.runs) == [1, 3]


def test_char_normalize_maps_offsets_when_lengths_change() -> None:
    view, index = char_normalize("ﬁx\u200bme")  # ligature expands, zero-width vanishes
    assert view == "fixme"
    assert index is not None and list(index) == [0, 0, 1, 3, 4]


def test_lone_surrogate_and_private_use_are_dropped_not_fatal() -> None:
    assert normalize("a\ud800b\ue000c").text == "abc"


def test_the_ascii_and_cjk_short_cuts_agree_with_the_general_path() -> None:
    """A first check learns ~1,300 characters of the seed lexicon; ASCII and CJK ideographs
    skip the Unicode steps that leave them as they are."""
    from content_safety_guard.safety.text.normalize import _charmap

    cmap = _charmap()
    chars = [chr(c) for c in [*range(0x80), *range(0x4E00, 0xA000)]]
    assert [cmap._one(c) for c in chars] == [cmap._general(c) for c in chars]
    assert cmap._one("A") == "a" and cmap._one("\t") == " " and cmap._one("\x00") == "" and cmap._one("們") == "们"
