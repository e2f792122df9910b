"""The `image` section of the config file: decoding limits and what replaces unsafe images."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..schema import Section

SUBSTITUTES = ("placeholder", "blur", "pixelate")


@dataclass(frozen=True)
class ImageSettings:
    substitute: str = "placeholder"  # what on_unsafe=substitute writes
    placeholder: str | None = None  # user image instead of the built-in bilingual one
    quarantine_dir: str | None = None  # unsafe originals for reviewers; never inside output
    max_pixels: int = 64_000_000  # per frame (8000x8000): decompression bombs stop at the header
    max_bytes: int = 200 * 1024 * 1024
    max_frames: int = 2000
    # pixels x frames, checked on the header (decode.py): what one file may cost to decode,
    # how many frames the models look at, and what LoadImage may hold as a float32 batch
    max_total_pixels: int = 256_000_000
    max_checked_frames: int = 64
    max_batch_pixels: int = 32_000_000
    batch_size: int = 16  # images per model call
    # ONNX sessions: threads (0 = one per core) and spinning, chosen by bench/image.py --busy
    threads: int = 1
    spinning: bool = False
    label_thresholds: Mapping[str, float] = field(default_factory=dict)  # beat the sidecars'


def parse_image_section(sec: Section, base: Path) -> ImageSettings:
    """Relative paths resolve against the config file's folder."""
    thresholds = sec.section("label_thresholds")
    labels = {name: thresholds.get_number(name, 0.5, 0.0, 1.0) for name, _ in thresholds.entries()}
    settings = ImageSettings(
        substitute=sec.get_choice("substitute", SUBSTITUTES, "placeholder"),
        placeholder=sec.get_path("placeholder", base),
        quarantine_dir=sec.get_path("quarantine_dir", base),
        max_pixels=int(sec.get_number("max_pixels", 64_000_000, 1, 1_000_000_000)),
        max_bytes=int(sec.get_number("max_file_mb", 200, 0.001, 10_000) * 1024 * 1024),
        max_frames=int(sec.get_number("max_frames", 2000, 1, 1_000_000)),
        max_total_pixels=int(sec.get_number("max_total_pixels", 256_000_000, 1, 100_000_000_000)),
        max_checked_frames=int(sec.get_number("max_checked_frames", 64, 1, 1_000_000)),
        max_batch_pixels=int(sec.get_number("max_batch_pixels", 32_000_000, 1, 10_000_000_000)),
        batch_size=int(sec.get_number("batch_size", 16, 1, 256)),
        threads=int(sec.get_number("threads", 1, 0, 256)),
        spinning=sec.get("spinning", bool, False),
        label_thresholds=labels,
    )
    sec.done()
    return settings
