"""Who queued a prompt, in a real ComfyUI started with --multi-user: the `comfy-user` header
of POST /prompt reaches the node's policy, so `trusted_users` applies (nodes/comfy.py).

Started by tests/comfyui_harness.py like the session's ComfyUI (see there for COMFYUI_DIR)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
import test_comfyui_integration as it
from comfyui_harness import Comfy, messages, queue, running_comfyui


@pytest.fixture(scope="module")
def multi_user(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Comfy]:
    """A second ComfyUI, started with --multi-user (the session's `comfy` runs without it)."""
    base = tmp_path_factory.mktemp("comfyui_users")
    config = base / "user" / "content_safety" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("policies:\n  kiosk:\n    trusted_users: [alice]\n", encoding="utf-8")
    with running_comfyui(base, "--multi-user") as server:
        yield server


def _queue_as(comfy: Comfy, user: str | None, prompt: dict[str, Any]) -> dict[str, Any]:
    return queue(comfy, prompt, headers={"comfy-user": user} if user else None)


def test_a_trusted_user_passes_and_others_are_checked(multi_user: Comfy) -> None:
    prompt = {"1": it.text_check(it.UNSAFE, "raise", policy="kiosk"), "2": it.preview("1", 2)}
    trusted = _queue_as(multi_user, "alice", prompt)
    assert trusted["status"]["status_str"] == "success"
    assert trusted["outputs"]["1"]["safety"][0]["provider"] == "policy:trusted_user"
    for user in ("bob", None):
        other = _queue_as(multi_user, user, prompt)
        assert other["status"]["status_str"] == "error"
        (error,) = messages(other, "execution_error")
        assert '"content_safe_check_failed"' in error["exception_message"]


def test_a_prompt_id_sent_by_the_client_is_kept(multi_user: Comfy) -> None:
    prompt = {"1": it.text_check(it.SAFE, "raise", policy="kiosk"), "2": it.preview("1", 0)}
    r = requests.post(f"{multi_user.url}/prompt", json={"prompt": prompt, "prompt_id": "cs-users-1"},
                      headers={"comfy-user": "alice"}, timeout=10)
    assert r.status_code == 200 and r.json()["prompt_id"] == "cs-users-1"
