"""Hashed n-gram features of a text, the input of the shipped text model.

Character 1-4-grams (Chinese needs no word segmentation: two- and three-character
n-grams are its words) plus Latin word 1-2-grams, hashed into a fixed number of
buckets. Vectorised in numpy so a prompt costs tens of microseconds; the training
script uses the same function, so what the model learnt is what it is given.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_PRIME = np.uint64(1_000_003)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


@dataclass(frozen=True)
class HashingSpec:
    """What the model was trained with; stored in its sidecar."""

    buckets: int = 1 << 18
    char_ngrams: tuple[int, int] = (1, 4)
    word_ngrams: tuple[int, int] = (1, 2)
    max_chars: int = 2000


def clean(text: str, max_chars: int) -> str:
    """Full-width -> half-width, case folded, whitespace runs -> one space."""
    text = unicodedata.normalize("NFKC", text[: max_chars * 2]).casefold()
    return _SPACE.sub(" ", text).strip()[:max_chars]


def _mix(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(30))
    h = h * _MIX1
    h = h ^ (h >> np.uint64(27))
    h = h * _MIX2
    return h ^ (h >> np.uint64(31))


def _char_hashes(text: str, low: int, high: int) -> list[np.ndarray]:
    codes = np.frombuffer(f" {text} ".encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    out = []
    h = np.zeros(len(codes), np.uint64)
    for n in range(1, high + 1):
        if n > len(codes):
            break
        h = h[: len(codes) - n + 1] * _PRIME + codes[n - 1:]  # rolling: n-gram starting at i
        if n >= low:
            out.append(_mix(h + np.uint64(n)))
    return out


def _word_hashes(text: str, low: int, high: int) -> np.ndarray:
    words = _WORD.findall(text)
    grams = [" ".join(words[i:i + n]) for n in range(low, high + 1) for i in range(len(words) - n + 1)]
    return _mix(np.array([zlib.crc32(g.encode()) for g in grams], np.uint64) + np.uint64(1 << 40))


def features(text: str, spec: HashingSpec) -> tuple[np.ndarray, np.ndarray]:
    """Sorted bucket indices (int64) and their term frequencies 1 + log(count) (float32)."""
    text = clean(text, spec.max_chars)
    parts = _char_hashes(text, *spec.char_ngrams)
    if spec.word_ngrams[1] > 0:
        parts.append(_word_hashes(text, *spec.word_ngrams))
    hashes = np.concatenate(parts) % np.uint64(spec.buckets)
    index, count = np.unique(hashes.astype(np.int64), return_counts=True)
    return index, (1.0 + np.log(count)).astype(np.float32)
