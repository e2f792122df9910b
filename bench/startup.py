"""Start-up cost in fresh processes: importing the pack as ComfyUI does (all nodes), the
first text check (seed lexicon, combination rules, character tables, the text model's
onnxruntime session) and a warm check, in two situations:

- cli: a fresh process that checks at once (`content-safety check-text`);
- comfyui: the pack loaded, its warm-up thread (started by the pack inside ComfyUI) done,
  then the first check, as the first prompt after ComfyUI has started.

    python bench/startup.py [--runs 7]

numpy, PyYAML and Pillow are imported before the clock starts: ComfyUI has loaded them long
before the pack. Byte code is cached (in a temporary folder, as an installed pack has its
__pycache__), one warm-up run first. Prints medians and the optional heavy modules the
pack import loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("onnxruntime", "sqlalchemy", "cryptography", "urllib.request", "xml.sax", "confusable_homoglyphs",
         "opencc")
PROBE = f"""
import json, sys, time
import numpy, yaml, PIL.Image  # ComfyUI's own imports, loaded before any custom node
sys.path.insert(0, {str(ROOT / "tests")!r})
start = time.perf_counter()
import pack_loader  # the pack, as ComfyUI loads it
from content_safety_guard.safety import BUILTIN_POLICIES, Config, Engine
imported = time.perf_counter()
heavy = [m for m in {HEAVY!r} if m in sys.modules]
warm_up = 0.0
if sys.argv[1] == "comfyui":
    from content_safety_guard.nodes.warmup import start_warm_up
    thread = start_warm_up()
    began = time.perf_counter()
    thread.join()
    warm_up = time.perf_counter() - began
checking = time.perf_counter()
engine = Engine(BUILTIN_POLICIES["normal"], Config())
engine.check_text("a lighthouse at dawn, watercolor")
first = time.perf_counter()
engine.check_text("a lighthouse at dusk, watercolor")
warm = time.perf_counter()
print(json.dumps({{"import": imported - start, "warm_up": warm_up, "first": first - checking,
                  "warm": warm - first, "heavy": heavy}}))
"""


def measure(situation: str, runs: int, env: dict[str, str]) -> tuple[dict[str, float], list[str]]:
    out = [json.loads(subprocess.run([sys.executable, "-c", PROBE, situation], capture_output=True, text=True,
                                     env=env, check=True).stdout) for _ in range(runs + 1)][1:]
    return {k: statistics.median(r[k] for r in out) * 1000 for k in ("import", "warm_up", "first", "warm")}, \
        out[0]["heavy"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="pycache-")
    for situation in ("cli", "comfyui"):
        ms, heavy = measure(situation, args.runs, env)
        warm_up = f", warm-up thread {ms['warm_up']:.0f} ms before it" if situation == "comfyui" else ""
        print(f"{situation:8} import pack {ms['import']:.0f} ms, first text check {ms['first']:.1f} ms "
              f"(target < 50){warm_up}, warm check {ms['warm']:.2f} ms")
    print(f"loaded by the pack import: {heavy or 'none of ' + ', '.join(HEAVY)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
