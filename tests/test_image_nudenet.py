"""Our NudeNet path against the `nudenet` package's NudeDetector.detect (the reference).

Test images: pictures that scikit-image ships (a portrait, a photo, a colour chart that
NudeNet mistakes for exposed buttocks, ...) and synthetic ones of sizes that exercise
every resize branch. No explicit image is needed or shipped.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest
import skimage
from content_safety_guard.safety import Config, Engine, load_config, models
from content_safety_guard.safety.image import sidecar
from content_safety_guard.safety.image.nudenet import Detector, letterbox
from nudenet import NudeDetector
from nudenet import nudenet as reference

DATA = Path(skimage.__file__).parent / "data"
PICTURES = ["astronaut.png", "camera.png", "color.png", "moon.png", "phantom.png", "chelsea.png",
            "coffee.png", "hubble_deep_field.jpg", "page.png"]
SIZES = [(512, 512), (640, 480), (480, 640), (320, 200), (100, 60), (1344, 768), (7, 9), (321, 320)]


@pytest.fixture(scope="module")
def detector() -> Detector:
    spec = sidecar.find_model("nudenet", Config())
    return Detector(spec, sidecar.session(spec))


@pytest.fixture(scope="module")
def nude() -> NudeDetector:
    return NudeDetector()


def _as_dicts(detections) -> list[dict]:
    return [{"class": d.label, "score": d.score, "box": list(d.box)} for d in detections]


def _synthetic(height: int, width: int, seed: int) -> np.ndarray:
    """Smooth colour fields with edges: more like a photo than noise is."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (max(2, height // 16), max(2, width // 16), 3), np.uint8)
    return cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)


@pytest.mark.parametrize("name", PICTURES)
def test_same_input_tensor_and_detections_as_nudenet_on_pictures(detector, nude, name):
    path = str(DATA / name)
    rgb = cv2.imread(path)[..., ::-1]
    assert np.array_equal(detector.preprocess([rgb]), reference._read_image(path, 320)[0])
    assert _as_dicts(detector.detect([rgb])[0]) == nude.detect(path)


@pytest.mark.parametrize("height, width", SIZES)
def test_same_input_tensor_and_detections_as_nudenet_on_every_resize_branch(detector, nude, height, width):
    bgr = _synthetic(height, width, height * 7 + width)
    rgb = np.ascontiguousarray(bgr[..., ::-1])
    assert np.array_equal(detector.preprocess([rgb]), reference._read_image(bgr, 320)[0])
    assert _as_dicts(detector.detect([rgb])[0]) == nude.detect(bgr)


def test_letterbox_is_bit_exact_with_opencv():
    rng = np.random.default_rng(3)
    for height, width in [(1000, 10), (2, 700), (333, 777), (640, 640), (1, 1)]:
        image = rng.integers(0, 256, (height, width, 3), np.uint8)
        side = max(height, width)
        padded = cv2.copyMakeBorder(image, 0, side - height, 0, side - width, cv2.BORDER_CONSTANT)
        assert np.array_equal(letterbox(image, 320, 320), cv2.resize(padded, (320, 320)))


def test_same_postprocessing_as_nudenet_on_crowded_outputs(detector):
    """Raw outputs with many overlapping candidates of every class exercise NMS fully."""
    rng = np.random.default_rng(0)
    for _ in range(60):
        height, width = (int(v) for v in rng.integers(50, 2000, 2))
        output = np.zeros((1, 22, 2100), np.float32)
        picked = rng.choice(2100, 60, replace=False)
        output[0, 0, picked], output[0, 1, picked] = rng.uniform(0, 320, 60), rng.uniform(0, 320, 60)
        output[0, 2, picked], output[0, 3, picked] = rng.uniform(1, 150, 60), rng.uniform(1, 150, 60)
        for axis in (0, 1):  # half of them are jittered copies of the other half
            output[0, axis, picked[30:]] = output[0, axis, picked[:30]] + rng.normal(0, 5, 30)
        output[0, 4:] = rng.uniform(0, 0.1, (18, 2100))
        output[0, 4 + rng.integers(0, 18, 60), picked] = rng.uniform(0.15, 0.95, 60)
        side = max(height, width)
        expected = reference._postprocess([output], side - width, side - height, side / width,
                                          side / height, width, height, 320, 320)
        assert _as_dicts(detector.postprocess(output[0], height, width)) == expected


def test_a_batch_gives_the_detections_of_single_calls(detector):
    images = [cv2.imread(str(DATA / name))[..., ::-1] for name in ("astronaut.png", "color.png", "moon.png")]
    images.append(np.ascontiguousarray(_synthetic(700, 300, 1)))
    batched = detector.detect(images)
    for image, found in zip(images, batched):
        single = detector.detect([image])[0]
        assert [(d.label, d.box) for d in found] == [(d.label, d.box) for d in single]
        assert np.allclose([d.score for d in found], [d.score for d in single], atol=1e-4)


def test_taxonomy_mapping_of_the_18_classes():
    spec = sidecar.find_model("nudenet", Config())
    assert len(spec.labels) == 18 and set(spec.labels) == set(reference.__labels)
    assert set(spec.categories) == {"FEMALE_GENITALIA_EXPOSED", "MALE_GENITALIA_EXPOSED",
                                    "FEMALE_BREAST_EXPOSED", "BUTTOCKS_EXPOSED", "ANUS_EXPOSED"}
    assert set(spec.categories.values()) == {"sexual"}
    assert set(spec.thresholds) == set(spec.categories)


