"""Blur or pixelate only the regions a detector flagged, when the config asks for that
instead of the placeholder."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from PIL import Image, ImageFilter

from ..verdict import Verdict

MARGIN = 0.1  # grow each box by this share of its size: detectors box tightly


def flagged_boxes(verdict: Verdict) -> list[tuple[int, int, int, int]] | None:
    """Boxes of the evidence items behind the verdict's categories; None when some flagged
    category has no box (a classifier or a remote label), so only a placeholder is safe."""
    boxes: list[tuple[int, int, int, int]] = []
    covered: set[str] = set()
    for item in verdict.evidence:
        box, category = item.get("box"), item.get("category")
        threshold = item.get("threshold", 0.0)
        if (box and category in verdict.categories and item.get("score", 0.0) >= threshold
                and not item.get("uncorroborated")):
            boxes.append(tuple(int(v) for v in box))  # type: ignore[arg-type]
            covered.add(category)
    return boxes if boxes and covered >= set(verdict.categories) else None


def _grow(box: Sequence[int], width: int, height: int) -> tuple[int, int, int, int]:
    x, y, w, h = box
    dx, dy = int(w * MARGIN) + 1, int(h * MARGIN) + 1
    return max(0, x - dx), max(0, y - dy), min(width, x + w + dx), min(height, y + h + dy)


def censor(image: np.ndarray, boxes: Iterable[Sequence[int]], style: str) -> np.ndarray:
    """A copy of HxWx3 uint8 `image` with each (x, y, w, h) box blurred or pixelated beyond
    recognition (the strength grows with the box)."""
    pil = Image.fromarray(image)
    for box in boxes:
        left, top, right, bottom = _grow(box, pil.width, pil.height)
        if right <= left or bottom <= top:
            continue
        region = pil.crop((left, top, right, bottom))
        side = max(region.width, region.height)
        if style == "pixelate":
            cells = max(1, side // max(8, side // 8))
            small = region.resize((max(1, region.width * cells // side), max(1, region.height * cells // side)),
                                  Image.Resampling.BOX)
            region = small.resize(region.size, Image.Resampling.NEAREST)
        else:
            region = region.filter(ImageFilter.GaussianBlur(radius=max(8, side / 6)))
        pil.paste(region, (left, top))
    return np.asarray(pil).copy()
