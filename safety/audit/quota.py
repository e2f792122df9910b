"""Per-user quotas: prompts per hour, counted from the audit store (so every worker sharing
a PostgreSQL trail counts the same prompts). A prompt counts once, however many of its
nodes were recorded; refusals by the quota itself do not count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import QUOTA_EXCEEDED, ContentSafetyError
from .trail import AuditError, describe, store_errors

if TYPE_CHECKING:
    from .store import AuditStore

WINDOW_S = 3600.0


@dataclass(frozen=True)
class QuotaState:
    user: str
    used: int  # prompts in the last hour, the asking one left out
    limit: int
    retry_after_s: float  # until the oldest counted prompt leaves the window

    @property
    def exceeded(self) -> bool:
        return self.used >= self.limit


def quota_state(store: AuditStore, user: str, limit: int, prompt_id: str, now: float) -> QuotaState:
    """AuditError when the store cannot be read: a quota that cannot be counted fails closed."""
    try:
        times = store.prompt_times(user, now - WINDOW_S, exclude_prompt=prompt_id)
    except store_errors() as exc:
        raise AuditError(f"quota: audit store {store.settings.display_url} failed ({describe(exc)})") from None
    used = len(times)
    retry = times[used - limit] + WINDOW_S - now if used >= limit else 0.0
    return QuotaState(user, used, limit, max(0.0, retry))


def quota_error(state: QuotaState, *, policy: str, node_id: str = "") -> ContentSafetyError:
    """The JSON error API clients parse, with "code": "quota_exceeded"."""
    return ContentSafetyError(
        code=QUOTA_EXCEEDED, stage="quota", provider="policy:quota", level="unsafe", node_id=node_id,
        reason=f"user {state.user!r} has run {state.used} prompts in the last hour; policy {policy!r} "
               f"allows {state.limit} (retry in {state.retry_after_s:.0f} s)",
        evidence=[{"user": state.user, "used": state.used, "limit": state.limit,
                   "retry_after_s": round(state.retry_after_s, 1)}])
