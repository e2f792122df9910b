"""The built-in `textmodel` checker: the hashed n-gram model and the English contextual model,
averaged per category.

Why average instead of letting either block alone: each over-blocks what it misreads (the
n-gram model a word out of context, the sentence encoder a topic it has seen near abuse),
and they rarely misread the same text. Both report calibrated scores (0.5 = the model's own
threshold, classifier.calibrated), so their mean sits on the same scale the policies use.

The contextual model's vocabulary is English: its weight is half the share of Latin
letters among the text's letters and CJK characters, so Chinese text is scored by the
n-gram model alone (and the encoder is not run), mixed text by both in proportion.
"""

from __future__ import annotations

import re

from ..verdict import Finding
from .classifier import TextClassifierChecker

_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
CONTEXT_WEIGHT = 0.5  # of a text written wholly in Latin letters


def latin_share(text: str) -> float:
    latin, cjk = len(_LATIN.findall(text)), len(_CJK.findall(text))
    return latin / (latin + cjk) if latin else 0.0


class AveragedTextChecker:
    """One cascade step (the cost of one local model) that runs both models."""

    cost = 10

    def __init__(self, words: TextClassifierChecker, context: TextClassifierChecker,
                 provider: str = "local:textmodel") -> None:
        self.words, self.context, self.provider = words, context, provider

    def warm_up(self) -> None:
        self.words.warm_up()
        self.context.warm_up()

    def check_text(self, text: str) -> Finding:
        first = self.words.check_text(text)
        weight = CONTEXT_WEIGHT * latin_share(text)
        weighed = tuple({**e, "weight": round(1 - weight, 3)} for e in first.evidence)
        if not weight:
            return Finding(first.scores, self.provider, weighed, first.latency_ms)
        second = self.context.check_text(text)
        scores = {category: round((1 - weight) * first.scores.get(category, 0.0)
                                  + weight * second.scores.get(category, 0.0), 4)
                  for category in {*first.scores, *second.scores}}
        evidence = weighed + tuple({**e, "weight": round(weight, 3)} for e in second.evidence)
        return Finding(scores, self.provider, evidence, first.latency_ms + second.latency_ms)
