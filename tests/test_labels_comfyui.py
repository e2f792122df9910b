"""AIGC labels through a real ComfyUI (fixtures of test_comfyui_integration.py): the save node
writes labelled files, the load node reports the label of an upload, and saving an upload
again propagates its label. Skipped, like those tests, when COMFYUI_DIR is unset."""

from __future__ import annotations

import json

import requests
from comfyui_harness import Comfy, messages, queue
from content_safety_guard.safety.labels.read import inspect_file
from label_helpers import TC260, exiftool

WIDGETS = {"enable_safe_check": True, "check_mode": "local", "policy": "normal"}


def _save(images: list, prefix: str) -> dict:
    return {"class_type": "ContentSafetySaveImage",
            "inputs": {"images": images, "filename_prefix": prefix, "on_unsafe": "raise", **WIDGETS}}


def test_saved_images_are_labelled_and_the_labels_reported(comfy: Comfy) -> None:
    comfy.config_file.parent.mkdir(parents=True, exist_ok=True)
    comfy.config_file.write_text("labels:\n  producer: ITPRODUCER\n  timestamp: true\n", "utf-8")
    try:
        prompt = {"1": {"class_type": "EmptyImage", "inputs": {"width": 320, "height": 240, "batch_size": 1,
                                                              "color": 0xFFFFFF}},
                  "2": _save(["1", 0], "cs_labels/made")}
        entry = queue(comfy, prompt)
    finally:
        comfy.config_file.unlink(missing_ok=True)
    assert entry["status"]["status_str"] == "success", messages(entry, "execution_error")
    [verdict] = entry["outputs"]["2"]["safety"]
    record = verdict["labels"]
    path = comfy.base / "output" / "cs_labels" / verdict["filename"]
    report = inspect_file(path)
    assert report["valid"] and report["aigc"] == record["implicit"]
    assert report["aigc"]["ContentProducer"] == "ITPRODUCER"
    assert record["explicit"]["text"].startswith("AI生成\n")
    tags = exiftool(path)
    assert json.loads(tags[TC260])["AIGC"]["ProduceID"] == record["implicit"]["ProduceID"]
    assert "PNG:Prompt" in tags and "PNG:AIGC" in tags  # ComfyUI's metadata kept beside the label
    left, top, right, bottom = record["explicit"]["box"]
    assert left > 160 and top > 120  # bottom-right


def test_an_uploaded_labelled_image_is_reported_and_propagated_when_saved_again(comfy: Comfy) -> None:
    made = queue(comfy, {"1": {"class_type": "EmptyImage", "inputs": {"width": 200, "height": 160,
                                                                         "batch_size": 1, "color": 0x224466}},
                            "2": _save(["1", 0], "cs_labels/src")})
    [first] = made["outputs"]["2"]["safety"]
    data = (comfy.base / "output" / "cs_labels" / first["filename"]).read_bytes()
    r = requests.post(f"{comfy.url}/upload/image", files={"image": ("cs_labelled.png", data, "image/png")},
                      data={"overwrite": "true"}, timeout=10)
    assert r.status_code == 200, r.text
    prompt = {"5": {"class_type": "ContentSafetyLoadImage",
                    "inputs": {"image": r.json()["name"], "on_unsafe": "raise", **WIDGETS}},
              "6": _save(["5", 0], "cs_labels/again")}
    entry = queue(comfy, prompt)
    assert entry["status"]["status_str"] == "success", messages(entry, "execution_error")
    [declared] = entry["outputs"]["5"]["aigc"]
    assert declared["aigc_label"] == "1" and declared["valid"]
    assert declared["produce_id"] == first["labels"]["implicit"]["ProduceID"]
    assert {"aigc": declared} in entry["outputs"]["5"]["safety"][0]["evidence"]
    [again] = entry["outputs"]["6"]["safety"]
    fields = inspect_file(comfy.base / "output" / "cs_labels" / again["filename"])["aigc"]
    assert again["labels"]["propagated"] is True
    assert fields["ProduceID"] == first["labels"]["implicit"]["ProduceID"] and fields["PropagateID"]


def test_the_audit_trail_keeps_who_received_a_file_without_the_visible_label(comfy: Comfy) -> None:
    """The save node's row in ComfyUI's default audit store: the output file names and
    `labelled`, false when the visible label is off (the measures ask for these logs)."""
    from content_safety_guard.safety import default_audit_settings
    from content_safety_guard.safety.audit.store import AuditStore

    entries = {}
    for explicit in ("true", "false"):
        comfy.config_file.parent.mkdir(parents=True, exist_ok=True)
        comfy.config_file.write_text(f"labels:\n  explicit: {explicit}\n", "utf-8")
        try:
            entries[explicit] = queue(comfy, {
                "1": {"class_type": "EmptyImage", "inputs": {"width": 160, "height": 120, "batch_size": 1,
                                                            "color": 0x336699}},
                "2": _save(["1", 0], f"cs_labels/audit_{explicit}")})
        finally:
            comfy.config_file.unlink(missing_ok=True)
        assert entries[explicit]["status"]["status_str"] == "success", messages(entries[explicit], "execution_error")
    store = AuditStore(default_audit_settings(comfy.base / "user" / "content_safety"))
    with store.reader() as conn:
        rows = {r["prompt_id"]: r for r in store.rows(conn) if r["stage"] == "image_save"}
    store.close()
    for explicit, entry in entries.items():
        row = rows[entry["prompt"][1]]
        [verdict] = entry["outputs"]["2"]["safety"]
        assert json.loads(row["detail"])["outputs"] == [f"cs_labels/{verdict['filename']}"]
        assert bool(row["labelled"]) is (explicit == "true") and row["remote_addr"] == "127.0.0.1"
