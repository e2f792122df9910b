"""YOLO-style detectors such as NudeNet (320n, 640m): letterbox, batch, NMS in numpy.

Pre- and postprocessing reproduce the `nudenet` package's `NudeDetector.detect` exactly
(bottom/right zero padding to a square, OpenCV's fixed-point INTER_LINEAR resize, its
channel order, its float32 box arithmetic and `cv2.dnn.NMSBoxes`), so the detections
are the same without importing OpenCV, and whole batches go through one session call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from .sidecar import ModelSpec
from .tensor import to_input

if TYPE_CHECKING:  # onnxruntime loads with the first session, not with the pack
    import onnxruntime as ort

_COEF_BITS = 11  # OpenCV's INTER_RESIZE_COEF_BITS
_COEF_SCALE = 1 << _COEF_BITS
_ROWS = 64  # output rows per step of the resize


@dataclass(frozen=True)
class Detection:
    label: str
    score: float
    box: tuple[int, int, int, int]  # x, y, width, height in the image's pixels


def _axis(src: int, dst: int, clamp: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Source indices and fixed-point weights of one axis, as OpenCV computes them (in
    float32; the horizontal axis clamps its edges, the vertical one only its rows)."""
    f = ((np.arange(dst, dtype=np.float64) + 0.5) * (src / dst) - 0.5).astype(np.float32)
    s = np.floor(f).astype(np.int64)
    f = f - s.astype(np.float32)
    if clamp:
        low, high = s < 0, s >= src - 1
        f[low | high] = 0
        s[low], s[high] = 0, src - 1
    c1 = np.rint(f * np.float32(_COEF_SCALE)).astype(np.int32)
    c0 = np.rint((np.float32(1) - f) * np.float32(_COEF_SCALE)).astype(np.int32)
    return np.clip(s, 0, src - 1), np.clip(s + 1, 0, src - 1), c0, c1


@lru_cache(maxsize=64)
def _plan(h: int, w: int, out_h: int, out_w: int) -> tuple[np.ndarray, ...]:
    """Gather indices and weights for an h x w image zero-padded to a square."""
    side = max(h, w)
    ys0, ys1, b0, b1 = _axis(side, out_h, clamp=False)
    xs0, xs1, a0, a1 = _axis(side, out_w, clamp=True)
    # samples that fall in the zero padding contribute nothing: drop their weights
    a0, a1 = np.where(xs0 < w, a0, 0), np.where(xs1 < w, a1, 0)
    b0, b1 = np.where(ys0 < h, b0, 0), np.where(ys1 < h, b1, 0)
    rows = np.minimum(np.concatenate([ys0, ys1]), h - 1)
    channel = np.arange(3)
    c0 = (np.minimum(xs0, w - 1)[:, None] * 3 + channel).ravel()
    c1 = (np.minimum(xs1, w - 1)[:, None] * 3 + channel).ravel()
    return (rows, c0, c1, np.repeat(a0, 3).astype(np.int32), np.repeat(a1, 3).astype(np.int32),
            b0.astype(np.int32)[:, None], b1.astype(np.int32)[:, None])


def letterbox(image: np.ndarray, out_h: int, out_w: int) -> np.ndarray:
    """Pad HxWx3 uint8 bottom/right to a square and resize it to out_h x out_w, bit-exact
    with cv2.copyMakeBorder + cv2.resize(INTER_LINEAR)."""
    h, w = image.shape[:2]
    side = max(h, w)
    if side == out_h == out_w:
        out = np.zeros((side, side, 3), np.uint8)
        out[:h, :w] = image
        return out
    if side == 2 * out_h == 2 * out_w:  # OpenCV switches to its exact 2x2 area average
        padded = np.zeros((side, side, 3), np.uint16)
        padded[:h, :w] = image
        quad = padded[0::2, 0::2] + padded[0::2, 1::2] + padded[1::2, 0::2] + padded[1::2, 1::2]
        return ((quad + 2) >> 2).astype(np.uint8)
    rows, c0, c1, a0, a1, b0, b1 = _plan(h, w, out_h, out_w)
    flat = np.ascontiguousarray(image).reshape(h, w * 3)
    out = np.empty((out_h, out_w * 3), np.uint8)
    for start in range(0, out_h, _ROWS):  # a few rows at a time: the work stays in cache
        stop = min(out_h, start + _ROWS)
        top = _horizontal(flat.take(rows[start:stop], axis=0), c0, c1, a0, a1)
        bottom = _horizontal(flat.take(rows[out_h + start:out_h + stop], axis=0), c0, c1, a0, a1)
        # OpenCV's SIMD vertical pass: ((v >> 4) * b >> 16) for both rows, summed, + 2 >> 2
        top *= b0[start:stop]
        top >>= 16
        bottom *= b1[start:stop]
        bottom >>= 16
        top += bottom
        top += 2
        top >>= 2
        out[start:stop] = top
    return out.reshape(out_h, out_w, 3)


