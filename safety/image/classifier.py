"""Image classifiers exported to ONNX, e.g. Hugging Face image-classification models.

The preprocessing is what the transformers image processors do with Pillow: resize
(stretch to the input size, or shortest edge then centre crop), rescale, normalise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from .. import models
from .sidecar import ModelSpec
from .tensor import to_input

if TYPE_CHECKING:  # onnxruntime loads with the first session, not with the pack
    import onnxruntime as ort

_RESAMPLE = {"bilinear": Image.Resampling.BILINEAR, "bicubic": Image.Resampling.BICUBIC,
             "nearest": Image.Resampling.NEAREST}


class Classifier:
    """One classifier model; `classify` returns (N, labels) probabilities."""

    def __init__(self, spec: ModelSpec, session: ort.InferenceSession) -> None:
        self.spec = spec
        self.session = session
        self.input_name = session.get_inputs()[0].name

    def _resize(self, image: np.ndarray) -> np.ndarray:
        inp = self.spec.input
        pil = Image.fromarray(image)
        resample = _RESAMPLE[inp.resample]
        if inp.resize == "center_crop":
            scale = max(inp.width / pil.width, inp.height / pil.height)
            size = (max(inp.width, round(pil.width * scale)), max(inp.height, round(pil.height * scale)))
            pil = pil.resize(size, resample)
            left, top = (pil.width - inp.width) // 2, (pil.height - inp.height) // 2
            pil = pil.crop((left, top, left + inp.width, top + inp.height))
        else:
            pil = pil.resize((inp.width, inp.height), resample)
        return np.asarray(pil)

    def preprocess(self, images: Sequence[np.ndarray]) -> np.ndarray:
        return to_input(np.stack([self._resize(img) for img in images]), self.spec.input)

    def classify(self, images: Sequence[np.ndarray]) -> np.ndarray:
        logits = self.session.run(None, {self.input_name: self.preprocess(images)})[0]
        return models.activate(np.asarray(logits, np.float64), self.spec.activation)