def test_a_lone_whole_image_box_on_a_colour_chart_is_not_counted():
    """Issue 13: NudeNet takes the colour chart for BUTTOCKS_EXPOSED 0.83 over the whole image;
    with nothing backing it, that is recorded but does not block (it used to)."""
    engine = Engine(Config().policy("strict"), Config())
    chart = engine.check_file(DATA / "color.png")
    assert chart.level == "safe" and chart.provider == "local:nudenet"
    found = chart.evidence[0]
    assert found["label"] == "BUTTOCKS_EXPOSED" and found["box"] == [0, 0, 370, 369]
    assert found["uncorroborated"] is True and found["score"] > found["threshold"]


def _checker(tmp_path=None, **thresholds):
    from content_safety_guard.safety.image.checker import ModelImageChecker
    cfg = Config()
    if thresholds:
        config = tmp_path / "config.yaml"
        config.write_text("image:\n  label_thresholds:\n" + "".join(
            f"    {k}: {v}\n" for k, v in thresholds.items()), encoding="utf-8")
        cfg = load_config(config)
    return ModelImageChecker.named("nudenet", cfg)


@pytest.mark.parametrize("detections, counted", [
    # backed by a second detection: counts from the label's threshold
    ([("FEMALE_BREAST_EXPOSED", 0.4, (10, 10, 50, 50)), ("FACE_FEMALE", 0.3, (20, 0, 30, 30))], 0.4),
    ([("BUTTOCKS_EXPOSED", 0.5, (0, 0, 300, 300)), ("FEET_EXPOSED", 0.3, (0, 250, 40, 40))], 0.5),
    # alone: only strong and at most 60% of the image
    ([("FEMALE_GENITALIA_EXPOSED", 0.8, (100, 100, 60, 60))], 0.8),
    ([("FEMALE_GENITALIA_EXPOSED", 0.39, (100, 100, 60, 60))], 0.0),   # a butterfly's wings
    ([("BUTTOCKS_EXPOSED", 0.83, (0, 0, 300, 290))], 0.0),              # a colour chart
])
def test_corroboration_rule(detections, counted):
    from content_safety_guard.safety.image.nudenet import Detection
    dets = [Detection(label, score, box) for label, score, box in detections]
    scores, evidence = _checker()._from_detections(dets, 300 * 300)
    assert scores["sexual"] == counted
    assert any(e.get("uncorroborated") for e in evidence) == (counted == 0.0)


def test_verdicts_record_faces_only():
    engine = Engine(Config().policy("normal"), Config())
    portrait = engine.check_file(DATA / "astronaut.png")
    assert portrait.level == "safe" and portrait.scores == {"sexual": 0.0}
    assert portrait.evidence[0]["label"] == "FACE_FEMALE" and portrait.evidence[0]["category"] is None


def test_label_thresholds_in_the_config_override_the_sidecar(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("image:\n  label_thresholds:\n    BUTTOCKS_EXPOSED: 0.9\n", encoding="utf-8")
    cfg = load_config(config)
    verdict = Engine(cfg.policy("normal"), cfg).check_file(DATA / "color.png")
    assert verdict.level == "safe" and verdict.evidence[0]["threshold"] == 0.9
    assert "uncorroborated" not in verdict.evidence[0]  # below 0.9: not flagged at all


def test_a_lowered_label_threshold_counts_backed_detections(tmp_path):
    from content_safety_guard.safety.image.nudenet import Detection
    dets = [Detection("FEMALE_BREAST_EXPOSED", 0.2, (0, 0, 10, 10)), Detection("FACE_FEMALE", 0.5, (0, 20, 9, 9))]
    assert _checker()._from_detections(dets, 10_000)[0]["sexual"] == 0.0
    assert _checker(tmp_path, FEMALE_BREAST_EXPOSED=0.15)._from_detections(dets, 10_000)[0]["sexual"] == 0.2


def test_a_larger_nudenet_dropped_in_with_its_sidecar_matches_the_package(tmp_path, monkeypatch):
    """How 640m.onnx is used: the file plus a sidecar saying its size. 320n stands in for it
    (its sizes are dynamic), checked against the package run at the same resolution."""
    monkeypatch.setattr(models, "_dir_providers", [])
    onnx_path = tmp_path / "nudenet_640.onnx"
    shutil.copy(models.nudenet_onnx(), onnx_path)
    text = (models.BUILTIN_SIDECARS["nudenet"]).read_text().replace('"size": 320', '"size": 640')
    (tmp_path / "nudenet_640.json").write_text(text, encoding="utf-8")
    spec = sidecar.find_model("nudenet_640", Config(models_dirs=(str(tmp_path),)))
    assert (spec.input.height, spec.input.width) == (640, 640)
    ours = Detector(spec, sidecar.session(spec))
    theirs = NudeDetector(model_path=str(onnx_path), inference_resolution=640)
    for name in ("astronaut.png", "color.png", "camera.png"):
        path = str(DATA / name)
        assert _as_dicts(ours.detect([cv2.imread(path)[..., ::-1]])[0]) == theirs.detect(path)
