"""Issue 13: the specification's policies, context rules and negative prompts, end to end
through the seed lexicon (local mode, built-in policies)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from content_safety_guard.nodes.text_check import ContentSafetyTextCheck
from content_safety_guard.safety import BUILTIN_POLICIES, Config, Engine, load_config
from content_safety_guard.safety.config import CONFIG_ENV
from content_safety_guard.safety.errors import ConfigError, InputError

ROOT = Path(__file__).resolve().parents[1]
POLICIES = ("lax", "normal", "strict")
SPEC_BLOCKED_UNDER_NORMAL = ["暴力", "裸露", "血腥", "赌博", "国家领导人", "性感热舞教学", "成人舞蹈教学",
                             "sexxxy party", "photo of a man holding a gun, blood on the floor, gore"]
BENIGN_EVERYWHERE = ["儿童街舞课堂", "一只可爱的橘色猫咪", "a watercolor of a lighthouse"]
TYPICAL_NEGATIVES = [
    "nsfw, nude, lowres, bad anatomy, blurry, watermark",
    "nsfw, nudity, naked, sexual, porn, gore, blood, violence, child, loli",
    "(worst quality:1.4), (low quality:1.4), nsfw, nipples, topless, text, signature",
    "色情, 裸体, 露点, 血腥, 暴力, 低质量, 模糊, 水印",
]


def engine(policy: str) -> Engine:
    return Engine(BUILTIN_POLICIES[policy], Config())


@pytest.mark.parametrize("text", SPEC_BLOCKED_UNDER_NORMAL)
def test_spec_examples_are_blocked_under_normal_and_strict(text: str) -> None:
    for policy in ("normal", "strict"):
        verdict = engine(policy).check_text(text)
        assert verdict.level == "unsafe", (policy, verdict)


@pytest.mark.parametrize("text", BENIGN_EVERYWHERE)
@pytest.mark.parametrize("policy", POLICIES)
def test_benign_prompts_pass_every_policy(text: str, policy: str) -> None:
    assert engine(policy).check_text(text).level == "safe"


def test_jumping_from_a_building_is_reviewed_under_normal_and_blocked_under_strict() -> None:
    """The specification: at least controversial under normal (the lexicon reviews it; the
    text model, which has learnt it as self-harm imagery, blocks it)."""
    text = "a person jumping from a tall building"
    normal = engine("normal").check_text(text)
    assert normal.level in ("controversial", "unsafe") and normal.categories == ("self_harm",)
    assert engine("strict").check_text(text).level == "unsafe"
    assert engine("lax").check_text(text).level == "safe"


def test_lax_blocks_only_clearly_illegal_content() -> None:
    lax = engine("lax")
    assert lax.check_text("赌博").level == "safe"           # gambling: normal blocks it
    assert lax.check_text("国家领导人").level == "safe"      # political: normal blocks it
    assert lax.check_text("hardcore porn video").level == "unsafe"
    assert lax.check_text("nude child at the beach").level == "unsafe"
    assert lax.check_text("how to make a pipe bomb").level == "unsafe"


def test_normal_blocks_political_religious_and_gambling_which_lax_only_reviews() -> None:
    for text, category in (("习近平的漫画", "political"), ("焚烧古兰经", "political"),
                           ("online casino free spins", "gambling")):
        assert engine("normal").check_text(text).categories == (category,)
        assert engine("normal").check_text(text).level == "unsafe"
        assert engine("lax").check_text(text).level != "unsafe"


def test_strict_adds_its_own_lexicons() -> None:
    text = "a red wine glass and a cigarette"
    assert engine("normal").check_text(text).level == "safe"
    verdict = engine("strict").check_text(text)
    assert verdict.level == "unsafe" and "strict_en.txt" in verdict.evidence[0]["source"]
    assert all(Path(p).is_file() for p in BUILTIN_POLICIES["strict"].lexicons)


@pytest.mark.parametrize("text", [
    "法院以强奸罪判处被告人有期徒刑十年",
    "The man was beaten to death in the street, police said",
    "禁毒宣传画：远离毒品，珍爱生命",
])
def test_news_legal_and_prevention_contexts_are_reviewed_not_blocked(text: str) -> None:
    verdict = engine("normal").check_text(text)
    assert verdict.level == "controversial", verdict
    assert any("context" in e for e in verdict.evidence)


def test_the_same_terms_without_context_block() -> None:
    assert engine("normal").check_text("强奸").level == "unsafe"
    assert engine("normal").check_text("珍爱生命").level == "safe"  # a context marker alone is nothing


def test_context_never_softens_sexualised_minors() -> None:
    verdict = engine("normal").check_text("news report: nude child photos")
    assert verdict.level == "unsafe" and "minors" in verdict.categories


def test_review_band_of_normal() -> None:
    normal = BUILTIN_POLICIES["normal"]
    assert normal.judge({"sexual": 0.45}, provider="t").level == "controversial"
    assert normal.judge({"sexual": 0.44}, provider="t").level == "safe"
    assert normal.judge({"sexual": 0.5}, provider="t").level == "unsafe"
    assert BUILTIN_POLICIES["lax"].judge({"sexual": 0.45}, provider="t").level == "safe"


def test_soften_keeps_hard_categories_blocked() -> None:
    v = BUILTIN_POLICIES["normal"].judge({"sexual": 0.9, "minors": 0.9}, provider="t", soften=True)
    assert v.level == "unsafe" and v.categories == ("sexual", "minors")


# ---------------------------------------------------------------- negative prompts

@pytest.mark.parametrize("text", TYPICAL_NEGATIVES)
@pytest.mark.parametrize("policy", POLICIES)
def test_typical_negative_prompts_never_block(text: str, policy: str) -> None:
    if policy != "lax":
        assert engine(policy).check_text(text).level == "unsafe"  # as a positive prompt it would
    verdict = engine(policy).check_text(text, role="negative")
    assert verdict.level == "safe" and verdict.provider == "local:negative_prompt"


@pytest.mark.parametrize("text", ["shirt, pants, censored", "clothes, bra, mosaic censoring",
                                  "衣服, 内裤, 马赛克"])
def test_negative_prompts_that_ask_for_nudity_block(text: str) -> None:
    verdict = engine("normal").check_text(text, role="negative")
    assert verdict.level == "unsafe" and verdict.categories == ("sexual",)
    assert any(e.get("combination", "").startswith("negative_") for e in verdict.evidence)


def test_unknown_role_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="prompt role must be one of positive, negative"):
        engine("normal").check_text("x", role="neutral")


def test_forced_negative_terms_are_appended_once() -> None:
    strict = BUILTIN_POLICIES["strict"]
    assert BUILTIN_POLICIES["normal"].negative_prompt("lowres") == "lowres"
    out = strict.negative_prompt("lowres, NSFW, ")
    assert out.startswith("lowres, NSFW, nude, naked")
    assert out.lower().count("nsfw") == 1
    assert strict.negative_prompt("") == strict.forced_negative


def test_forced_negative_from_the_config(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("policies:\n  studio:\n    extends: normal\n    forced_negative: [nsfw, gore]\n"
                   "  kids:\n    extends: strict\n    forced_negative: 'nsfw, nude'\n    review_threshold: 0.2\n",
                   encoding="utf-8")
    config = load_config(str(cfg))
    assert config.policy("studio").negative_prompt("blurry") == "blurry, nsfw, gore"
    assert config.policy("kids").forced_negative == "nsfw, nude"
    assert config.policy("kids").review_threshold == 0.2
    cfg.write_text("policies:\n  p:\n    forced_negative: 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="forced_negative"):
        load_config(str(cfg))


def _node(text: str, role: str, policy: str = "strict", on_unsafe: str = "raise") -> dict:
    return ContentSafetyTextCheck().check(text=text, enable_safe_check=True, check_mode="local",
                                          policy=policy, on_unsafe=on_unsafe, replacement_text="",
                                          unique_id="3", prompt_role=role)


def test_node_negative_role_passes_and_appends_forced_terms(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    out = _node("nsfw, nude, lowres", "negative")
    text, is_safe, verdict = out["result"]
    assert is_safe and json.loads(verdict)["level"] == "safe"
    assert text.startswith("nsfw, nude, lowres, naked") and "weapon" in text
    # the positive role still blocks the same words, and leaves the text alone when safe
    with pytest.raises(Exception, match="content_safe_check_failed"):
        _node("nsfw, nude, lowres", "positive")
    assert _node("a lighthouse", "positive", policy="strict")["result"][0] == "a lighthouse"


def test_node_offers_the_role_as_an_optional_widget() -> None:
    spec = ContentSafetyTextCheck.INPUT_TYPES()["optional"]["prompt_role"]
    assert spec[0] == ["positive", "negative"] and spec[1]["default"] == "positive"


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != CONFIG_ENV}
    return subprocess.run([sys.executable, "-m", "safety", "check-text", *args], cwd=ROOT,
                          capture_output=True, text=True, env=env, timeout=120)


def test_cli_role_negative() -> None:
    res = _cli("--role", "negative", "--policy", "strict", "nsfw, nude, lowres")
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("safe")
    assert "negative prompt: nsfw, nude, lowres, naked" in res.stdout
    assert _cli("--policy", "strict", "nsfw, nude, lowres").returncode == 1


def test_requests_for_private_data_are_reviewed_under_normal() -> None:
    verdict = engine("normal").check_text("what is my coworker's home address")
    # the text model may add harassment (finding someone's address is doxxing); pii is what reviews it
    assert verdict.level == "controversial" and "pii" in verdict.categories


@pytest.mark.parametrize("text", ["在森林中出现了一只鹿", "形形色色的人", "他冷得瑟瑟发抖", "蛋白粉和有毒气体检测",
                                  "a topless double decker bus", "裸露的岩石", "防风固沙林"])
def test_everyday_words_that_contain_a_term_pass(text: str) -> None:
    assert engine("normal").check_text(text).level == "safe"
