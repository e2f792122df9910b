"""The credentials file the config names (YAML or JSON, one section per provider):
read in one place so every provider parses it, and fails on it, the same way.
Errors name the file and key, never a value."""

from __future__ import annotations

from collections.abc import Mapping

from .errors import ConfigError
from .files import read_data


def read_section(path: str, section: str, keys: tuple[str, ...]) -> dict[str, str] | None:
    """The string values of `section` (None when the file has no such section)."""
    data = read_data(path, "credentials file", private=True)
    body = data.get(section) if isinstance(data, Mapping) else None
    if body is None:
        return None
    if not isinstance(body, Mapping):
        raise ConfigError(f"{path}: {section}: expected a mapping with {', '.join(keys)}")
    unknown = [str(k) for k in body if k not in keys]
    if unknown:
        raise ConfigError(f"{path}: {section}.{unknown[0]}: unknown key (known keys: {', '.join(keys)})")
    values = {}
    for key in keys:
        value = body.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{path}: {section}.{key}: expected a non-empty string")
        values[key] = value.strip()
    return values
