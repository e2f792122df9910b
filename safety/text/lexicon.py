"""Category-tagged lexicon matched with Aho-Corasick over the normalised text.

Terms and allow-list phrases are normalised exactly like the text, so one automaton
finds both; a term match that lies inside an allow-list match (``kill`` inside
``kill a python process``) is dropped. Latin terms match on word boundaries
(``sex`` does not fire inside ``sussex``); a leading or trailing ``*`` lifts that
boundary on its side. Chinese terms match anywhere.
"""

from __future__ import annotations

import codecs
import gc
import os
import time
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple
from pathlib import Path

import ahocorasick_rs
import numpy as np

from ..cache import FileStampedCache
from ..errors import ConfigError
from ..settings.checks import LexiconSettings
from ..taxonomy import is_category
from ..verdict import Finding
from .combos import Combo, fired, is_combo_file, parse_combos
from .normalize import normalize

SEED_DIR = Path(__file__).with_name("lexicon_data")
ALLOW_PREFIX = "allow"
CONTEXT_PREFIX = "context"  # files of news/legal/medical/historical markers
CONTEXT_GROUP = "\ncontext"  # the group of a context marker (no combination rule has it)
_JOIN = "\u00a6"  # broken bar: survives normalisation and is never part of a term
_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
MAX_EVIDENCE = 50


class Term(NamedTuple):
    text: str
    category: str
    weight: float = 1.0
    source: str = ""
    group: str = ""  # a combination rule's group (combos.py); "" for ordinary terms


@dataclass(frozen=True)
class LexiconMatch:
    term: Term
    start: int  # span in the original text
    end: int
    matched: str


class _Entry(NamedTuple):
    term: Term | None  # None: an allow-list phrase
    runs: tuple[tuple[int, int], ...]  # (offset, length) of the term's own repeated letters
    open_start: bool
    open_end: bool


