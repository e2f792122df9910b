"""ContentSafetyQuotaGate: stop a prompt whose user has used up the policy's prompts per
hour. Put it on the prompt text before the text check or the text encoder."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..safety import DECISION_HOOKS, Decision, Verdict
from ..safety.audit.quota import quota_error, quota_state
from ..safety.errors import ConfigError
from .audit import audit_store
from .comfy import current_prompt
from .common import CATEGORY, common_inputs, config, run_check

STAGE = "quota"
PROVIDER = "policy:quota"


class ContentSafetyQuotaGate:
    DESCRIPTION = ("Passes the text on while its user is within the policy's prompts per hour "
                   "(quota.per_hour, counted from the audit trail); fails the run with "
                   "\"code\": \"quota_exceeded\" otherwise.")
    CATEGORY = CATEGORY
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
        """Every run counts: never served from ComfyUI's cache."""
        return float("nan")

    def gate(self, text: str, policy: str, unique_id: str = "") -> dict[str, Any]:
        cfg = run_check(config, stage=STAGE, node_id=unique_id)
        limit = run_check(lambda: cfg.policy(policy), stage=STAGE, node_id=unique_id).quota_per_hour
        prompt = current_prompt()
        now = self.clock()
        evidence: dict[str, Any] = {"limit": limit}
        if limit:
            def state():
                store = audit_store(cfg)
                if store is None:
                    raise ConfigError("quota: no audit store to count prompts in (add an 'audit' section)")
                return quota_state(store, prompt.user, limit, prompt.prompt_id, now)

            current = run_check(state, stage=STAGE, node_id=unique_id)
            evidence.update(used=current.used, retry_after_s=round(current.retry_after_s, 1))
            if current.exceeded:
                self._record("raised", policy, unique_id, prompt, now, evidence)
                raise quota_error(current, policy=policy, node_id=unique_id)
        self._record("passed", policy, unique_id, prompt, now, evidence)
        return {"ui": {"safety": [_verdict(evidence).to_dict()]}, "result": (text,)}

    def _record(self, action: str, policy: str, node_id: str, prompt: Any, now: float,
                evidence: dict[str, Any]) -> None:
        decision = Decision(STAGE, action, (_verdict(evidence),), policy, node_id=node_id,
                            prompt_id=prompt.prompt_id, client_id=prompt.client_id, user=prompt.user,
                            remote_addr=prompt.remote_addr, time=now)
        run_check(lambda: DECISION_HOOKS.emit(decision), stage=STAGE, node_id=node_id)


def _verdict(evidence: dict[str, Any]) -> Verdict:
    return Verdict(provider=PROVIDER, evidence=(evidence,))
