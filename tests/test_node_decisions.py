"""Every node run becomes one Decision handed to DECISION_HOOKS: stage, node, prompt, client,
user and remote address where ComfyUI says them, verdicts, action, files. A hook that fails
is the JSON error; the user who queued the prompt reaches the policy (trusted_users)."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np
import pytest
from content_safety_guard.nodes import comfy
from content_safety_guard.nodes.image_save import ContentSafetySaveImage
from content_safety_guard.nodes.llm_judge import ContentSafetyLLMJudge
from content_safety_guard.nodes.text_check import ContentSafetyTextCheck
from content_safety_guard.safety import DECISION_HOOKS, ContentSafetyError, Decision
from content_safety_guard.safety.config import CONFIG_ENV

UNSAFE = "hardcore porn"
TEXT = {"enable_safe_check": True, "check_mode": "local", "policy": "normal", "replacement_text": ""}


@pytest.fixture
def decisions() -> Iterator[list[Decision]]:
    seen: list[Decision] = []
    with DECISION_HOOKS.registered(seen.append):
        yield seen


class _Context(NamedTuple):
    prompt_id: str
    node_id: str
    list_index: int | None


@pytest.fixture
def executing(monkeypatch: pytest.MonkeyPatch):
    """ComfyUI's executing context (comfy_execution.utils), pointing at one prompt id."""
    def run(prompt_id: str, node_id: str = "5") -> None:
        utils = types.ModuleType("comfy_execution.utils")
        utils.get_executing_context = lambda: _Context(prompt_id, node_id, None)  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "comfy_execution", types.ModuleType("comfy_execution"))
        monkeypatch.setitem(sys.modules, "comfy_execution.utils", utils)
    monkeypatch.setattr(comfy, "_origins", type(comfy._origins)())
    return run


def test_a_text_node_run_is_one_decision(decisions: list[Decision]) -> None:
    out = ContentSafetyTextCheck().check("a lighthouse at dawn", on_unsafe="raise", unique_id="12", **TEXT)
    (decision,) = decisions
    assert (decision.stage, decision.action, decision.node_id, decision.policy) == ("text", "passed", "12", "normal")
    assert decision.text == "a lighthouse at dawn" and decision.error is None
    assert decision.verdicts[0].to_json() == out["result"][2]


@pytest.mark.parametrize("on_unsafe, action", [("raise", "raised"), ("block", "blocked"),
                                                ("substitute", "substituted")])
def test_the_action_taken_is_recorded(decisions: list[Decision], on_unsafe: str, action: str) -> None:
    try:
        ContentSafetyTextCheck().check(UNSAFE, on_unsafe=on_unsafe, unique_id="3", **TEXT)
    except ContentSafetyError as exc:
        assert decisions[0].error == exc.payload
    (decision,) = decisions
    assert decision.action == action and decision.verdict.level == "unsafe"


