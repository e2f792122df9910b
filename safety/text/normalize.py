"""Normalise text into the view the lexicon is matched against, keeping a map back
to offsets of the original so every match reports a span of what the user wrote.

Steps (each undoes one kind of obfuscation):
1. per character: NFKC (full-width -> half-width), accents stripped, case folding,
   Cyrillic/Greek look-alikes -> Latin, traditional -> simplified Chinese,
   zero-width and control characters dropped, all whitespace -> one space;
2. separators inside words dropped: ``s.e.x``, ``s e x``, ``色 情``, ``色*情``;
3. leetspeak inside mixed letter/digit tokens: ``s3x``, ``pr0n``;
4. runs of a repeated letter or space collapsed (``sexxxy``), with the run lengths
   kept so a term's own double letters (``ass``) still need a double in the text.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import compress
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Separators an obfuscator puts between the characters of one word.
_SEP = r"\s.\-_*+~|/\\#^`'\"=:,;!?&%<>()\[\]{}·•・。、，"
_LATIN_CHAIN = re.compile(
    rf"(?<![a-z0-9])[a-z0-9](?:[{_SEP}]{{1,3}}[a-z0-9](?![a-z0-9])){{2,}}"
)
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[\s.\-_*+~|/\\#^`'\"=·•・]{{1,3}}(?=[{_CJK}])")
_SEP_CHARS = re.compile(rf"[{_SEP}]")
_LEET_TOKEN = re.compile(r"(?<![a-z0-9@$])(?=[a-z0-9@$]*[a-z])(?=[a-z0-9@$]*[0-9@$])[a-z0-9@$]+")
_LEET_HINT = re.compile(r"[a-z][0-9@$]|[0-9@$][a-z]")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_REPEAT = re.compile(r"([a-z ])\1+")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"'}


LOOKALIKES = Path(__file__).with_name("lookalikes.json")


def _latin_lookalikes() -> dict[str, str]:
    """Cyrillic and Greek letters that Unicode lists as confusable with a Latin letter
    (generated from `confusable_homoglyphs` by scripts/gen_lookalikes.py)."""
    return json.loads(LOOKALIKES.read_text(encoding="utf-8"))


class _CharMap:
    """Memoised per-character normalisation, shared by all threads."""

    def __init__(self) -> None:
        import opencc  # with the first check, not with the pack

        self._t2s = opencc.OpenCC("t2s")
        self._lookalike = _latin_lookalikes()
        self._lock = threading.Lock()
        self.table: dict[int, str] = {}
        self.known: set[str] = set()
        self.irregular: set[str] = set()  # chars that map to anything but one char

    def _one(self, ch: str) -> str:
        if ch in _ZERO_WIDTH:
            return ""
        if ch in _QUOTES:
            return _QUOTES[ch]
        category = unicodedata.category(ch)
        if ch.isspace():
            return " "
        if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            return ""
        out = []
        for c in unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", ch)):
            if unicodedata.combining(c):
                continue
            c = self._lookalike.get(c, c)
            for f in c.casefold():
                out.append(self._lookalike.get(f, f))
        mapped = unicodedata.normalize("NFC", "".join(out))
        if any("\u3400" <= c <= "\ufaff" for c in mapped):
            mapped = self._t2s.convert(mapped)
        return mapped

    def learn(self, chars: set[str]) -> None:
        new = chars - self.known
        if not new:
            return
        with self._lock:
            for ch in new:
                mapped = self._one(ch)
                if len(mapped) != 1:
                    self.irregular.add(ch)
                self.table[ord(ch)] = mapped
            self.known |= new


@lru_cache(maxsize=1)
def _charmap() -> _CharMap:
    return _CharMap()


class Normalized:
    """The matching view of a text, with lazy maps back to the original: most texts
    have no match, so the offset arrays are only built when a span is asked for."""

    def __init__(self, text: str, char_index: np.ndarray | None, kept: np.ndarray | None,
                 collapsed: str, repeats: list[tuple[int, int]]) -> None:
        self._pre = text  # after steps 1-3, before runs were collapsed
        self._char_index = char_index  # None: step 1 kept every character in place
        self._kept = kept  # None: step 2 dropped nothing
        self._repeats = repeats
        self.text = collapsed

    @cached_property
    def _maps(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(first, last, runs): original offsets of each character and its run length."""
        index = self._char_index
        if index is None:  # step 1 kept every character in place
            index = np.arange(len(self._pre) if self._kept is None else len(self._kept))
        if self._kept is not None:
            index = index[self._kept]
        runs = np.ones(len(self._pre), dtype=np.int32)
        if not self._repeats:
            return index, index, runs
        mask = np.ones(len(self._pre), dtype=bool)
        last = index.copy()
        for s, e in self._repeats:
            mask[s + 1:e] = False
            runs[s] = e - s
            last[s] = index[e - 1]
        return index[mask], last[mask], runs[mask]

    @property
    def runs(self) -> np.ndarray:
        """How many times each character of `text` repeated before runs were collapsed."""
        return self._maps[2]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering normalised [start, end)."""
        first, last, _ = self._maps
        return int(first[start]), int(last[end - 1]) + 1


def _separator_mask(text: str, spans: list[tuple[int, int]], only: re.Pattern[str] | None,
                    mask: np.ndarray) -> None:
    for s, e in spans:
        if only is None:
            mask[s:e] = False
        else:
            for m in only.finditer(text, s, e):
                mask[m.start()] = False


_MEMO: ContextVar[dict[str, tuple[str, np.ndarray | None]] | None] = ContextVar(
    "char_normalize_memo", default=None)


@contextmanager
def shared_normalization() -> Iterator[None]:
    """Within one check, checkers that ask for the same text share step 1."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def char_normalize(text: str) -> tuple[str, np.ndarray | None]:
    """Step 1 only, and the original offset of each character (None: unchanged)."""
    memo = _MEMO.get()
    if memo is None:
        return _char_normalize(text)
    if text not in memo:
        memo[text] = _char_normalize(text)
    return memo[text]


def _char_normalize(text: str) -> tuple[str, np.ndarray | None]:
    cmap = _charmap()
    chars = set(text)
    cmap.learn(chars)
    if not (chars & cmap.irregular):
        return text.translate(cmap.table), None
    pieces = [cmap.table[ord(c)] for c in text]
    lengths = np.fromiter((len(p) for p in pieces), dtype=np.int64, count=len(pieces))
    return "".join(pieces), np.repeat(np.arange(len(text), dtype=np.int64), lengths)


def normalize(text: str) -> Normalized:
    norm, index = char_normalize(text)
    chains = [m.span() for m in _LATIN_CHAIN.finditer(norm)]
    gaps = [m.span() for m in _CJK_GAP.finditer(norm)]
    kept = None
    if chains or gaps:
        mask = np.ones(len(norm), dtype=bool)
        _separator_mask(norm, chains, _SEP_CHARS, mask)
        _separator_mask(norm, gaps, None, mask)
        norm, kept = "".join(compress(norm, mask)), mask
    if _LEET_HINT.search(norm):
        norm = _LEET_TOKEN.sub(lambda m: m.group().translate(_LEET), norm)
    repeats = [m.span() for m in _REPEAT.finditer(norm)]
    collapsed = _REPEAT.sub(r"\1", norm) if repeats else norm
    return Normalized(norm, index, kept, collapsed, repeats)
