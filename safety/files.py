"""The one reader of the pack's YAML and JSON files (config, credentials, model sidecars,
combination rules): every file fails the same way, naming the file and the line. And the
SHA-256 of model and lexicon files (the status route, the audit trail), once per version."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import yaml

from .cache import SharedCache
from .errors import ConfigError

_digests: SharedCache[str] = SharedCache(maxsize=1024)


def sha256_file(path: Path) -> str:
    """Hashed once per version of the file (path, size, mtime)."""
    stat = path.stat()

    def digest() -> str:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()

    return _digests.get_or_call((str(path), stat.st_size, stat.st_mtime_ns), digest)[0]


def read_data(path: str | os.PathLike[str], what: str, *, private: bool = False) -> Any:
    """Parse `path` as JSON when it ends in .json, else as YAML. `what` names the file in
    errors ("config file"); `private` keeps the parser's problem text out of them, since
    it may quote a secret from the file."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"{name}: cannot read {what}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{name}: {what} is not UTF-8 (byte {exc.start})") from None
    if name.lower().endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise _invalid(name, "JSON", exc.lineno, exc.msg, private) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise _invalid(name, "YAML", mark.line + 1 if mark is not None else None, problem, private) from None


def _invalid(name: str, syntax: str, line: int | None, problem: str, private: bool) -> ConfigError:
    where = f"line {line}: " if line is not None else ""
    detail = "" if private else f": {problem}"
    return ConfigError(f"{name}: {where}invalid {syntax}{detail}")
