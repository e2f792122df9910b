"""The hash chain: each row's SHA-256 covers a canonical JSON of its fields and the
previous row's hash, so a changed, removed or moved row breaks every link after it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

GENESIS = "0" * 64
UNHASHED = ("seq", "hash")  # seq only locates a row; the chain itself defines the order


def canonical(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same bytes on every machine and database."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def sha256_hex(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def row_hash(row: Mapping[str, Any]) -> str:
    """The hash of a row as stored (its `prev_hash` included, `seq` and `hash` not)."""
    return sha256_hex(canonical({k: v for k, v in row.items() if k not in UNHASHED}))
