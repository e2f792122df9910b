"""The image checker of one ONNX model (detector or classifier): scores -> Verdicts.

A label counts toward its taxonomy category only at or above its threshold (the
sidecar's calibration, which `image.label_thresholds` in the config overrides) and, for a
detector whose sidecar asks for corroboration, only when another detection backs it or it
is strong and small enough alone (`sidecar.Corroboration`); the engine's policy then
decides as for every provider. Labels without a category (faces, covered
body parts...) are recorded in the evidence and never make an image unsafe.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .. import models
from ..config import Config
from ..errors import ProviderError
from ..settings.checks import ImageModelSettings
from ..verdict import Finding
from . import sidecar
from .classifier import Classifier
from .nudenet import Detection, Detector
from .sidecar import ModelSpec

MAX_EVIDENCE = 32
TOP_LABELS = 5


class ModelImageChecker:
    cost = 10  # local model

    def __init__(self, spec: ModelSpec, settings: ImageModelSettings) -> None:
        self.spec = spec
        self.provider = f"local:{spec.name}"
        self.batch_size = settings.batch_size
        self.label_thresholds = settings.label_thresholds
        self.threads, self.spinning = settings.threads, settings.spinning
        self._model: Detector | Classifier | None = None

    @classmethod
    def named(cls, name: str, config: Config) -> ModelImageChecker:
        image = config.image
        settings = ImageModelSettings(image.batch_size, image.label_thresholds, image.threads, image.spinning)
        return cls(sidecar.find_model(name, config), settings)

    def _load(self) -> Detector | Classifier:
        if self._model is None:
            session = sidecar.session(self.spec, self.threads, self.spinning)
            limit = models.batch_limit(session)
            self.batch_size = min(self.batch_size, limit) if limit else self.batch_size
            kind = Detector if self.spec.kind == "detector" else Classifier
            self._model = kind(self.spec, session)
        return self._model

    def threshold(self, label: str) -> float:
        return self.label_thresholds.get(label, self.spec.threshold_for(label))

    def check_images(self, images: Sequence[np.ndarray]) -> list[Finding]:
        model = self._load()
        findings: list[Finding] = []
        for start in range(0, len(images), self.batch_size):
            chunk = images[start:start + self.batch_size]
            began = time.perf_counter()
            try:
                if isinstance(model, Detector):
                    found = [self._from_detections(d, image.shape[0] * image.shape[1])
                             for d, image in zip(model.detect(chunk), chunk)]
                else:
                    found = [self._from_probabilities(p) for p in model.classify(chunk)]
            except Exception as exc:  # onnxruntime and numpy raise many types; all mean "cannot run"
                raise ProviderError(self.provider, f"model {self.spec.path} failed to run: "
                                    f"{models.error_detail(exc)}", code="model_run_failed") from None
            latency = (time.perf_counter() - began) * 1000 / len(chunk)
            findings += [Finding(scores, self.provider, tuple(evidence), latency) for scores, evidence in found]
        return findings

    def _base_scores(self) -> dict[str, float]:
        """Every category the model can report, so a stricter policy can be replayed."""
        return dict.fromkeys(self.spec.categories.values(), 0.0)

    def _count(self, scores: dict[str, float], label: str, score: float,
               backed: bool = True) -> dict[str, Any]:
        category = self.spec.categories.get(label)
        threshold = self.threshold(label)
        item = {"model": self.spec.name, "label": label, "score": round(score, 4),
                "category": category, "threshold": threshold}
        if category and score >= threshold:
            if backed:
                scores[category] = max(scores[category], score)
            else:
                item["uncorroborated"] = True
        return item

    def _from_detections(self, detections: list[Detection],
                         area: int | None = None) -> tuple[dict[str, float], list[Mapping[str, Any]]]:
        scores = self._base_scores()
        evidence = [{**self._count(scores, det.label, det.score, self._backed(det, detections, area)),
                     "box": list(det.box)} for det in detections]
        return scores, _ranked(evidence, MAX_EVIDENCE)

    def _backed(self, det: Detection, detections: list[Detection], area: int | None) -> bool:
        """`area`: the image's pixels (None: unknown, the box size is not judged)."""
        rule = self.spec.corroboration
        if rule is None or any(other is not det for other in detections):
            return True
        box_area = det.box[2] * det.box[3]  # x, y, width, height
        return det.score >= rule.alone and (area is None or box_area <= rule.max_area * area)

    def _from_probabilities(self, probs: np.ndarray) -> tuple[dict[str, float], list[Mapping[str, Any]]]:
        scores = self._base_scores()
        evidence = [self._count(scores, label, float(p)) for label, p in zip(self.spec.labels, probs)]
        return scores, _ranked(evidence, TOP_LABELS)


def _ranked(evidence: list[dict[str, Any]], limit: int) -> list[Mapping[str, Any]]:
    """Every item that counts toward a category (censoring blurs exactly those boxes, so
    none may be cut), then the others by score up to `limit` items in all."""
    def counts(e: Mapping[str, Any]) -> bool:
        return bool(e["category"]) and e["score"] >= e["threshold"] and not e.get("uncorroborated")

    evidence.sort(key=lambda e: (not counts(e), -e["score"]))
    flagged = sum(map(counts, evidence))
    return evidence[:max(limit, flagged)]
