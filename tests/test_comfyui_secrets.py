"""Secrets stay secret end to end: remote checks that pass, block and fail through the real
ComfyUI (the Alibaba Cloud emulator behind the real SDK, credentials from a credentials
file) leave neither the access key secret nor the temporary upload credentials in
/history, ComfyUI's log, the saved images (metadata included), the audit store or the
error a client reads."""

from __future__ import annotations

import json
from pathlib import Path

import requests
from comfyui_harness import Comfy, messages, queue
from emulator.green import GreenEmulator
from emulator.helpers import AK_ID, AK_SECRET, FAST

pytest_plugins = ("emulator.fixtures",)

TEXT = "ContentSafetyTextCheck"
COMMON = {"enable_safe_check": True, "policy": "normal", "on_unsafe": "raise"}


def _config(comfy: Comfy, green: GreenEmulator, creds: Path) -> None:
    aliyun = {"region": green.region, "endpoint": green.address, **FAST}
    comfy.config_file.parent.mkdir(parents=True, exist_ok=True)
    comfy.config_file.write_text(json.dumps({"credentials_file": str(creds), "aliyun": aliyun}), "utf-8")


def _text(text: str) -> dict:
    return {"1": {"class_type": TEXT, "inputs": {"text": text, "check_mode": "remote", "replacement_text": "",
                                                  **COMMON}},
            "2": {"class_type": "PreviewAny", "inputs": {"source": ["1", 0]}}}


def _save(prefix: str) -> dict:
    return {"1": {"class_type": "LoadImage", "inputs": {"image": "content_safety_example.png"}},
            "2": {"class_type": "ContentSafetySaveImage", "inputs": {
                "images": ["1", 0], "filename_prefix": prefix, "check_mode": "remote", **COMMON}}}


def test_remote_checks_leave_no_secret_behind(comfy: Comfy, green: GreenEmulator, tmp_path: Path) -> None:
    creds = tmp_path / "credentials.yaml"
    creds.write_text(f"aliyun:\n  access_key_id: {AK_ID}\n  access_key_secret: {AK_SECRET}\n", "utf-8")
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(f"aliyun:\n  access_key_id: {AK_ID}\n  access_key_secret: not-{AK_SECRET}\n", "utf-8")
    prefix = f"secrets_{tmp_path.name}"
    try:
        _config(comfy, green, creds)
        passed = queue(comfy, _text("a cat on a sofa, watercolor"))
        blocked = queue(comfy, _text("nice day badword-porn"))
        saved = queue(comfy, _save(prefix))
        _config(comfy, green, wrong)  # the emulator refuses the signature: the run fails closed
        refused = queue(comfy, _text("a lighthouse at dawn"))
        route = requests.post(f"{comfy.url}/content_safety/check", timeout=60,
                              json={"text": "a lighthouse at noon", "check_mode": "remote"})
    finally:
        comfy.config_file.unlink()

    assert passed["status"]["status_str"] == "success", messages(passed, "execution_error")
    [error] = messages(blocked, "execution_error")
    assert json.loads(error["exception_message"])["code"] == "content_safe_check_failed"
    assert saved["status"]["status_str"] == "success", messages(saved, "execution_error")
    [failure] = messages(refused, "execution_error")
    assert json.loads(failure["exception_message"])["code"] == "content_safe_check_error"
    assert route.status_code == 502 and route.json()["error"]["code"] == "content_safe_check_error"
    assert green.actions.get("TextModerationPlus", 0) >= 2 and green.actions.get("ImageModeration") == 1
    upload = [s for sts in green.oss.tokens.values() for s in sts]  # the temporary OSS secret and token
    assert len(upload) == 2

    files = sorted((comfy.base / "output").glob(f"{prefix}*.png"))
    assert files, "the checked image was not saved"
    places = {
        "/history": requests.get(f"{comfy.url}/history", timeout=30).text,
        "ComfyUI's log": comfy.log.read_text(errors="replace"),
        "the /check answer": route.text,
        **{f"output {p.name}": p.read_bytes().decode("latin-1") for p in files},
        **{f"user {p.name}": p.read_bytes().decode("latin-1")
           for p in (comfy.base / "user").rglob("*") if p.is_file() and p.suffix != ".yaml"},
    }
    for secret in (AK_SECRET, *upload):
        leaks = [where for where, text in places.items() if secret in text]
        assert not leaks, f"a secret is in {leaks}"
