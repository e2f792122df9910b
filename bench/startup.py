"""Start-up cost in fresh processes: importing the pack as ComfyUI does (all nodes), the
first text check (seed lexicon, combination rules, character tables) and a warm check.

    python bench/startup.py [--runs 7]

numpy is imported before the clock starts: ComfyUI has loaded it long before the pack.
Byte code is cached (in a temporary folder, as an installed pack has its __pycache__),
one warm-up run first. Prints medians and which optional heavy modules were loaded.
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
PROBE = f"""
import json, sys, time
import numpy, yaml, PIL.Image  # ComfyUI's own imports, loaded before any custom node
sys.path.insert(0, {str(ROOT / "tests")!r})
start = time.perf_counter()
import conftest  # the pack, as ComfyUI loads it
from content_safety_guard.safety import BUILTIN_POLICIES, Config, Engine
imported = time.perf_counter()
engine = Engine(BUILTIN_POLICIES["normal"], Config())
engine.check_text("a lighthouse at dawn, watercolor")
first = time.perf_counter()
engine.check_text("a lighthouse at dusk, watercolor")
warm = time.perf_counter()
heavy = [m for m in ("onnxruntime", "confusable_homoglyphs", "opencc", "urllib.request") if m in sys.modules]
print(json.dumps({{"import": imported - start, "first": first - imported, "warm": warm - first, "heavy": heavy}}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="pycache-")
    runs = [json.loads(subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                                      env=env, check=True).stdout) for _ in range(args.runs + 1)][1:]
    ms = {k: statistics.median(r[k] for r in runs) * 1000 for k in ("import", "first", "warm")}
    print(f"import pack {ms['import']:.0f} ms, first text check {ms['first']:.1f} ms (target < 50), "
          f"warm check {ms['warm']:.2f} ms; loaded after the first check: {runs[0]['heavy']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
