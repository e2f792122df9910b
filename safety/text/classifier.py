"""The text checker of one ONNX text classifier: the built-in `textmodel` or `model:<name>`.

Scores are calibrated so that 0.5 is the model's own decision threshold (the sidecar's
per-label `thresholds`): a probability p with threshold t scores 0.5 * p / t below it and
0.5 + 0.5 * (p - t) / (1 - t) above. The engine's policy then decides as for every provider:
`normal` (0.5) blocks where the model decides, `strict` (0.3) earlier, `lax` (0.8) only
when the model is sure. Labels without a category (e.g. `neutral`) are evidence only.
"""

from __future__ import annotations

import time

import numpy as np

from .. import models
from ..errors import ProviderError
from ..verdict import Finding
from .model_spec import TextModelSpec, load

TOP_LABELS = 3
EVIDENCE_SCORE = 0.1  # labels scoring lower are noise, not evidence


def calibrated(p: float, threshold: float) -> float:
    return 0.5 * p / threshold if p < threshold else 0.5 + 0.5 * (p - threshold) / (1 - threshold)


class TextClassifierChecker:
    """One text model as a cascade step (cost of a local model)."""

    cost = 10

    def __init__(self, spec: TextModelSpec) -> None:
        self.spec = spec
        self.provider = f"local:{spec.name}"
        load(spec)  # a model that does not fit its sidecar fails when the policy is built

    def warm_up(self) -> None:
        """The model is loaded (with the policy); its first run allocates, so run it once."""
        self.check_text("warm-up")

    def check_text(self, text: str) -> Finding:
        began = time.perf_counter()
        run = load(self.spec)
        try:
            outputs = run(text)
            probs = models.activate(np.asarray(outputs, np.float64).reshape(-1), self.spec.activation)
        except Exception as exc:  # onnxruntime and tokenizers raise many types; all mean "cannot run"
            raise ProviderError(self.provider, f"model {self.spec.path} failed to run: "
                                f"{models.error_detail(exc)}", code="model_run_failed") from None
        scores = dict.fromkeys(self.spec.categories.values(), 0.0)
        evidence = []
        for label, p in zip(self.spec.labels, probs.tolist()):
            category, threshold = self.spec.categories.get(label), self.spec.threshold_for(label)
            score = round(calibrated(p, threshold), 4)
            if category:
                scores[category] = max(scores[category], score)
            if score >= EVIDENCE_SCORE:
                evidence.append({"model": self.spec.name, "label": label, "probability": round(p, 4),
                                 "threshold": threshold, "score": score, "category": category})
        evidence.sort(key=lambda e: -e["score"])
        return Finding(scores, self.provider, tuple(evidence[:TOP_LABELS]), (time.perf_counter() - began) * 1000)
