"""API keys for LLM servers: from the environment, else from the credentials file the
config names. Values never reach a message: errors name only the variable, file and key.

Credentials file (YAML or JSON), one section per provider, beside the `aliyun` one:

    dashscope:
      api_key: sk-...      # Qwen on DashScope (else $DASHSCOPE_API_KEY)
    openai:
      api_key: ...         # any other OpenAI-compatible server (else $OPENAI_API_KEY)
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from ..credentials import read_section
from ..errors import ConfigError

ENV_BY_SECTION = {"dashscope": "DASHSCOPE_API_KEY", "openai": "OPENAI_API_KEY"}
_HEADER_SAFE = re.compile(r"[!-~]+")


def section_for(url: str) -> str:
    """Which key a server gets: DashScope's only goes to Alibaba Cloud hosts."""
    host = (urlsplit(url).hostname or "").lower()
    return "dashscope" if host == "aliyuncs.com" or host.endswith(".aliyuncs.com") else "openai"


def api_key(url: str, credentials_file: str | None) -> str:
    """The key for the server at `url`; "" when there is none."""
    section = section_for(url)
    env = ENV_BY_SECTION[section]
    value = os.environ.get(env, "").strip()
    if value:
        return _sendable(value, env)
    if credentials_file:
        value = _from_file(credentials_file, section)
        if value:
            return _sendable(value, f"{credentials_file}: {section}.api_key")
    return ""


def _sendable(key: str, where: str) -> str:
    """A key goes into an HTTP header: anything else than printable ASCII without spaces (a
    pasted typographic quote, a line break) would fail deep in http.client instead."""
    if not _HEADER_SAFE.fullmatch(key):
        raise ConfigError(f"{where}: the API key holds characters an HTTP header cannot carry "
                          f"(spaces, line breaks or non-ASCII)")
    return key


def missing_key_message(url: str, config_source: str) -> str:
    section = section_for(url)
    return (f"no API key for {urlsplit(url).hostname}: set {ENV_BY_SECTION[section]}, or name a "
            f"credentials_file with a '{section}: {{api_key: ...}}' section in {config_source}")


def _from_file(path: str, section: str) -> str:
    values = read_section(path, section, ("api_key",))
    if values is None:
        return ""
    if "api_key" not in values:
        raise ConfigError(f"{path}: {section}.api_key: missing")
    return values["api_key"]
