"""Policies: which checkers run and how provider scores become a level.

Checkers report raw per-category scores; only the policy decides what is unsafe
(blocked), controversial (flagged for review) or safe. That keeps every provider
honest and lets one text be re-judged under another policy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .schema import Section
from .errors import ConfigError
from .taxonomy import CATEGORIES, is_category
from .verdict import Finding, Verdict, ordered_categories, rank

PII_RULES: tuple[str, ...] = ("cn_id", "cn_mobile", "bank_card", "email")
TEXT_CHECKERS: tuple[str, ...] = ("lexicon", "textmodel", "pii")
LLM_UNPARSED: tuple[str, ...] = ("error", "controversial")
AUTO_REMOTE: tuple[str, ...] = ("open", "always")
DEFAULT_REPLACEMENT = "[content removed by safety policy / 内容因安全策略被移除]"
PROMPT_ROLES: tuple[str, ...] = ("positive", "negative")
# Categories that a news, legal, medical or historical context never softens to review.
HARD_CATEGORIES: frozenset[str] = frozenset({"minors"})
# The built-in `strict` policy's own lexicons (education, children): terms harmless for
# adults that a children's platform still keeps out.
STRICT_LEXICONS: tuple[str, ...] = tuple(
    str(Path(__file__).with_name("text") / "lexicon_data" / "strict" / f"strict_{lang}.txt")
    for lang in ("en", "zh"))


@dataclass(frozen=True)
class Policy:
    name: str
    block: frozenset[str]
    review: frozenset[str] = frozenset()
    threshold: float = 0.5
    thresholds: Mapping[str, float] = field(default_factory=dict)
    # A blocking category scored at or above this but under its threshold is reviewed
    # (controversial) instead of passing; None: no such band.
    review_threshold: float | None = None
    text_checkers: tuple[str, ...] = TEXT_CHECKERS
    remote_text_checkers: tuple[str, ...] = ("aliyun",)
    image_checkers: tuple[str, ...] = ("nudenet",)
    remote_image_checkers: tuple[str, ...] = ("aliyun",)
    pii: frozenset[str] = frozenset(PII_RULES)
    allow_terms: tuple[str, ...] = ()
    trusted_users: frozenset[str] = frozenset()
    lexicons: tuple[str, ...] = ()
    fail_open: bool = False
    timeout_s: float = 10.0
    max_text_chars: int = 100_000  # the worst text of this length checks in well under 1 s (bench/text_long.py)
    replacement_text: str = DEFAULT_REPLACEMENT
    llm_unparsed: str = "error"  # an LLM reply that is no verdict: error | controversial
    # check_mode=auto: "open" = remote checks what local checks did not block;
    # "always" = remote runs on every text too (its labels land in the evidence).
    auto_remote: str = "open"
    remote_fallback_local: bool = False  # a failed remote check leaves the decision to local checks
    # Terms appended to every negative prompt a text node passes on ("system negative prompt").
    forced_negative: str = ""
    quota_per_hour: int | None = None  # prompts per user and hour (ContentSafetyQuotaGate); None: no limit

    def threshold_for(self, category: str) -> float:
        return self.thresholds.get(category, self.threshold)

    def judge(
        self,
        scores: Mapping[str, float],
        *,
        provider: str,
        evidence: Iterable[Mapping[str, Any]] = (),
        latency_ms: float = 0.0,
        soften: bool = False,
    ) -> Verdict:
        """Turn a provider's category scores into a Verdict under this policy. `soften`
        (a news, legal, medical or historical context) reviews what would block, except
        the HARD_CATEGORIES."""
        flagged = [c for c, s in scores.items() if s > 0 and s >= self.threshold_for(c)]
        blocked = [c for c in flagged if c in self.block and not (soften and c not in HARD_CATEGORIES)]
        reviewed = [c for c in flagged if c not in blocked and (c in self.review or c in self.block)]
        floor = self.review_threshold
        if floor is not None:
            reviewed += [c for c, s in scores.items() if c in self.block and c not in flagged
                         and s > 0 and s >= min(floor, self.threshold_for(c))]
        level = "unsafe" if blocked else "controversial" if reviewed else "safe"
        return Verdict(
            level=level,
            categories=ordered_categories(blocked + reviewed),
            score=max(scores.values(), default=0.0),
            provider=provider,
            evidence=tuple(evidence),
            latency_ms=latency_ms,
            scores=dict(scores),
        )

    def negative_prompt(self, text: str) -> str:
        """`text` with the forced negative terms it lacks appended, comma-separated."""
        have = {t.strip().lower() for t in text.split(",")}
        extra = [t.strip() for t in self.forced_negative.split(",")
                 if t.strip() and t.strip().lower() not in have]
        if not extra:
            return text
        base = text.rstrip().rstrip(",")
        return ", ".join([base, *extra]) if base else ", ".join(extra)

    def decide(self, finding: Finding) -> Verdict:
        """A checker's finding as a Verdict: the policy's judgement within the checker's guards."""
        if finding.at_least == "safe" and not finding.evidence and not any(finding.scores.values()):
            # most prompts: nothing to weigh, so what judge() would make of it, without its work
            return Verdict(provider=finding.provider, latency_ms=finding.latency_ms, scores=dict(finding.scores))
        verdict = self.judge(finding.scores, provider=finding.provider, evidence=finding.evidence,
                             latency_ms=finding.latency_ms, soften=finding.context)
        if rank(verdict.level) > rank(finding.at_most):
            verdict = replace(verdict, level=finding.at_most)
        if rank(verdict.level) < rank(finding.at_least):
            verdict = replace(verdict, level=finding.at_least,
                              categories=ordered_categories((*verdict.categories, *finding.flags)))
        return verdict


