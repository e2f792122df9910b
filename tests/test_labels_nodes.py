"""AIGC labels through the save and load nodes without ComfyUI (numpy stands in for
tensors, temporary folders for ComfyUI's): what is written, what the Decision records,
propagation through the workflow graph, and what an upload declares."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
from content_safety_guard.nodes import image_save
from content_safety_guard.nodes.image_load import ContentSafetyLoadImage
from content_safety_guard.nodes.image_save import ContentSafetySaveImage
from content_safety_guard.safety import DECISION_HOOKS, ContentSafetyError
from content_safety_guard.safety.config import CONFIG_ENV
from content_safety_guard.safety.labels.read import inspect_file
from content_safety_guard.safety.labels.write import save_labelled
from image_helpers import BLUE, RED, as_image_batch, build_classifier, dirs, solid, write_config  # noqa: F401  (dirs: a fixture)
from label_helpers import exiftool, latin_only_font, settings
from PIL import Image

COMMON = {"enable_safe_check": True, "check_mode": "local", "policy": "tiny"}
H, W = 240, 320


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
    build_classifier(folder)
    return folder


@pytest.fixture
def configure(tmp_path, model_dir, monkeypatch):
    def apply(labels=None, **top):
        path = write_config(tmp_path, model_dir, ["model:tiny_cls"], policy={"labels": labels or {}},
                            name=f"c{time.monotonic_ns()}.yaml")
        if top:
            import yaml
            data = yaml.safe_load(path.read_text())
            path.write_text(yaml.safe_dump({**data, **top}))
        monkeypatch.setenv(CONFIG_ENV, str(path))
    return apply


@pytest.fixture
def decisions():
    seen = []
    with DECISION_HOOKS.registered(seen.append):
        yield seen


def _pixels(path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB")).astype(int)


def test_saved_images_carry_both_labels_and_the_workflow(dirs, configure, decisions):
    configure({"producer": "NODEPROD01"})
    prompt, extra = {"3": {"class_type": "KSampler", "inputs": {}}}, {"workflow": {"nodes": []}}
    out = ContentSafetySaveImage().save(as_image_batch(solid(H, W, BLUE), solid(H, W, BLUE)), "ComfyUI",
                                        on_unsafe="raise", prompt=prompt, extra_pnginfo=extra, unique_id="9",
                                        **COMMON)
    first = dirs["output"] / "ComfyUI_00001_.png"
    pixels = _pixels(first)
    changed = np.nonzero((pixels != BLUE).any(axis=2))
    assert changed[0].min() > H * 0.7 and changed[1].min() > W * 0.6  # bottom-right corner only
    report = inspect_file(first)
    assert report["valid"] and report["aigc"]["ContentProducer"] == "NODEPROD01"
    tags = exiftool(first)
    assert json.loads(tags["PNG:Prompt"]) == prompt and "XMP-TC260:Aigc" in tags
    records = [s["labels"] for s in out["ui"]["safety"]]
    assert records[0]["implicit"] == report["aigc"] and records[0]["explicit"]["text"] == "AI生成"
    assert records[0]["implicit"]["ProduceID"] != records[1]["implicit"]["ProduceID"]
    (decision,) = decisions
    assert decision.stage == "image_save" and decision.action == "passed" and decision.labelled is True
    assert decision.outputs == ("ComfyUI_00001_.png", "ComfyUI_00002_.png")
    assert [dict(x) for x in decision.labels] == records


def test_placeholders_are_labelled_too(dirs, configure, decisions):
    configure()
    out = ContentSafetySaveImage().save(as_image_batch(solid(H, W, RED)), "ComfyUI", on_unsafe="substitute",
                                        **COMMON)
    (blocked,) = dirs["output"].glob("*_blocked.png")
    assert inspect_file(blocked)["valid"]
    assert out["ui"]["safety"][0]["labels"]["explicit"]["text"] == "AI生成"
    assert decisions[0].action == "substituted" and decisions[0].labelled is True


def test_explicit_label_off_is_recorded_and_the_implicit_one_still_written(dirs, configure, decisions):
    configure({"explicit": False})
    ContentSafetySaveImage().save(as_image_batch(solid(H, W, BLUE)), "ComfyUI", on_unsafe="raise", **COMMON)
    saved = dirs["output"] / "ComfyUI_00001_.png"
    assert (_pixels(saved) == BLUE).all() and inspect_file(saved)["valid"]
    # unlabelled for the audit trail: who received a file without the visible label
    assert decisions[0].labels[0]["explicit"] == "off" and decisions[0].labelled is False


def test_an_image_too_small_for_the_visible_label_is_recorded_unlabelled(dirs, configure, decisions):
    configure()
    ContentSafetySaveImage().save(as_image_batch(solid(16, 24, BLUE)), "ComfyUI", on_unsafe="raise", **COMMON)
    assert inspect_file(dirs["output"] / "ComfyUI_00001_.png")["valid"]
    assert decisions[0].labels[0]["explicit"].startswith("skipped") and decisions[0].labelled is False


def test_all_labels_off_means_labelled_false(dirs, configure, decisions):
    configure({"explicit": False, "implicit": False})
    ContentSafetySaveImage().save(as_image_batch(solid(H, W, BLUE)), "ComfyUI", on_unsafe="raise", **COMMON)
    assert inspect_file(dirs["output"] / "ComfyUI_00001_.png")["aigc"] is None
    assert decisions[0].labelled is False


def test_disable_metadata_drops_the_workflow_but_keeps_the_label(dirs, configure, monkeypatch):
    configure()
    monkeypatch.setattr(image_save, "metadata_disabled", lambda: True)
    ContentSafetySaveImage().save(as_image_batch(solid(H, W, BLUE)), "ComfyUI", on_unsafe="raise",
                                  prompt={"1": {}}, extra_pnginfo={"workflow": {}}, **COMMON)
    tags = exiftool(dirs["output"] / "ComfyUI_00001_.png")
    assert "PNG:Prompt" not in tags and "PNG:Workflow" not in tags and "PNG:AIGC" in tags


def test_an_upstream_labelled_upload_is_propagated(dirs, configure):
    configure({"producer": "OURS01"})
    upload = dirs["input"] / "upload.png"
    produced = save_labelled(Image.new("RGB", (W, H)), str(upload), settings(producer="THEIRS01"))["implicit"]
    prompt = {"1": {"class_type": "LoadImage", "inputs": {"image": "upload.png"}},
              "2": {"class_type": "ImageScale", "inputs": {"image": ["1", 0]}},
              "3": {"class_type": "ContentSafetySaveImage", "inputs": {"images": ["2", 0]}}}
    out = ContentSafetySaveImage().save(as_image_batch(solid(H, W, BLUE)), "ComfyUI", on_unsafe="raise",
                                        prompt=prompt, unique_id="3", **COMMON)
    fields = inspect_file(dirs["output"] / "ComfyUI_00001_.png")["aigc"]
    assert out["ui"]["safety"][0]["labels"]["propagated"] is True
    assert fields["ContentProducer"] == "THEIRS01" and fields["ProduceID"] == produced["ProduceID"]
    assert fields["ContentPropagator"] == "OURS01" and fields["PropagateID"]


def test_sidecar_beside_each_image(dirs, configure):
    configure({"sidecar": True})
    prompt = {"4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd15.safetensors"}},
              "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a lighthouse", "clip": ["4", 1]}},
              "9": {"class_type": "ContentSafetySaveImage", "inputs": {"images": ["6", 0]}}}
    ContentSafetySaveImage().save(as_image_batch(solid(H, W, BLUE)), "ComfyUI", on_unsafe="raise",
                                  prompt=prompt, unique_id="9", **COMMON)
    side = json.loads((dirs["output"] / "ComfyUI_00001_.png.json").read_text())
    assert side["file"] == "ComfyUI_00001_.png" and side["prompt"] == "a lighthouse"
    assert side["models"] == ["sd15.safetensors"]


def test_a_font_without_the_glyphs_fails_the_run_with_the_json_error_and_writes_nothing(dirs, configure,
                                                                                          tmp_path):
    configure({"font": str(latin_only_font(tmp_path / "latin.ttf"))})
    with pytest.raises(ContentSafetyError) as err:
        ContentSafetySaveImage().save(as_image_batch(solid(H, W, BLUE)), "ComfyUI", on_unsafe="raise", **COMMON)
    payload = json.loads(str(err.value))
    assert payload["code"] == "content_safe_check_error" and payload["stage"] == "image_save"
    assert "has no glyphs" in payload["reason"]
    assert not list(dirs["output"].glob("*.png"))


def test_load_reports_what_the_upload_declares(dirs, configure):
    configure()
    save_labelled(Image.new("RGB", (W, H), BLUE), str(dirs["input"] / "l.png"), settings(producer="UP01"))
    Image.new("RGB", (W, H), BLUE).save(dirs["input"] / "plain.png")
    out = ContentSafetyLoadImage().load("l.png", on_unsafe="raise", **COMMON)
    (declared,) = out["ui"]["aigc"]
    assert declared["aigc_label"] == "1" and declared["producer"] == "UP01" and declared["valid"]
    assert {"aigc": declared} in json.loads(out["result"][3])["evidence"]
    plain = ContentSafetyLoadImage().load("plain.png", on_unsafe="raise", **COMMON)["ui"]["aigc"][0]
    assert plain["aigc_label"] is None and plain["problems"] == []


def test_load_reports_a_malformed_label_without_failing(dirs, configure):
    from PIL.PngImagePlugin import PngInfo
    configure()
    info = PngInfo()
    info.add_text("AIGC", '{"Label":"1","ContentProducer":"has space","ProduceID":"x"}')
    info.add_text("AIGC", '{"Label":"3","ContentProducer":"B","ProduceID":"y"}')
    Image.new("RGB", (W, H), BLUE).save(dirs["input"] / "bad.png", pnginfo=info)
    out = ContentSafetyLoadImage().load("bad.png", on_unsafe="raise", **COMMON)
    declared = out["ui"]["aigc"][0]
    assert declared["valid"] is False and out["result"][2] is True  # reported, not a failed run
    assert any("two labels" in p for p in declared["problems"])
    assert any("ContentProducer: characters outside" in p for p in declared["problems"])
