"""Start-up: importing the pack loads neither onnxruntime nor confusable_homoglyphs (nor
the urllib/http stack it pulls in); a text check never loads onnxruntime; the shipped
look-alike table is what the generator makes from confusable_homoglyphs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("onnxruntime", "confusable_homoglyphs", "urllib.request", "http.client", "opencc")
PROBE = f"""
import json, sys
sys.path.insert(0, {str(ROOT / "tests")!r})
import conftest  # loads the pack as ComfyUI does (its __init__, all nodes)
seen = {{"import": [m for m in {HEAVY!r} if m in sys.modules]}}
from content_safety_guard.safety import BUILTIN_POLICIES, Config, Engine
verdict = Engine(BUILTIN_POLICIES["normal"], Config()).check_text("Неllо wоrld: hardcore pоrn")
seen["text check"] = [m for m in {HEAVY!r} if m in sys.modules]
seen["level"] = verdict.level
print(json.dumps(seen))
"""


def test_heavy_modules_load_only_when_needed() -> None:
    res = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    seen = json.loads(res.stdout)
    assert seen["import"] == []
    assert seen["text check"] == ["opencc"]  # traditional -> simplified Chinese, at the first check
    assert seen["level"] == "unsafe"  # Cyrillic look-alikes still normalise to Latin


def test_shipped_lookalike_table_is_current() -> None:
    res = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_lookalikes.py"), "--check"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, "run scripts/gen_lookalikes.py: safety/text/lookalikes.json is stale"
    table = json.loads((ROOT / "safety" / "text" / "lookalikes.json").read_text(encoding="utf-8"))
    assert table["о"] == "o" and table["Α"] == "a" and len(table) > 50
