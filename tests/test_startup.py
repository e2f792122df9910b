"""Start-up: importing the pack loads neither onnxruntime, SQLAlchemy nor cryptography (audit),
urllib.request (xml.sax), confusable_homoglyphs nor OpenCC; a text check never loads the
latter ones; inside ComfyUI a warm-up thread builds the text checks' shared state once,
before the first check; the shipped character tables are what the generator makes from
those packages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("onnxruntime", "sqlalchemy", "cryptography", "urllib.request", "xml.sax", "confusable_homoglyphs",
         "opencc")
PROBE = f"""
import json, sys
sys.path.insert(0, {str(ROOT / "tests")!r})
import pack_loader  # loads the pack as ComfyUI does (its __init__, all nodes), without pytest
seen = {{"import": [m for m in {HEAVY!r} if m in sys.modules]}}
from content_safety_guard.safety import DECISION_HOOKS, Decision
from content_safety_guard.nodes.audit import TRAIL
asked, source = [], TRAIL.source
TRAIL.source = lambda: asked.append(1) or source()
DECISION_HOOKS.emit(Decision(stage="text", action="passed"))  # no audit section: no store
seen["audit hook"] = [len(asked), "sqlalchemy" in sys.modules]
from content_safety_guard.safety import BUILTIN_POLICIES, Config, Engine
engine = Engine(BUILTIN_POLICIES["normal"], Config())
verdict = engine.check_text("Неllо wоrld: hardcore pоrn")
assert engine.check_text("一部色情片").level == engine.check_text("一部色情片").level == "unsafe"
seen["text check"] = [m for m in {HEAVY!r} if m in sys.modules]
seen["level"] = verdict.level
print(json.dumps(seen))
"""


def run_probe(code: str) -> dict:
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def test_heavy_modules_load_only_when_needed() -> None:
    seen = run_probe(PROBE)
    assert seen["import"] == []
    assert seen["audit hook"] == [1, False]  # the audit hook is registered and runs; no store, no SQLAlchemy
    # the default policy's text model (an ONNX step of the cascade) loads onnxruntime
    assert [m for m in seen["text check"] if m != "onnxruntime"] == []
    assert seen["level"] == "unsafe"  # Cyrillic look-alikes still normalise to Latin


WARM_UP = f"""
import json, sys
sys.path.insert(0, {str(ROOT / "tests")!r})
import pack_loader
from content_safety_guard.safety import Engine, models
from content_safety_guard.safety.text import lexicon, linear
from content_safety_guard.nodes.common import config_or_default
from content_safety_guard.nodes.warmup import start_warm_up

made = {{"models": 0, "sessions": 0, "lexicons": 0}}
create, build, session = linear._build, lexicon._build, models._create
def counted(name, make):
    def call(*args):
        made[name] += 1
        return make(*args)
    return call
linear._build, lexicon._build = counted("models", create), counted("lexicons", build)
models._create = counted("sessions", session)
thread = start_warm_up()
if sys.argv[1] == "after":
    thread.join()
    seen = {{"onnxruntime": "onnxruntime" in sys.modules, **made}}
cfg = config_or_default()
level = Engine(cfg.policy(cfg.default_policy), cfg).check_text("hardcore porn").level
thread.join()
print(json.dumps({{"level": level, "made": made, "daemon": thread.daemon,
                  "warmed": seen if sys.argv[1] == "after" else None}}))
"""


def test_warm_up_builds_the_text_checks_once_before_the_first_check() -> None:
    res = subprocess.run([sys.executable, "-c", WARM_UP, "after"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    # the warm-up alone loaded the text model (its n-gram arrays, and the English half's
    # onnxruntime session) and built the lexicon; the check after it made nothing
    assert out["warmed"] == {"onnxruntime": True, "models": 1, "sessions": 1, "lexicons": 1}
    assert out["made"] == {"models": 1, "sessions": 1, "lexicons": 1} and out["level"] == "unsafe" and out["daemon"]


def test_a_check_racing_the_warm_up_shares_its_model_and_lexicon() -> None:
    """Whichever comes first builds; the other waits for it (single-flight caches)."""
    res = subprocess.run([sys.executable, "-c", WARM_UP, "racing"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["made"] == {"models": 1, "sessions": 1, "lexicons": 1} and out["level"] == "unsafe"


def test_the_pack_starts_the_warm_up_only_inside_a_running_comfyui() -> None:
    """Scripts and tests importing the nodes start no thread; ComfyUI (PromptServer up) does."""
    source = (ROOT / "nodes" / "__init__.py").read_text(encoding="utf-8")
    serving_block = source[source.index("if route_table() is not None:"):source.index("NODE_CLASS_MAPPINGS")]
    assert "start_warm_up()" in serving_block
    seen = run_probe(f"""
import json, sys, threading
sys.path.insert(0, {str(ROOT / "tests")!r})
import pack_loader
print(json.dumps([t.name for t in threading.enumerate()]))
""")
    assert "content-safety-warm-up" not in seen


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
