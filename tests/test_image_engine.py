"""Engine.check_images / check_file: the per-image cascade, failures, frames, substitution."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from content_safety_guard.safety import InputError, ProviderError, Verdict, load_config
from content_safety_guard.safety import CHECKERS, Finding, Row
from content_safety_guard.safety.engine import Engine
from content_safety_guard.safety.image.censor import censor, flagged_boxes
from content_safety_guard.safety.image.checker import MAX_EVIDENCE as MAX_DETECTIONS
from content_safety_guard.safety.image.checker import ModelImageChecker
from content_safety_guard.safety.image.frames import (
    MAX_EVIDENCE,
    combine_frames,
    sample,
)
from content_safety_guard.safety.image.nudenet import Detection
from content_safety_guard.safety.image.placeholder import BUILTIN, placeholder
from content_safety_guard.safety.settings.image import ImageSettings
from content_safety_guard.safety.image.substitute import substitute
from image_helpers import (
    BLUE,
    GREY,
    RED,
    build_classifier,
    build_detector,
    solid,
    write_config,
)
from PIL import Image


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
    build_classifier(folder)
    build_detector(folder)
    return folder


def _engine(tmp_path, model_dir, checkers, mode="local", **policy):
    cfg = load_config(write_config(tmp_path, model_dir, checkers, policy=policy))
    return Engine(cfg.policy(), cfg, mode=mode)


def test_one_verdict_per_image_and_an_unsafe_image_skips_costlier_checkers(tmp_path, model_dir):
    engine = _engine(tmp_path, model_dir, ["model:tiny_cls", "model:tiny_det"])
    red, blue = engine.check_images([solid(32, 32, RED), solid(32, 32, BLUE)])
    assert red.level == "unsafe" and red.provider == "local:tiny_cls"
    assert blue.level == "safe" and blue.provider == "local:tiny_cls+local:tiny_det"
    assert engine.check_images([]) == []


@pytest.mark.parametrize("bad, expected", [
    (np.zeros((4, 4, 3), np.float32), "float32 array of shape (4, 4, 3)"),
    (np.zeros((4, 4), np.uint8), "uint8 array of shape (4, 4)"),
    (np.zeros((0, 4, 3), np.uint8), "shape (0, 4, 3)"),
    ("picture.png", "str"),
])
def test_images_must_be_rgb_uint8_arrays(tmp_path, model_dir, bad, expected):
    engine = _engine(tmp_path, model_dir, ["model:tiny_cls"])
    with pytest.raises(InputError, match=r"image 1: expected an HxWx3 uint8 RGB array, got .*" + expected.replace("(", r"\(").replace(")", r"\)")):
        engine.check_images([solid(4, 4, BLUE), bad])


class _FailingRemote:
    provider, cost = "test:remote", 30

    def check_images(self, images):
        raise ProviderError("test:remote", "service unavailable", code="503", request_id="req-1")


class _CountingRemote:
    provider, cost = "test:counting", 30

    def __init__(self):
        self.seen = 0

    def check_images(self, images):
        self.seen += len(images)
        return [Finding({"violence": 0.0}, self.provider) for _ in images]


@pytest.fixture
def test_checkers():
    """Rows for the fake remote checkers, removed again after the test."""
    counting = _CountingRemote()
    with CHECKERS.registered(Row("flaky", image=lambda setup, rest: _FailingRemote())), \
            CHECKERS.registered(Row("counting", image=lambda setup, rest: counting)):
        yield counting


def test_remote_failure_fails_closed_or_falls_back_to_local(tmp_path, model_dir, test_checkers):
    closed = _engine(tmp_path, model_dir, ["model:tiny_cls"], mode="remote", remote_image_checkers=["flaky"])
    with pytest.raises(ProviderError, match="service unavailable"):
        closed.check_images([solid(8, 8, RED)])
    fallback = _engine(tmp_path, model_dir, ["model:tiny_cls"], mode="remote",
                       remote_image_checkers=["flaky"], remote_fallback_local=True)
    red, blue = fallback.check_images([solid(8, 8, RED), solid(8, 8, BLUE)])
    assert red.level == "unsafe" and blue.level == "safe"
    assert red.evidence[0] == {"error": "service unavailable", "code": "503", "request_id": "req-1",
                               "fallback": "local"}


def test_auto_mode_asks_the_remote_checker_only_for_what_local_checks_left_open(tmp_path, model_dir, test_checkers):
    counting = test_checkers
    engine = _engine(tmp_path, model_dir, ["model:tiny_cls"], mode="auto", remote_image_checkers=["counting"])
    engine.check_images([solid(8, 8, RED), solid(8, 8, BLUE), solid(8, 8, BLUE)])
    assert counting.seen == 2
    always = _engine(tmp_path, model_dir, ["model:tiny_cls"], mode="auto",
                     remote_image_checkers=["counting"], auto_remote="always")
    always.check_images([solid(8, 8, RED), solid(8, 8, BLUE)])
    assert counting.seen == 4


def test_check_file_checks_frames_and_says_which_one_was_unsafe(tmp_path, model_dir):
    path = tmp_path / "clip.gif"
    frames = [Image.new("RGB", (16, 16), c) for c in (BLUE, GREY, RED, BLUE)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    verdict = _engine(tmp_path, model_dir, ["model:tiny_cls"]).check_file(path)
    assert verdict.level == "unsafe"
    assert verdict.evidence[0]["frame"] == 2 and verdict.evidence[0]["label"] == "nsfw"


def test_check_file_stops_after_the_batch_holding_an_unsafe_frame(tmp_path, model_dir):
    path = tmp_path / "long.gif"
    colours = [BLUE, RED, GREY, BLUE, GREY, BLUE]  # GIF merges equal neighbours
    frames = [Image.new("RGB", (8, 8), c) for c in colours]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    cfg = load_config(write_config(tmp_path, model_dir, ["model:tiny_cls"], image={"batch_size": 2}))
    verdict = Engine(cfg.policy(), cfg).check_file(path)
    assert verdict.level == "unsafe" and {e["frame"] for e in verdict.evidence} == {0, 1}


def test_combine_frames_puts_flagged_frames_first_and_caps_evidence():
    safe = Verdict(provider="p", evidence=({"label": "face"},) * 3)
    bad = Verdict(level="unsafe", categories=("sexual",), provider="p", evidence=({"label": "x"},))
    combined = combine_frames({i: safe for i in range(40)} | {40: bad})
    assert combined.level == "unsafe" and combined.evidence[0] == {"label": "x", "frame": 40}
    assert len(combined.evidence) == MAX_EVIDENCE
    assert combine_frames({}) == Verdict() and sample(10, 3) == [0, 3, 6, 9]


def test_placeholder_fits_the_size_of_the_image_it_replaces():
    for width, height in ((1024, 1024), (512, 768), (1344, 200), (5, 3)):
        cover = placeholder(width, height)
        assert cover.shape == (height, width, 3) and cover.dtype == np.uint8
    wide = placeholder(1200, 300)
    assert (wide[:, :100] == wide[0, 0]).all() and not (wide[:, 560:640] == wide[0, 0]).all()
    assert BUILTIN.is_file() and Image.open(BUILTIN).size == (1024, 1024)


def test_a_configured_placeholder_is_used_and_a_broken_one_named(tmp_path):
    mine = tmp_path / "mine.png"
    Image.new("RGB", (10, 10), (0, 200, 0)).save(mine)
    assert placeholder(20, 20, str(mine))[10, 10].tolist() == [0, 200, 0]
    with pytest.raises(InputError, match="nothere.png: no such file"):
        placeholder(20, 20, str(tmp_path / "nothere.png"))


def _flagged(*items):
    return Verdict(level="unsafe", categories=("sexual",), provider="p", evidence=items)


def test_censor_changes_only_the_flagged_regions():
    rng = np.random.default_rng(1)
    image = rng.integers(0, 256, (100, 120, 3), np.uint8)
    for style in ("blur", "pixelate"):
        out = censor(image, [(40, 30, 40, 40)], style)
        assert out.shape == image.shape
        assert np.array_equal(out[:20], image[:20]) and np.array_equal(out[:, :30], image[:, :30])
        region, original = out[35:65, 45:75].astype(int), image[35:65, 45:75].astype(int)
        assert np.abs(region - original).mean() > 30  # noise is gone
    assert np.array_equal(censor(image, [(500, 500, 10, 10)], "blur"), image)


def test_flagged_boxes_need_a_box_for_every_flagged_category():
    box = {"label": "B", "category": "sexual", "score": 0.9, "threshold": 0.5, "box": [1, 2, 3, 4]}
    face = {"label": "F", "category": None, "score": 0.9, "threshold": 0.2, "box": [5, 5, 5, 5]}
    assert flagged_boxes(_flagged(box, face)) == [(1, 2, 3, 4)]
    assert flagged_boxes(_flagged({"label": "nsfw", "category": "sexual", "score": 0.9})) is None
    weak = {**box, "score": 0.3}
    assert flagged_boxes(_flagged(weak)) is None


def test_many_unflagged_detections_do_not_push_flagged_boxes_out_of_the_evidence(tmp_path, model_dir):
    cfg = load_config(write_config(tmp_path, model_dir, ["model:tiny_det"]))
    checker = ModelImageChecker.named("tiny_det", cfg)
    faces = [Detection("BLUE", 0.9, (i, i, 4, 4)) for i in range(MAX_DETECTIONS + 8)]
    scores, evidence = checker._from_detections([*faces, Detection("RED_EXPOSED", 0.7, (50, 60, 10, 10))])
    assert len(evidence) == MAX_DETECTIONS and evidence[0]["label"] == "RED_EXPOSED"
    assert [e["label"] for e in evidence[1:]] == ["BLUE"] * (MAX_DETECTIONS - 1)
    assert [e["box"][0] for e in evidence[1:4]] == [0, 1, 2]  # the rest keep the detector's order
    verdict = cfg.policy().judge(scores, provider=checker.provider, evidence=evidence)
    assert verdict.level == "unsafe" and flagged_boxes(verdict) == [(50, 60, 10, 10)]


def test_substitute_censors_when_asked_and_boxes_exist_else_places_the_placeholder():
    image = solid(64, 64, GREY)
    image[20:40, 20:40] = np.random.default_rng(2).integers(0, 256, (20, 20, 3))
    verdict = _flagged({"label": "B", "category": "sexual", "score": 0.9, "threshold": 0.5, "box": [20, 20, 20, 20]})
    censored, action = substitute(image, verdict, ImageSettings(substitute="pixelate"))
    assert action == "censored" and np.array_equal(censored[:10], image[:10])
    assert not np.array_equal(censored[25:35, 25:35], image[25:35, 25:35])
    cover, action = substitute(image, verdict, ImageSettings())
    assert action == "placeholder" and np.array_equal(cover, placeholder(64, 64))
    no_box = replace(verdict, evidence=({"label": "nsfw", "category": "sexual", "score": 0.9},))
    assert substitute(image, no_box, ImageSettings(substitute="blur"))[1] == "placeholder"


def test_hf_classifier_variants_center_crop_nhwc_sigmoid(tmp_path):
    """The preprocessing choices of a sidecar really change what the model sees."""
    folder = tmp_path / "variants"
    build_classifier(folder, "crop", resize="center_crop")
    build_classifier(folder, "nhwc", layout="NHWC")
    build_classifier(folder, "sig", activation="sigmoid")
    wide = solid(20, 60, BLUE)
    wide[:, 20:40] = RED  # red only in the centre square
    results = {}
    for name in ("tiny_cls", "crop", "nhwc", "sig"):
        if name == "tiny_cls":
            build_classifier(folder)
        cfg = load_config(write_config(tmp_path, folder, [f"model:{name}"], name=f"{name}.yaml"))
        engine = Engine(cfg.policy(), cfg)
        results[name] = [v.scores["sexual"] for v in engine.check_images([wide, solid(9, 9, RED), solid(9, 9, BLUE)])]
    stretch, crop = results["tiny_cls"], results["crop"]
    assert stretch[0] == 0.0 and crop[0] > 0.99  # stretched, the blue sides win; cropped, only red is left
    assert np.allclose(results["nhwc"], stretch)
    assert results["sig"][1] > 0.99 and results["sig"][2] == 0.0


def test_every_flagged_box_stays_in_the_evidence_beyond_the_cap(tmp_path, model_dir):
    """Censoring blurs the flagged boxes of the evidence: none may be cut by the cap."""
    cfg = load_config(write_config(tmp_path, model_dir, ["model:tiny_det"]))
    checker = ModelImageChecker.named("tiny_det", cfg)
    exposed = [Detection("RED_EXPOSED", 0.7, (i, i, 4, 4)) for i in range(MAX_DETECTIONS + 5)]
    faces = [Detection("BLUE", 0.9, (i, 0, 4, 4)) for i in range(10)]
    scores, evidence = checker._from_detections([*faces, *exposed])
    assert len(evidence) == MAX_DETECTIONS + 5
    verdict = cfg.policy().judge(scores, provider=checker.provider, evidence=evidence)
    assert sorted(flagged_boxes(verdict)) == sorted(d.box for d in exposed)
