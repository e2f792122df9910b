"""The config file's `llm` section: where the LLM servers are and how to talk to them.

Kept free of `requests` so reading the config never imports an HTTP stack.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError
from ..schema import Section

LLM_MODES: tuple[str, ...] = ("local", "remote", "auto")
LOCAL_APIS: tuple[str, ...] = ("ollama", "openai")
JUDGE_FORMATS: tuple[str, ...] = ("auto", "json", "qwen3guard", "llamaguard", "shieldgemma")
RESPONSE_FORMATS: tuple[str, ...] = ("json_object", "json_schema", "none")
DASHSCOPE_URL = "https://dashscope.aliyuncs.com/compatible-mode/v1"
OLLAMA_DEFAULT_URL = "http://127.0.0.1:11434"
OPENAI_LOCAL_DEFAULT_URL = "http://127.0.0.1:8080/v1"
_DURATION = re.compile(r"^-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")


@dataclass(frozen=True)
class LLMSettings:
    """Defaults for the LLM judge; node widgets override model, prompts and timing per run."""

    mode: str = "local"
    local_api: str = "ollama"
    local_url: str = ""  # empty: $OLLAMA_HOST (ollama) or the api's usual loopback address
    local_model: str = "qwen2.5:3b"
    local_response_format: str = "json_object"
    remote_url: str = DASHSCOPE_URL
    remote_model: str = "qwen-plus"
    remote_response_format: str = "json_object"
    judge_format: str = "auto"
    keep_alive: str = "5m"
    max_tokens: int = 256
    max_retries: int = 2
    retry_backoff_s: float = 0.5
    min_free_gpu_mb: int = 0  # auto mode: free GPU memory a local model needs when its size is unknown
    cache_size: int = 1024

    def local_base_url(self) -> str:
        """The configured URL wins; else $OLLAMA_HOST for Ollama; else the usual loopback port."""
        if self.local_url:
            return self.local_url.rstrip("/")
        if self.local_api == "ollama":
            return ollama_host(os.environ.get("OLLAMA_HOST", ""))
        return OPENAI_LOCAL_DEFAULT_URL


def ollama_host(value: str) -> str:
    """Read OLLAMA_HOST as the Ollama CLI does: "0.0.0.0", ":8080", "h:1", "https://h"."""
    value = value.strip()
    if not value:
        return OLLAMA_DEFAULT_URL
    scheme, sep, rest = value.partition("://")
    if not sep:
        scheme, rest = "http", value
    default_port = {"http": 80, "https": 443}.get(scheme, 11434) if sep else 11434
    parts = urlsplit("//" + rest.split("/", 1)[0])
    try:
        port = parts.port or default_port
    except ValueError:
        port = default_port
    host = parts.hostname or "127.0.0.1"
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"  # a bind-all address means "this machine" to a client
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def is_loopback_url(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def keep_alive_value(value: str | int | float) -> str | int:
    """Ollama takes a Go duration string ("5m", "1h30m", "-1") or seconds as a number."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    text = str(value).strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if not _DURATION.fullmatch(text):
        raise ValueError(f"keep_alive must be seconds or a duration like 5m, 1h, -1; got {value!r}")
    return text


def _url(sec: Section, key: str, default: str) -> str:
    value = sec.get(key, str, default).strip()
    if value and not _is_http_url(value):
        raise sec.fail(key, f"expected an http:// or https:// URL, got {_masked(value)!r}")
    return value.rstrip("/")


def _masked(url: str) -> str:
    """A URL as errors may show it: a password in its user info or a token in its query
    stays out."""
    url = re.sub(r"^([^/@]*//)?[^/@]*@", r"\1***@", url)
    return re.sub(r"\?.*", "?***", url, flags=re.S)


