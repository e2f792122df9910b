"""What a chat backend is asked and answers, independent of its wire protocol."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class ChatRequest:
    model: str
    messages: list[dict[str, str]]
    temperature: float = 0.0
    seed: int = 0
    max_tokens: int = 256
    timeout: float = 30.0
    json_schema: Mapping[str, Any] | None = None  # constrain the reply where the server can
    keep_alive: str | int | None = None  # Ollama only: how long the model stays loaded


@dataclass(frozen=True)
class ChatReply:
    text: str
    request_id: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)  # small server facts for the evidence


class ChatClient(Protocol):
    api: str
    base_url: str

    def chat(self, request: ChatRequest, provider: str) -> ChatReply: ...

    def list_models(self, timeout: float, provider: str) -> dict[str, int | None]:
        """Model name -> size in bytes (None when the server does not say)."""
        ...

    def loaded_models(self, timeout: float, provider: str) -> set[str]:
        """Models already in (GPU) memory, which need no further room to run."""
        ...
