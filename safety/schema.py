"""Reading untyped config mappings with errors that name the file and the key."""

from __future__ import annotations

import os
import reprlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import ConfigError

_TYPE_NAMES = {str: "a string", bool: "true or false", int: "an integer", float: "a number",
               list: "a list", dict: "a mapping"}


_BRIEF = reprlib.Repr()
_BRIEF.maxstring = _BRIEF.maxother = 80
_BRIEF.maxlevel = 3


def brief(value: Any) -> str:
    """A value for an error message, cut short: a wrong value may be huge (an alias bomb
    expands to a billion items) and the message must stay one readable line."""
    text = _BRIEF.repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


class Section:
    """One mapping of a config file. Call `get` for each known key, then `done()`,
    which rejects keys nobody asked for (typos must not be silently ignored)."""

    def __init__(self, data: Any, where: str, source: str) -> None:
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise ConfigError(f"{source}: {where or 'top level'}: expected a mapping, "
                              f"got {type(data).__name__}")
        self.data = data
        self.where = where
        self.source = source
        self._seen: set[str] = set()

    def path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.source}: {self.path(key)}: {problem}")

    def get(self, key: str, kind: type, default: Any = None) -> Any:
        self._seen.add(key)
        if key not in self.data or self.data[key] is None:
            return default
        value = self.data[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self.fail(key, f"expected {_TYPE_NAMES.get(kind, kind.__name__)}, "
                                 f"got {type(value).__name__} {brief(value)}")
        return value

    def raw(self, key: str, default: Any = None) -> Any:
        """The value as written, for keys that take more than one type (true or a format)."""
        self._seen.add(key)
        return self.data.get(key, default)

    def get_number(self, key: str, default: float, low: float, high: float) -> float:
        value = self.get(key, float, default)
        if not low <= value <= high:
            raise self.fail(key, f"must be between {low} and {high}, got {value}")
        return value

    def get_strings(self, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...] | None:
        """A list of strings; returns None when the key is absent so callers can inherit."""
        value = self.get(key, list, None)
        if value is None:
            return None if key not in self.data else default
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise self.fail(f"{key}[{i}]", f"expected a string, got {type(item).__name__} {brief(item)}")
        return tuple(value)

    def get_path(self, key: str, base: Path, default: str | None = None) -> str | None:
        """A file or folder; a relative path resolves against `base` (the config file's folder)."""
        value = self.get(key, str, None)
        if value is None:
            return default
        if not value.strip():
            raise self.fail(key, "must not be empty (leave it out for the default)")
        return str((base / os.path.expanduser(value)).resolve())

    def get_choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.get(key, str, default)
        if value not in choices:
            raise self.fail(key, f"must be one of {', '.join(choices)}, got {brief(value)}")
        return value

    def entries(self) -> list[tuple[str, Any]]:
        """All key/value pairs, for mappings whose keys are names the user chooses."""
        self._seen.update(self.data)
        return [(str(k), v) for k, v in self.data.items()]

    def section(self, key: str) -> Section:
        self._seen.add(key)
        return Section(self.data.get(key), self.path(key), self.source)

    def done(self) -> None:
        unknown = [k for k in self.data if k not in self._seen]
        if unknown:
            known = ", ".join(sorted(self._seen)) or "none"
            raise ConfigError(f"{self.source}: {self.path(str(unknown[0]))}: unknown key "
                              f"(known keys here: {known})")
