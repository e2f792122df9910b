"""What the three image nodes share: finding the engine, checking a batch, IMAGE batches."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..safety import Config, ConfigError, Engine, Verdict
from ..safety.image.quarantine import check_outside
from .comfy import as_tensor, directory
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
    """HxWx3 uint8 arrays of one size -> an IMAGE batch [B, H, W, 3] float32 0..1."""
    return as_tensor(np.stack(arrays).astype(np.float32) / 255.0)


def quarantine_into(cfg: Config, keep: Callable[[str], None], *, stage: str, node_id: str) -> None:
    """Run `keep(folder)` with the config's quarantine folder, once sure that ComfyUI does not
    serve it (/view serves output, input and temp); nothing without a quarantine folder."""
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

    run_check(checked, stage=stage, node_id=node_id)
