"""Checking many frames (animations, video batches): sampling, early exit, one verdict."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from itertools import islice

import numpy as np

from ..verdict import Verdict, combine

MAX_EVIDENCE = 64


def sample(count: int, stride: int) -> list[int]:
    """Every `stride`-th frame from the first."""
    return list(range(0, count, max(1, stride)))


def sample_per_second(count: int, fps: float, sample_fps: float) -> list[int]:
    """`sample_fps` frames per second of a clip at `fps` (video platforms check 1-3), evenly
    spaced from the first frame; every frame when the clip has fewer per second."""
    if fps <= 0 or sample_fps <= 0:
        raise ValueError(f"fps and sample_fps must be positive, got {fps} and {sample_fps}")
    step = max(1.0, fps / sample_fps)
    return sorted({min(count - 1, int(k * step + 1e-9)) for k in range(int((count - 1) / step) + 1)}) \
        if count else []


def check_frames(check_images: Callable[[list[np.ndarray]], list[Verdict]],
                 frames: Iterable[tuple[int, np.ndarray]], *, chunk: int,
                 early_exit: bool = True, max_pixels: int | None = None,
                 progress: Callable[[int], None] | None = None) -> dict[int, Verdict]:
    """Verdicts of (index, frame) pairs, `chunk` frames per `check_images` call (fewer when
    they would hold more than `max_pixels`: decoded frames of a large file are big); with
    `early_exit` the frames after the first chunk holding an unsafe one are not checked."""
    verdicts: dict[int, Verdict] = {}
    it = iter(frames)
    while batch := _next_chunk(it, max(1, chunk), max_pixels):
        indices = [index for index, _ in batch]
        results = check_images([frame for _, frame in batch])
        del batch  # the frames go before the next ones decode
        verdicts.update(zip(indices, results))
        if progress is not None:
            progress(len(indices))
        if early_exit and any(v.blocked for v in results):
            break
    return verdicts


def _next_chunk(it: Iterator[tuple[int, np.ndarray]], chunk: int,
                max_pixels: int | None) -> list[tuple[int, np.ndarray]]:
    if max_pixels is None:
        return list(islice(it, chunk))
    batch: list[tuple[int, np.ndarray]] = []
    pixels = 0
    while len(batch) < chunk and pixels < max_pixels:
        item = next(it, None)
        if item is None:
            break
        batch.append(item)
        pixels += item[1].shape[0] * item[1].shape[1]
    return batch


def per_frame(verdicts: Mapping[int, Verdict]) -> list[dict[str, object]]:
    """One verdict per checked frame, with its index, in frame order (what `ui.safety` holds)."""
    return [{**v.to_dict(), "index": i} for i, v in sorted(verdicts.items())]


def combine_frames(verdicts: Mapping[int, Verdict], *, tag: bool | None = None) -> Verdict:
    """One verdict for a clip: the worst frame decides; evidence says which frame (by
    default when there is more than one), flagged frames first, capped so a long clip
    does not flood the error or /history."""
    if not verdicts:
        return Verdict()
    if not (len(verdicts) > 1 if tag is None else tag):
        return combine(verdicts.values())
    ordered = sorted(verdicts.items(), key=lambda item: (item[1].is_safe, item[0]))
    tagged = [replace(v, evidence=tuple({**e, "frame": i} for e in v.evidence)) for i, v in ordered]
    result = combine(tagged)
    return replace(result, evidence=result.evidence[:MAX_EVIDENCE])
