"""The image sidecar: what an image model's `<name>.json` says (kind, labels, input size,
normalisation, label -> category map), validated, and its session checked against it.
Where model files are found and how sessions are shared is generic: `safety/models.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import models
from ..config import Config
from ..errors import ConfigError
from ..schema import Section

if TYPE_CHECKING:  # onnxruntime loads with the first session, not with the pack
    import onnxruntime as ort

KINDS = ("classifier", "detector")
LAYOUTS = ("NCHW", "NHWC")
CHANNELS = ("RGB", "BGR")
RESIZES = {"classifier": ("stretch", "center_crop"), "detector": ("letterbox",)}
RESAMPLES = ("bilinear", "bicubic", "nearest")


@dataclass(frozen=True)
class InputSpec:
    height: int
    width: int
    layout: str = "NCHW"
    channels: str = "RGB"
    resize: str = "stretch"
    resample: str = "bilinear"
    scale: float = 1 / 255  # pixel 0..255 times scale, then (x - mean) / std
    mean: tuple[float, float, float] = (0.0, 0.0, 0.0)
    std: tuple[float, float, float] = (1.0, 1.0, 1.0)


@dataclass(frozen=True)
class NmsSpec:
    """YOLO-style detector output: candidates above `candidate_score`, kept by NMS above
    `score`, suppressed above `iou` overlap (NudeNet's own values are the defaults)."""

    candidate_score: float = 0.2
    score: float = 0.25
    iou: float = 0.45


@dataclass(frozen=True)
class Corroboration:
    """A detector's lone finding is weak evidence: a flagged box counts when another
    detection (any label) backs it, or alone when its score reaches `alone` and it covers
    at most `max_area` of the image (a box over a whole chart is no body part)."""

    alone: float = 0.0
    max_area: float = 1.0


@dataclass(frozen=True)
class ModelSpec:
    name: str
    path: Path
    sidecar: Path
    kind: str
    labels: tuple[str, ...]
    input: InputSpec
    categories: Mapping[str, str] = field(default_factory=dict)  # label -> taxonomy
    thresholds: Mapping[str, float] = field(default_factory=dict)  # label -> min confidence
    threshold: float = 0.0  # for labels without their own
    activation: str = "softmax"
    nms: NmsSpec = NmsSpec()
    corroboration: Corroboration | None = None  # detectors: see Corroboration

    def threshold_for(self, label: str) -> float:
        return self.thresholds.get(label, self.threshold)


def find_model(name: str, config: Config) -> ModelSpec:
    """Resolve an image model's name to its validated spec; errors name the files looked at."""
    files = models.find_model(name, config)
    if files.modality != "image":
        raise ConfigError(f"{files.sidecar}: modality: {files.modality} model {name!r} used as an image checker")
    return models.load_sidecar(files, parse_sidecar)


def session(spec: ModelSpec, threads: int = 1, spinning: bool = False) -> ort.InferenceSession:
    """The shared session of the model file, checked against this sidecar."""
    return models.session(spec.path, lambda sess: _check_io(spec, sess), spec, threads=threads, spinning=spinning)


def _triple(sec: Section, key: str, default: tuple[float, float, float]) -> tuple[float, float, float]:
    value = sec.get(key, list, None)
    if value is None:
        return default
    if len(value) != 3 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        raise sec.fail(key, f"expected 3 numbers (one per RGB channel), got {value!r}")
    return (float(value[0]), float(value[1]), float(value[2]))


def _size(sec: Section) -> tuple[int, int]:
    value = sec.get("size", object, None)
    if value is None:
        raise sec.fail("size", "missing: the model's input size, e.g. 224 or [height, width]")
    pair = [value, value] if isinstance(value, int) and not isinstance(value, bool) else value
    if (not isinstance(pair, list) or len(pair) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 8192 for v in pair)):
        raise sec.fail("size", f"expected an integer 1..8192 or [height, width], got {value!r}")
    return pair[0], pair[1]


