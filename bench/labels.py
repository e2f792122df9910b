"""Benchmark of labelling a saved image: what `ContentSafetySaveImage` adds over a plain
PNG save (SaveImage's Pillow call, compress_level 4), and what reading a label adds over
decoding the file. Peers run in the same process; only the ratios compare across runs.

    python bench/labels.py [--size 1024] [--runs 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from safety.labels.read import inspect_file  # noqa: E402
from safety.labels.settings import LabelSettings  # noqa: E402
from safety.labels.write import save_labelled  # noqa: E402


def medians_ms(peers: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """Peers take turns within each run, so load on the machine hits them alike."""
    times: dict[str, list[float]] = {name: [] for name in peers}
    for name, run in peers.items():
        run()  # warm: font lookup, first Pillow calls
    for _ in range(runs):
        for name, run in peers.items():
            start = time.perf_counter()
            run()
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    noise = rng.integers(0, 256, (args.size // 8, args.size // 8, 3), np.uint8)
    image = Image.fromarray(noise).resize((args.size, args.size), Image.Resampling.BICUBIC)
    with tempfile.TemporaryDirectory() as folder:
        plain, labelled = Path(folder, "plain.png"), Path(folder, "labelled.png")
        rows = medians_ms({
            "plain PNG save (SaveImage)": lambda: image.save(plain, compress_level=4),
            "labelled PNG (visible + AIGC)": lambda: save_labelled(image, str(labelled), LabelSettings()),
            "labelled PNG (AIGC only)": lambda: save_labelled(image, str(labelled), LabelSettings(explicit=False)),
            "labelled JPEG (visible + AIGC)": lambda: save_labelled(image, str(Path(folder, "l.jpg")),
                                                                    LabelSettings()),
        }, args.runs)
        reads = medians_ms({"decode": lambda: Image.open(labelled).load(),
                            "inspect": lambda: inspect_file(labelled)}, args.runs)
        decode, read = reads["decode"], reads["inspect"]
    base = rows["plain PNG save (SaveImage)"]
    print(f"{args.size}x{args.size}, median of {args.runs} runs")
    for name, ms in rows.items():
        print(f"  {name:32s} {ms:8.1f} ms  x{ms / base:.2f}")
    print(f"  {'decode PNG':32s} {decode:8.1f} ms  x1.00")
    print(f"  {'inspect (read label + integrity)':32s} {read:8.1f} ms  x{read / decode:.2f}")


if __name__ == "__main__":
    main()
