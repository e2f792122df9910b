"""The audit trail inside a real ComfyUI started with --multi-user: the default SQLite store
in its user directory, prompts tied to the `comfy-user` header and the client address,
and the quota gate refusing a user's third prompt with "code": "quota_exceeded"."""

from __future__ import annotations

import json
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_comfyui_integration import (COMFYUI_DIR, PACK_DIR, ROOT, RUN_S, Comfy, _comfyui_python, _free_port,
                                      _log_tail, _wait_for_nodes, messages)

import requests  # noqa: E402  (after the module-level skip of the integration module)

USERS = {"alice-1": "alice", "bob-2": "bob"}
CONFIG = "policies:\n  metered:\n    quota: {per_hour: 2}\n"


@pytest.fixture(scope="module")
def multi_user_comfy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Comfy]:
    base = tmp_path_factory.mktemp("comfyui-multi-user")
    for folder in ("custom_nodes", "user", "input", "output"):
        (base / folder).mkdir()
    (base / "custom_nodes" / PACK_DIR).symlink_to(ROOT, target_is_directory=True)
    (base / "user" / "users.json").write_text(json.dumps(USERS), encoding="utf-8")
    (base / "user" / "content_safety").mkdir()
    (base / "user" / "content_safety" / "config.yaml").write_text(CONFIG, encoding="utf-8")
    port, log = _free_port(), base / "comfyui.log"
    env = {k: v for k, v in os.environ.items() if k != "COMFY_CONTENT_SAFETY_CONFIG"}
    cmd = [_comfyui_python(), str(Path(COMFYUI_DIR) / "main.py"), "--cpu", "--listen", "127.0.0.1",
           "--port", str(port), "--disable-auto-launch", "--disable-api-nodes", "--multi-user",
           "--base-directory", str(base), "--user-directory", str(base / "user"),
           "--input-directory", str(base / "input"), "--output-directory", str(base / "output"),
           "--database-url", "sqlite:///:memory:"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=base, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        yield Comfy(url, base, _wait_for_nodes(proc, url, log))
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def queue_as(comfy: Comfy, user: str, prompt: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    r = requests.post(f"{comfy.url}/prompt", json={"prompt": prompt, "client_id": uuid.uuid4().hex},
                      headers={"comfy-user": user}, timeout=10)
    assert r.status_code == 200, r.text
    prompt_id = r.json()["prompt_id"]
    deadline = time.monotonic() + RUN_S
    while time.monotonic() < deadline:
        history = requests.get(f"{comfy.url}/history/{prompt_id}", headers={"comfy-user": user}, timeout=10).json()
        if prompt_id in history:
            return prompt_id, history[prompt_id]
        time.sleep(0.1)
    pytest.fail(f"prompt {prompt_id} did not finish:\n{_log_tail(comfy.base / 'comfyui.log')}")


def gated(text: str) -> dict[str, Any]:
    return {"1": {"class_type": "PrimitiveString", "inputs": {"value": text}},
            "2": {"class_type": "ContentSafetyQuotaGate", "inputs": {"text": ["1", 0], "policy": "metered"}},
            "3": {"class_type": "ContentSafetyTextCheck",
                  "inputs": {"text": ["2", 0], "enable_safe_check": True, "check_mode": "local",
                             "policy": "metered", "on_unsafe": "raise", "replacement_text": ""}},
            "4": {"class_type": "PreviewAny", "inputs": {"source": ["3", 0]}}}


def test_quota_gate_counts_each_user_from_the_default_store(multi_user_comfy: Comfy) -> None:
    from content_safety_guard.safety.settings.audit import default_audit_settings
    from content_safety_guard.safety.audit.store import AuditStore
    from content_safety_guard.safety.audit.verify import verify

    ran = [queue_as(multi_user_comfy, "alice-1", gated(f"a lake {i}")) for i in range(2)]
    assert all(entry["status"]["status_str"] == "success" for _, entry in ran)
    refused_id, refused = queue_as(multi_user_comfy, "alice-1", gated("a lake 3"))
    assert refused["status"]["status_str"] == "error"
    [error] = messages(refused, "execution_error")
    data = json.loads(error["exception_message"])
    assert data["code"] == "quota_exceeded" and data["node_id"] == "2"
    assert data["evidence"][0]["user"] == "alice-1" and data["evidence"][0]["used"] == 2
    bob_id, bob = queue_as(multi_user_comfy, "bob-2", gated("a lake"))
    assert bob["status"]["status_str"] == "success"

    folder = multi_user_comfy.base / "user" / "content_safety"
    store = AuditStore(default_audit_settings(folder))
    with store.reader() as conn:
        rows = list(store.rows(conn))
    assert verify(store, None).ok
    store.close()
    assert oct(os.stat(folder / "audit.sqlite3").st_mode & 0o777) == "0o600"
    seen = [(r["prompt_id"], r["user"], r["stage"], r["action"]) for r in rows]
    assert seen == [(ran[0][0], "alice-1", "quota", "passed"), (ran[0][0], "alice-1", "text", "passed"),
                    (ran[1][0], "alice-1", "quota", "passed"), (ran[1][0], "alice-1", "text", "passed"),
                    (refused_id, "alice-1", "quota", "raised"),
                    (bob_id, "bob-2", "quota", "passed"), (bob_id, "bob-2", "text", "passed")]
    assert {r["remote_addr"] for r in rows} == {"127.0.0.1"} and all(r["client_id"] for r in rows)
    assert [r["text"] for r in rows if r["stage"] == "text"] == ["a lake 0", "a lake 1", "a lake"]
