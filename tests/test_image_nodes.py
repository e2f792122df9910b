"""Node contracts of the three image nodes without ComfyUI: numpy batches stand in for
IMAGE tensors, temporary folders for ComfyUI's input and output folders."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from content_safety_guard.nodes import image_check
from content_safety_guard.nodes.comfy import ExecutionBlocker
from content_safety_guard.nodes.image_check import ContentSafetyImageCheck
from content_safety_guard.nodes.image_load import ContentSafetyLoadImage
from content_safety_guard.nodes.image_save import ContentSafetySaveImage, expand_date
from content_safety_guard.safety import ContentSafetyError
from content_safety_guard.safety.config import CONFIG_ENV
from content_safety_guard.safety.image.frames import sample_per_second
from content_safety_guard.safety.image.placeholder import placeholder
from image_helpers import (  # noqa: F401  (dirs: a fixture)
    BLUE,
    GREY,
    RED,
    as_image_batch,
    build_classifier,
    build_detector,
    build_failing,
    dirs,
    solid,
    write_config,
)
from PIL import Image

COMMON = {"enable_safe_check": True, "check_mode": "local", "policy": "tiny"}


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
    build_classifier(folder)
    build_detector(folder)
    build_failing(folder)
    return folder


@pytest.fixture
def configure(tmp_path, model_dir, monkeypatch):
    """Point the nodes at a config whose policy `tiny` runs the given checkers."""
    def apply(checkers=("model:tiny_cls",), **image):
        path = write_config(tmp_path, model_dir, list(checkers), image=image, name=f"c{time.monotonic_ns()}.yaml")
        monkeypatch.setenv(CONFIG_ENV, str(path))
        return path
    return apply


def _saved(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.png"))


def _error(excinfo) -> dict:
    return json.loads(str(excinfo.value))


# ContentSafetySaveImage ------------------------------------------------------------------

def test_save_writes_safe_images_like_save_image(dirs, configure):
    configure()
    batch = as_image_batch(solid(24, 32, BLUE), solid(24, 32, GREY))
    node = ContentSafetySaveImage()
    prompt, extra = {"3": {"class_type": "KSampler"}}, {"workflow": {"nodes": []}}
    first = node.save(batch, "ComfyUI", on_unsafe="raise", prompt=prompt, extra_pnginfo=extra, **COMMON)
    second = node.save(batch, "ComfyUI", on_unsafe="raise", **COMMON)
    assert _saved(dirs["output"]) == [f"ComfyUI_0000{i}_.png" for i in range(1, 5)]
    assert first["ui"]["images"][0] == {"filename": "ComfyUI_00001_.png", "subfolder": "", "type": "output"}
    assert second["ui"]["images"][1]["filename"] == "ComfyUI_00004_.png"
    assert [s["action"] for s in first["ui"]["safety"]] == ["saved", "saved"]
    assert first["ui"]["safety"][0]["level"] == "safe" and first["ui"]["safety"][0]["provider"] == "local:tiny_cls"
    images, is_safe, verdict_json = first["result"]
    assert images is batch and is_safe is True and json.loads(verdict_json)["level"] == "safe"
    with Image.open(dirs["output"] / "ComfyUI_00001_.png") as png:
        assert json.loads(png.text["prompt"]) == prompt and json.loads(png.text["workflow"]) == {"nodes": []}
        assert np.array_equal(np.asarray(png), solid(24, 32, BLUE))


def test_save_prefix_with_subfolders_and_date(dirs, configure):
    configure()
    node = ContentSafetySaveImage()
    out = node.save(as_image_batch(solid(8, 8, BLUE)), "shots/%date:yyyy-MM-dd%/cat", on_unsafe="raise", **COMMON)
    today = time.strftime("%Y-%m-%d")
    assert out["ui"]["images"][0] == {"filename": "cat_00001_.png", "subfolder": f"shots/{today}", "type": "output"}
    assert (dirs["output"] / "shots" / today / "cat_00001_.png").is_file()
    assert expand_date("x_%date:yy-M-d_hhmmss%", time.strptime("2026-03-04 05:06:07", "%Y-%m-%d %H:%M:%S")) \
        == "x_26-3-4_050607"


def test_save_substitute_writes_the_placeholder_never_the_original(dirs, configure):
    configure()
    red = solid(40, 30, RED)
    out = ContentSafetySaveImage().save(as_image_batch(solid(40, 30, BLUE), red), "ComfyUI",
                                        on_unsafe="substitute", **COMMON)
    assert _saved(dirs["output"]) == ["ComfyUI_00001_.png", "ComfyUI_00002_blocked.png"]
    written = np.asarray(Image.open(dirs["output"] / "ComfyUI_00002_blocked.png"))
    assert np.array_equal(written, placeholder(30, 40))
    assert not any(np.array_equal(np.asarray(Image.open(p)), red) for p in dirs["output"].glob("*.png"))
    safety = out["ui"]["safety"]
    assert safety[1]["action"] == "placeholder" and safety[1]["filename"] == "ComfyUI_00002_blocked.png"
    assert safety[1]["level"] == "unsafe" and safety[1]["categories"] == ["sexual"]
    images, is_safe, verdict_json = out["result"]
    assert images.shape == (2, 40, 30, 3) and is_safe is False
    assert np.array_equal(np.rint(images[1] * 255).astype(np.uint8), placeholder(30, 40))
    assert json.loads(verdict_json)["level"] == "unsafe"


def test_save_substitute_can_censor_only_the_detected_region(dirs, configure):
    configure(["model:tiny_det"], substitute="blur")
    image = solid(64, 64, RED)
    image[24:40, 24:40] = np.random.default_rng(0).integers(0, 2, (16, 16, 1)) * [255, 0, 0]
    out = ContentSafetySaveImage().save(as_image_batch(image), "ComfyUI", on_unsafe="substitute", **COMMON)
    assert _saved(dirs["output"]) == ["ComfyUI_00001_censored.png"]
    written = np.asarray(Image.open(dirs["output"] / "ComfyUI_00001_censored.png"))
    assert np.array_equal(written[:10], image[:10])  # outside the detected box: untouched
    assert not np.array_equal(written[24:40, 24:40], image[24:40, 24:40])
    assert out["ui"]["safety"][0]["action"] == "censored"


def test_save_raise_writes_nothing_and_quarantines_the_original(dirs, configure, tmp_path):
    configure(quarantine_dir=str(tmp_path / "review"))
    red = solid(16, 16, RED)
    with pytest.raises(ContentSafetyError) as info:
        ContentSafetySaveImage().save(as_image_batch(solid(16, 16, BLUE), red), "ComfyUI",
                                      on_unsafe="raise", unique_id="9", **COMMON)
    error = _error(info)
    assert error["code"] == "content_safe_check_failed" and error["stage"] == "image_save"
    assert error["categories"] == ["sexual"] and error["labels"] == "sexual" and error["node_id"] == "9"
    assert error["evidence"][0]["frame"] == 1 and error["evidence"][0]["label"] == "nsfw"
    assert _saved(dirs["output"]) == []
    kept = list((tmp_path / "review").glob("*.png"))
    assert len(kept) == 1 and np.array_equal(np.asarray(Image.open(kept[0])), red)
    record = json.loads(kept[0].with_suffix(".json").read_text())
    assert record["verdict"]["level"] == "unsafe" and record["node_id"] == "9" and record["index"] == 1


def test_save_block_writes_only_safe_images_and_blocks_downstream(dirs, configure):
    configure()
    out = ContentSafetySaveImage().save(as_image_batch(solid(8, 8, BLUE), solid(8, 8, RED)), "ComfyUI",
                                        on_unsafe="block", **COMMON)
    assert _saved(dirs["output"]) == ["ComfyUI_00001_.png"]
    assert isinstance(out["result"][0], ExecutionBlocker) and out["result"][1] is False
    assert [(s["action"], s["filename"]) for s in out["ui"]["safety"]] == [
        ("saved", "ComfyUI_00001_.png"), ("withheld", None)]


def test_save_quarantine_inside_the_output_folder_is_refused(dirs, configure):
    configure(quarantine_dir=str(dirs["output"] / "review"))
    with pytest.raises(ContentSafetyError) as info:
        ContentSafetySaveImage().save(as_image_batch(solid(8, 8, RED)), "ComfyUI", on_unsafe="substitute", **COMMON)
    assert _error(info)["code"] == "content_safe_check_error" and "which ComfyUI serves" in _error(info)["reason"]
    assert _saved(dirs["output"]) == []


def test_save_fails_closed_when_the_model_cannot_run(dirs, configure):
    configure(["model:broken"])
    with pytest.raises(ContentSafetyError) as info:
        ContentSafetySaveImage().save(as_image_batch(solid(8, 8, BLUE)), "ComfyUI", on_unsafe="substitute", **COMMON)
    error = _error(info)
    assert error["code"] == "content_safe_check_error" and error["provider"] == "local:broken"
    assert _saved(dirs["output"]) == []


def test_save_with_the_check_disabled_saves_everything(dirs, configure):
    configure()
    out = ContentSafetySaveImage().save(as_image_batch(solid(8, 8, RED)), "ComfyUI", on_unsafe="raise",
                                        **{**COMMON, "enable_safe_check": False})
    assert _saved(dirs["output"]) == ["ComfyUI_00001_.png"]
    assert out["ui"]["safety"][0]["provider"] == "disabled" and out["result"][1] is True


# ContentSafetyLoadImage ------------------------------------------------------------------

def test_load_image_with_mask_from_alpha_and_annotated_names(dirs, configure):
    configure()
    rgba = np.zeros((6, 5, 4), np.uint8)
    rgba[...] = (*BLUE, 255)
    rgba[0, 0, 3] = 0
    Image.fromarray(rgba, "RGBA").save(dirs["input"] / "upload.png")
    Image.fromarray(solid(3, 3, GREY)).save(dirs["output"] / "made.png")
    (dirs["input"] / "notes.txt").write_text("not offered")
    spec = ContentSafetyLoadImage.INPUT_TYPES()["required"]["image"]
    assert spec[0] == ["upload.png"] and spec[1]["image_upload"] is True
    out = ContentSafetyLoadImage().load("upload.png", on_unsafe="raise", **COMMON)
    image, mask, is_safe, _ = out["result"]
    assert image.shape == (1, 6, 5, 3) and np.allclose(image[0, 1, 1], np.array(BLUE) / 255)
    assert mask.shape == (1, 6, 5) and mask[0, 0, 0] == 1.0 and mask[0, 1, 1] == 0.0
    assert is_safe is True and out["ui"]["safety"][0]["level"] == "safe"
    made = ContentSafetyLoadImage().load("made.png [output]", on_unsafe="raise", **COMMON)["result"]
    assert made[0].shape == (1, 3, 3, 3) and made[1].shape == (1, 64, 64) and not made[1].any()


def test_load_multi_frame_files(dirs, configure):
    configure()
    frames = [Image.new("RGB", (8, 8), c) for c in (BLUE, GREY, (20, 200, 20))]
    frames[0].save(dirs["input"] / "anim.gif", save_all=True, append_images=frames[1:])
    image, mask, is_safe, _ = ContentSafetyLoadImage().load("anim.gif", on_unsafe="raise", **COMMON)["result"]
    assert image.shape == (3, 8, 8, 3) and mask.shape == (3, 64, 64) and is_safe is True


def test_load_checks_frames_comfyui_would_drop(dirs, configure):
    """Pages of another size are not loaded (as LoadImage), but they are checked."""
    configure()
    pages = [Image.new("RGB", (8, 8), BLUE), Image.new("RGB", (12, 4), RED)]
    pages[0].save(dirs["input"] / "pages.tiff", save_all=True, append_images=pages[1:])
    with pytest.raises(ContentSafetyError) as info:
        ContentSafetyLoadImage().load("pages.tiff", on_unsafe="raise", **COMMON)
    assert _error(info)["evidence"][0]["frame"] == 1
    image = ContentSafetyLoadImage().load("pages.tiff", on_unsafe="substitute", **COMMON)["result"][0]
    assert image.shape == (1, 8, 8, 3)


def test_load_unsafe_raise_substitute_block(dirs, configure):
    configure()
    Image.fromarray(solid(10, 12, RED)).save(dirs["input"] / "bad.png")
    with pytest.raises(ContentSafetyError) as info:
        ContentSafetyLoadImage().load("bad.png", on_unsafe="raise", unique_id="4", **COMMON)
    error = _error(info)
    assert error["code"] == "content_safe_check_failed" and error["stage"] == "image_load"
    assert error["node_id"] == "4" and error["categories"] == ["sexual"]
    image, mask, is_safe, _ = ContentSafetyLoadImage().load("bad.png", on_unsafe="substitute", **COMMON)["result"]
    assert np.array_equal(np.rint(image[0] * 255).astype(np.uint8), placeholder(12, 10)) and not mask.any()
    assert is_safe is False
    blocked = ContentSafetyLoadImage().load("bad.png", on_unsafe="block", **COMMON)["result"]
    assert isinstance(blocked[0], ExecutionBlocker) and isinstance(blocked[1], ExecutionBlocker)


def test_load_validates_the_file_before_anything_else(dirs, configure):
    configure()
    (dirs["input"] / "fake.png").write_text("this is text")
    with pytest.raises(ContentSafetyError) as info:
        ContentSafetyLoadImage().load("fake.png", on_unsafe="substitute", **{**COMMON, "enable_safe_check": False})
    error = _error(info)
    assert error["code"] == "content_safe_check_error" and error["stage"] == "image_load"
    assert error["reason"].startswith("fake.png: not an image")
    assert ContentSafetyLoadImage.VALIDATE_INPUTS("gone.png") == "Invalid image file: gone.png"
    assert ContentSafetyLoadImage.VALIDATE_INPUTS("fake.png") is True
    before = ContentSafetyLoadImage.IS_CHANGED("fake.png", policy="tiny")
    (dirs["input"] / "fake.png").write_text("changed")
    assert ContentSafetyLoadImage.IS_CHANGED("fake.png", policy="tiny") != before


# ContentSafetyImageCheck -----------------------------------------------------------------

def _clip(count: int, red: set[int]) -> np.ndarray:
    return as_image_batch(*(solid(12, 12, RED if i in red else BLUE) for i in range(count)))


def test_check_passes_safe_batches_through(configure):
    configure()
    clip = _clip(4, set())
    out = ContentSafetyImageCheck().check(clip, on_unsafe="raise", **COMMON)
    assert out["result"][0] is clip and out["result"][1] is True
    assert "stride" in ContentSafetyImageCheck.INPUT_TYPES()["required"]


def test_check_stride_samples_frames(configure):
    configure()
    clip = _clip(10, {5})
    assert ContentSafetyImageCheck().check(clip, on_unsafe="raise", stride=2, **COMMON)["result"][1] is True
    with pytest.raises(ContentSafetyError) as info:
        ContentSafetyImageCheck().check(clip, on_unsafe="raise", stride=1, **COMMON)
    assert _error(info)["stage"] == "image" and _error(info)["evidence"][0]["frame"] == 5


def test_check_exits_early_and_drives_the_progress_bar(configure, monkeypatch):
    configure(batch_size=2)
    bars: list[list[int]] = []

    def fake_progress(total, node_id=""):
        bars.append([total])
        return bars[-1].append

    monkeypatch.setattr(image_check, "progress", fake_progress)
    out = ContentSafetyImageCheck().check(_clip(12, {2}), on_unsafe="block", stride=1, unique_id="7", **COMMON)
    verdict = json.loads(out["result"][2])
    assert {e["frame"] for e in verdict["evidence"]} == {0, 1, 2, 3}  # frames 4..11 never checked
    assert bars == [[12, 2, 2]]
    assert isinstance(out["result"][0], ExecutionBlocker) and out["result"][1] is False


def test_check_substitute_covers_the_whole_clip(configure):
    configure()
    clip = _clip(5, {3})
    images, is_safe, _ = ContentSafetyImageCheck().check(clip, on_unsafe="substitute", stride=1, **COMMON)["result"]
    cover = placeholder(12, 12)
    assert images.shape == clip.shape and is_safe is False
    assert all(np.array_equal(np.rint(f * 255).astype(np.uint8), cover) for f in images)


def test_check_censors_only_flagged_frames_when_every_frame_was_checked(configure):
    configure(["model:tiny_det"], substitute="pixelate", batch_size=2)
    frames = [solid(32, 32, BLUE) for _ in range(4)]
    frames[1] = solid(32, 32, RED)
    frames[1][8:24, 8:24] = np.random.default_rng(0).integers(0, 2, (16, 16, 1)) * [255, 0, 0]
    clip = as_image_batch(*frames)
    images = ContentSafetyImageCheck().check(clip, on_unsafe="substitute", stride=1, **COMMON)["result"][0]
    assert np.array_equal(images[[0, 2, 3]], clip[[0, 2, 3]])
    assert not np.array_equal(images[1], clip[1]) and np.array_equal(images[1][:4], clip[1][:4])


@pytest.mark.parametrize("enabled", [True, False])
def test_a_broken_config_file_is_the_json_error_in_every_image_node(dirs, tmp_path, monkeypatch, enabled):
    bad = tmp_path / "bad.yaml"
    bad.write_text("image:\n  substitute: smudge\n", encoding="utf-8")
    monkeypatch.setenv(CONFIG_ENV, str(bad))
    Image.fromarray(solid(8, 8, BLUE)).save(dirs["input"] / "ok.png")
    args = {**COMMON, "enable_safe_check": enabled, "on_unsafe": "raise", "unique_id": "3"}
    calls = [(lambda: ContentSafetySaveImage().save(as_image_batch(solid(8, 8, BLUE)), "ComfyUI", **args),
              "image_save"),
             (lambda: ContentSafetyLoadImage().load("ok.png", **args), "image_load")]
    if enabled:  # a disabled check passes the batch through without reading the config
        calls.append((lambda: ContentSafetyImageCheck().check(_clip(2, set()), **args), "image"))
    for call, stage in calls:
        with pytest.raises(ContentSafetyError) as info:
            call()
        error = _error(info)
        assert (error["code"], error["stage"], error["node_id"]) == ("content_safe_check_error", stage, "3")
        assert error["reason"].startswith(f"{bad}: image.substitute: must be one of")
    assert _saved(dirs["output"]) == []


def test_example_workflow_saves_through_the_save_node_with_valid_widgets():
    workflow = json.loads((Path(__file__).parents[1] / "example_workflows" / "safe_save_image.json").read_text("utf-8"))
    nodes = {n["id"]: n for n in workflow["nodes"]}
    (save,) = [n for n in nodes.values() if n["type"] == "ContentSafetySaveImage"]
    spec = ContentSafetySaveImage.INPUT_TYPES()
    widgets = [(name, kind) for name, (kind, *_) in {**spec["required"], **spec["optional"]}.items()
               if kind != "IMAGE"]
    assert len(save["widgets_values"]) == len(widgets)
    for (name, kind), value in zip(widgets, save["widgets_values"]):
        if isinstance(kind, list):
            assert value in kind, name
    assert dict(zip((n for n, _ in widgets), save["widgets_values"]))["on_unsafe"] == "substitute"
    (image_link,) = [link for link in workflow["links"] if link[3] == save["id"]]
    assert nodes[image_link[1]]["type"] == "VAEDecode" and image_link[5] == "IMAGE"


def test_check_reports_one_verdict_per_checked_frame(configure):
    configure()
    out = ContentSafetyImageCheck().check(_clip(6, {4}), on_unsafe="block", stride=2, **COMMON)
    assert [(v["index"], v["level"]) for v in out["ui"]["safety"]] == [(0, "safe"), (2, "safe"), (4, "unsafe")]


def test_check_samples_frames_per_second_of_video(configure):
    configure()
    clip = _clip(50, {13})  # 2 s at 25 fps; frame 13 is not one of 2 per second
    out = ContentSafetyImageCheck().check(clip, on_unsafe="raise", fps=25.0, sample_fps=2.0, **COMMON)
    assert [v["index"] for v in out["ui"]["safety"]] == [0, 12, 25, 37]
    assert out["result"][1] is True
    with pytest.raises(ContentSafetyError):  # 3 per second hits it
        ContentSafetyImageCheck().check(_clip(50, {16}), on_unsafe="raise", fps=25.0, sample_fps=3.0, **COMMON)


def test_check_without_images_or_video_is_a_clear_error(configure):
    configure()
    with pytest.raises(ContentSafetyError) as info:
        ContentSafetyImageCheck().check(None, on_unsafe="raise", unique_id="3", **COMMON)
    assert _error(info)["code"] == "content_safe_check_error" and "connect images or a video" in _error(info)["reason"]


def test_sample_per_second_spacing():
    assert sample_per_second(10, 1.0, 2.0) == list(range(10))  # fewer frames per second than asked
    assert sample_per_second(90, 30.0, 1.0) == [0, 30, 60]
    assert sample_per_second(0, 30.0, 1.0) == []


def test_load_moves_an_unsafe_upload_out_of_the_served_input_folder(dirs, configure, tmp_path):
    configure(quarantine_dir=str(tmp_path / "review"))
    Image.fromarray(solid(10, 12, RED)).save(dirs["input"] / "bad.png")
    original = (dirs["input"] / "bad.png").read_bytes()
    with pytest.raises(ContentSafetyError):
        ContentSafetyLoadImage().load("bad.png", on_unsafe="raise", unique_id="5", **COMMON)
    assert not (dirs["input"] / "bad.png").exists()
    [kept] = (tmp_path / "review").glob("*.png")
    assert kept.read_bytes() == original
    assert json.loads(kept.with_suffix(".json").read_text())["stage"] == "image_load"
    assert ContentSafetyLoadImage.VALIDATE_INPUTS("bad.png") == "Invalid image file: bad.png"


def test_quarantine_inside_the_input_folder_is_refused(dirs, configure):
    configure(quarantine_dir=str(dirs["input"] / "review"))
    Image.fromarray(solid(10, 12, RED)).save(dirs["input"] / "bad.png")
    with pytest.raises(ContentSafetyError) as info:
        ContentSafetyLoadImage().load("bad.png", on_unsafe="raise", **COMMON)
    assert _error(info)["code"] == "content_safe_check_error" and "which ComfyUI serves" in _error(info)["reason"]
    assert (dirs["input"] / "bad.png").exists()
