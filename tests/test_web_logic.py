"""What the front end (web/js) needs from the Python side; its own tests are tests/browser/*.test.mjs."""

from __future__ import annotations

import json
import re
from pathlib import Path

from content_safety_guard import NODE_CLASS_MAPPINGS

ROOT = Path(__file__).resolve().parents[1]


def test_every_choice_the_front_end_translates_has_english_and_chinese() -> None:
    script = (ROOT / "web" / "js" / "content_safety.js").read_text("utf-8")
    translated = re.findall(r'"(\w+)"', re.search(r"TRANSLATED_COMBOS = \[(.*?)\]", script).group(1))
    choices = {lang: json.loads((ROOT / "locales" / lang / "main.json").read_text("utf-8"))["contentSafety"]["choice"]
               for lang in ("en", "zh")}
    seen = set()
    for cls in NODE_CLASS_MAPPINGS.values():
        spec = cls.INPUT_TYPES()
        for name, (kind, *_) in {**spec.get("required", {}), **spec.get("optional", {})}.items():
            if name in translated and isinstance(kind, list):
                seen.add(name)
                for value in kind:
                    assert value in choices["en"] and value in choices["zh"], f"{name}={value}"
    assert seen == set(translated)


def test_every_stage_and_category_has_english_and_chinese_names() -> None:
    from content_safety_guard.safety import CATEGORIES, STAGES

    for lang in ("en", "zh"):
        messages = json.loads((ROOT / "locales" / lang / "main.json").read_text("utf-8"))["contentSafety"]
        assert set(STAGES) <= set(messages["stage"]), lang
        assert set(CATEGORIES) <= set(messages["category"]), lang
