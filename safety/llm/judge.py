"""The LLM judge: a text checker (cost 20) that asks a local or remote model.

The model's answer becomes per-category scores (unsafe 1.0, controversial 0.5) and the
policy decides the level, with two guards so a model's flag is never lost: a
"controversial" answer is never raised above controversial, and a flag the taxonomy
cannot place (`other`) is at least controversial even where the policy ignores `other`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..cache import SharedCache
from ..config import Config
from ..errors import ConfigError, ProviderError
from ..policy import Policy
from ..verdict import Verdict, ordered_categories
from . import prompts
from .client import ChatReply, ChatRequest
from .http import safe_url
from .parse import ParseError, detect_format, parse_reply
from .route import Route, local_client, probe_local, remote_client
from .settings import JUDGE_FORMATS, LLM_MODES, keep_alive_value

SCORE = {"unsafe": 1.0, "controversial": 0.5, "safe": 0.0}
_REPLY_CHARS = 300
CACHE: SharedCache[ChatReply] = SharedCache()


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
    def from_options(cls, options: Mapping[str, Any], config: Config) -> JudgeOptions:
        s = config.llm

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


class LLMJudge:
    """A TextChecker for the Engine cascade and the ContentSafetyLLMJudge node."""

    cost = 20

    def __init__(self, config: Config, options: JudgeOptions) -> None:
        self.config = config
        self.options = options
        self.provider = f"llm:{options.remote_model if options.llm_mode == 'remote' else options.model}"

    def route(self) -> Route:
        opts, s = self.options, self.config.llm
        if opts.llm_mode == "local":
            return Route("local", local_client(s, self.config.credentials_file), opts.model, "llm_mode=local")
        if opts.llm_mode == "remote":
            return self._remote("llm_mode=remote")
        local = local_client(s, self.config.credentials_file)
        usable, why = probe_local(local, opts.model, s, self.provider)
        if usable:
            return Route("local", local, opts.model, f"auto: {why}")
        return self._remote(f"auto: {why}")

    def _remote(self, reason: str) -> Route:
        try:
            client = remote_client(self.config.llm, self.config.credentials_file, self.config.source)
        except ConfigError as exc:
            raise ConfigError(f"{exc} ({reason})") from None
        return Route("remote", client, self.options.remote_model, reason)

    def check_text(self, text: str, policy: Policy) -> Verdict:
        start = time.perf_counter()
        if not text.strip():
            return Verdict(provider=self.provider, evidence=({"note": "empty text: nothing to judge"},))
        opts = self.options
        route = self.route()
        provider = f"llm:{route.model}"
        fmt = detect_format(route.model) if opts.judge_format == "auto" else opts.judge_format
        custom = opts.local_system_prompt if route.name == "local" else opts.remote_system_prompt
        request = ChatRequest(
            model=route.model, messages=prompts.messages(fmt, custom, text), temperature=opts.temperature,
            seed=opts.seed, max_tokens=self.config.llm.max_tokens, timeout=opts.timeout or policy.timeout_s,
            json_schema=prompts.VERDICT_SCHEMA if fmt == "json" else None,
            keep_alive=opts.keep_alive if route.client.api == "ollama" else None)
        # one entry per server, model, prompt template, sampling and text
        key = (route.client.api, route.client.base_url, route.model, fmt, _sha(prompts.system_prompt(fmt, custom)),
               opts.temperature, opts.seed, request.max_tokens, _sha(text))
        CACHE.resize(self.config.llm.cache_size)
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
            return self._unparsed(exc, policy, provider, evidence, reply, latency, bool(custom.strip()))
        evidence.update(model_level=judgement.level, model_labels=list(judgement.labels),
                        reason=judgement.reason)
        scores = {c: SCORE[judgement.level] for c in judgement.categories}
        verdict = policy.judge(scores, provider=provider, evidence=[evidence], latency_ms=latency)
        if judgement.level == "controversial" and verdict.level == "unsafe":
            verdict = replace(verdict, level="controversial")
        if judgement.level != "safe" and "other" in judgement.categories and verdict.level == "safe":
            verdict = replace(verdict, level="controversial",
                              categories=ordered_categories((*verdict.categories, "other")))
        return verdict

    def _unparsed(self, exc: ParseError, policy: Policy, provider: str, evidence: dict[str, Any],
                  reply: ChatReply, latency: float, custom: bool) -> Verdict:
        """Never a silent pass: an error, or a verdict flagged for review, per policy."""
        hint = " (the system prompt was customised: it must keep the reply format)" if custom else ""
        if policy.llm_unparsed == "controversial":
            evidence.update(error="unparsed", parse_error=str(exc) + hint)
            return Verdict(level="controversial", categories=("other",), provider=provider,
                           evidence=(evidence,), latency_ms=latency)
        raise ProviderError(provider, f"the {evidence['judge_format']} judge's reply is not a "
                                      f"verdict: {exc}{hint}", code="unparsed",
                            request_id=reply.request_id)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _clip(text: str) -> str:
    return text if len(text) <= _REPLY_CHARS else text[:_REPLY_CHARS] + "..."