class Matcher:
    """An immutable automaton over terms and allow phrases; safe to share across threads."""

    def __init__(self, terms: Iterable[Term], allow: Iterable[str] = ()) -> None:
        with _gc_paused():
            self._build(terms, allow)

    def _build(self, terms: Iterable[Term], allow: Iterable[str]) -> None:
        items: list[tuple[str, Term | None]] = [(t.text, t) for t in terms]
        items += [(phrase, None) for phrase in allow]
        groups: dict[str, list[_Entry]] = {}
        for (raw, term), (key, runs) in zip(items, _normalize_many([r for r, _ in items])):
            if key:
                groups.setdefault(key, []).append(_Entry(term, runs, raw[:1] == "*", raw[-1:] == "*"))
        self._keys = list(groups)
        self._entries = list(groups.values())
        self._automaton = ahocorasick_rs.AhoCorasick(self._keys) if self._keys else None
        self.size = len(items)

    def find(self, text: str) -> list[LexiconMatch]:
        if self._automaton is None or not text:
            return []
        norm = normalize(text)
        view = norm.text
        hits: list[tuple[int, int, Term]] = []
        allowed: list[tuple[int, int]] = []
        for key_id, start, end in self._automaton.find_matches_as_indexes(view, overlapping=True):
            for entry in self._entries[key_id]:
                if entry.runs and any(norm.runs[start + off] < n for off, n in entry.runs):
                    continue
                if entry.term is None:
                    allowed.append((start, end))
                elif _bounded(view, start, end, entry):
                    hits.append((start, end, entry.term))
        matches = []
        covers = _Covers(allowed)
        for start, end, term in hits:
            if covers(start, end):
                continue
            s, e = norm.span(start, end)
            matches.append(LexiconMatch(term, s, e, text[s:e]))
        return matches


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The build makes ~100,000 small objects and no cycles: collections triggered by the
    allocations would walk the whole heap again and again (a third of a 50,000-term build)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Covers:
    """Whether an allow-list match covers a span, in O(log n): a text full of allow-listed
    phrases must not cost allow matches x term matches comparisons."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans.sort()
        self.starts = [s for s, _ in spans]
        self.reach = list(accumulate((e for _, e in spans), max))  # furthest end so far

    def __call__(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start)  # allow spans starting at or before `start`
        return i > 0 and self.reach[i - 1] >= end


def _bounded(view: str, start: int, end: int, entry: _Entry) -> bool:
    """Latin terms need a non-word character (or the text's edge) on each closed side."""
    if not entry.open_start and view[start] in _WORD and start > 0 and view[start - 1] in _WORD:
        return False
    if not entry.open_end and view[end - 1] in _WORD and end < len(view) and view[end] in _WORD:
        return False
    return True


def _normalize_many(raws: Sequence[str]) -> list[tuple[str, tuple[tuple[int, int], ...]]]:
    """Normalise all terms in one pass (50,000 separate calls would take seconds)."""
    if not raws:
        return []
    norm = normalize(_JOIN.join([r.strip("*").strip() for r in raws]))
    pieces = norm.text.split(_JOIN)
    if len(pieces) != len(raws):
        bad = next(r for r in raws if _JOIN in r)
        raise ConfigError(f"lexicon term {bad!r} contains the reserved character {_JOIN!r}")
    runs: list[tuple[tuple[int, int], ...]] = [()] * len(pieces)
    repeated = np.flatnonzero(norm.runs > 1)
    if len(repeated):
        starts = np.cumsum([0] + [len(p) + 1 for p in pieces[:-1]])
        owners = np.searchsorted(starts, repeated, side="right") - 1
        for owner, pos in zip(owners.tolist(), repeated.tolist()):
            runs[owner] += ((pos - int(starts[owner]), int(norm.runs[pos])),)
    out = []
    for piece, piece_runs in zip(pieces, runs):
        lead = len(piece) - len(piece.lstrip())
        if lead:  # terms are stripped before joining, so only normalisation adds spaces
            piece_runs = tuple((off - lead, n) for off, n in piece_runs if off >= lead)
        out.append((piece.strip(), piece_runs))
    return out


# ---------------------------------------------------------------- lexicon files

def parse_lexicon(path: Path, data: bytes | None = None) -> list[Term]:
    """`term`, `term | category` or `term | category | weight`; `#` starts a comment.
    The category defaults to the file-name prefix before `_` when that is a category."""
    default_category = _category_from_name(path.stem)
    name = path.name
    terms = []
    for lineno, line in _lines(path, data, "lexicon"):
        if "|" not in line:  # most lines: a bare term
            terms.append(Term(line, default_category, 1.0, f"{name}:{lineno}"))
            continue
        fields = [f.strip() for f in line.split("|")]
        if len(fields) > 3 or not fields[0]:
            raise ConfigError(f"{path}:{lineno}: expected 'term', 'term | category' or "
                              f"'term | category | weight', got {line!r}")
        category = fields[1] if len(fields) > 1 and fields[1] else default_category
        if not is_category(category):
            raise ConfigError(f"{path}:{lineno}: unknown category {category!r}")
        weight = 1.0
        if len(fields) == 3:
            try:
                weight = float(fields[2])
            except ValueError:
                weight = -1.0
            if not 0.0 <= weight <= 1.0:
                raise ConfigError(f"{path}:{lineno}: weight must be a number from 0 to 1, got {fields[2]!r}")
        terms.append(Term(fields[0], category, weight, f"{name}:{lineno}"))
    return terms


def _category_from_name(stem: str) -> str:
    """The longest `_`-joined prefix of the name that is a category: self_harm_en -> self_harm."""
    parts = stem.lower().replace("-", "_").split("_")
    for n in range(len(parts), 0, -1):
        if is_category("_".join(parts[:n])):
            return "_".join(parts[:n])
    return "other"


def parse_allow(path: Path, data: bytes | None = None) -> list[str]:
    return [line for _, line in _lines(path, data, "allow-list")]


def _lines(path: Path, data: bytes | None, what: str) -> Iterator[tuple[int, str]]:
    """(line number, text) of the lines that hold more than a comment; decoded in one go
    (a first check reads ~4,000 lines of seed lexicon)."""
    raw = path.read_bytes() if data is None else data
    raw = raw.removeprefix(codecs.BOM_UTF8)  # by hand: utf-8-sig counts error offsets after the BOM
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        lineno = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1)
        raise ConfigError(f"{path}:{lineno}: {what} line is not UTF-8 (byte {column})") from None
    for lineno, line in enumerate(text.split("\n"), 1):
        line = _strip_comment(line) if "#" in line else line.strip()
        if line:
            yield lineno, line


