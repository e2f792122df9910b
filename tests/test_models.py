"""Model files: resolution across folders, sidecar validation, shared sessions, failures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from content_safety_guard.safety import (
    Config,
    ConfigError,
    Engine,
    ProviderError,
    load_config,
    models,
)
from content_safety_guard.safety.image import sidecar
from image_helpers import (
    BLUE,
    RED,
    build_classifier,
    build_failing,
    solid,
    write_config,
    write_sidecar,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def no_host_dirs(monkeypatch):
    """Model folders the host (ComfyUI) registered are process-wide; tests start without."""
    monkeypatch.setattr(models, "_dir_providers", [])


def _config(*dirs: Path) -> Config:
    return Config(models_dirs=tuple(str(d) for d in dirs))


def test_builtin_nudenet_comes_from_the_wheel_without_importing_it():
    code = ("import sys; sys.path.insert(0, 'tests'); import conftest\n"
            "from content_safety_guard.safety import Config\n"
            "from content_safety_guard.safety.image import sidecar\n"
            "spec = sidecar.find_model('nudenet', Config()); sidecar.session(spec)\n"
            "print(spec.path.name, spec.kind, len(spec.labels), 'nudenet' in sys.modules, 'cv2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["320n.onnx", "detector", "18", "False", "False"]


def test_host_folders_come_before_config_folders(tmp_path):
    host, configured = tmp_path / "comfy", tmp_path / "config"
    build_classifier(host, "shared")
    build_classifier(configured, "shared")
    build_classifier(configured, "only_here")
    models.add_search_dirs(lambda: [str(host)])
    cfg = _config(configured)
    assert sidecar.find_model("shared", cfg).path == host / "shared.onnx"
    assert sidecar.find_model("only_here", cfg).path == configured / "only_here.onnx"


def test_a_user_file_named_nudenet_overrides_the_builtin(tmp_path):
    build_classifier(tmp_path, "nudenet")
    assert sidecar.find_model("nudenet", _config(tmp_path)).path == tmp_path / "nudenet.onnx"


def test_unknown_model_lists_the_folders_looked_in(tmp_path):
    with pytest.raises(ConfigError, match=f"model 'nsfw_vit' not found: .* in {tmp_path}"):
        sidecar.find_model("nsfw_vit", _config(tmp_path))


@pytest.mark.parametrize("name", ["../escape", "a/../../b", "/abs", "with space", ""])
def test_model_names_cannot_leave_the_models_folder(tmp_path, name):
    with pytest.raises(ConfigError, match="model name"):
        sidecar.find_model(name, _config(tmp_path))


def test_model_without_sidecar_and_sidecar_without_model(tmp_path):
    onnx_path = build_classifier(tmp_path, "lonely")
    onnx_path.with_suffix(".json").unlink()
    with pytest.raises(ConfigError, match=r"lonely\.onnx: model has no sidecar; expected .*lonely\.json"):
        sidecar.find_model("lonely", _config(tmp_path))
    onnx_path.unlink()
    write_sidecar(tmp_path / "orphan.json", {"kind": "classifier"})
    with pytest.raises(ConfigError, match=r"orphan\.json: sidecar without its model file .*orphan\.onnx"):
        sidecar.find_model("orphan", _config(tmp_path))


@pytest.mark.parametrize("content, expected", [
    (b"", "model file is empty"),
    (b"\x08\x07garbage that is not a protobuf model" * 20, "not a loadable ONNX model"),
])
def test_corrupt_onnx_is_a_config_error_naming_the_file(tmp_path, content, expected):
    onnx_path = build_classifier(tmp_path, "bad")
    onnx_path.write_bytes(content)
    spec = sidecar.find_model("bad", _config(tmp_path))
    with pytest.raises(ConfigError, match=f"{onnx_path}: {expected}"):
        sidecar.session(spec)


def _sidecar():
    return {"kind": "classifier", "labels": ["normal", "nsfw"], "input": {"size": 8},
            "categories": {"nsfw": "sexual"}}


def _set(data, path, value):
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node.setdefault(key, {})
    if value is KeyError:
        node.pop(last)
    else:
        node[last] = value
    return data


@pytest.mark.parametrize("field, value, expected", [
    ("kind", "segmenter", "kind: must be one of classifier, detector"),
    ("labels", KeyError, "labels: missing or empty"),
    ("labels", ["a", "a"], "labels: contains the same label twice"),
    ("labels", "normal,nsfw", "labels: expected a list"),
    ("input.size", KeyError, "input.size: missing"),
    ("input.size", "big", "input.size: expected an integer"),
    ("input.size", [224], "input.size: expected an integer"),
    ("input.layout", "CHW", "input.layout: must be one of NCHW, NHWC"),
    ("input.resize", "letterbox", "input.resize: must be one of stretch, center_crop"),
    ("input.normalize.mean", [0.5], "input.normalize.mean: expected 3 numbers"),
    ("input.normalize.std", [0, 1, 1], "input.normalize.std: must be positive"),
    ("categories.zzz", "sexual", "categories.zzz: not one of the model's labels"),
    ("categories.nsfw", "porn", "categories.nsfw: unknown category 'porn'"),
    ("thresholds.nsfw", 2, "thresholds.nsfw: must be between 0.0 and 1.0"),
    ("activation", "relu", "activation: must be one of softmax, sigmoid, none"),
    ("lables", ["x"], "lables: unknown key"),
    ("input.channel", "RGB", "input.channel: unknown key"),
])
def test_sidecar_with_wrong_fields_names_file_and_field(tmp_path, field, value, expected):
    build_classifier(tmp_path, "m")
    path = write_sidecar(tmp_path / "m.json", _set(_sidecar(), field, value))
    with pytest.raises(ConfigError) as info:
        sidecar.find_model("m", _config(tmp_path))
    assert str(info.value).startswith(f"{path}: ") and expected in str(info.value)


@pytest.mark.parametrize("raw, expected", [
    (b"{not json", "line 1: invalid JSON"),
    (b"[1, 2]", "top level: expected a mapping"),
    (b"\xff\xfe", "not UTF-8"),
])
def test_sidecar_that_is_not_a_json_mapping(tmp_path, raw, expected):
    build_classifier(tmp_path, "m")
    (tmp_path / "m.json").write_bytes(raw)
    with pytest.raises(ConfigError, match=f"m.json: .*{expected}"):
        sidecar.find_model("m", _config(tmp_path))


@pytest.mark.parametrize("field, value, expected", [
    ("input.size", 12, "input.size: height 12, but m.onnx takes 8"),
    ("labels", ["a", "b", "c"], "labels: 3 labels need a classifier output"),
    ("input.layout", "NHWC", "input.layout: NHWC puts 8 where the 3 colour channels should be"),
])
def test_sidecar_that_does_not_fit_its_model(tmp_path, field, value, expected):
    build_classifier(tmp_path, "m")
    data = _set(_sidecar(), field, value)
    if field == "labels":
        data["categories"] = {}
    write_sidecar(tmp_path / "m.json", data)
    with pytest.raises(ConfigError, match=expected):
        sidecar.session(sidecar.find_model("m", _config(tmp_path)))


def test_one_session_per_model_shared_by_threads_and_reloaded_when_the_file_changes(tmp_path):
    build_classifier(tmp_path, "m")
    spec = sidecar.find_model("m", _config(tmp_path))
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(sidecar.session(spec))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8 and all(s is results[0] for s in results)
    stat = spec.path.stat()
    os.utime(spec.path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert sidecar.session(spec) is not results[0]


def test_concurrent_checks_give_the_sequential_results(tmp_path):
    build_classifier(tmp_path / "m")
    cfg = load_config(write_config(tmp_path, tmp_path / "m", ["model:tiny_cls"]))
    engine = Engine(cfg.policy(), cfg)
    images = [solid(20, 20, RED), solid(30, 10, BLUE)] * 3
    expected = [v.scores for v in engine.check_images(images)]
    seen: list[list[dict]] = []
    threads = [threading.Thread(target=lambda: seen.append([v.scores for v in engine.check_images(images)]))
               for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 6 and all(s == expected for s in seen)


def test_cuda_provider_is_used_when_offered():
    assert models.providers(["CUDAExecutionProvider", "CPUExecutionProvider"]) == [
        "CUDAExecutionProvider", "CPUExecutionProvider"]
    assert models.providers(["AzureExecutionProvider", "CPUExecutionProvider"]) == ["CPUExecutionProvider"]


def test_fixed_batch_models_are_fed_one_image_at_a_time(tmp_path):
    build_classifier(tmp_path / "m", "single", batch=1)
    cfg = load_config(write_config(tmp_path, tmp_path / "m", ["model:single"]))
    verdicts = Engine(cfg.policy(), cfg).check_images([solid(9, 9, RED), solid(9, 9, BLUE), solid(9, 9, RED)])
    assert [v.level for v in verdicts] == ["unsafe", "safe", "unsafe"]


def test_a_model_that_cannot_run_fails_closed(tmp_path):
    build_failing(tmp_path / "m")
    cfg = load_config(write_config(tmp_path, tmp_path / "m", ["model:broken"]))
    with pytest.raises(ProviderError) as info:
        Engine(cfg.policy(), cfg).check_images([solid(20, 20, BLUE)])
    assert info.value.provider == "local:broken" and "broken.onnx failed to run" in info.value.reason
    open_policy = replace(cfg.policy(), fail_open=True)
    verdict = Engine(open_policy, cfg).check_images([solid(20, 20, BLUE)])[0]
    assert verdict.level == "safe" and verdict.evidence[0]["fail_open"] is True


def test_missing_model_named_by_a_policy_fails_the_check(tmp_path):
    cfg = load_config(write_config(tmp_path, tmp_path, ["model:absent"]))
    with pytest.raises(ConfigError, match="model 'absent' not found"):
        Engine(cfg.policy(), cfg).check_images([solid(4, 4, RED)])
    cfg = load_config(write_config(tmp_path, tmp_path, ["nonsense"], name="other.yaml"))
    with pytest.raises(ConfigError, match=r"policy 'tiny' .*image checker\(s\) nonsense not available"):
        Engine(cfg.policy(), cfg).check_images([solid(4, 4, RED)])


def test_sidecar_is_reread_when_it_changes(tmp_path):
    build_classifier(tmp_path, "m")
    cfg = _config(tmp_path)
    assert sidecar.find_model("m", cfg).thresholds == {"nsfw": 0.6}
    data = json.loads((tmp_path / "m.json").read_text())
    data["thresholds"] = {"nsfw": 0.9}
    write_sidecar(tmp_path / "m.json", data)
    stat = (tmp_path / "m.json").stat()
    os.utime(tmp_path / "m.json", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert sidecar.find_model("m", cfg).thresholds == {"nsfw": 0.9}
    assert np.isclose(sidecar.find_model("m", cfg).input.scale, 1 / 255)
    entries = [k for k in models._SIDECARS._items if k[-1] == str(tmp_path / "m.json")]
    assert entries == [(sidecar.__name__, "m", str(tmp_path / "m.onnx"), str(tmp_path / "m.json"))]  # edits replace


def test_an_edited_sidecar_is_checked_against_the_cached_session(tmp_path):
    """The model file did not change, so its session is reused, but a sidecar that no longer
    fits it must still be refused (not zip 3 labels with 2 outputs)."""
    build_classifier(tmp_path, "m")
    cfg = _config(tmp_path)
    first = sidecar.session(sidecar.find_model("m", cfg))
    write_sidecar(tmp_path / "m.json", {**_sidecar(), "labels": ["a", "b", "c"], "categories": {}})
    stat = (tmp_path / "m.json").stat()
    os.utime(tmp_path / "m.json", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    with pytest.raises(ConfigError, match="labels: 3 labels need a classifier output"):
        sidecar.session(sidecar.find_model("m", cfg))
    write_sidecar(tmp_path / "m.json", _sidecar())
    os.utime(tmp_path / "m.json", ns=(stat.st_atime_ns, stat.st_mtime_ns + 2 * 10**9))
    assert sidecar.session(sidecar.find_model("m", cfg)) is first


def test_model_names_resolve_by_the_sidecar_modality(tmp_path):
    """`model:<name>` finds text models for text_checkers and image models for image_checkers."""
    build_classifier(tmp_path, "pictures")
    (tmp_path / "words.onnx").write_bytes((tmp_path / "pictures.onnx").read_bytes())
    write_sidecar(tmp_path / "words.json", {"modality": "text", "labels": ["safe", "toxic"]})
    cfg = _config(tmp_path)
    assert models.find_model("words", cfg).modality == "text"
    assert models.find_model("pictures", cfg).modality == "image"
    policy = cfg.policy()
    with pytest.raises(ConfigError, match="words.json: tokenizer: no tokenizer file"):  # a text sidecar's own check
        Engine(replace(policy, text_checkers=("model:words",)), cfg)
    with pytest.raises(ConfigError, match="'pictures' .*is an image model; text_checkers need"):
        Engine(replace(policy, text_checkers=("model:pictures",)), cfg)
    with pytest.raises(ConfigError, match="modality: text model 'words' used as an image checker"):
        Engine(replace(policy, image_checkers=("model:words",)), cfg).check_images([np.zeros((4, 4, 3), np.uint8)])
    write_sidecar(tmp_path / "words.json", {"modality": "audio"})
    with pytest.raises(ConfigError, match="words.json: modality: must be one of image, text"):
        models.find_model("words", cfg)


def test_one_activation_serves_image_batches_and_text_rows() -> None:
    """Image classifiers pass (N, labels), text models one row: softmax per row either way."""

    batch = np.array([[0.0, 0.0], [10.0, 0.0]])
    np.testing.assert_allclose(models.activate(batch, "softmax"), [[0.5, 0.5], [1 / (1 + np.exp(-10)), 1 / (1 + np.exp(10))]])
    np.testing.assert_allclose(models.activate(batch[1], "softmax"), models.activate(batch, "softmax")[1])
    np.testing.assert_allclose(models.activate(np.array([0.0]), "sigmoid"), [0.5])
    np.testing.assert_allclose(models.activate(np.array([-1.0, 0.3, 2.0]), "none"), [0.0, 0.3, 1.0])
