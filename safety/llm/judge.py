"""The LLM judge: a text checker (cost 20) that asks a local or remote model.

The model's answer becomes per-category scores (unsafe 1.0, controversial 0.5) and the
policy decides the level, with two guards so a model's flag is never lost: a
"controversial" answer is never raised above controversial, and a flag the taxonomy
cannot place (`other`) is at least controversial even where the policy ignores `other`.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from ..cache import SharedCache
from ..errors import ConfigError, ProviderError
from ..settings.checks import JudgeSettings
from ..verdict import Finding
from . import prompts
from .client import ChatReply, ChatRequest
from .http import safe_url
from .parse import ParseError, detect_format, parse_reply
from .route import Route, local_client, probe_local, remote_client

SCORE = {"unsafe": 1.0, "controversial": 0.5, "safe": 0.0}
_REPLY_CHARS = 300
CACHE: SharedCache[ChatReply] = SharedCache()


class LLMJudge:
    """A TextChecker for the Engine cascade and the ContentSafetyLLMJudge node."""

    cost = 20

    def __init__(self, settings: JudgeSettings) -> None:
        self.settings = settings
        self.options = options = settings.options
        self.provider = f"llm:{options.remote_model if options.llm_mode == 'remote' else options.model}"

    def route(self) -> Route:
        opts, s, creds = self.options, self.settings.llm, self.settings.credentials_file
        if opts.llm_mode == "local":
            return Route("local", local_client(s, creds), opts.model, "llm_mode=local")
        if opts.llm_mode == "remote":
            return self._remote("llm_mode=remote")
        local = local_client(s, creds)
        usable, why = probe_local(local, opts.model, s, self.provider)
        if usable:
            return Route("local", local, opts.model, f"auto: {why}")
        return self._remote(f"auto: {why}")

    def _remote(self, reason: str) -> Route:
        try:
            client = remote_client(self.settings.llm, self.settings.credentials_file, self.settings.config_source)
        except ConfigError as exc:
            raise ConfigError(f"{exc} ({reason})") from None
        return Route("remote", client, self.options.remote_model, reason)

    def check_text(self, text: str) -> Finding:
        start = time.perf_counter()
        if not text.strip():
            return Finding(provider=self.provider, evidence=({"note": "empty text: nothing to judge"},))
        opts = self.options
        route = self.route()
        provider = f"llm:{route.model}"
        fmt = detect_format(route.model) if opts.judge_format == "auto" else opts.judge_format
        custom = opts.local_system_prompt if route.name == "local" else opts.remote_system_prompt
        request = ChatRequest(
            model=route.model, messages=prompts.messages(fmt, custom, text), temperature=opts.temperature,
            seed=opts.seed, max_tokens=self.settings.llm.max_tokens, timeout=opts.timeout or self.settings.timeout_s,
            json_schema=prompts.VERDICT_SCHEMA if fmt == "json" else None,
            keep_alive=opts.keep_alive if route.client.api == "ollama" else None)
        # one entry per server, model, prompt template, sampling and text
        key = (route.client.api, route.client.base_url, route.model, fmt, _sha(prompts.system_prompt(fmt, custom)),
               opts.temperature, opts.seed, request.max_tokens, _sha(text))
        CACHE.resize(self.settings.llm.cache_size)
        reply, cached = CACHE.get_or_call(key, lambda: route.client.chat(request, provider))
        evidence: dict[str, Any] = {
            "llm_route": route.name, "route_reason": route.reason, "api": route.client.api,
            "server": safe_url(route.client.base_url), "model": route.model, "judge_format": fmt,
            "custom_prompt": bool(custom.strip()), "cached": cached, "reply": _clip(reply.text),
            **({"request_id": reply.request_id} if reply.request_id else {}), **reply.meta,
        }
        latency = (time.perf_counter() - start) * 1000
        try:
            judgement = parse_reply(reply.text, fmt)
        except ParseError as exc:
            return self._unparsed(exc, provider, evidence, reply, latency, bool(custom.strip()))
        evidence.update(model_level=judgement.level, model_labels=list(judgement.labels),
                        reason=judgement.reason)
        scores = {c: SCORE[judgement.level] for c in judgement.categories}
        unplaced = judgement.level != "safe" and "other" in judgement.categories
        return Finding(scores, provider, (evidence,), latency,
                       at_most="controversial" if judgement.level == "controversial" else "unsafe",
                       at_least="controversial" if unplaced else "safe",
                       flags=("other",) if unplaced else ())

    def _unparsed(self, exc: ParseError, provider: str, evidence: dict[str, Any],
                  reply: ChatReply, latency: float, custom: bool) -> Finding:
        """Never a silent pass: an error, or a verdict flagged for review, per policy."""
        hint = " (the system prompt was customised: it must keep the reply format)" if custom else ""
        if self.settings.unparsed == "controversial":
            evidence.update(error="unparsed", parse_error=str(exc) + hint)
            return Finding(provider=provider, evidence=(evidence,), latency_ms=latency,
                           at_least="controversial", flags=("other",))
        raise ProviderError(provider, f"the {evidence['judge_format']} judge's reply is not a "
                                      f"verdict: {exc}{hint}", code="unparsed",
                            request_id=reply.request_id)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _clip(text: str) -> str:
    return text if len(text) <= _REPLY_CHARS else text[:_REPLY_CHARS] + "..."
