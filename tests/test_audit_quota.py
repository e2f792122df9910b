"""ContentSafetyQuotaGate: prompts per user and hour, counted from the audit store, with an
injected clock (no wall-clock races)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit_helpers import T0
from content_safety_guard.nodes import NODE_CLASS_MAPPINGS, common
from content_safety_guard.nodes.comfy import Origin
from content_safety_guard.nodes.quota_gate import ContentSafetyQuotaGate
from content_safety_guard.safety import ContentSafetyError
from content_safety_guard.safety.audit.quota import WINDOW_S
from content_safety_guard.safety.config import CONFIG_ENV


@pytest.fixture
def gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cfg = tmp_path / "config.yaml"
    cfg.write_text("audit: {}\npolicies:\n  metered:\n    quota: {per_hour: 3}\n", encoding="utf-8")
    monkeypatch.setenv(CONFIG_ENV, str(cfg))
    now = [T0]
    monkeypatch.setattr(ContentSafetyQuotaGate, "clock", staticmethod(lambda: now[0]))
    who = {"ctx": Origin()}
    monkeypatch.setattr(common, "run_origin", lambda: who["ctx"])

    def run(prompt_id: str, user: str = "alice", at: float | None = None, policy: str = "metered"):
        if at is not None:
            now[0] = at
        who["ctx"] = Origin(prompt_id, "client-1", user, "10.0.0.9")
        return ContentSafetyQuotaGate().gate("a prompt", policy, unique_id="7")

    return run


def refused(run, *args, **kwargs) -> dict:
    with pytest.raises(ContentSafetyError) as caught:
        run(*args, **kwargs)
    return json.loads(str(caught.value))


def test_gate_is_registered() -> None:
    assert NODE_CLASS_MAPPINGS["ContentSafetyQuotaGate"] is ContentSafetyQuotaGate
    spec = ContentSafetyQuotaGate.INPUT_TYPES()
    assert spec["required"]["policy"][1]["tooltip"] and spec["required"]["text"][1]["tooltip"]


def test_quota_exceeded_and_reset(gate) -> None:
    for i in range(3):
        assert gate(f"p{i}", at=T0 + i * 60)["result"] == ("a prompt",)
    error = refused(gate, "p3", at=T0 + 600)
    assert error["code"] == "quota_exceeded" and error["stage"] == "quota" and error["node_id"] == "7"
    assert error["evidence"][0] == {"user": "alice", "used": 3, "limit": 3, "retry_after_s": WINDOW_S - 600}
    assert refused(gate, "p4", at=T0 + 700)["code"] == "quota_exceeded"  # refusals do not count
    assert gate("p2", at=T0 + 700)["result"] == ("a prompt",)  # a prompt already counted runs on
    assert gate("bob-1", user="bob", at=T0 + 700)["result"] == ("a prompt",)  # per user
    assert gate("p5", at=T0 + WINDOW_S + 1)["result"] == ("a prompt",)  # p0 left the window
    assert refused(gate, "p6", at=T0 + WINDOW_S + 2)["evidence"][0]["used"] == 3


def test_policy_without_quota_passes_and_still_counts(gate) -> None:
    for i in range(5):
        out = gate(f"n{i}", policy="normal", at=T0 + i)
        assert out["result"] == ("a prompt",) and out["ui"]["safety"][0]["evidence"][0]["limit"] is None
    assert refused(gate, "m1", at=T0 + 10)["evidence"][0]["used"] == 5


def test_quota_without_a_store_fails_closed(tmp_path, monkeypatch) -> None:
    cfg = tmp_path / "config.yaml"
    cfg.write_text("policies:\n  metered:\n    quota: {per_hour: 3}\n", encoding="utf-8")
    monkeypatch.setenv(CONFIG_ENV, str(cfg))
    error = refused(lambda: ContentSafetyQuotaGate().gate("x", "metered"))
    assert error["code"] == "content_safe_check_error" and "audit" in error["reason"]
