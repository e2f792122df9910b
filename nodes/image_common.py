"""What the three image nodes share: their run, checking a batch, IMAGE batches."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..safety import ConfigError, Verdict, check_outside
from .comfy import as_tensor, directory
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


def quarantine_into(run: NodeRun, keep: Callable[[str], None]) -> None:
    """Run `keep(folder)` with the config's quarantine folder, once sure that ComfyUI does not
    serve it (/view serves output, input and temp); nothing without a quarantine folder."""
    cfg = run.config()
    folder = cfg.image.quarantine_dir
    if not folder:
        return

    def checked() -> None:
        for served in ("output", "input", "temp"):
            check_outside(folder, directory(served), cfg.source)
        try:
            keep(folder)
        except OSError as exc:
            raise ConfigError(f"{cfg.source}: image.quarantine_dir {folder}: cannot write: "
                              f"{exc.strerror or exc}") from None

    run.guard(checked)