def _horizontal(block: np.ndarray, c0: np.ndarray, c1: np.ndarray, a0: np.ndarray, a1: np.ndarray) -> np.ndarray:
    """Fixed-point horizontal pass of some rows, already shifted right by 4 bits."""
    acc = np.multiply(block.take(c0, axis=1), a0, dtype=np.int32)
    acc += np.multiply(block.take(c1, axis=1), a1, dtype=np.int32)
    acc >>= 4
    return acc


def _intersection(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Area of `a & b` for one box `a` against many `b` (x, y, w, h), as cv::Rect2d does."""
    def extent(pos: int, size: int) -> np.ndarray:
        first = a[pos] < b[:, pos]
        lo_pos = np.where(first, a[pos], b[:, pos])
        lo_size = np.where(first, a[size], b[:, size])
        hi_pos = np.where(first, b[:, pos], a[pos])
        hi_size = np.where(first, b[:, size], a[size])
        return np.minimum(lo_size - (hi_pos - lo_pos), hi_size)

    w, h = extent(0, 2), extent(1, 3)
    empty = (w <= 0) | (h <= 0) | (a[2] <= 0) | (a[3] <= 0) | (b[:, 2] <= 0) | (b[:, 3] <= 0)
    return np.where(empty, 0.0, w * h)


def nms(boxes: np.ndarray, scores: np.ndarray, score_threshold: float, iou_threshold: float) -> list[int]:
    """cv2.dnn.NMSBoxes: class-agnostic greedy NMS, stable order of descending score."""
    candidates = np.flatnonzero(scores > np.float32(score_threshold))
    order = candidates[np.argsort(-scores[candidates], kind="stable")]
    boxes = boxes.astype(np.float64)
    areas = boxes[:, 2] * boxes[:, 3]
    limit = np.float32(iou_threshold)
    keep: list[int] = []
    alive = np.ones(len(order), bool)
    for pos, idx in enumerate(order):
        if not alive[pos]:
            continue
        keep.append(int(idx))
        rest = order[pos + 1:]
        inter = _intersection(boxes[idx], boxes[rest])
        total = areas[idx] + areas[rest]
        with np.errstate(divide="ignore", invalid="ignore"):
            distance = np.where(total <= np.finfo(np.float64).eps, 0.0, 1.0 - inter / (total - inter))
        overlap = np.float32(1) - distance.astype(np.float32)
        alive[pos + 1:] &= overlap <= limit
    return keep


class Detector:
    """One YOLO-style detector model; `detect` takes HxWx3 uint8 RGB arrays."""

    def __init__(self, spec: ModelSpec, session: ort.InferenceSession) -> None:
        self.spec = spec
        self.session = session
        self.input_name = session.get_inputs()[0].name

    def preprocess(self, images: Sequence[np.ndarray]) -> np.ndarray:
        inp = self.spec.input
        batch = np.stack([letterbox(img, inp.height, inp.width) for img in images])
        return to_input(batch, inp)

    def run(self, batch: np.ndarray) -> np.ndarray:
        return self.session.run(None, {self.input_name: batch})[0]

    def postprocess(self, output: np.ndarray, height: int, width: int) -> list[Detection]:
        """One image's output (4 + classes, candidates) to detections in image pixels."""
        spec = self.spec
        rows = output.T
        class_scores = rows[:, 4:]
        best = class_scores.max(axis=1)
        picked = np.flatnonzero(best >= np.float32(spec.nms.candidate_score))
        if picked.size == 0:
            return []
        rows, best = rows[picked], best[picked]
        class_ids = class_scores[picked].argmax(axis=1)
        side = np.float32(max(height, width))
        cx, cy, w, h = rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3]
        x = np.clip((cx - w / np.float32(2)) * side / np.float32(spec.input.width), 0, width)
        y = np.clip((cy - h / np.float32(2)) * side / np.float32(spec.input.height), 0, height)
        w = np.minimum(w * side / np.float32(spec.input.width), np.float32(width) - x)
        h = np.minimum(h * side / np.float32(spec.input.height), np.float32(height) - y)
        boxes = np.stack([x, y, w, h], axis=1).astype(np.float32)
        keep = nms(boxes, best, spec.nms.score, spec.nms.iou)
        return [Detection(spec.labels[class_ids[i]], float(best[i]),
                          tuple(int(v) for v in boxes[i]))  # type: ignore[arg-type]
                for i in keep]

    def detect(self, images: Sequence[np.ndarray]) -> list[list[Detection]]:
        output = self.run(self.preprocess(images))
        return [self.postprocess(out, img.shape[0], img.shape[1]) for out, img in zip(output, images)]
