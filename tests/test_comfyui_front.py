"""What users and API clients see in a real ComfyUI: the pack's routes (also under /api), every
example workflow posted through /prompt as the frontend would post it, per-frame verdicts,
the example client, and the browser check (system Chromium driven by playwright-core).

Runs on the session's ComfyUI (the `comfy` fixture of tests/conftest.py). The browser
checks are tests/browser/front_end.test.mjs, which tests/test_browser.py runs.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from PIL import Image
from comfyui_harness import ROOT, Comfy, messages, queue
from test_comfyui_integration import FRONTEND_ONLY, UNSAFE, _saved_values

WORKFLOWS = ROOT / "example_workflows"
CHECKPOINT_LOADERS = {"CheckpointLoaderSimple"}
FRESH = ["check_text_preview", "load_image_save", "load_image_checked", "video_frames_check"]


def to_api(workflow: dict[str, Any], object_info: dict[str, Any]) -> dict[str, Any]:
    """A saved (UI) workflow -> the API prompt the frontend posts: links and widget values by name."""
    nodes = {n["id"]: n for n in workflow["nodes"]}
    links = {link[0]: link for link in workflow["links"]}
    prompt: dict[str, Any] = {}
    for node in nodes.values():
        if node["type"] in FRONTEND_ONLY or node.get("mode") in (2, 4):  # notes; muted or bypassed
            continue
        names = _saved_values(object_info[node["type"]])
        inputs = {n: v for n, v in zip(names, node.get("widgets_values") or []) if ":" not in n}
        for slot in node.get("inputs", []):
            if slot.get("link") is not None:
                _, src, src_slot, *_ = links[slot["link"]]
                inputs[slot["name"]] = [str(src), src_slot]
        prompt[str(node["id"])] = {"class_type": node["type"], "inputs": inputs}
    return prompt


def workflow(name: str) -> dict[str, Any]:
    return json.loads((WORKFLOWS / f"{name}.json").read_text("utf-8"))


def png(color: tuple[int, int, int] = (200, 30, 30), size: tuple[int, int] = (40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


# --- routes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/api"])
def test_status_reports_setup_without_secret_values(comfy: Comfy, prefix: str, monkeypatch) -> None:
    r = requests.get(f"{comfy.url}{prefix}/content_safety/status", timeout=30)
    assert r.status_code == 200
    status = r.json()
    assert {"lax", "normal", "strict"} <= set(status["policies"])
    assert status["policies"]["normal"]["remote_text_checkers"] == ["aliyun"]
    aliyun = status["providers"]["aliyun"]
    assert aliyun["credentials"]["present"] is False and "ALIBABA_CLOUD_ACCESS_KEY_ID" in aliyun["credentials"]["reason"]
    [nudenet] = [m for m in status["models"] if m["name"] == "nudenet"]
    assert nudenet["builtin"] and len(nudenet["sha256"]) == 64
    assert status["audit"]["route_enabled"] is False
    assert status["audit"]["settings"]["url"].startswith("sqlite:") and status["audit"]["settings"]["retention_days"] == 180
    assert status["labels"]["normal"]["explicit"] is True and status["labels"]["normal"]["c2pa"] is False


def test_status_says_credentials_are_present_never_what_they_are(comfy: Comfy, tmp_path: Path) -> None:
    secret = "s3cr3t-value-never-shown"
    creds = tmp_path / "credentials.yaml"
    creds.write_text(f"aliyun:\n  access_key_id: LTAI-id-value\n  access_key_secret: {secret}\n", "utf-8")
    comfy.config_file.parent.mkdir(parents=True, exist_ok=True)
    comfy.config_file.write_text(f"credentials_file: '{creds}'\n", "utf-8")
    try:
        r = requests.get(f"{comfy.url}/content_safety/status", timeout=30)
    finally:
        comfy.config_file.unlink()
    assert r.json()["providers"]["aliyun"]["credentials"]["present"] is True
    assert secret not in r.text and "LTAI-id-value" not in r.text


def test_check_route_checks_text_through_the_engine(comfy: Comfy) -> None:
    r = requests.post(f"{comfy.url}/api/content_safety/check", json={"text": UNSAFE, "policy": "normal"}, timeout=30)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["blocked"] is True and body["is_safe"] is False
    assert "sexual" in body["verdict"]["categories"] and body["verdict"]["provider"] == "local:lexicon"
    safe = requests.post(f"{comfy.url}/content_safety/check", json={"text": "a lighthouse"}, timeout=30).json()
    assert safe["is_safe"] is True and safe["policy"] == "normal"


def test_check_route_checks_an_uploaded_image_per_frame(comfy: Comfy) -> None:
    r = requests.post(f"{comfy.url}/content_safety/check", files={"image": ("red.png", png(), "image/png")},
                      data={"policy": "strict"}, timeout=60)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["is_safe"] is True and body["policy"] == "strict"
    assert [f["index"] for f in body["frames"]] == [0]
    assert body["verdict"]["provider"] == "local:nudenet"


@pytest.mark.parametrize(("kwargs", "status", "code", "says"), [
    ({"data": "not json"}, 400, "bad_request", "not JSON"),
    ({"json": {"prompt": "x"}}, 400, "bad_request", "'text'"),
    ({"json": {"text": 5}}, 400, "bad_request", "expected a string"),
    ({"json": {"text": "x", "policy": "nope"}}, 400, "config_error", "unknown policy 'nope'"),
    ({"json": {"text": "x", "check_mode": "cloud"}}, 400, "bad_request", "check_mode"),
    ({"json": {"text": "x" * 20_001}}, 400, "bad_request", "server.max_text_chars=20000"),
    ({"files": {"image": ("x.png", b"\x89PNG\r\n\x1a\n broken", "image/png")}}, 400, "bad_request", "x.png"),
    ({"files": {"other": ("x.png", b"abc", "image/png")}}, 400, "bad_request", "'image'"),
])
def test_check_route_errors_are_json(comfy: Comfy, kwargs: dict[str, Any], status: int, code: str, says: str) -> None:
    r = requests.post(f"{comfy.url}/content_safety/check", timeout=30, **kwargs)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["code"] == code and says in error["message"]


def test_check_route_limits_upload_size_and_fails_closed_on_provider_errors(comfy: Comfy) -> None:
    comfy.config_file.parent.mkdir(parents=True, exist_ok=True)
    comfy.config_file.write_text("server:\n  max_image_mb: 0.01\n", "utf-8")
    try:
        big = png(size=(400, 400)) + b"\0" * 20_000
        r = requests.post(f"{comfy.url}/content_safety/check", files={"image": ("big.png", big, "image/png")}, timeout=30)
        assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
        r = requests.post(f"{comfy.url}/content_safety/check", json={"text": "hello", "check_mode": "remote"}, timeout=30)
    finally:
        comfy.config_file.unlink()
    assert r.status_code == 502  # no credentials: the check cannot complete, so it fails closed
    error = r.json()["error"]
    assert error["code"] == "content_safe_check_error" and "credentials" in error["reason"]


def test_audit_route_is_off_without_a_token_and_reads_the_trail_with_it(comfy: Comfy) -> None:
    r = requests.get(f"{comfy.url}/content_safety/audit", timeout=10)
    assert r.status_code == 403 and r.json()["error"]["code"] == "audit_disabled"
    token = "t0ken-long-enough-for-the-route"
    marker = f"audit route {uuid.uuid4().hex}"
    precheck = requests.post(f"{comfy.url}/content_safety/check", json={"text": f"{marker} porn"}, timeout=30)
    assert precheck.json()["blocked"] is True
    comfy.config_file.parent.mkdir(parents=True, exist_ok=True)
    comfy.config_file.write_text(f"server:\n  audit_token: '{token}'\n", "utf-8")
    try:
        for header in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Bearer {token}x"}):
            r = requests.get(f"{comfy.url}/api/content_safety/audit", headers=header, timeout=10)
            assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
        r = requests.get(f"{comfy.url}/content_safety/audit", headers={"Authorization": f"Bearer {token}"},
                         params={"stage": "api", "category": "sexual", "limit": "5"}, timeout=30)
        assert token not in requests.get(f"{comfy.url}/content_safety/status", timeout=30).text
    finally:
        comfy.config_file.unlink()
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["filters"] == {"category": "sexual", "stage": "api"} and body["limit"] == 5
    [row] = [row for row in body["rows"] if row["text"] == f"{marker} porn"]  # the pre-check's decision
    assert row["level"] == "unsafe" and "sexual" in row["categories"] and row["action"] == "blocked"
    assert all(row["stage"] == "api" for row in body["rows"])


# --- example workflows ------------------------------------------------------------------------


def test_every_example_workflow_is_a_template(comfy: Comfy) -> None:
    # ComfyUI also serves "example", "examples", "workflow(s)" folders under the same URL
    assert not [n for n in ("example", "examples", "workflow", "workflows") if (ROOT / n).exists()]
    listed = requests.get(f"{comfy.url}/api/workflow_templates", timeout=10).json()["content_safety_guard"]
    assert sorted(listed) == sorted(p.stem for p in WORKFLOWS.glob("*.json"))
    for name in listed:
        r = requests.get(f"{comfy.url}/api/workflow_templates/content_safety_guard/{name}.json", timeout=10)
        assert r.status_code == 200 and r.json()["nodes"]
        thumbnail = requests.get(f"{comfy.url}/api/workflow_templates/content_safety_guard/{name}.jpg", timeout=10)
        assert thumbnail.status_code == 200 and thumbnail.content[:3] == b"\xff\xd8\xff", f"{name}.jpg"


@pytest.mark.parametrize("name", FRESH)
def test_fresh_comfyui_runs_the_example(comfy: Comfy, name: str) -> None:
    entry = queue(comfy, to_api(workflow(name), comfy.object_info))
    assert entry["status"]["status_str"] == "success", messages(entry, "execution_error")
    verdicts = [v for out in entry["outputs"].values() for v in out.get("safety", [])]
    assert verdicts and all(v["level"] == "safe" for v in verdicts)


def test_the_video_example_reports_one_verdict_per_sampled_frame(comfy: Comfy) -> None:
    prompt = to_api(workflow("video_frames_check"), comfy.object_info)
    [check] = [k for k, v in prompt.items() if v["class_type"] == "ContentSafetyImageCheck"]
    entry = queue(comfy, prompt)
    # 24 frames at 8 fps, 2 checked per second: frames 0, 4, 8, ..., 20
    assert [v["index"] for v in entry["outputs"][check]["safety"]] == [0, 4, 8, 12, 16, 20]
    [saved] = [out["images"] for k, out in entry["outputs"].items() if prompt[k]["class_type"] == "SaveImage"]
    assert len(saved) == 24


def test_examples_that_need_a_checkpoint_say_so_and_fail_only_for_the_checkpoint(comfy: Comfy) -> None:
    needy = [p.stem for p in WORKFLOWS.glob("*.json") if p.stem not in FRESH]
    assert needy
    for name in needy:
        saved = workflow(name)
        notes = [n["widgets_values"][0] for n in saved["nodes"] if n["type"] == "Note"]
        assert any("checkpoint" in text and "模型" in text for text in notes), name
        prompt = to_api(saved, comfy.object_info)
        r = requests.post(f"{comfy.url}/prompt", json={"prompt": prompt}, timeout=10)
        # 400, or 200 when ComfyUI runs the outputs that do not need the model (a verdict preview)
        assert r.status_code in (200, 400) and r.json()["node_errors"], name
        failing = {prompt[k]["class_type"] for k in r.json()["node_errors"]}
        assert failing == CHECKPOINT_LOADERS, f"{name}: {r.json()['node_errors']}"


def test_the_example_image_is_in_the_input_folder(comfy: Comfy) -> None:
    assert (comfy.base / "input" / "content_safety_example.png").read_bytes() == \
        (ROOT / "assets" / "content_safety_example.png").read_bytes()


# --- the example client of a published workflow -----------------------------------------------


def test_example_client_reads_blocked_substituted_and_prechecked_runs(comfy: Comfy) -> None:
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "client.py"), "--server", comfy.url, "--json"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["precheck"]["blocked"] is True and "sexual" in report["precheck"]["categories"]
    assert report["blocked"]["code"] == "content_safe_check_failed" and report["blocked"]["stage"] == "text"
    assert report["substituted"]["text"] == "[withheld]"
    assert report["substituted"]["verdicts"][0]["level"] == "unsafe"


def test_image_check_takes_comfyuis_video_type(comfy: Comfy) -> None:
    """Load Video -> Content Safety Image Check: the VIDEO's frames and frame rate are used."""
    av = pytest.importorskip("av")
    path = comfy.base / "input" / "cs_clip.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=8)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(16):  # 2 s at 8 fps
            frame = av.VideoFrame.from_image(Image.new("RGB", (64, 48), (20 * i, 90, 160)))
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    prompt = {"1": {"class_type": "LoadVideo", "inputs": {"file": path.name}},
              "2": {"class_type": "ContentSafetyImageCheck", "inputs": {
                  "video": ["1", 0], "enable_safe_check": True, "check_mode": "local", "policy": "normal",
                  "on_unsafe": "raise", "stride": 1, "sample_fps": 2.0}},
              "3": {"class_type": "PreviewAny", "inputs": {"source": ["2", 1]}}}
    entry = queue(comfy, prompt)
    assert entry["status"]["status_str"] == "success", messages(entry, "execution_error")
    assert [v["index"] for v in entry["outputs"]["2"]["safety"]] == [0, 4, 8, 12]
    assert entry["outputs"]["3"]["text"] == ["True"]
