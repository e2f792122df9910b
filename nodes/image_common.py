"""What the three image nodes share: their run, checking a batch, IMAGE batches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..safety import Verdict
from .comfy import as_tensor
from .common import NodeRun, remote_options


def image_run(stage: str, node_id: str, policy: str, check_mode: str, *, service: str | None = None,
              threshold: float | None = None, inputs: tuple[str, ...] = ()) -> NodeRun:
    return NodeRun(stage, node_id, policy=policy, mode=check_mode, inputs=inputs,
                   options=lambda cfg: remote_options("image", service, threshold))


def check_batch(run: NodeRun, arrays: Sequence[np.ndarray]) -> list[Verdict]:
    """One verdict per image; a check that cannot complete raises the JSON error."""
    eng = run.engine()
    return run.guard(lambda: eng.check_images(list(arrays), user=run.user))


def to_batch(arrays: Sequence[np.ndarray]) -> Any:
    """HxWx3 uint8 arrays of one size -> an IMAGE batch [B, H, W, 3] float32 0..1, filled
    in place: one float32 batch, no uint8 stack or float temporaries beside it."""
    batch = np.empty((len(arrays), *arrays[0].shape), np.float32)
    for out, array in zip(batch, arrays):
        np.divide(array, np.float32(255), out=out)  # as ComfyUI: same bits
    return as_tensor(batch)
