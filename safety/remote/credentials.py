"""Alibaba Cloud credentials: from the environment, else from the credentials file the
config names. Values never reach a message: errors name only the variable, file and key.

Credentials file (YAML or JSON), one section per provider:

    aliyun:
      access_key_id: LTAI...
      access_key_secret: ...
      security_token: ...      # optional, for STS credentials
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..credentials import read_section
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


def _env(name: str) -> str:
    """Stripped, as the credentials file is: a trailing newline (a secret mounted from a
    file) would make the SDK fail with an error quoting the header value unredacted."""
    return os.environ.get(name, "").strip()


def _from_env() -> AliyunCredentials | None:
    key_id, secret = _env(ENV_ID), _env(ENV_SECRET)
    if not key_id and not secret:
        return None
    if not key_id or not secret:
        missing = ENV_ID if not key_id else ENV_SECRET
        raise ConfigError(f"{missing} is not set (it goes together with "
                          f"{ENV_SECRET if not secret else ENV_ID})")
    return AliyunCredentials(key_id, secret, _env(ENV_TOKEN) or None, source="environment")


def _from_file(path: str) -> AliyunCredentials:
    values = read_section(path, SECTION, _KEYS)
    if values is None:
        raise ConfigError(f"{path}: no '{SECTION}' mapping with access_key_id and access_key_secret")
    for key in _KEYS[:2]:
        if key not in values:
            raise ConfigError(f"{path}: {SECTION}.{key}: missing")
    return AliyunCredentials(values["access_key_id"], values["access_key_secret"],
                             values.get("security_token"), source=path)


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
