"""Who queued a prompt, in a real ComfyUI started with --multi-user: the `comfy-user` header
of POST /prompt reaches the node's policy, so `trusted_users` applies (nodes/comfy.py).

Needs COMFYUI_DIR, as tests/test_comfyui_integration.py, whose helpers it reuses."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import test_comfyui_integration as it  # skips this module too without COMFYUI_DIR

requests = pytest.importorskip("requests")


@pytest.fixture(scope="module")
def multi_user(tmp_path_factory: pytest.TempPathFactory) -> Iterator[it.Comfy]:
    base = tmp_path_factory.mktemp("comfyui_users")
    for folder in ("custom_nodes", "user", "input", "output"):
        (base / folder).mkdir()
    (base / "custom_nodes" / it.PACK_DIR).symlink_to(it.ROOT, target_is_directory=True)
    config = base / "user" / "content_safety" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("policies:\n  kiosk:\n    trusted_users: [alice]\n", encoding="utf-8")
    port = it._free_port()
    log = base / "comfyui.log"
    env = {k: v for k, v in os.environ.items() if k not in ("COMFY_CONTENT_SAFETY_CONFIG", "OLLAMA_HOST")}
    cmd = [it._comfyui_python(), str(Path(it.COMFYUI_DIR) / "main.py"), "--cpu", "--multi-user",
           "--listen", "127.0.0.1", "--port", str(port), "--disable-auto-launch", "--disable-api-nodes",
           "--base-directory", str(base), "--user-directory", str(base / "user"),
           "--input-directory", str(base / "input"), "--output-directory", str(base / "output"),
           "--database-url", "sqlite:///:memory:"]
    url = f"http://127.0.0.1:{port}"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=base, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield it.Comfy(url, base, it._wait_for_nodes(proc, url, log))
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _queue_as(comfy: it.Comfy, user: str | None, prompt: dict[str, Any]) -> dict[str, Any]:
    headers = {"comfy-user": user} if user else {}
    r = requests.post(f"{comfy.url}/prompt", json={"prompt": prompt, "client_id": uuid.uuid4().hex},
                      headers=headers, timeout=10)
    assert r.status_code == 200, r.text
    prompt_id = r.json()["prompt_id"]
    deadline = time.monotonic() + it.RUN_S
    while time.monotonic() < deadline:
        history = requests.get(f"{comfy.url}/history/{prompt_id}", headers=headers, timeout=10).json()
        if prompt_id in history:
            return history[prompt_id]
        time.sleep(0.1)
    pytest.fail(f"prompt {prompt_id} did not finish:\n{it._log_tail(comfy.base / 'comfyui.log')}")


def test_a_trusted_user_passes_and_others_are_checked(multi_user: it.Comfy) -> None:
    prompt = {"1": it.text_check(it.UNSAFE, "raise", policy="kiosk"), "2": it.preview("1", 2)}
    trusted = _queue_as(multi_user, "alice", prompt)
    assert trusted["status"]["status_str"] == "success"
    assert trusted["outputs"]["1"]["safety"][0]["provider"] == "policy:trusted_user"
    for user in ("bob", None):
        other = _queue_as(multi_user, user, prompt)
        assert other["status"]["status_str"] == "error"
        (error,) = it.messages(other, "execution_error")
        assert '"content_safe_check_failed"' in error["exception_message"]


def test_a_prompt_id_sent_by_the_client_is_kept(multi_user: it.Comfy) -> None:
    prompt = {"1": it.text_check(it.SAFE, "raise", policy="kiosk"), "2": it.preview("1", 0)}
    r = requests.post(f"{multi_user.url}/prompt", json={"prompt": prompt, "prompt_id": "cs-users-1"},
                      headers={"comfy-user": "alice"}, timeout=10)
    assert r.status_code == 200 and r.json()["prompt_id"] == "cs-users-1"