_ALL = frozenset(CATEGORIES)
# The specification's video-generation filter: lax (internal creative tools) blocks only
# clearly illegal content; normal (public platforms) adds political and religious
# sensitive topics and gambling; strict (education, children) blocks every category and
# adds its own lexicons.
BUILTIN_POLICIES: dict[str, Policy] = {
    "lax": Policy(
        name="lax",
        block=frozenset({"sexual", "minors", "gore", "extremism", "drugs", "weapons", "fraud"}),
        review=frozenset({"violence", "self_harm", "hate", "political", "gambling"}),
        threshold=0.8,
        pii=frozenset(),
        text_checkers=("lexicon",),
    ),
    "normal": Policy(
        name="normal",
        block=frozenset({"sexual", "minors", "gore", "self_harm", "hate", "extremism",
                         "drugs", "jailbreak", "violence", "weapons", "political", "gambling",
                         "fraud"}),
        review=frozenset({"harassment", "pii", "profanity"}),
        threshold=0.5,
        review_threshold=0.45,
    ),
    "strict": Policy(
        name="strict",
        block=_ALL - {"other"},
        review=frozenset({"other"}),
        threshold=0.3,
        lexicons=STRICT_LEXICONS,
        forced_negative="nsfw, nude, naked, sexual, gore, blood, violence, weapon",
    ),
}


def validate_category(name: str, where: str) -> str:
    if not is_category(name):
        raise ConfigError(f"{where}: unknown category {name!r}; expected one of {', '.join(CATEGORIES)}")
    return name


def _category_list(sec: Section, key: str) -> frozenset[str] | None:
    names = sec.get_strings(key)
    if names is None:
        return None
    return frozenset(validate_category(n, f"{sec.source}: {sec.path(key)}") for n in names)


def policy_from_mapping(name: str, data: Any, base: Policy, source: str) -> Policy:
    """Build a user policy from a config mapping on top of `base` (its `extends`)."""
    sec = Section(data, f"policies.{name}", source)
    sec.get("extends", str)  # resolved by the caller, read here so it is a known key
    sec.raw("labels")  # parsed by labels.settings (per-policy AIGC labels)
    changes: dict[str, Any] = {"name": name}
    for key in ("block", "review"):
        cats = _category_list(sec, key)
        if cats is not None:
            changes[key] = cats
    if "threshold" in sec.data:
        changes["threshold"] = sec.get_number("threshold", base.threshold, 0.0, 1.0)
    else:
        sec.get("threshold", float)
    if "review_threshold" in sec.data:
        changes["review_threshold"] = sec.get_number("review_threshold", 0.0, 0.0, 1.0)
    th = sec.section("thresholds")
    per_cat = dict(base.thresholds)
    for cat, _ in th.entries():
        validate_category(cat, f"{source}: {th.path(cat)}")
        per_cat[cat] = th.get_number(cat, 0.5, 0.0, 1.0)
    changes["thresholds"] = per_cat
    for key in ("text_checkers", "remote_text_checkers", "image_checkers", "remote_image_checkers"):
        checkers = sec.get_strings(key)
        if checkers is not None:
            changes[key] = checkers
    pii = sec.get_strings("pii")
    if pii is not None:
        for i, rule in enumerate(pii):
            if rule not in PII_RULES:
                raise sec.fail(f"pii[{i}]", f"unknown PII rule {rule!r}; expected one of {', '.join(PII_RULES)}")
        changes["pii"] = frozenset(pii)
    for key in ("allow_terms", "lexicons"):
        value = sec.get_strings(key)
        if value is not None:
            changes[key] = value
    users = sec.get_strings("trusted_users")
    if users is not None:
        changes["trusted_users"] = frozenset(users)
    changes["fail_open"] = sec.get("fail_open", bool, base.fail_open)
    changes["auto_remote"] = sec.get_choice("auto_remote", AUTO_REMOTE, base.auto_remote)
    changes["remote_fallback_local"] = sec.get("remote_fallback_local", bool, base.remote_fallback_local)
    changes["timeout_s"] = sec.get_number("timeout_s", base.timeout_s, 0.1, 600.0)
    changes["max_text_chars"] = int(sec.get_number("max_text_chars", base.max_text_chars, 1, 100_000_000))
    changes["replacement_text"] = sec.get("replacement_text", str, base.replacement_text)
    if isinstance(sec.data.get("forced_negative"), list):
        changes["forced_negative"] = ", ".join(sec.get_strings("forced_negative") or ())
    else:
        changes["forced_negative"] = sec.get("forced_negative", str, base.forced_negative)
    changes["llm_unparsed"] = sec.get_choice("llm_unparsed", LLM_UNPARSED, base.llm_unparsed)
    if "quota" in sec.data:
        quota = sec.section("quota")
        changes["quota_per_hour"] = int(quota.get_number("per_hour", 50, 1, 1_000_000))
        quota.done()
    sec.done()
    return replace(base, **changes)
