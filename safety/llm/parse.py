"""Reading an LLM's reply as a moderation judgement, in the JSON contract or a guard
model's native format.

Parsing is strict on meaning and lenient on wrapping: code fences, `<think>` blocks and
prose around the answer are tolerated, but a reply with no recognisable verdict raises
`ParseError` so a judge whose prompt was edited away from the contract never passes
content silently.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..taxonomy import is_category
from ..verdict import LEVELS, ordered_categories

FORMATS: tuple[str, ...] = ("json", "qwen3guard", "llamaguard", "shieldgemma")

# Qwen3Guard-Gen's categories (model card) -> unified taxonomy.
QWEN3GUARD_CATEGORIES: Mapping[str, str] = {
    "violent": "violence",
    "non-violent illegal acts": "other",
    "sexual content or sexual acts": "sexual",
    "pii": "pii",
    "suicide & self-harm": "self_harm",
    "unethical acts": "hate",
    "politically sensitive topics": "political",
    "copyright violation": "other",
    "jailbreak": "jailbreak",
}

# Llama Guard 3/4 hazard codes (MLCommons taxonomy) -> unified taxonomy.
LLAMAGUARD_CODES: Mapping[str, str] = {
    "S1": "violence",      # violent crimes
    "S2": "other",         # non-violent crimes
    "S3": "sexual",        # sex-related crimes
    "S4": "minors",        # child sexual exploitation
    "S5": "harassment",    # defamation
    "S6": "other",         # specialized advice
    "S7": "pii",           # privacy
    "S8": "other",         # intellectual property
    "S9": "weapons",       # indiscriminate weapons
    "S10": "hate",
    "S11": "self_harm",
    "S12": "sexual",       # sexual content
    "S13": "political",    # elections
    "S14": "jailbreak",    # code interpreter abuse
}

# Names a JSON judge may use instead of the taxonomy's own.
JSON_SYNONYMS: Mapping[str, str] = {
    "sex": "sexual", "sexual_content": "sexual", "nsfw": "sexual", "porn": "sexual",
    "csam": "minors", "child_abuse": "minors", "violent": "violence", "suicide": "self_harm",
    "selfharm": "self_harm", "hate_speech": "hate", "bullying": "harassment",
    "terrorism": "extremism", "weapon": "weapons", "drug": "drugs", "scam": "fraud",
    "privacy": "pii", "spam": "ads", "advertising": "ads", "insult": "profanity",
    "prompt_injection": "jailbreak",
}

_THINK = re.compile(r"<think>.*?</think>", re.S | re.I)
_FENCE = re.compile(r"```[\w-]*[ \t]*\n?(.*?)```", re.S)
_EXCERPT = 160


class ParseError(ValueError):
    """The reply holds no verdict in the expected format."""


@dataclass(frozen=True)
class Judgement:
    """What the model said, mapped onto the taxonomy; the policy turns it into a level."""

    level: str
    categories: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()  # the model's own category names or codes
    reason: str = ""
    format: str = "json"


def detect_format(model: str) -> str:
    """`judge_format=auto`: guard models are recognised by name, anything else speaks JSON."""
    name = re.sub(r"[\s_.-]", "", model.lower())
    if "qwen3guard" in name:
        return "qwen3guard"
    if "llamaguard" in name:
        return "llamaguard"
    if "shieldgemma" in name:
        return "shieldgemma"
    return "json"


def parse_reply(reply: str, fmt: str) -> Judgement:
    if fmt not in FORMATS:
        raise ValueError(f"judge format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if not isinstance(reply, str) or not reply.strip():
        raise ParseError("the model returned an empty reply")
    text = _THINK.sub("", reply).strip()
    return _PARSERS[fmt](text)


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT else flat[:_EXCERPT] + "..."


def _unfenced(text: str) -> str:
    """Drop fence markers but keep their content, for the line-based guard formats."""
    return _FENCE.sub(lambda m: m.group(1), text).replace("```", "")


def _json_candidates(text: str) -> Iterable[dict[str, Any]]:
    decoder = json.JSONDecoder()
    for chunk in [m.group(1) for m in _FENCE.finditer(text)] + [text]:
        for start in (m.start() for m in re.finditer(r"\{", chunk)):
            try:
                value, _ = decoder.raw_decode(chunk, start)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict):
                yield value


def _category(name: str) -> str:
    key = re.sub(r"[\s-]+", "_", name.strip().lower())
    if is_category(key):
        return key
    return JSON_SYNONYMS.get(key, "other")


def _parse_json(text: str) -> Judgement:
    found = None
    for obj in _json_candidates(text):
        if "level" in obj:
            found = obj
            break
    if found is None:
        raise ParseError('expected a JSON object with "level", "categories" and "reason"; '
                         f"got: {_excerpt(text)!r}")
    level = found["level"]
    if not isinstance(level, str) or level.strip().lower() not in LEVELS:
        raise ParseError(f'"level" must be one of {", ".join(LEVELS)}; got {level!r}')
    level = level.strip().lower()
    raw = found.get("categories") or []
    if isinstance(raw, str):
        raw = [c for c in re.split(r"[,;]", raw) if c.strip()]
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        raise ParseError(f'"categories" must be a list of category names; got {raw!r}')
    reason = found.get("reason", "")
    return _judgement(level, [c.strip() for c in raw if c.strip()], [_category(c) for c in raw if c.strip()],
                      reason if isinstance(reason, str) else json.dumps(reason), "json")


def _parse_qwen3guard(text: str) -> Judgement:
    plain = _unfenced(text)
    safety = re.search(r"Safety:\s*\**\s*(Safe|Unsafe|Controversial)\b", plain, re.I)
    if safety is None:
        raise ParseError(f"expected Qwen3Guard output 'Safety: Safe|Controversial|Unsafe'; "
                         f"got: {_excerpt(text)!r}")
    cats = re.search(r"Categories:[ \t]*(.*)", plain, re.I)  # this line only, not the next
    labels = [c.strip(" .*") for c in cats.group(1).split(",")] if cats else []
    labels = [c for c in labels if c and c.lower() != "none"]
    mapped = [QWEN3GUARD_CATEGORIES.get(c.lower(), "other") for c in labels]
    return _judgement(safety.group(1).lower(), labels, mapped, "", "qwen3guard")


def _parse_llamaguard(text: str) -> Judgement:
    lines = [ln.strip() for ln in _unfenced(text).splitlines() if ln.strip()]
    for i, line in enumerate(lines):
        word = re.match(r"(?i)(safe|unsafe)\b", line)
        if word:
            rest = " ".join([line[word.end():], *lines[i + 1:i + 3]])
            codes = list(dict.fromkeys(c.upper() for c in re.findall(r"\b[Ss](\d{1,2})\b", rest)))
            codes = [f"S{c}" for c in codes]
            mapped = [LLAMAGUARD_CODES.get(c, "other") for c in codes]
            return _judgement(word.group(1).lower(), codes, mapped, "", "llamaguard")
    raise ParseError(f"expected Llama Guard output 'safe' or 'unsafe' + S-codes; got: {_excerpt(text)!r}")


def _parse_shieldgemma(text: str) -> Judgement:
    for line in _unfenced(text).splitlines():
        word = re.match(r"\W*(yes|no)\b", line.strip(), re.I)
        if word:
            answer = word.group(1).capitalize()
            level = "unsafe" if answer == "Yes" else "safe"
            return _judgement(level, [answer], ["other"] if level == "unsafe" else [], "", "shieldgemma")
    raise ParseError(f"expected ShieldGemma output 'Yes' or 'No'; got: {_excerpt(text)!r}")


def _judgement(level: str, labels: list[str], mapped: list[str], reason: str, fmt: str) -> Judgement:
    """A flag the taxonomy cannot place becomes `other`; a safe reply carries no category."""
    if level == "safe":
        cats: tuple[str, ...] = ()
    else:
        cats = ordered_categories(mapped) or ("other",)
    return Judgement(level=level, categories=cats, labels=tuple(labels),
                     reason=reason.strip()[:500], format=fmt)


_PARSERS = {
    "json": _parse_json,
    "qwen3guard": _parse_qwen3guard,
    "llamaguard": _parse_llamaguard,
    "shieldgemma": _parse_shieldgemma,
}
