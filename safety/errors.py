"""Errors with the JSON contract a published workflow's API client parses."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .decision import STAGES, HookError
from .verdict import Verdict

CHECK_FAILED = "content_safe_check_failed"
CHECK_ERROR = "content_safe_check_error"
QUOTA_EXCEEDED = "quota_exceeded"


class ConfigError(ValueError):
    """A config file, policy or lexicon is invalid; the message names the file and key."""


class InputError(ValueError):
    """The content to check is unusable (wrong type, too large, not an image...)."""


class ProviderError(RuntimeError):
    """A checker's backend failed (model, network, service). Never carries secrets."""

    def __init__(self, provider: str, reason: str, *, code: str = "", request_id: str = "") -> None:
        super().__init__(f"{provider}: {reason}")
        self.provider = provider
        self.reason = reason
        self.code = code
        self.request_id = request_id


class ContentSafetyError(Exception):
    """Raised in `raise` mode; `str()` is the JSON object of the error contract."""

    def __init__(
        self,
        *,
        code: str,
        stage: str,
        reason: str,
        provider: str = "",
        level: str = "unsafe",
        categories: Sequence[str] = (),
        node_id: str = "",
        request_id: str = "",
        evidence: Sequence[Any] = (),
    ) -> None:
        if stage not in STAGES:
            raise ValueError(f"stage must be one of {STAGES}, got {stage!r}")
        self.payload: dict[str, Any] = {
            "code": code,
            "stage": stage,
            "labels": ",".join(categories),
            "categories": list(categories),
            "level": level,
            "reason": reason,
            "provider": provider,
            "node_id": str(node_id or ""),
            "request_id": request_id,
            "evidence": list(evidence),
        }
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return json.dumps(self.payload, ensure_ascii=False)

    @property
    def code(self) -> str:
        return self.payload["code"]

    @classmethod
    def from_verdict(cls, verdict: Verdict, *, stage: str, node_id: str = "") -> ContentSafetyError:
        what = verdict.labels or verdict.level
        return cls(
            code=CHECK_FAILED,
            stage=stage,
            reason=f"content flagged as {verdict.level}: {what}",
            provider=verdict.provider,
            level=verdict.level,
            categories=verdict.categories,
            node_id=node_id,
            request_id=_request_id(verdict),
            evidence=[dict(e) for e in verdict.evidence],
        )

    @classmethod
    def from_exception(
        cls, error: ProviderError | ConfigError | InputError | HookError, *, stage: str, node_id: str = ""
    ) -> ContentSafetyError:
        """A check that could not complete (or whose decision a hook refused) fails closed
        with this error."""
        if isinstance(error, ProviderError):
            provider, reason, code, request_id = error.provider, error.reason, error.code, error.request_id
        elif isinstance(error, HookError):
            provider, reason, code, request_id = f"hook:{error.hook}", error.reason, "hook_failed", ""
        else:
            provider = "config" if isinstance(error, ConfigError) else "input"
            reason, code, request_id = str(error), "", ""
        return cls(
            code=CHECK_ERROR,
            stage=stage,
            reason=reason,
            provider=provider,
            level="unsafe",
            node_id=node_id,
            request_id=request_id,
            evidence=[{"provider_code": code}] if code else [],
        )


def _request_id(verdict: Verdict) -> str:
    for item in verdict.evidence:
        rid = item.get("request_id")
        if rid:
            return str(rid)
    return ""