def test_disabled_checks_and_failed_checks_are_decisions_too(decisions: list[Decision],
                                                             monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    ContentSafetyTextCheck().check(UNSAFE, on_unsafe="raise", **{**TEXT, "enable_safe_check": False})
    broken = tmp_path / "broken.yaml"
    broken.write_text("policies: [", encoding="utf-8")
    monkeypatch.setenv(CONFIG_ENV, str(broken))
    with pytest.raises(ContentSafetyError) as info:
        ContentSafetyTextCheck().check("hello", on_unsafe="raise", unique_id="4", **TEXT)
    assert [d.action for d in decisions] == ["disabled", "error"]
    assert decisions[1].error == info.value.payload and info.value.code == "content_safe_check_error"


def test_a_failing_hook_is_the_json_error_of_the_node() -> None:
    def refuse(decision: Decision) -> None:
        raise OSError("audit store is read-only")

    with DECISION_HOOKS.registered(refuse), pytest.raises(ContentSafetyError) as info:
        ContentSafetyTextCheck().check("a lighthouse", on_unsafe="raise", unique_id="9", **TEXT)
    error = json.loads(str(info.value))
    assert error["code"] == "content_safe_check_error" and error["stage"] == "text" and error["node_id"] == "9"
    assert error["provider"].startswith("hook:") and "audit store is read-only" in error["reason"]


def test_the_llm_judge_reports_its_own_stage(decisions: list[Decision]) -> None:
    ContentSafetyLLMJudge().judge("hello", enable_safe_check=False, llm_mode="local", policy="normal",
                                  on_unsafe="raise", model="m", remote_model="r", judge_format="auto",
                                  temperature=0.0, seed=0, keep_alive="5m", timeout=10.0)
    assert [(d.stage, d.action) for d in decisions] == [("llm", "disabled")]


def test_save_image_reports_the_files_it_wrote(decisions: list[Decision], tmp_path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "output").mkdir()
    monkeypatch.chdir(tmp_path)
    images = np.zeros((2, 8, 8, 3), np.float32)
    out = ContentSafetySaveImage().save(images, "shots/cs", enable_safe_check=False, check_mode="local",
                                        policy="normal", on_unsafe="raise", unique_id="2")
    (decision,) = decisions
    assert decision.stage == "image_save" and decision.action == "disabled"
    assert decision.outputs == tuple(f"shots/{f['filename']}" for f in out["ui"]["images"])
    assert len(decision.outputs) == 2


def test_the_prompt_origin_reaches_the_decision_and_the_policy(decisions: list[Decision], executing, tmp_path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("policies:\n  kiosk:\n    trusted_users: [alice]\n", encoding="utf-8")
    monkeypatch.setenv(CONFIG_ENV, str(config))
    queued = comfy.note_prompt({"prompt": {}, "client_id": "browser-1"}, "alice", "10.0.0.7")
    other = comfy.note_prompt({"prompt": {}, "prompt_id": "p-bob"}, "bob", "10.0.0.8")
    assert queued["prompt_id"] and other["prompt_id"] == "p-bob"
    executing(queued["prompt_id"])
    kiosk = {**TEXT, "policy": "kiosk"}
    out = ContentSafetyTextCheck().check(UNSAFE, on_unsafe="raise", unique_id="5", **kiosk)
    assert out["result"][1] is True and json.loads(out["result"][2])["provider"] == "policy:trusted_user"
    executing("p-bob")
    with pytest.raises(ContentSafetyError):
        ContentSafetyTextCheck().check(UNSAFE, on_unsafe="raise", unique_id="5", **kiosk)
    alice, bob = decisions
    assert (alice.prompt_id, alice.client_id, alice.user, alice.remote_addr) == (
        queued["prompt_id"], "browser-1", "alice", "10.0.0.7")
    assert (bob.prompt_id, bob.user, bob.action) == ("p-bob", "bob", "raised")


def test_origins_are_bounded(executing, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(comfy, "ORIGINS_KEPT", 3)
    for i in range(5):
        comfy.note_prompt({"prompt_id": f"p{i}"}, "u", "")
    assert list(comfy._origins) == ["p2", "p3", "p4"]


def test_comfyui_reruns_a_check_for_another_user(executing) -> None:
    """ComfyUI's output cache keys on IS_CHANGED: a verdict for a trusted user must not be
    served to the next user queuing the same prompt."""
    alice = comfy.note_prompt({}, "alice", "")["prompt_id"]
    bob = comfy.note_prompt({}, "bob", "")["prompt_id"]
    executing(alice)
    for_alice = ContentSafetyTextCheck.IS_CHANGED(text=UNSAFE)
    executing(bob)
    assert ContentSafetyTextCheck.IS_CHANGED(text=UNSAFE) != for_alice
    executing(alice)
    assert ContentSafetyTextCheck.IS_CHANGED(text=UNSAFE) == for_alice
