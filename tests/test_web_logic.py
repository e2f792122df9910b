"""The front end's pure logic (web/js/lib) under Node's built-in test runner."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_node_test_runner_passes_the_web_logic_tests() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs Node.js 18+ (node --test)")
    out = subprocess.run([node, "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "# fail 0" in out.stdout and "# pass 0" not in out.stdout


def test_every_choice_the_front_end_translates_has_english_and_chinese() -> None:
    import json
    import re

    from content_safety_guard import NODE_CLASS_MAPPINGS

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
