"""The built-in text model's ONNX graph evaluated in numpy: tf-idf, L2 norm, one logistic
regression per label.

Importing onnxruntime and opening a session costs 40 ms or more, about as much as the
rest of a fresh process's first check; this graph needs a few numpy operations. The
arrays are the very `.npy` files the ONNX graph reads as its external data
(scripts/train_text_model.py writes both), so there is one copy of the weights, and a
test runs both on the same texts. The sidecar records the SHA-256 of the graph it was
written with: numpy computes only that graph, so another `.onnx` beside the arrays is
refused rather than scored wrongly.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from ..cache import FileStampedCache
from ..errors import ConfigError
from ..files import sha256_file

ARRAYS = ("idf", "weights", "bias")  # the graph's initializers, by name
DTYPES = {"idf": (np.dtype(np.float32),), "weights": (np.dtype(np.float16), np.dtype(np.float32)),
          "bias": (np.dtype(np.float32),)}  # weights are Cast to float in the graph


class LinearModel:
    """probabilities = sigmoid(l2norm(tf * idf[indices]) @ weights[indices] + bias)."""

    def __init__(self, idf: np.ndarray, weights: np.ndarray, bias: np.ndarray) -> None:
        self.idf, self.weights, self.bias = idf, weights, bias

    def __call__(self, indices: np.ndarray, tf: np.ndarray) -> np.ndarray:
        x = tf * self.idf[indices]
        x = x / max(float(np.sqrt(np.dot(x, x))), 1e-12)
        logits = x @ self.weights[indices].astype(np.float32) + self.bias
        with np.errstate(over="ignore"):  # exp(88+) is inf: the probability is 0, as in the graph
            return 1.0 / (1.0 + np.exp(-logits[None, :]))  # [1, labels], as the graph gives


def _read(path: Path) -> np.ndarray:
    try:
        return np.load(path, allow_pickle=False)  # read whole: a file replaced mid-use cannot fault
    except (OSError, ValueError, EOFError) as exc:  # EOFError: an empty file, e.g. one being written
        raise ConfigError(f"{path}: not a readable .npy array: {exc}") from None


def _build(files: Mapping[str, Path], graph: Path, digest: str, buckets: int, labels: int) -> LinearModel:
    if sha256_file(graph) != digest:
        raise ConfigError(f"{graph}: not the graph its arrays were written with (the sidecar's "
                          f"features.arrays.graph_sha256); the pack computes only the graph "
                          f"scripts/train_text_model.py writes: retrain, or drop features.arrays "
                          f"to run this graph in onnxruntime")
    arrays = {name: _read(files[name]) for name in ARRAYS}
    wanted = {"idf": (buckets,), "weights": (buckets, labels), "bias": (1, labels)}
    for name, shape in wanted.items():
        if arrays[name].shape != shape:
            raise ConfigError(f"{files[name]}: {name} has shape {list(arrays[name].shape)}, the sidecar "
                              f"({buckets} buckets, {labels} labels) needs {list(shape)}")
        if arrays[name].dtype not in DTYPES[name]:  # what onnxruntime would refuse, numpy would cast
            raise ConfigError(f"{files[name]}: {name} holds {arrays[name].dtype}, the graph reads "
                              f"{' or '.join(map(str, DTYPES[name]))}")
    return LinearModel(arrays["idf"].astype(np.float32, copy=False), arrays["weights"],
                       arrays["bias"][0].astype(np.float32))


_MODELS: FileStampedCache[LinearModel] = FileStampedCache(maxsize=8)


def linear_model(files: Mapping[str, Path], graph: Path, digest: str, buckets: int, labels: int) -> LinearModel:
    """The shared model of these array files and graph, re-read when one changes."""
    paths = [*(files[name] for name in ARRAYS), graph]
    try:
        return _MODELS.get((tuple(map(str, paths)), digest, buckets, labels), paths,
                           lambda: _build(files, graph, digest, buckets, labels))
    except OSError as exc:
        raise ConfigError(f"{exc.filename}: cannot read the text model's arrays: {exc.strerror}") from None
