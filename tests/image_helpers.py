"""Tiny ONNX image models built with the `onnx` package, configs that use them, images.

The models decide by colour, so tests get deterministic unsafe verdicts without shipping
any explicit picture: red is "unsafe", blue is not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import pytest
import yaml
from onnx import TensorProto, helper, numpy_helper

RED, BLUE, GREY = (230, 20, 20), (20, 20, 230), (128, 128, 128)


def _save(model: onnx.ModelProto, path: Path) -> None:
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def _const(name: str, array: np.ndarray) -> onnx.TensorProto:
    return numpy_helper.from_array(np.asarray(array, np.float32), name)


def build_classifier(folder: Path, name: str = "tiny_cls", *, layout: str = "NCHW", batch: str | int = "batch",
                     resize: str = "stretch", activation: str = "softmax") -> Path:
    """HF-style classifier: pixel_values [N,3,8,8] (or NHWC) -> logits [N,2] = 10 * (mean B,
    mean R) of the normalised input, labels (normal, nsfw); nsfw maps to `sexual`."""
    folder.mkdir(parents=True, exist_ok=True)
    weights = np.array([[0, 10], [0, 0], [10, 0]], np.float32)  # rows R, G, B
    shape = [batch, 3, 8, 8] if layout == "NCHW" else [batch, 8, 8, 3]
    axes = [2, 3] if layout == "NCHW" else [1, 2]
    graph = helper.make_graph(
        [helper.make_node("ReduceMean", ["pixel_values"], ["mean"], axes=axes, keepdims=0),
         helper.make_node("MatMul", ["mean", "w"], ["logits"])],
        "tiny_cls",
        [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [batch, 2])],
        [_const("w", weights)])
    _save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), folder / f"{name}.onnx")
    write_sidecar(folder / f"{name}.json", {
        "kind": "classifier", "labels": ["normal", "nsfw"],
        "input": {"size": 8, "layout": layout, "resize": resize,
                  "normalize": {"scale": 1 / 255, "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5]}},
        "categories": {"nsfw": "sexual"}, "thresholds": {"nsfw": 0.6}, "activation": activation})
    return folder / f"{name}.onnx"


def build_detector(folder: Path, name: str = "tiny_det") -> Path:
    """YOLO-style detector: images [N,3,16,16] -> [N, 4+2, 1]: one box over the centre
    quarter of the (letterboxed) input, scored by how red (R - G/2 - B/2) and how blue the
    image is on average; RED_EXPOSED is `sexual`."""
    folder.mkdir(parents=True, exist_ok=True)
    graph = helper.make_graph(
        [helper.make_node("ReduceMean", ["images"], ["mean"], axes=[2, 3], keepdims=0),
         helper.make_node("MatMul", ["mean", "wc"], ["scores"]),
         helper.make_node("MatMul", ["mean", "wb"], ["zero"]),
         helper.make_node("Add", ["zero", "box"], ["boxes"]),
         helper.make_node("Concat", ["boxes", "scores"], ["rows"], axis=1),
         helper.make_node("Unsqueeze", ["rows", "axes"], ["output0"])],
        "tiny_det",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, ["batch", 3, 16, 16])],
        [helper.make_tensor_value_info("output0", TensorProto.FLOAT, ["batch", 6, 1])],
        [_const("wc", [[1, -0.5], [-0.5, -0.5], [-0.5, 1]]), _const("wb", np.zeros((3, 4))),
         _const("box", [8, 8, 8, 8]), numpy_helper.from_array(np.array([2], np.int64), "axes")])
    _save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), folder / f"{name}.onnx")
    write_sidecar(folder / f"{name}.json", {
        "kind": "detector", "labels": ["RED_EXPOSED", "BLUE"],
        "input": {"size": 16, "channels": "RGB", "resize": "letterbox"},
        "categories": {"RED_EXPOSED": "sexual"}, "thresholds": {"RED_EXPOSED": 0.5}})
    return folder / f"{name}.onnx"


def build_failing(folder: Path, name: str = "broken") -> Path:
    """Loads fine (its sizes are dynamic) but cannot run on a 16x16 input: it adds an
    8x8 constant, which does not broadcast."""
    folder.mkdir(parents=True, exist_ok=True)
    graph = helper.make_graph(
        [helper.make_node("Add", ["pixel_values", "c"], ["sum"]),
         helper.make_node("ReduceMean", ["sum"], ["logits"], axes=[2, 3], keepdims=0)],
        "broken",
        [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch", 3, "h", "w"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 3])],
        [_const("c", np.zeros((1, 3, 8, 8)))])
    _save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), folder / f"{name}.onnx")
    write_sidecar(folder / f"{name}.json", {
        "kind": "classifier", "labels": ["a", "b", "c"], "input": {"size": 16},
        "categories": {"c": "sexual"}})
    return folder / f"{name}.onnx"


def write_sidecar(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def write_config(folder: Path, models_dir: Path, checkers: list[str], *, image: dict[str, Any] | None = None,
                 policy: dict[str, Any] | None = None, name: str = "config.yaml") -> Path:
    """A config whose default policy `tiny` runs only `checkers` (no text checkers)."""
    data = {"default_policy": "tiny", "models_dirs": [str(models_dir)],
            "policies": {"tiny": {"extends": "normal", "text_checkers": [], "remote_text_checkers": [],
                                  "image_checkers": checkers,
                                  **(policy or {})}},
            "image": image or {}}
    path = folder / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def solid(height: int, width: int, colour: tuple[int, int, int]) -> np.ndarray:
    return np.full((height, width, 3), colour, np.uint8)


def as_image_batch(*arrays: np.ndarray) -> np.ndarray:
    """What ComfyUI passes as IMAGE ([B,H,W,3] float 0..1), as numpy."""
    return np.stack(arrays).astype(np.float32) / 255.0


@pytest.fixture
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """input, output and temp folders in a fresh working directory: outside ComfyUI the
    nodes (with the stub folder_paths) use ./input, ./output and ./temp."""
    folders = {kind: tmp_path / kind for kind in ("input", "output", "temp")}
    for folder in folders.values():
        folder.mkdir()
    monkeypatch.chdir(tmp_path)
    return folders
