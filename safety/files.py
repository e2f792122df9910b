"""The one reader of the pack's YAML and JSON files (config, credentials, model sidecars,
combination rules): every file fails the same way, naming the file and the line. And the
SHA-256 of model and lexicon files (the status route, the audit trail), once per version.

Such files are input too, so parsing is bounded: a YAML alias bomb (a few hundred bytes
naming one list nine times over, nine levels deep) expands to a billion items for
anything that walks it, and a list nested thousands deep overflows Python's stack. The
YAML events are counted before any object is built (libyaml's C parser where PyYAML has
it), so such files fail in milliseconds with an error that names them.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import yaml

from .cache import SharedCache
from .errors import ConfigError

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 100_000  # scalars and collections, every alias counted as what it repeats

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def read_data(path: str | os.PathLike[str], what: str, *, private: bool = False,
              raw: bytes | None = None) -> Any:
    """Parse `path` as JSON when it ends in .json, else as YAML. `what` names the file in
    errors ("config file"); `private` keeps the parser's problem text out of them, since
    it may quote a secret from the file. `raw`: the file's bytes, already read."""
    name = str(path)
    if raw is None:
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise ConfigError(f"{name}: cannot read {what}: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise ConfigError(f"{name}: {what} is {len(raw)} bytes, more than the limit of {MAX_BYTES}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{name}: {what} is not UTF-8 (byte {exc.start})") from None
    if name.lower().endswith(".json"):
        return _json(text, name, private)
    try:
        _check_events(text, name)
        return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _invalid(name, "YAML", mark.line + 1 if mark is not None else None, problem, private) from None


def _json(text: str, name: str, private: bool) -> Any:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _invalid(name, "JSON", exc.lineno, exc.msg, private) from None
    except RecursionError:
        data = None
    if data is None and text.strip() != "null" or _too_deep(data):
        raise ConfigError(f"{name}: nested more than {MAX_DEPTH} levels deep")
    return data


def _too_deep(data: Any) -> bool:
    """JSON has no aliases; its nesting is measured without recursion."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (list, dict)):
            if depth >= MAX_DEPTH:
                return True
            stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return False


def _check_events(text: str, name: str) -> None:
    """Depth and expanded size from the parser's events, before anything is composed."""
    counts = [0]  # values below each open collection (the root's slot first)
    anchors: list[str | None] = []
    sizes: dict[str, int] = {}
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, _OPEN):
            if len(anchors) >= MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else "?"
                raise ConfigError(f"{name}: line {line}: nested more than {MAX_DEPTH} levels deep")
            counts.append(1)
            anchors.append(event.anchor)
            continue
        if isinstance(event, _CLOSE):
            size = counts.pop()
            anchor = anchors.pop()
        elif isinstance(event, yaml.ScalarEvent):
            size, anchor = 1, event.anchor
        elif isinstance(event, yaml.AliasEvent):
            size, anchor = sizes.get(event.anchor, 1), None
        else:
            continue
        if anchor is not None:
            sizes[anchor] = size
        counts[-1] += size
        if counts[-1] > MAX_NODES:
            raise ConfigError(f"{name}: more than {MAX_NODES} values (a YAML alias counts as what "
                              f"it repeats); refused as a possible alias bomb")


def _invalid(name: str, syntax: str, line: int | None, problem: str, private: bool) -> ConfigError:
    where = f"line {line}: " if line is not None else ""
    detail = "" if private else f": {problem}"
    return ConfigError(f"{name}: {where}invalid {syntax}{detail}")


_digests: SharedCache[str] = SharedCache(maxsize=1024)


def file_sha256(path: str | os.PathLike[str]) -> str:
    """Read in blocks (hashlib.file_digest needs Python 3.11; the pack supports 3.10)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def sha256_file(path: Path) -> str:
    """Hashed once per version of the file (path, size, mtime)."""
    stat = path.stat()
    return _digests.get_or_call((str(path), stat.st_size, stat.st_mtime_ns), lambda: file_sha256(path))[0]
