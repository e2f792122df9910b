"""Checking many frames (animations, video batches): sampling, early exit, one verdict."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from itertools import islice

import numpy as np

from ..verdict import Verdict, combine

MAX_EVIDENCE = 64


def sample(count: int, stride: int) -> list[int]:
    """Every `stride`-th frame from the first."""
    return list(range(0, count, max(1, stride)))


def check_frames(check_images: Callable[[list[np.ndarray]], list[Verdict]],
                 frames: Iterable[tuple[int, np.ndarray]], *, chunk: int,
                 early_exit: bool = True,
                 progress: Callable[[int], None] | None = None) -> dict[int, Verdict]:
    """Verdicts of (index, frame) pairs, `chunk` frames per `check_images` call; with `early_exit`
    the frames after the first chunk holding an unsafe one are not checked."""
    verdicts: dict[int, Verdict] = {}
    it = iter(frames)
    while batch := list(islice(it, max(1, chunk))):
        results = check_images([frame for _, frame in batch])
        verdicts.update((index, v) for (index, _), v in zip(batch, results))
        if progress is not None:
            progress(len(batch))
        if early_exit and any(v.blocked for v in results):
            break
    return verdicts


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
