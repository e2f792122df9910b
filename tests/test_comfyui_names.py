"""Load names and save prefixes through a real ComfyUI (the shared `comfy` fixture): a name
leading out of the input, output and temp folders is refused before the run, and a save
prefix with a NUL character fails the run with the JSON error contract."""

from __future__ import annotations

import json
from typing import Any

import requests
from comfyui_harness import Comfy, messages, queue
from PIL import Image


def load_image(name: str) -> dict[str, Any]:
    return {"class_type": "ContentSafetyLoadImage", "inputs": {
        "image": name, "enable_safe_check": True, "check_mode": "local", "policy": "normal", "on_unsafe": "raise"}}


def test_load_names_leading_out_of_comfyui_folders_are_refused_before_the_run(comfy: Comfy) -> None:
    Image.new("RGB", (8, 8), (20, 20, 200)).save(comfy.base / "outside_cs.png")
    for name in ("../outside_cs.png", str(comfy.base / "outside_cs.png")):
        prompt = {"81": load_image(name), "82": {"class_type": "PreviewAny", "inputs": {"source": ["81", 2]}}}
        r = requests.post(f"{comfy.url}/prompt", json={"prompt": prompt}, timeout=10)
        assert r.status_code == 400, r.text
        [error] = r.json()["node_errors"]["81"]["errors"]
        assert "outside ComfyUI's input, output and temp folders" in error["details"]


def test_a_nul_in_the_save_prefix_fails_with_the_json_error(comfy: Comfy) -> None:
    prompt = {
        "83": {"class_type": "EmptyImage", "inputs": {"width": 8, "height": 8, "batch_size": 1, "color": 0}},
        "84": {"class_type": "ContentSafetySaveImage", "inputs": {
            "images": ["83", 0], "filename_prefix": "cs\u0000bad", "enable_safe_check": False,
            "check_mode": "local", "policy": "normal", "on_unsafe": "raise"}},
    }
    entry = queue(comfy, prompt)
    [error] = messages(entry, "execution_error")
    data = json.loads(error["exception_message"])
    assert data["code"] == "content_safe_check_error" and data["stage"] == "image_save"
    assert "NUL" in data["reason"] and data["node_id"] == "84"
