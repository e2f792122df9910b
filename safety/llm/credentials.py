"""API keys for LLM servers: from the environment, else from the credentials file the
config names. Values never reach a message: errors name only the variable, file and key.

Credentials file (YAML or JSON), one section per provider, beside the `aliyun` one:

    dashscope:
      api_key: sk-...      # Qwen on DashScope (else $DASHSCOPE_API_KEY)
    openai:
      api_key: ...         # any other OpenAI-compatible server (else $OPENAI_API_KEY)
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from ..errors import ConfigError

ENV_BY_SECTION = {"dashscope": "DASHSCOPE_API_KEY", "openai": "OPENAI_API_KEY"}


def section_for(url: str) -> str:
    """Which key a server gets: DashScope's only goes to Alibaba Cloud hosts."""
    host = (urlsplit(url).hostname or "").lower()
    return "dashscope" if host == "aliyuncs.com" or host.endswith(".aliyuncs.com") else "openai"


def api_key(url: str, credentials_file: str | None) -> tuple[str, str]:
    """(key, where it came from) for the server at `url`; ("", "") when there is none."""
    section = section_for(url)
    env = ENV_BY_SECTION[section]
    value = os.environ.get(env, "").strip()
    if value:
        return value, env
    if credentials_file:
        value = _from_file(credentials_file, section)
        if value:
            return value, f"{credentials_file}: {section}.api_key"
    return "", ""


def missing_key_message(url: str, config_source: str) -> str:
    section = section_for(url)
    return (f"no API key for {urlsplit(url).hostname}: set {ENV_BY_SECTION[section]}, or name a "
            f"credentials_file with a '{section}: {{api_key: ...}}' section in {config_source}")


def _from_file(path: str, section: str) -> str:
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
        return ""
    if not isinstance(body, Mapping):
        raise ConfigError(f"{path}: {section}: expected a mapping with api_key")
    unknown = [str(k) for k in body if k != "api_key"]
    if unknown:
        raise ConfigError(f"{path}: {section}.{unknown[0]}: unknown key (known keys: api_key)")
    value = body.get("api_key")
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: {section}.api_key: expected a non-empty string")
    return value.strip()
