"""Ollama's native API: /api/chat (JSON-schema `format`, `keep_alive`), /api/tags, /api/ps."""

from __future__ import annotations

from typing import Any

from ..errors import ProviderError
from .client import ChatReply, ChatRequest
from .http import call, safe_url, session
from ..settings.llm import LLMSettings

_META_KEYS = ("done_reason", "prompt_eval_count", "eval_count", "total_duration")


def canonical(name: str) -> str:
    """Ollama calls an untagged model `name:latest`."""
    return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"


class OllamaClient:
    api = "ollama"

    def __init__(self, base_url: str, settings: LLMSettings) -> None:
        self.base_url = base_url.rstrip("/")
        self._session = session(self.base_url, settings.max_retries, settings.retry_backoff_s)

    def chat(self, request: ChatRequest, provider: str) -> ChatReply:
        payload: dict[str, Any] = {
            "model": request.model,
            "messages": request.messages,
            "stream": False,
            "options": {"temperature": request.temperature, "seed": request.seed,
                        "num_predict": request.max_tokens},
        }
        if request.json_schema is not None:
            payload["format"] = dict(request.json_schema)
        if request.keep_alive is not None:
            payload["keep_alive"] = request.keep_alive
        try:
            resp = call(self._session, "POST", f"{self.base_url}/api/chat", payload=payload,
                        provider=provider, timeout=request.timeout)
        except ProviderError as exc:
            if exc.code == "http_404":
                raise self._missing_model(request.model, provider, request.timeout) from None
            raise
        message = resp.data.get("message") if isinstance(resp.data, dict) else None
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(content, str):
            raise ProviderError(provider, f"{safe_url(self.base_url)}/api/chat answered without message.content",
                                code="bad_response")
        meta = {k: resp.data[k] for k in _META_KEYS if k in resp.data}
        return ChatReply(text=content, request_id=resp.request_id, meta=meta)

    def list_models(self, timeout: float, provider: str) -> dict[str, int | None]:
        resp = call(self._session, "GET", f"{self.base_url}/api/tags", provider=provider, timeout=timeout)
        return {canonical(m["name"]): m["size"] if isinstance(m.get("size"), int) else None
                for m in _models(resp.data, "/api/tags", provider)}

    def loaded_models(self, timeout: float, provider: str) -> set[str]:
        resp = call(self._session, "GET", f"{self.base_url}/api/ps", provider=provider, timeout=timeout)
        return {canonical(m["name"]) for m in _models(resp.data, "/api/ps", provider)}

    def _missing_model(self, model: str, provider: str, timeout: float) -> ProviderError:
        try:
            names = ", ".join(sorted(self.list_models(min(timeout, 5.0), provider))) or "none"
        except ProviderError:
            names = "unknown"
        return ProviderError(provider, f"model {model!r} is not on the Ollama server at {safe_url(self.base_url)} "
                                       f"(available: {names}); run `ollama pull {model}`",
                             code="model_not_found")


def _models(data: Any, path: str, provider: str) -> list[dict[str, Any]]:
    models = data.get("models") if isinstance(data, dict) else None
    if not isinstance(models, list) or not all(isinstance(m, dict) and isinstance(m.get("name"), str)
                                               for m in models):
        raise ProviderError(provider, f"{path} answered without a models list", code="bad_response")
    return models
