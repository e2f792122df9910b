"""Decompression bombs against the default limits: peak memory and time of each crafted
file in `check-image` (the CLI) and in ContentSafetyLoadImage, each in its own process.

    python bench/decode.py [--keep DIR]

Prints one line per file and path: exit status, peak RSS (MB), wall seconds and the first
words of the verdict or error. The files are the shapes of issue 14: a 77 KB PNG of
8900x8900, a 43 KB TIFF of 8 such pages, a 0.8 MB GIF of 300 frames of 1024x1024, a GIF of
2,000 frames of 512x512. The limits promise at most 1 GB and 30 s for any of them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from bombs import build_bombs  # noqa: E402  (tests/bombs.py: the crafted files)

MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
res = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"rc": res.returncode, "peak_mb": round(peak), "s": round(time.perf_counter() - start, 1),
                  "out": (res.stdout or res.stderr).strip()[:150]}))
"""
LOAD = """
import json, sys
sys.path.insert(0, {tests!r})
import conftest
from content_safety_guard.nodes.image_load import ContentSafetyLoadImage
from content_safety_guard.safety import ContentSafetyError
try:
    out = ContentSafetyLoadImage().load(sys.argv[1], enable_safe_check=True, check_mode="local",
                                        policy="normal", on_unsafe="raise")
    print("loaded", tuple(out["result"][0].shape), out["result"][3][:60])
except ContentSafetyError as exc:
    print("refused:", json.loads(str(exc))["reason"][:120])
"""


def measure(command: list[str], cwd: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "COMFY_CONTENT_SAFETY_CONFIG"}
    res = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=cwd, env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="build the files here (and keep them)")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="bombs-"))
    (work / "input").mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    files = build_bombs(work / "input", gif_2000=True)
    print(f"built {len(files)} files in {time.perf_counter() - began:.1f} s under {work / 'input'}")
    for path in files:
        size = path.stat().st_size // 1024
        cli = measure([sys.executable, "-m", "safety", "check-image", "--json", str(path)], ROOT)
        print(f"{path.name:22} {size:6} KB  check-image: rc={cli['rc']} {cli['peak_mb']:5} MB "
              f"{cli['s']:5} s  {cli['out'][:90]}")
        load = measure([sys.executable, "-c", LOAD.format(tests=str(ROOT / "tests")), path.name], work)
        print(f"{'':32} LoadImage:   rc={load['rc']} {load['peak_mb']:5} MB {load['s']:5} s  "
              f"{load['out'][:90]}")


if __name__ == "__main__":
    main()