def _strip_comment(line: str) -> str:
    if line.lstrip().startswith("#"):
        return ""
    cut = line.find(" #")
    cut2 = line.find("\t#")
    cuts = [c for c in (cut, cut2) if c >= 0]
    return (line[:min(cuts)] if cuts else line).strip()


SEED_FILES: tuple[Path, ...] = tuple(sorted(
    p for p in SEED_DIR.iterdir() if p.suffix == ".txt" or is_combo_file(p.name)))


def lexicon_files(dirs: Iterable[str], files: Iterable[str]) -> list[Path]:
    """Seed files, then every `*.txt` of each lexicon dir, then explicit files.
    Dirs are listed on every check so a dropped-in file takes effect at once."""
    found = list(SEED_FILES)
    for d in dirs:
        try:
            names = sorted(e.name for e in os.scandir(d) if e.is_file()
                           and (e.name.endswith(".txt") or is_combo_file(e.name)))
        except OSError:
            continue  # a configured dir that does not exist (yet) holds no lexicons
        found += [Path(d, n) for n in names]
    for f in files:
        path = Path(f)
        if not path.is_file():
            raise ConfigError(f"{f}: lexicon file not found")
        found.append(path)
    return found


# ---------------------------------------------------------------- the checker

RELOAD_INTERVAL_S = 1.0  # how often lexicon folders and files are looked at again
SETTLE_S = 1.0  # a file (or folder) changed more recently than this may be half-written
wall_clock = time.time  # compared with file times; tests put their own clock here


class _Changed(ConfigError):
    """A file changed while it was read: what was read may be half of it."""


class _LexiconCache:
    """Lexicons remade when one of their files changes (edited or dropped-in files reload);
    the files are looked at no more than once per RELOAD_INTERVAL_S.

    A new version becomes active only when it was read whole and parses: while a file or
    folder changed in the last SETTLE_S (an editor or a sync may be half-way through), or
    changed during the read, the previous lexicon stays in force. A settled file that does
    not parse is the user's error and raises."""

    def __init__(self, size: int = 8) -> None:
        self._built: FileStampedCache[Lexicon] = FileStampedCache(size)
        self._current: dict[tuple, tuple[float, Lexicon]] = {}

    def get(self, dirs: tuple[str, ...], files: tuple[str, ...], allow: tuple[str, ...]) -> Lexicon:
        request = (dirs, files, allow)
        now = time.monotonic()
        current = self._current.get(request)
        if current and now - current[0] < RELOAD_INTERVAL_S:
            return current[1]
        paths = lexicon_files(dirs, files)
        previous = current[1] if current else None
        try:
            if previous is not None and _settling(paths, dirs):
                raise _Changed("settling")
            lexicon = self._built.get((tuple(paths), allow), paths, lambda: _build(paths, allow))
        except OSError as exc:
            raise ConfigError(f"{exc.filename}: cannot read lexicon file: {exc.strerror}") from None
        except ConfigError:
            if previous is None or not _settling(paths, dirs):
                raise
            lexicon = previous  # look again after the interval
        self._current[request] = (now, lexicon)
        return lexicon


def _settling(paths: Sequence[Path], dirs: Iterable[str]) -> bool:
    """A file changed within SETTLE_S, or a folder gained or lost one (delete-then-write)."""
    newest = 0
    for path in [*paths, *dirs]:
        try:
            newest = max(newest, os.stat(path).st_mtime_ns)
        except OSError:
            continue
    return wall_clock() - newest / 1e9 < SETTLE_S


def _read_whole(path: Path) -> bytes:
    """The file's bytes, or _Changed when its size or time moved during the read."""
    with open(path, "rb") as f:
        before = os.fstat(f.fileno())
        data = f.read()
        after = os.fstat(f.fileno())
    if (before.st_mtime_ns, before.st_size) != (after.st_mtime_ns, after.st_size) or len(data) != after.st_size:
        raise _Changed(f"{path}: changed while it was read; the previous lexicon stays in force")
    return data


