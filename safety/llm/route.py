"""Local or remote: which server judges, and why (the reason goes into the verdict).

`auto` uses the local server when it answers, has the model and, where this machine shows
a GPU, the model is loaded or fits in free GPU memory; otherwise the remote service.
Probes are remembered for a short while so a batch does not probe per text.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import ConfigError, ProviderError
from .client import ChatClient
from .credentials import api_key, missing_key_message
from .gpu import free_gpu_mib
from .http import safe_url
from .ollama import OllamaClient, canonical
from .openai_compat import OpenAICompatClient
from ..settings.llm import LLMSettings, is_loopback_url

PROBE_TTL_S = 30.0
PROBE_TIMEOUT_S = 3.0
_MIB = 1024 * 1024
_OVERHEAD = 1.2  # KV cache and buffers on top of the weights


@dataclass(frozen=True)
class Route:
    name: str  # local | remote
    client: ChatClient
    model: str
    reason: str


def local_client(settings: LLMSettings, credentials_file: str | None) -> ChatClient:
    url = settings.local_base_url()
    if settings.local_api == "ollama":
        return OllamaClient(url, settings)
    return OpenAICompatClient(url, settings, api_key=api_key(url, credentials_file),
                              response_format=settings.local_response_format)


def remote_client(settings: LLMSettings, credentials_file: str | None, config_source: str) -> ChatClient:
    key = api_key(settings.remote_url, credentials_file)
    if not key:
        raise ConfigError(missing_key_message(settings.remote_url, config_source))
    return OpenAICompatClient(settings.remote_url, settings, api_key=key,
                              response_format=settings.remote_response_format)


_probes: dict[tuple[str, str, int], tuple[float, bool, str]] = {}
_probes_lock = threading.Lock()


def probe_local(client: ChatClient, model: str, settings: LLMSettings, provider: str,
                gpu_free: Callable[[], list[int] | None] = free_gpu_mib) -> tuple[bool, str]:
    """(usable, why), remembered for PROBE_TTL_S per server and model."""
    key = (client.base_url, model, settings.min_free_gpu_mb)
    now = time.monotonic()
    with _probes_lock:
        hit = _probes.get(key)
    if hit and now - hit[0] < PROBE_TTL_S:
        return hit[1], hit[2]
    usable, why = _probe(client, model, settings, provider, gpu_free)
    with _probes_lock:
        _probes[key] = (now, usable, why)
    return usable, why


def forget_probes() -> None:
    with _probes_lock:
        _probes.clear()


def _probe(client: ChatClient, model: str, settings: LLMSettings, provider: str,
           gpu_free: Callable[[], list[int] | None]) -> tuple[bool, str]:
    name = canonical(model) if client.api == "ollama" else model
    server = safe_url(client.base_url)  # reasons go into verdicts: no user info or query
    try:
        models = client.list_models(PROBE_TIMEOUT_S, provider)
    except ProviderError as exc:
        return False, f"local server {server} unusable: {exc.reason}"
    if name not in models:
        return False, f"local server {server} has no model {model!r}"
    if not is_loopback_url(client.base_url):
        return True, f"{model} listed by {server} (another machine: its GPU is not checked)"
    free = gpu_free()
    if free is None:
        return True, f"{model} listed by the local server; no GPU visible here"
    try:
        loaded = client.loaded_models(PROBE_TIMEOUT_S, provider)
    except ProviderError:
        loaded = set()
    if name in loaded:
        return True, f"{model} is loaded on the local server"
    size = models.get(name)
    need = int(size / _MIB * _OVERHEAD) if size else settings.min_free_gpu_mb
    if need and max(free) < need:
        return False, f"{model} needs about {need} MiB of GPU memory, {max(free)} MiB free"
    return True, f"{model} fits: {max(free)} MiB GPU memory free" + (f", needs about {need} MiB" if need else "")
