"""A bounded, thread-safe LRU of values that are costly to make: LLM replies (identical
prompts cost one call) and SDK clients (a long-running server whose config changes
keeps only the recent ones).

Concurrent misses on one key wait for the first caller instead of all making the value.
Failures are not cached: the next call tries again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class SharedCache(Generic[T]):
    def __init__(self, maxsize: int = 1024) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()
        self._inflight: dict[Hashable, threading.Lock] = {}

    def get_or_call(self, key: Hashable, call: Callable[[], T]) -> tuple[T, bool]:
        """(value, True when it came from the cache)."""
        if self.maxsize <= 0:
            return call(), False
        hit = self._get(key)
        if hit is not None:
            return hit, True
        with self._lock:
            key_lock = self._inflight.setdefault(key, threading.Lock())
        with key_lock:
            hit = self._get(key)
            if hit is not None:
                return hit, True
            try:
                value = call()
                self._put(key, value)
            finally:
                with self._lock:
                    self._inflight.pop(key, None)
        return value, False

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
