"""Parsing YAML and JSON files within bounds on size, nesting and alias expansion.

A config or rules file is input too: a YAML alias bomb (a few hundred bytes naming one
list nine times over, nine levels deep) expands to a billion items for anything that
walks it, and a list nested thousands deep overflows Python's stack. The YAML events
are counted before any object is built (libyaml's C parser where PyYAML has it), so
such files fail in milliseconds with an error that names them.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from .errors import ConfigError

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 100_000  # scalars and collections, every alias counted as what it expands to

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def decode(raw: bytes, source: str, what: str) -> str:
    if len(raw) > MAX_BYTES:
        raise ConfigError(f"{source}: {what} is {len(raw)} bytes, more than the limit of {MAX_BYTES}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{source}: {what} is not UTF-8 (byte {exc.start})") from None


def load_json(raw: bytes, source: str, what: str = "file") -> Any:
    text = decode(raw, source, what)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{source}: line {exc.lineno}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        data = None
    if data is None and text.strip() != "null" or _too_deep(data):
        raise ConfigError(f"{source}: nested more than {MAX_DEPTH} levels deep")
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


def load_yaml(raw: bytes, source: str, what: str = "file") -> Any:
    text = decode(raw, source, what)
    try:
        _check_events(text, source)
        return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{source}: {where}invalid YAML: {problem}") from None


def _check_events(text: str, source: str) -> None:
    """Depth and expanded size from the parser's events, before anything is composed."""
    counts = [0]  # nodes below each open collection (the root's slot first)
    anchors: list[str | None] = []
    sizes: dict[str, int] = {}
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, _OPEN):
            if len(anchors) >= MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else "?"
                raise ConfigError(f"{source}: line {line}: nested more than {MAX_DEPTH} levels deep")
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
            raise ConfigError(f"{source}: more than {MAX_NODES} values (a YAML alias counts as what "
                              f"it repeats); refused as a possible alias bomb")
