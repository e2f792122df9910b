"""ContentSafetyQuotaGate: stop a prompt whose user has used up the policy's prompts per
hour. Put it on the prompt text before the text check or the text encoder."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..safety import ConfigError, Verdict, quota_error, quota_state
from .audit import audit_store
from .common import CheckNode, NodeRun, common_inputs, ui

STAGE = "quota"
PROVIDER = "policy:quota"


class ContentSafetyQuotaGate(CheckNode):
    DESCRIPTION = ("Passes the text on while its user is within the policy's prompts per hour "
                   "(quota.per_hour, counted from the audit trail); fails the run with "
                   "\"code\": \"quota_exceeded\" otherwise.")
    FUNCTION = "gate"
    RETURN_TYPES = ("STRING",)
    RETURN_NAMES = ("text",)
    OUTPUT_TOOLTIPS = ("The text, unchanged, when the user is within the quota.",)
    clock: Callable[[], float] = staticmethod(time.time)  # tests inject their own

    @classmethod
    def INPUT_TYPES(cls) -> dict[str, Any]:
        return {
            "required": {
                "text": ("STRING", {"forceInput": True,
                                    "tooltip": "The prompt (or any STRING) to pass on."}),
                "policy": common_inputs()["policy"],
            },
            "hidden": {"unique_id": "UNIQUE_ID"},
        }

    @classmethod
    def IS_CHANGED(cls, **_inputs: Any) -> float:
        """Every run counts: never served from ComfyUI's cache (NaN equals nothing)."""
        return float("nan")

    def gate(self, text: str, policy: str, unique_id: str = "") -> dict[str, Any]:
        run = NodeRun(STAGE, unique_id, policy=policy)
        cfg = run.config()
        limit = run.guard(lambda: cfg.policy(policy)).quota_per_hour
        now = self.clock()
        evidence: dict[str, Any] = {"limit": limit}
        if limit:
            def count():
                store = audit_store(cfg)
                if store is None:
                    raise ConfigError("quota: no audit store to count prompts in (add an 'audit' section)")
                return quota_state(store, run.user, limit, run.origin.prompt_id, now)

            state = run.guard(count)
            evidence.update(used=state.used, retry_after_s=round(state.retry_after_s, 1))
            if state.exceeded:
                run.decide("raised", [_verdict(evidence)], at=now)
                raise quota_error(state, policy=policy, node_id=run.node_id)
        verdict = _verdict(evidence)
        run.decide("passed", [verdict], at=now)
        return {"ui": ui([verdict]), "result": (text,)}


def _verdict(evidence: dict[str, Any]) -> Verdict:
    return Verdict(provider=PROVIDER, evidence=(evidence,))
