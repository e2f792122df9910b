"""Alibaba Cloud credentials: from the environment, else from the credentials file the
config names. Values never reach a message: errors name only the variable, file and key.

Credentials file (YAML or JSON), one section per provider:

    aliyun:
      access_key_id: LTAI...
      access_key_secret: ...
      security_token: ...      # optional, for STS credentials
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ConfigError

ENV_ID = "ALIBABA_CLOUD_ACCESS_KEY_ID"
ENV_SECRET = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
ENV_TOKEN = "ALIBABA_CLOUD_SECURITY_TOKEN"
SECTION = "aliyun"
_KEYS = ("access_key_id", "access_key_secret", "security_token")


@dataclass(frozen=True)
class AliyunCredentials:
    access_key_id: str = field(repr=False)
    access_key_secret: str = field(repr=False)
    security_token: str | None = field(default=None, repr=False)
    source: str = ""

    def secrets(self) -> tuple[str, ...]:
        """Everything that must never appear in an error or a log line."""
        return tuple(v for v in (self.access_key_id, self.access_key_secret, self.security_token) if v)


def _from_env() -> AliyunCredentials | None:
    key_id, secret = os.environ.get(ENV_ID), os.environ.get(ENV_SECRET)
    if not key_id and not secret:
        return None
    if not key_id or not secret:
        missing = ENV_ID if not key_id else ENV_SECRET
        raise ConfigError(f"{missing} is not set (it goes together with "
                          f"{ENV_SECRET if not secret else ENV_ID})")
    return AliyunCredentials(key_id, secret, os.environ.get(ENV_TOKEN) or None, source="environment")


def _from_file(path: str) -> AliyunCredentials:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read credentials file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: credentials file is not UTF-8") from None
    try:
        data = json.loads(text) if path.lower().endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError):
        raise ConfigError(f"{path}: credentials file is not valid "
                          f"{'JSON' if path.lower().endswith('.json') else 'YAML'}") from None
    section = data.get(SECTION) if isinstance(data, Mapping) else None
    if not isinstance(section, Mapping):
        raise ConfigError(f"{path}: no '{SECTION}' mapping with access_key_id and access_key_secret")
    unknown = [str(k) for k in section if k not in _KEYS]
    if unknown:
        raise ConfigError(f"{path}: {SECTION}.{unknown[0]}: unknown key (known keys: {', '.join(_KEYS)})")
    values: dict[str, str | None] = {}
    for key in _KEYS:
        value = section.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ConfigError(f"{path}: {SECTION}.{key}: expected a non-empty string")
        values[key] = value.strip() if isinstance(value, str) else None
    for key in _KEYS[:2]:
        if not values[key]:
            raise ConfigError(f"{path}: {SECTION}.{key}: missing")
    return AliyunCredentials(values["access_key_id"], values["access_key_secret"],  # type: ignore[arg-type]
                             values["security_token"], source=path)


def load_credentials(credentials_file: str | None, config_source: str) -> AliyunCredentials:
    """Environment first (so a deployment can override the file), then the file."""
    creds = _from_env()
    if creds is not None:
        return creds
    if credentials_file:
        return _from_file(credentials_file)
    raise ConfigError(f"no Alibaba Cloud credentials: set {ENV_ID} and {ENV_SECRET} "
                      f"(and {ENV_TOKEN} for STS), or name a credentials_file with an "
                      f"'{SECTION}' section in {config_source}")
