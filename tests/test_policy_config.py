"""Policies decide levels; config files are validated with errors naming file and key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from content_safety_guard.safety import BUILTIN_POLICIES, Config, ConfigError, Verdict, combine
from content_safety_guard.safety.config import CONFIG_ENV, cached_config, config_path, load_config
from content_safety_guard.safety.errors import ContentSafetyError, ProviderError


def test_builtin_profiles_differ_in_what_they_block() -> None:
    scores = {"violence": 0.6}
    assert BUILTIN_POLICIES["lax"].judge(scores, provider="t").level == "safe"      # below 0.8
    assert BUILTIN_POLICIES["normal"].judge(scores, provider="t").level == "unsafe"
    assert BUILTIN_POLICIES["strict"].judge({"violence": 0.35}, provider="t").level == "unsafe"
    assert BUILTIN_POLICIES["normal"].judge({"violence": 0.35}, provider="t").level == "safe"


def test_review_categories_are_controversial_not_blocked() -> None:
    v = BUILTIN_POLICIES["normal"].judge({"profanity": 1.0, "pii": 1.0}, provider="t")
    assert v.level == "controversial" and not v.blocked and not v.is_safe
    assert v.categories == ("pii", "profanity")  # taxonomy order


def test_judge_keeps_all_scores_but_lists_only_flagged_categories() -> None:
    v = BUILTIN_POLICIES["normal"].judge({"sexual": 0.9, "violence": 0.2}, provider="t")
    assert v.categories == ("sexual",)
    assert v.scores == {"sexual": 0.9, "violence": 0.2}
    assert v.score == 0.9


def test_combine_worst_level_wins_and_categories_merge() -> None:
    a = Verdict("controversial", ("pii",), 1.0, "local:pii", ({"rule": "email"},), 1.0, {"pii": 1.0})
    b = Verdict("unsafe", ("sexual",), 0.9, "local:lexicon", ({"term": "x"},), 2.0, {"sexual": 0.9})
    c = combine([a, b])
    assert c.level == "unsafe"
    assert c.categories == ("sexual", "pii")
    assert c.provider == "local:pii+local:lexicon"
    assert len(c.evidence) == 2 and c.latency_ms == 3.0


def test_verdict_json_round_trip() -> None:
    v = Verdict("unsafe", ("sexual",), 0.9, "local:lexicon", ({"term": "色情"},), 1.5, {"sexual": 0.9})
    data = json.loads(v.to_json())
    assert data["labels"] == "sexual" and data["is_safe"] is False
    assert Verdict.from_dict(data).categories == ("sexual",)


def test_error_json_contract() -> None:
    v = Verdict("unsafe", ("sexual", "violence"), 0.9, "local:lexicon",
                ({"term": "x", "request_id": "r-1"},))
    err = ContentSafetyError.from_verdict(v, stage="text", node_id="12")
    data = json.loads(str(err))
    assert data == {
        "code": "content_safe_check_failed", "stage": "text", "labels": "sexual,violence",
        "categories": ["sexual", "violence"], "level": "unsafe",
        "reason": "content flagged as unsafe: sexual,violence", "provider": "local:lexicon",
        "node_id": "12", "request_id": "r-1", "evidence": [{"term": "x", "request_id": "r-1"}]}
    failed = ContentSafetyError.from_exception(
        ProviderError("aliyun:TextModerationPlus", "read timeout", code="408", request_id="r-2"),
        stage="text", node_id="3")
    data = json.loads(str(failed))
    assert data["code"] == "content_safe_check_error" and data["request_id"] == "r-2"
    assert data["evidence"] == [{"provider_code": "408"}]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_policy_extends_and_overrides(tmp_path: Path) -> None:
    path = write(tmp_path, "config.yaml", """
default_policy: studio
policies:
  studio:
    extends: strict
    threshold: 0.6
    thresholds: {sexual: 0.2}
    review: [political]
    allow_terms: [chicken breast]
    trusted_users: [alice]
    lexicons: [words/extra.txt]
    fail_open: true
  kids:
    extends: studio
    block: [sexual, violence, profanity]
""")
    cfg = load_config(path)
    studio = cfg.policy()
    assert studio.name == "studio" and cfg.policy_names[:3] == ["lax", "normal", "strict"]
    assert studio.threshold == 0.6 and studio.threshold_for("sexual") == 0.2
    assert studio.block == BUILTIN_POLICIES["strict"].block
    assert studio.lexicons == (str(tmp_path / "words" / "extra.txt"),)
    assert studio.fail_open is True and "alice" in studio.trusted_users
    kids = cfg.policy("kids")
    assert kids.block == {"sexual", "violence", "profanity"} and kids.threshold == 0.6


def test_json_config_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "config.json", json.dumps({"policies": {"p": {"threshold": 0.7}}}))
    assert load_config(path).policy("p").threshold == 0.7


@pytest.mark.parametrize("body, message", [
    ("policies:\n  p:\n    threshold: high\n", r"config.yaml: policies.p.threshold: expected a number, got str 'high'"),
    ("policies:\n  p:\n    threshold: 1.5\n", r"policies.p.threshold: must be between 0.0 and 1.0"),
    ("policies:\n  p:\n    blok: [sexual]\n", r"policies.p.blok: unknown key"),
    ("polices: {}\n", r"config.yaml: polices: unknown key"),
    ("policies:\n  p:\n    block: [nudity]\n", r"policies.p.block: unknown category 'nudity'"),
    ("policies:\n  p:\n    block: sexual\n", r"policies.p.block: expected a list"),
    ("policies:\n  p:\n    thresholds: {nudity: 0.3}\n", r"policies.p.thresholds.nudity: unknown category"),
    ("policies:\n  p:\n    pii: [passport]\n", r"policies.p.pii\[0\]: unknown PII rule 'passport'"),
    ("policies:\n  p:\n    fail_open: 1\n", r"policies.p.fail_open: expected true or false"),
    ("policies:\n  p:\n    extends: nope\n", r"policies.p.extends: unknown policy 'nope'"),
    ("policies:\n  a: {extends: b}\n  b: {extends: a}\n", r"'extends' forms a cycle"),
    ("default_policy: nope\n", r"default_policy: unknown policy 'nope'"),
    ("policies: [1, 2]\n", r"policies: expected a mapping, got list"),
    ("policies:\n  p:\n   - bad: [\n", r"config.yaml: line \d+: invalid YAML"),
    ("lexicon_dirs: words\n", r"lexicon_dirs: expected a list"),
])
def test_config_errors_name_file_and_key(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, "config.yaml", body)
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_non_utf8_config_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes(b"default_policy: \xff\n")
    with pytest.raises(ConfigError, match="config.yaml: config file is not UTF-8"):
        load_config(path)


def test_unknown_policy_name_lists_the_available_ones() -> None:
    with pytest.raises(ConfigError, match="unknown policy 'nope'; available: lax, normal, strict"):
        Config().policy("nope")


def test_config_is_found_through_env_then_user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    assert config_path(str(tmp_path)) is None
    user_cfg = tmp_path / "content_safety" / "config.yaml"
    user_cfg.parent.mkdir()
    user_cfg.write_text("default_policy: strict\n")
    assert cached_config(str(tmp_path)).default_policy == "strict"
    env_cfg = write(tmp_path, "env.yaml", "default_policy: lax\n")
    monkeypatch.setenv(CONFIG_ENV, str(env_cfg))
    assert cached_config(str(tmp_path)).default_policy == "lax"
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "missing.yaml"))
    with pytest.raises(ConfigError, match="missing.yaml: no such config file"):
        cached_config()
