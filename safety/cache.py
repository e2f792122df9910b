"""Bounded, thread-safe caches of values that are costly to make. `SharedCache`: LLM
replies (identical prompts cost one call) and SDK clients (a long-running server whose
config changes keeps only the recent ones). `FileStampedCache`: values made from files,
remade when a file changes (config, lexicons, model sidecars and sessions, placeholder).

Concurrent misses on one key wait for the first caller instead of all making the value.
Failures are not cached: the next call tries again.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class _SingleFlight:
    """A miss makes the value once: concurrent misses on one key wait for the first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # guards the subclass's items and `_inflight`
        self._inflight: dict[Hashable, threading.Lock] = {}

    def _once(self, key: Hashable, find: Callable[[], tuple[T] | None], make: Callable[[], T]) -> tuple[T, bool]:
        """(value, True when `find` had it); `make` also stores what it makes."""
        found = find()
        if found is not None:
            return found[0], True
        with self._lock:
            key_lock = self._inflight.setdefault(key, threading.Lock())
        with key_lock:
            try:
                found = find()
                return (found[0], True) if found is not None else (make(), False)
            finally:
                with self._lock:
                    if self._inflight.get(key) is key_lock:  # a later miss may have its own by now
                        del self._inflight[key]


class SharedCache(_SingleFlight, Generic[T]):
    def __init__(self, maxsize: int = 1024) -> None:
        super().__init__()
        self.maxsize = maxsize
        self._items: OrderedDict[Hashable, T] = OrderedDict()

    def get_or_call(self, key: Hashable, call: Callable[[], T]) -> tuple[T, bool]:
        """(value, True when it came from the cache)."""
        if self.maxsize <= 0:
            return call(), False

        def make() -> T:
            value = call()
            self._put(key, value)
            return value

        return self._once(key, lambda: _some(self._get(key)), make)

    def _get(self, key: Hashable) -> T | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def _put(self, key: Hashable, value: T) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def resize(self, maxsize: int) -> None:
        with self._lock:
            self.maxsize = maxsize
            while len(self._items) > max(maxsize, 0):
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


def _some(value: T | None) -> tuple[T] | None:
    return None if value is None else (value,)


def file_stamp(path: str | os.PathLike[str]) -> tuple[str, int, int]:
    """(path, mtime_ns, size): changes whenever the file is edited or replaced."""
    st = os.stat(path)
    return str(path), st.st_mtime_ns, st.st_size


class FileStampedCache(_SingleFlight, Generic[T]):
    """Values made from files (a parsed config, a lexicon, an ONNX session), remade when
    one of the files changes. One entry per key, so an edited file replaces its old value;
    the `maxsize` most recently used keys are kept. Concurrent misses on one key wait for
    the first caller. `OSError` from a missing file propagates for the caller to word."""

    def __init__(self, maxsize: int = 16) -> None:
        super().__init__()
        self.maxsize = maxsize
        self._items: OrderedDict[Hashable, tuple[tuple[tuple[str, int, int], ...], T]] = OrderedDict()

    def get(self, key: Hashable, paths: Iterable[str | os.PathLike[str]], make: Callable[[], T]) -> T:
        stamps = tuple(file_stamp(p) for p in paths)

        def made() -> T:
            value = make()
            with self._lock:
                self._items[key] = (stamps, value)
                self._items.move_to_end(key)
                while len(self._items) > self.maxsize:
                    self._items.popitem(last=False)
            return value

        return self._once(key, lambda: self._current(key, stamps), made)[0]

    def _current(self, key: Hashable, stamps: tuple[tuple[str, int, int], ...]) -> tuple[T] | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None or hit[0] != stamps:
                return None
            self._items.move_to_end(key)
            return (hit[1],)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
