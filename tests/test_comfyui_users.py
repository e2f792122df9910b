"""Who queued a prompt, in a real ComfyUI started with --multi-user: the `comfy-user` header
of POST /prompt reaches the node's policy, so `trusted_users` applies (nodes/comfy.py), and
the audit trail (default SQLite store in the user directory) and the quota gate.

Started by tests/comfyui_harness.py like the session's ComfyUI (see there for COMFYUI_DIR)."""

from __future__ import annotations

import json
import os
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
    config.write_text("policies:\n  kiosk:\n    trusted_users: [alice]\n"
                      "  metered:\n    quota: {per_hour: 2}\n", encoding="utf-8")
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


def _gated(text: str) -> dict[str, Any]:
    """A prompt through ContentSafetyQuotaGate and the text check, both under `metered`."""
    return {"1": {"class_type": "PrimitiveString", "inputs": {"value": text}},
            "2": {"class_type": "ContentSafetyQuotaGate", "inputs": {"text": ["1", 0], "policy": "metered"}},
            "3": it.text_check(["2", 0], "raise", policy="metered"),
            "4": it.preview("3", 0)}


def test_runs_are_audited_and_the_quota_counts_each_user(multi_user: Comfy) -> None:
    from content_safety_guard.safety import default_audit_settings
    from content_safety_guard.safety.audit.store import AuditStore
    from content_safety_guard.safety.audit.verify import verify

    ran = [_queue_as(multi_user, "carol", _gated(f"a lake {i}")) for i in range(2)]
    assert [entry["status"]["status_str"] for entry in ran] == ["success", "success"]
    refused = _queue_as(multi_user, "carol", _gated("a lake 3"))
    (error,) = messages(refused, "execution_error")
    data = json.loads(error["exception_message"])
    assert data["code"] == "quota_exceeded" and data["node_id"] == "2"
    assert data["evidence"][0]["user"] == "carol" and data["evidence"][0]["used"] == 2
    other = _queue_as(multi_user, "dave", _gated("a lake"))
    assert other["status"]["status_str"] == "success"

    folder = multi_user.base / "user" / "content_safety"
    assert oct(os.stat(folder / "audit.sqlite3").st_mode & 0o777) == "0o600"
    store = AuditStore(default_audit_settings(folder))
    with store.reader() as conn:
        rows = list(store.rows(conn))
    assert verify(store, None).ok
    store.close()
    ids = [entry["prompt"][1] for entry in (*ran, refused, other)]
    seen = [(r["prompt_id"], r["user"], r["stage"], r["action"]) for r in rows if r["prompt_id"] in ids]
    assert seen == [(ids[0], "carol", "quota", "passed"), (ids[0], "carol", "text", "passed"),
                    (ids[1], "carol", "quota", "passed"), (ids[1], "carol", "text", "passed"),
                    (ids[2], "carol", "quota", "raised"),
                    (ids[3], "dave", "quota", "passed"), (ids[3], "dave", "text", "passed")]
    mine = [r for r in rows if r["prompt_id"] in ids]
    assert {r["remote_addr"] for r in mine} == {"127.0.0.1"} and all(r["client_id"] for r in mine)
    assert [r["text"] for r in mine if r["stage"] == "text"] == ["a lake 0", "a lake 1", "a lake"]
