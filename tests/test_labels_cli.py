"""`python -m safety label` and `inspect` from the repository root, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from label_helpers import exiftool
from PIL import Image
from PIL.PngImagePlugin import PngInfo

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "safety", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"labels": {"producer": "CLIPRODUCER"},
                                    "policies": {"en": {"labels": {"text": "AI-generated", "producer": "ENPROD"}}}}))
    return path


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "in.png"
    info = PngInfo()
    info.add_text("workflow", '{"nodes": []}')
    Image.new("RGB", (400, 300), (240, 240, 240)).save(path, pnginfo=info)
    return path


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".jpeg", ".webp"])
def test_label_writes_a_labelled_copy_in_the_format_of_the_suffix(tmp_path, config, source, suffix):
    out = tmp_path / f"out{suffix}"
    result = _run("label", str(source), str(out), "--config", str(config))
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["implicit"]["ContentProducer"] == "CLIPRODUCER" and record["explicit"]["text"] == "AI生成"
    with Image.open(out) as image:
        assert image.format == {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}[suffix]
    assert "AIGC" in exiftool(out)["XMP-TC260:Aigc"]
    if suffix == ".png":
        assert exiftool(out)["PNG:Workflow"] == '{"nodes": []}'


def test_label_uses_the_policy_settings(tmp_path, config, source):
    out = tmp_path / "out.png"
    result = _run("label", str(source), str(out), "--config", str(config), "--policy", "en")
    record = json.loads(result.stdout)
    assert record["explicit"]["text"] == "AI-generated" and record["implicit"]["ContentProducer"] == "ENPROD"
    bad = _run("label", str(source), str(out), "--config", str(config), "--policy", "nope")
    assert bad.returncode == 2 and "unknown policy 'nope'" in bad.stderr


def test_label_errors_exit_2(tmp_path, config, source):
    bad_suffix = _run("label", str(source), str(tmp_path / "out.gif"), "--config", str(config))
    assert bad_suffix.returncode == 2 and "cannot tell the format" in bad_suffix.stderr
    missing = _run("label", str(tmp_path / "nope.png"), str(tmp_path / "o.png"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("labels: {producer: 'has space'}")
    result = _run("label", str(source), str(tmp_path / "o.png"), "--config", str(bad))
    assert result.returncode == 2 and "labels.producer" in result.stderr


def test_labelling_a_labelled_file_propagates(tmp_path, config, source):
    first, second = tmp_path / "a.png", tmp_path / "b.webp"
    _run("label", str(source), str(first), "--config", str(config), "--policy", "en")
    result = _run("label", str(first), str(second), "--config", str(config))
    record = json.loads(result.stdout)
    assert record["propagated"] and record["implicit"]["ContentProducer"] == "ENPROD"
    assert record["implicit"]["ContentPropagator"] == "CLIPRODUCER"


def test_inspect_json_shape_and_exit_codes(tmp_path, config, source):
    labelled = tmp_path / "l.jpg"
    _run("label", str(source), str(labelled), "--config", str(config))
    result = _run("inspect", str(labelled), str(source), "--json")
    assert result.returncode == 0, result.stderr
    first, second = map(json.loads, result.stdout.splitlines())
    for report in (first, second):
        assert {"path", "aigc", "carriers", "valid", "problems", "c2pa"} <= set(report)
    assert first["path"] == str(labelled) and first["valid"] and first["carriers"] == ["jpeg:xmp"]
    assert first["aigc"]["ContentProducer"] == "CLIPRODUCER" and first["c2pa"] is None
    assert second["aigc"] is None and second["valid"] is False and second["problems"] == []
    text = _run("inspect", str(labelled))
    assert text.returncode == 0 and "Label 1 (AI-generated) producer=CLIPRODUCER" in text.stdout


def test_inspect_exits_2_for_unreadable_files_and_reports_the_rest(tmp_path, source):
    fake = tmp_path / "fake.png"
    fake.write_text("text in disguise")
    result = _run("inspect", str(tmp_path / "missing.png"), str(fake), str(source), "--json")
    assert result.returncode == 2
    missing, disguised, fine = map(json.loads, result.stdout.splitlines())
    assert "cannot read" in missing["error"]
    assert disguised["aigc"] is None and "not an image" in disguised["problems"][0]
    assert fine["aigc"] is None and fine["problems"] == []


def test_label_applies_exif_orientation_so_the_label_is_in_the_corner_a_viewer_sees(tmp_path, config):
    rotated = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise for display
    Image.new("RGB", (300, 200), (250, 250, 250)).save(rotated, exif=exif)
    out = tmp_path / "out.png"
    record = json.loads(_run("label", str(rotated), str(out), "--config", str(config)).stdout)
    with Image.open(out) as image:
        assert image.size == (200, 300)
    left, top, right, bottom = record["explicit"]["box"]
    assert right > 150 and bottom > 250


def test_a_malformed_incoming_label_is_not_propagated(tmp_path, config):
    bad = tmp_path / "bad.png"
    info = PngInfo()
    info.add_text("AIGC", '{"Label":"1","ContentProducer":"has space","ProduceID":"x"}')
    Image.new("RGB", (200, 150)).save(bad, pnginfo=info)
    record = json.loads(_run("label", str(bad), str(tmp_path / "o.png"), "--config", str(config)).stdout)
    assert record["propagated"] is False and record["implicit"]["ContentProducer"] == "CLIPRODUCER"
