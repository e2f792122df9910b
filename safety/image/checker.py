"""The image checker of one ONNX model (detector or classifier): scores -> Verdicts.

A label counts toward its taxonomy category only at or above its threshold (the
sidecar's calibration, which `image.label_thresholds` in the config overrides); the
policy then decides as for every provider. Labels without a category (faces, covered
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
from ..policy import Policy
from ..verdict import Verdict
from .classifier import Classifier
from .nudenet import Detection, Detector

MAX_EVIDENCE = 32
TOP_LABELS = 5


class ModelImageChecker:
    cost = 10  # local model

    def __init__(self, spec: models.ModelSpec, config: Config) -> None:
        self.spec = spec
        self.provider = f"local:{spec.name}"
        self.batch_size = config.image.batch_size
        self.label_thresholds = config.image.label_thresholds
        self.threads, self.spinning = config.image.threads, config.image.spinning
        self._model: Detector | Classifier | None = None

    @classmethod
    def named(cls, name: str, config: Config) -> ModelImageChecker:
        return cls(models.find_model(name, config), config)

    def _load(self) -> Detector | Classifier:
        if self._model is None:
            session = models.session(self.spec, self.threads, self.spinning)
            limit = models.batch_limit(session)
            self.batch_size = min(self.batch_size, limit) if limit else self.batch_size
            kind = Detector if self.spec.kind == "detector" else Classifier
            self._model = kind(self.spec, session)
        return self._model

    def threshold(self, label: str) -> float:
        return self.label_thresholds.get(label, self.spec.threshold_for(label))

    def check_images(self, images: Sequence[np.ndarray], policy: Policy) -> list[Verdict]:
        model = self._load()
        verdicts: list[Verdict] = []
        for start in range(0, len(images), self.batch_size):
            chunk = images[start:start + self.batch_size]
            began = time.perf_counter()
            try:
                if isinstance(model, Detector):
                    found = [self._from_detections(d) for d in model.detect(chunk)]
                else:
                    found = [self._from_probabilities(p) for p in model.classify(chunk)]
            except Exception as exc:  # onnxruntime and numpy raise many types; all mean "cannot run"
                raise ProviderError(self.provider, f"model {self.spec.path} failed to run: "
                                    f"{models.error_detail(exc)}", code="model_run_failed") from None
            latency = (time.perf_counter() - began) * 1000 / len(chunk)
            verdicts += [policy.judge(scores, provider=self.provider, evidence=evidence, latency_ms=latency)
                         for scores, evidence in found]
        return verdicts

    def _base_scores(self) -> dict[str, float]:
        """Every category the model can report, so a stricter policy can be replayed."""
        return dict.fromkeys(self.spec.categories.values(), 0.0)

    def _count(self, scores: dict[str, float], label: str, score: float) -> dict[str, Any]:
        category = self.spec.categories.get(label)
        threshold = self.threshold(label)
        if category and score >= threshold:
            scores[category] = max(scores[category], score)
        return {"model": self.spec.name, "label": label, "score": round(score, 4),
                "category": category, "threshold": threshold}

    def _from_detections(self, detections: list[Detection]) -> tuple[dict[str, float], list[Mapping[str, Any]]]:
        scores = self._base_scores()
        evidence = [{**self._count(scores, det.label, det.score), "box": list(det.box)} for det in detections]
        return scores, _ranked(evidence, MAX_EVIDENCE)

    def _from_probabilities(self, probs: np.ndarray) -> tuple[dict[str, float], list[Mapping[str, Any]]]:
        scores = self._base_scores()
        evidence = [self._count(scores, label, float(p)) for label, p in zip(self.spec.labels, probs)]
        return scores, _ranked(evidence, TOP_LABELS)


def _ranked(evidence: list[dict[str, Any]], limit: int) -> list[Mapping[str, Any]]:
    """Every item that counts toward a category (censoring blurs exactly those boxes, so
    none may be cut), then the others by score up to `limit` items in all."""
    def counts(e: Mapping[str, Any]) -> bool:
        return bool(e["category"]) and e["score"] >= e["threshold"]

    evidence.sort(key=lambda e: (not counts(e), -e["score"]))
    flagged = sum(map(counts, evidence))
    return evidence[:max(limit, flagged)]
