"""The credentials file the config names (YAML or JSON, one section per provider):
read in one place so every provider parses it, and fails on it, the same way.
Errors name the file and key, never a value."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import yaml

from .errors import ConfigError


def read_section(path: str, section: str, keys: tuple[str, ...]) -> dict[str, str] | None:
    """The string values of `section` (None when the file has no such section)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read credentials file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: credentials file is not UTF-8") from None
    is_json = path.lower().endswith(".json")
    try:
        data = json.loads(text) if is_json else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError):  # their messages may quote the file: keep them out
        raise ConfigError(f"{path}: credentials file is not valid {'JSON' if is_json else 'YAML'}") from None
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