def _input(sec: Section, kind: str) -> InputSpec:
    height, width = _size(sec)
    norm = sec.section("normalize")
    spec = InputSpec(
        height=height,
        width=width,
        layout=sec.get_choice("layout", LAYOUTS, "NCHW"),
        channels=sec.get_choice("channels", CHANNELS, "RGB"),
        resize=sec.get_choice("resize", RESIZES[kind], RESIZES[kind][0]),
        resample=sec.get_choice("resample", RESAMPLES, "bilinear"),
        scale=norm.get_number("scale", 1 / 255, 1e-6, 1.0),
        mean=_triple(norm, "mean", (0.0, 0.0, 0.0)),
        std=_triple(norm, "std", (1.0, 1.0, 1.0)),
    )
    if any(s <= 0 for s in spec.std):
        raise norm.fail("std", f"must be positive, got {list(spec.std)}")
    norm.done()
    sec.done()
    return spec


def parse_sidecar(files: models.ModelFiles, data: Any) -> ModelSpec:
    """Validate a sidecar mapping; every error names the sidecar file and the field."""
    name, onnx, sidecar = files.name, files.onnx, files.sidecar
    sec = Section(data, "", str(sidecar))
    for key in models.COMMON_KEYS:
        sec.get(key, str)
    kind = sec.get("kind", str)
    if kind not in KINDS:
        raise sec.fail("kind", f"must be one of {', '.join(KINDS)}, got {kind!r}")
    labels = sec.get_strings("labels")
    if not labels:
        raise sec.fail("labels", "missing or empty: the model's output labels, in output order")
    if len(set(labels)) != len(labels):
        raise sec.fail("labels", "contains the same label twice")
    inp = _input(sec.section("input"), kind)
    categories = models.label_map(sec.section("categories"), labels, models.label_category)
    thresholds = models.label_map(sec.section("thresholds"), labels,
                            lambda s, label: s.get_number(label, 0.5, 0.0, 1.0))
    threshold = sec.get_number("threshold", 0.0, 0.0, 1.0)
    activation = sec.get_choice("activation", models.ACTIVATIONS, "softmax")
    nms_sec = sec.section("nms")
    nms = NmsSpec(
        candidate_score=nms_sec.get_number("candidate_score", 0.2, 0.0, 1.0),
        score=nms_sec.get_number("score", 0.25, 0.0, 1.0),
        iou=nms_sec.get_number("iou", 0.45, 0.0, 1.0),
    )
    nms_sec.done()
    corroboration = None
    if "corroboration" in sec.data:
        cor = sec.section("corroboration")
        corroboration = Corroboration(alone=cor.get_number("alone", 0.0, 0.0, 1.0),
                                      max_area=cor.get_number("max_area", 1.0, 0.0, 1.0))
        cor.done()
    sec.done()
    return ModelSpec(name=name, path=onnx, sidecar=sidecar, kind=kind, labels=labels, input=inp,
                     categories=categories, thresholds=thresholds, threshold=threshold,
                     activation=activation, nms=nms, corroboration=corroboration)


def _check_io(spec: ModelSpec, sess: ort.InferenceSession) -> None:
    """Catch a sidecar that does not fit its model now, not on the first image."""
    inputs, outputs = sess.get_inputs(), sess.get_outputs()
    if len(inputs) != 1 or len(inputs[0].shape) != 4:
        shapes = [i.shape for i in inputs]
        raise ConfigError(f"{spec.path}: expected one image input of rank 4, the model has {shapes}")
    shape = inputs[0].shape
    c, h, w = (shape[1], shape[2], shape[3]) if spec.input.layout == "NCHW" else (shape[3], shape[1], shape[2])
    if isinstance(c, int) and c != 3:
        raise ConfigError(f"{spec.sidecar}: input.layout: {spec.input.layout} puts {c} where the "
                          f"3 colour channels should be (model input shape {shape})")
    for got, want, axis in ((h, spec.input.height, "height"), (w, spec.input.width, "width")):
        if isinstance(got, int) and got != want:
            raise ConfigError(f"{spec.sidecar}: input.size: {axis} {want}, but {spec.path.name} "
                              f"takes {got} (input shape {shape})")
    out = outputs[0].shape
    rank, dim = (2, len(spec.labels)) if spec.kind == "classifier" else (3, 4 + len(spec.labels))
    if len(out) != rank or (isinstance(out[1], int) and out[1] != dim):
        raise ConfigError(f"{spec.sidecar}: labels: {len(spec.labels)} labels need a {spec.kind} "
                          f"output of rank {rank} with {dim} in axis 1, the model gives {out}")