def _build(paths: Sequence[Path], allow_terms: Sequence[str]) -> Lexicon:
    terms: list[Term] = []
    combos: list[Combo] = []
    allow = list(allow_terms)
    for path in paths:
        data = _read_whole(path)
        if is_combo_file(path.name):
            combos += parse_combos(path, data)
        elif path.stem.lower().startswith(ALLOW_PREFIX):
            allow += parse_allow(path, data)
        elif path.stem.lower().startswith(CONTEXT_PREFIX):
            terms += [Term(t, "other", 0.0, path.name, CONTEXT_GROUP) for t in parse_allow(path, data)]
        else:
            terms += parse_lexicon(path, data)
    terms += [Term(t, c.category, c.weight, f"{c.name} (combination)", c.group_id(g))
              for c in combos for g, group in enumerate(c.groups) for t in group]
    return Lexicon(Matcher(terms, allow), tuple(combos))


@dataclass(frozen=True)
class Lexicon:
    """One automaton over terms and combination-rule groups, and the rules themselves."""

    matcher: Matcher
    combos: tuple[Combo, ...]


LEXICONS = _LexiconCache()


@lru_cache(maxsize=None)
def folder_lexicon(folder: Path) -> Lexicon:
    """A lexicon of one built-in folder alone (no seed files), built once."""
    return _build(sorted(p for p in folder.iterdir() if p.suffix == ".txt" or is_combo_file(p.name)), ())


class LexiconChecker:
    provider = "local:lexicon"
    cost = 0

    def __init__(self, settings: LexiconSettings) -> None:
        self.settings = settings

    def lexicon(self) -> Lexicon:
        s = self.settings
        return LEXICONS.get(s.dirs, s.files, s.allow_terms)

    def warm_up(self) -> None:
        """Build the lexicon (and the character tables it normalises with) now."""
        self.check_text("warm-up")

    def check_text(self, text: str) -> Finding:
        start = time.perf_counter()
        return score(self.lexicon(), text, self.provider, start)


def score(lexicon: Lexicon, text: str, provider: str, start: float) -> Finding:
    """Per-category scores (the highest weight that matched) and the evidence; `context`
    when a news, legal, medical or historical marker is present (the policy then reviews
    instead of blocking)."""
    found = lexicon.matcher.find(text)
    if not found:  # most prompts: nothing to weigh
        return Finding({}, provider, (), (time.perf_counter() - start) * 1000)
    matches = [m for m in found if not m.term.group]
    context = [m for m in found if m.term.group == CONTEXT_GROUP]
    scores: dict[str, float] = {}
    for m in matches:
        scores[m.term.category] = max(m.term.weight, scores.get(m.term.category, 0.0))
    evidence = [{"term": m.matched, "lexicon": m.term.text, "category": m.term.category,
                 "weight": m.term.weight, "span": [m.start, m.end], "source": m.term.source}
                for m in matches[:MAX_EVIDENCE]]
    if len(matches) > MAX_EVIDENCE:
        evidence.append({"truncated": len(matches) - MAX_EVIDENCE})
    hits = [(m.start, m.end, m.term.group) for m in found if m.term.group and m.term.group != CONTEXT_GROUP]
    present = {h[2] for h in hits}
    for combo in lexicon.combos:
        if not combo.group_ids <= present:  # a group without a match: the rule cannot fire
            continue
        window = fired(combo, hits)
        if window:
            scores[combo.category] = max(combo.weight, scores.get(combo.category, 0.0))
            evidence.append({"combination": combo.name, "category": combo.category,
                             "weight": combo.weight, "spans": [[s, e] for s, e, _ in window],
                             "terms": [text[s:e] for s, e, _ in window]})
    in_context = bool(context and scores)
    if in_context:
        evidence.append({"context": [m.matched for m in context[:5]]})
    return Finding(scores, provider, tuple(evidence), (time.perf_counter() - start) * 1000,
                   context=in_context)
