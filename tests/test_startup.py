"""Start-up: importing the pack loads neither onnxruntime nor confusable_homoglyphs nor
OpenCC; a text check never loads the latter two; the shipped character tables are what
the generator makes from those packages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("onnxruntime", "confusable_homoglyphs", "opencc")
PROBE = f"""
import json, sys
sys.path.insert(0, {str(ROOT / "tests")!r})
import conftest  # loads the pack as ComfyUI does (its __init__, all nodes)
seen = {{"import": [m for m in {HEAVY!r} if m in sys.modules]}}
from content_safety_guard.safety import BUILTIN_POLICIES, Config, Engine
engine = Engine(BUILTIN_POLICIES["normal"], Config())
verdict = engine.check_text("Неllо wоrld: hardcore pоrn")
assert engine.check_text("一部色情片").level == engine.check_text("一部色情片").level == "unsafe"
seen["text check"] = [m for m in {HEAVY!r} if m in sys.modules]
seen["level"] = verdict.level
print(json.dumps(seen))
"""


def test_heavy_modules_load_only_when_needed() -> None:
    res = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    seen = json.loads(res.stdout)
    assert seen["import"] == []
    # the default policy's text model (an ONNX step of the cascade) may load onnxruntime now
    assert [m for m in seen["text check"] if m != "onnxruntime"] == []
    assert seen["level"] == "unsafe"  # Cyrillic look-alikes still normalise to Latin


def test_shipped_character_tables_are_current() -> None:
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_char_tables.py"), "--check"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    lookalikes = json.loads((ROOT / "safety" / "text" / "lookalikes.json").read_text(encoding="utf-8"))
    assert lookalikes["о"] == "o" and lookalikes["Α"] == "a" and len(lookalikes) > 50
    t2s = json.loads((ROOT / "safety" / "text" / "t2s.json").read_text(encoding="utf-8"))
    assert t2s["體"] == "体" and t2s["網"] == "网" and "色" not in t2s


def test_normalisation_matches_opencc_and_the_tables_origin() -> None:
    """Per character, the shipped table gives what OpenCC gives."""
    opencc = __import__("pytest").importorskip("opencc")
    from content_safety_guard.safety.text.normalize import normalize

    text = "這是一個繁體中文的句子：網路色情與賭博。龍鳳體"
    assert normalize(text).text == opencc.OpenCC("t2s").convert(text).replace("：", ":")
