"""Resized uint8 batches to a model's input tensor: channel order, normalisation, layout."""

from __future__ import annotations

import numpy as np

from .sidecar import InputSpec


def to_input(batch: np.ndarray, spec: InputSpec) -> np.ndarray:
    """(N, H, W, 3) uint8 RGB -> float32 (v * scale - mean) / std in the model's channel
    order and layout. In float32, as OpenCV's blobFromImage computes it, so NudeNet's
    input is bit-identical to the nudenet package's."""
    mean = np.asarray(spec.mean, np.float32)  # given in R, G, B order
    std = np.asarray(spec.std, np.float32)
    if spec.channels == "BGR":
        batch, mean, std = batch[..., ::-1], mean[::-1], std[::-1]
    if spec.layout == "NCHW":
        batch = batch.transpose(0, 3, 1, 2)
        mean, std = mean[:, None, None], std[:, None, None]
    out = np.empty(batch.shape, np.float32)  # C order: what the session wants
    np.multiply(batch, np.float32(spec.scale), out=out)  # one pass: cast, scale, transpose
    if mean.any():
        out -= mean
    if (std != 1).any():
        out /= std
    return out
