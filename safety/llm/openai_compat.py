"""The OpenAI-compatible chat completions API: DashScope compatible mode, vLLM, llama.cpp."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ProviderError
from .client import ChatReply, ChatRequest
from .http import call, safe_url, session
from ..settings.llm import LLMSettings

_META_KEYS = ("finish_reason",)


class OpenAICompatClient:
    api = "openai"

    def __init__(self, base_url: str, settings: LLMSettings, *, api_key: str = "",
                 response_format: str = "json_object") -> None:
        self.base_url = base_url.rstrip("/")
        self._key = api_key
        self._response_format = response_format
        self._session = session(self.base_url, settings.max_retries, settings.retry_backoff_s)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._key}"} if self._key else {}

    def chat(self, request: ChatRequest, provider: str) -> ChatReply:
        payload: dict[str, Any] = {
            "model": request.model,
            "messages": request.messages,
            "temperature": request.temperature,
            "seed": request.seed,
            "max_tokens": request.max_tokens,
            "stream": False,
        }
        if request.json_schema is not None:
            fmt = _response_format(self._response_format, request.json_schema)
            if fmt is not None:
                payload["response_format"] = fmt
        resp = call(self._session, "POST", f"{self.base_url}/chat/completions", payload=payload,
                    headers=self._headers(), provider=provider, timeout=request.timeout,
                    secrets=(self._key,))
        data = resp.data if isinstance(resp.data, dict) else {}
        choices = data.get("choices")
        choice = choices[0] if isinstance(choices, list) and choices and isinstance(choices[0], dict) else {}
        message = choice.get("message") if isinstance(choice.get("message"), dict) else {}
        content = message.get("content")
        if not isinstance(content, str):
            raise ProviderError(provider, f"{safe_url(self.base_url)}/chat/completions answered without "
                                          f"choices[0].message.content", code="bad_response",
                                request_id=str(data.get("id", "") or resp.request_id))
        meta = {k: choice[k] for k in _META_KEYS if k in choice}
        if isinstance(data.get("usage"), dict) and "completion_tokens" in data["usage"]:
            meta["completion_tokens"] = data["usage"]["completion_tokens"]
        return ChatReply(text=content, request_id=str(data.get("id", "") or resp.request_id), meta=meta)

    def list_models(self, timeout: float, provider: str) -> dict[str, int | None]:
        resp = call(self._session, "GET", f"{self.base_url}/models", headers=self._headers(),
                    provider=provider, timeout=timeout, secrets=(self._key,))
        items = resp.data.get("data") if isinstance(resp.data, dict) else None
        if not isinstance(items, list) or not all(isinstance(m, dict) and "id" in m for m in items):
            raise ProviderError(provider, f"{safe_url(self.base_url)}/models answered without a data list",
                                code="bad_response")
        return {str(m["id"]): None for m in items}

    def loaded_models(self, timeout: float, provider: str) -> set[str]:
        """An OpenAI-compatible server serves only what it has loaded."""
        return set(self.list_models(timeout, provider))


def _response_format(kind: str, schema: Mapping[str, Any]) -> dict[str, Any] | None:
    if kind == "json_object":
        return {"type": "json_object"}
    if kind == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": "verdict", "schema": dict(schema)}}
    return None
