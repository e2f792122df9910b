"""The built-in `textmodel` checker: the hashed n-gram model and the English contextual model,
averaged per category.

Why average instead of letting either block alone: each over-blocks what it misreads (the
n-gram model a word out of context, the sentence encoder a topic it has seen near abuse),
and they rarely misread the same text. Both report calibrated scores (0.5 = the model's own
threshold, classifier.calibrated), so their mean sits on the same scale the policies use.
A category only one of them scores (a replaced half with other labels) keeps that score.
An n-gram score of SURE or more (far past the model's threshold) stands: the encoder
mean-pools its tokens, so harmless padding around an insult would otherwise pull the
average under the threshold, while the n-gram model weighs each phrase it finds.

The contextual model reads English: it votes only on text written in Latin script (at least
ENGLISH_SHARE of its words; each CJK character counts as a word, since one carries about a
word's meaning). Anything else, Chinese prompts with English quality tags included, is
scored by the n-gram model alone and the encoder is not run: its near-zero score for words
it cannot read would dilute the n-gram model's hit.
"""

from __future__ import annotations

import re

from ..verdict import Finding
from .classifier import TextClassifierChecker

_LATIN_LETTERS = "A-Za-z\u00c0-\u024f"
_CJK_LETTERS = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff"  # kana, ideographs, hangul
_LATIN = re.compile(f"[{_LATIN_LETTERS}]+")
_CJK = re.compile(f"[{_CJK_LETTERS}]")
_OTHER = re.compile(rf"[^\W\d_{_LATIN_LETTERS}{_CJK_LETTERS}]+")  # words of any other script
ENGLISH_SHARE = 0.9
CONTEXT_WEIGHT = 0.5
SURE = 0.9  # an n-gram score this high stands: padding cannot average it away


def latin_share(text: str) -> float:
    """Latin-script words among all words (CJK characters one word each); 0 without words."""
    latin = len(_LATIN.findall(text))
    words = latin + len(_CJK.findall(text)) + len(_OTHER.findall(text))
    return latin / words if words else 0.0


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
        weight = CONTEXT_WEIGHT if latin_share(text) >= ENGLISH_SHARE else 0.0
        weighed = tuple({**e, "weight": 1 - weight} for e in first.evidence)
        if not weight:
            return Finding(first.scores, self.provider, weighed, first.latency_ms)
        second = self.context.check_text(text)
        scores = {}
        for category in {*first.scores, *second.scores}:
            pairs = [(w, f.scores[category]) for w, f in ((1 - weight, first), (weight, second))
                     if category in f.scores]
            mean = sum(w * s for w, s in pairs) / sum(w for w, _ in pairs)
            words_score = first.scores.get(category, 0.0)
            scores[category] = round(max(mean, words_score) if words_score >= SURE else mean, 4)
        evidence = weighed + tuple({**e, "weight": weight} for e in second.evidence)
        return Finding(scores, self.provider, evidence, first.latency_ms + second.latency_ms)