def _is_http_url(value: str) -> bool:
    """A scheme, a host and, if any, a numeric port (urllib raises on a bad one only when
    asked, which would otherwise surface as a traceback at the first check)."""
    try:
        parts = urlsplit(value)
        _ = parts.port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def parse_llm_section(sec: Section) -> LLMSettings:
    """Validate the config file's `llm` mapping; errors name the file and the key."""
    base = LLMSettings()
    keep_alive = str(sec.get("keep_alive", object, base.keep_alive))  # "5m" or seconds
    try:
        keep_alive_value(keep_alive)
    except ValueError as exc:
        raise sec.fail("keep_alive", str(exc)) from None
    settings = LLMSettings(
        mode=sec.get_choice("mode", LLM_MODES, base.mode),
        local_api=sec.get_choice("local_api", LOCAL_APIS, base.local_api),
        local_url=_url(sec, "local_url", base.local_url),
        local_model=sec.get("local_model", str, base.local_model),
        local_response_format=sec.get_choice("local_response_format", RESPONSE_FORMATS,
                                              base.local_response_format),
        remote_url=_url(sec, "remote_url", base.remote_url) or base.remote_url,
        remote_model=sec.get("remote_model", str, base.remote_model),
        remote_response_format=sec.get_choice("remote_response_format", RESPONSE_FORMATS,
                                              base.remote_response_format),
        judge_format=sec.get_choice("judge_format", JUDGE_FORMATS, base.judge_format),
        keep_alive=keep_alive,
        max_tokens=int(sec.get_number("max_tokens", base.max_tokens, 16, 32768)),
        max_retries=int(sec.get_number("max_retries", base.max_retries, 0, 10)),
        retry_backoff_s=sec.get_number("retry_backoff_s", base.retry_backoff_s, 0.0, 30.0),
        min_free_gpu_mb=int(sec.get_number("min_free_gpu_mb", base.min_free_gpu_mb, 0, 10_000_000)),
        cache_size=int(sec.get_number("cache_size", base.cache_size, 0, 1_000_000)),
    )
    sec.done()
    return settings


@dataclass(frozen=True)
class JudgeOptions:
    """One node's (or the config's) choices; none of them is a secret."""

    llm_mode: str
    model: str
    remote_model: str
    judge_format: str
    temperature: float = 0.0
    seed: int = 0
    keep_alive: str | int = "5m"
    timeout: float | None = None  # None: the policy's timeout_s
    local_system_prompt: str = ""
    remote_system_prompt: str = ""

    @classmethod
    def from_options(cls, options: Mapping[str, Any], s: LLMSettings) -> JudgeOptions:
        """A node's widgets over the config's `llm` section (`s`); empty values take its default."""

        def pick(key: str, default: Any) -> Any:
            value = options.get(key)
            return default if value is None or value == "" else value

        mode = pick("llm_mode", s.mode)
        if mode not in LLM_MODES:
            raise ConfigError(f"llm_mode must be one of {', '.join(LLM_MODES)}, got {mode!r}")
        fmt = pick("judge_format", s.judge_format)
        if fmt not in JUDGE_FORMATS:
            raise ConfigError(f"judge_format must be one of {', '.join(JUDGE_FORMATS)}, got {fmt!r}")
        try:
            keep_alive = keep_alive_value(pick("keep_alive", s.keep_alive))
            temperature = float(pick("temperature", 0.0))
            seed = int(pick("seed", 0))
            timeout = options.get("timeout")
            timeout = None if timeout in (None, "", 0) else float(timeout)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"LLM judge option: {exc}") from None
        if not 0.0 <= temperature <= 2.0:
            raise ConfigError(f"temperature must be between 0 and 2, got {temperature}")
        if timeout is not None and not 0.1 <= timeout <= 600:
            raise ConfigError(f"timeout must be between 0.1 and 600 seconds, got {timeout}")
        return cls(llm_mode=mode, model=str(pick("model", s.local_model)).strip(),
                   remote_model=str(pick("remote_model", s.remote_model)).strip(),
                   judge_format=fmt, temperature=temperature, seed=seed, keep_alive=keep_alive,
                   timeout=timeout,
                   local_system_prompt=str(options.get("local_system_prompt") or ""),
                   remote_system_prompt=str(options.get("remote_system_prompt") or ""))
