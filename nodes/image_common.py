"""What the three image nodes share: finding the engine, checking a batch, IMAGE batches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..safety import Engine, Verdict
from .comfy import as_tensor
from .common import engine, remote_options, run_check, skipped_verdict


def image_engine(policy: str, check_mode: str, *, stage: str, node_id: str,
                 service: str | None = None, threshold: float | None = None) -> Engine:
    options = remote_options(service, threshold)
    return run_check(lambda: engine(policy, check_mode, options), stage=stage, node_id=node_id)


def check_batch(arrays: Sequence[np.ndarray], enabled: bool, policy: str, check_mode: str, *,
                stage: str, node_id: str, service: str | None = None,
                threshold: float | None = None) -> list[Verdict]:
    """One verdict per image; a check that cannot complete raises the JSON error."""
    if not enabled:
        return [skipped_verdict() for _ in arrays]
    eng = image_engine(policy, check_mode, stage=stage, node_id=node_id, service=service,
                       threshold=threshold)
    return run_check(lambda: eng.check_images(list(arrays)), stage=stage, node_id=node_id)


def to_batch(arrays: Sequence[np.ndarray]) -> Any:
    """HxWx3 uint8 arrays of one size -> an IMAGE batch [B, H, W, 3] float32 0..1, filled
    in place: one float32 batch, no uint8 stack or float temporaries beside it."""
    batch = np.empty((len(arrays), *arrays[0].shape), np.float32)
    for out, array in zip(batch, arrays):
        np.divide(array, np.float32(255), out=out)  # as ComfyUI: same bits
    return as_tensor(batch)
