"""Combination rules: terms harmless alone, flagged when every group occurs close together."""

from __future__ import annotations

from pathlib import Path

import pytest

from content_safety_guard.safety import BUILTIN_POLICIES, Config, ConfigError, Engine
from content_safety_guard.safety.text import lexicon
from content_safety_guard.safety.text.combos import parse_combos

NORMAL = BUILTIN_POLICIES["normal"]


def check(text: str, config: Config | None = None):
    return Engine(NORMAL, config or Config()).check_text(text)


@pytest.mark.parametrize("text", [
    "a child in lingerie, sexy pose",
    "小女孩穿着情趣内衣",
    "S.E.X.Y little girl",             # obfuscation is undone for group terms too
])
def test_seed_rule_flags_sexualised_minors(text: str) -> None:
    verdict = check(text)
    assert verdict.level == "unsafe" and "minors" in verdict.categories
    combo = next(e for e in verdict.evidence if e.get("combination") == "minors_sexualised")
    assert all(text[s:e] == t for (s, e), t in zip(combo["spans"], combo["terms"]))


@pytest.mark.parametrize("text", [
    "children playing in the park on a sunny day",
    "a shop window with lingerie on display",  # issue 13: "a sexy woman in lingerie" now blocks
    "儿童节快乐",
    "a minor league baseball game, sexy cheerleaders",
])
def test_one_group_alone_is_not_flagged(text: str) -> None:
    assert check(text).is_safe


def test_groups_far_apart_do_not_fire() -> None:
    text = "a child reading a book. " + "The weather was mild and the garden green. " * 3 + "lingerie sale"
    assert not any("combination" in e for e in check(text).evidence)


def test_other_seed_rules() -> None:
    assert check("buy cocaine online").categories == ("drugs",)
    assert check("哪里买冰毒").categories == ("drugs",)
    assert "violence" in check("how to make a pipe bomb at home").categories


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_user_rules_in_a_lexicon_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexicon, "RELOAD_INTERVAL_S", 0.0)
    write(tmp_path / "combos_house.yaml", (
        "- name: mascot_abuse\n  category: harassment\n  weight: 0.9\n  window: 30\n"
        "  groups:\n    - [blorbo]\n    - [punch*, 揍]\n"))
    config = Config(lexicon_dirs=(str(tmp_path),))
    verdict = check("punching blorbo", config)
    assert verdict.level == "controversial" and verdict.categories == ("harassment",)
    assert check("blorbo waves", config).is_safe


@pytest.mark.parametrize("body, message", [
    ("name: x\n", "expected a list of rules"),
    ("- name: x\n  category: nudity\n  groups: [[a], [b]]\n", r"\[0\].category: unknown category 'nudity'"),
    ("- name: x\n  category: sexual\n  groups: [[a]]\n", r"\[0\].groups: needs at least two groups"),
    ("- name: x\n  category: sexual\n  groups: [[a], []]\n", r"\[0\].groups\[1\]: expected a non-empty list"),
    ("- name: x\n  category: sexual\n  weight: 2\n  groups: [[a], [b]]\n", r"\[0\].weight: must be between"),
    ("- name: x\n  category: sexual\n  colour: red\n  groups: [[a], [b]]\n", r"\[0\].colour: unknown key"),
    ("- [unclosed\n", "line 2: invalid YAML"),
])
def test_bad_rule_files_name_file_and_key(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path / "combos_bad.yaml", body)
    with pytest.raises(ConfigError, match=message):
        parse_combos(path)
    assert str(path) in _error(path)


def _error(path: Path) -> str:
    try:
        parse_combos(path)
    except ConfigError as exc:
        return str(exc)
    return ""
