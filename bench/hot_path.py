"""Hot paths of every run, each against its peer in the same process (ratios only: these
machines are noisy).

1. IMAGE -> uint8 (what ContentSafetySaveImage and ImageCheck do with every image):
   `to_uint8` against SaveImage's own expression `np.clip(255. * i, 0, 255).astype(uint8)`
   (full-size float temporaries), at 1024x1024 and 2048x2048, RGB and RGBA (for RGBA the
   peer returns a strided view of its RGB, ours a contiguous array; ours never scales alpha).
2. A clean short prompt through Engine.check_text (the rule steps: lexicon and PII; the
   text model is left out, its inference is no bookkeeping) against its floor: the
   matching work alone (normalisation, the Aho-Corasick scan, the PII rules). What is
   left is verdict and engine bookkeeping; its share of the check is printed.

    python bench/hot_path.py [--runs 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import pack_loader  # noqa: E402,F401  (loads the pack as content_safety_guard)
from content_safety_guard.nodes.comfy import to_uint8  # noqa: E402
from content_safety_guard.safety import BUILTIN_POLICIES, Config, Engine  # noqa: E402
from content_safety_guard.safety.text.pii import find_pii  # noqa: E402

PROMPT = "masterpiece, best quality, a girl standing in a garden at sunset, soft light, detailed face"


def save_image_expression(image: np.ndarray) -> np.ndarray:
    """ComfyUI SaveImage's conversion, the peer."""
    return np.clip(255. * image, 0, 255).astype(np.uint8)[..., :3]


def paired(a: Callable[[], object], b: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Median ms of a and of b, and the median of a/b over neighbouring runs."""
    ta, tb = [], []
    for _ in range(runs):
        for fn, store in ((a, ta), (b, tb)):
            start = time.perf_counter()
            fn()
            store.append((time.perf_counter() - start) * 1000)
    return statistics.median(ta), statistics.median(tb), statistics.median(x / y for x, y in zip(ta, tb))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print("IMAGE -> uint8           to_uint8 ms   SaveImage's ms   ratio")
    for side, channels in ((1024, 3), (1024, 4), (2048, 3), (2048, 4)):
        image = rng.random((side, side, channels), dtype=np.float32)
        assert np.array_equal(to_uint8(image), save_image_expression(image))
        ours, peer, ratio = paired(lambda: to_uint8(image), lambda: save_image_expression(image),
                                   max(10, args.runs // 10))
        print(f"  {side}x{side}x{channels:<12}{ours:>12.2f}{peer:>17.2f}{ratio:>8.2f}")

    engine = Engine(replace(BUILTIN_POLICIES["normal"], text_checkers=("lexicon", "pii")), Config())
    lexicon = engine.text_checkers[0].lexicon()
    policy_pii = engine.policy.pii

    def floor() -> None:
        lexicon.matcher.find(PROMPT)
        find_pii(PROMPT, policy_pii)

    for _ in range(100):
        engine.check_text(PROMPT)
        floor()
    loops = 50
    full, bare, ratio = paired(lambda: [engine.check_text(PROMPT) for _ in range(loops)],
                               lambda: [floor() for _ in range(loops)], args.runs // 5)
    print(f"\nclean prompt ({len(PROMPT)} chars): check {full / loops * 1000:.0f} us, matching alone "
          f"{bare / loops * 1000:.0f} us -> check / matching {ratio:.2f}, bookkeeping "
          f"{(1 - 1 / ratio) * 100:.0f}% of the check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
