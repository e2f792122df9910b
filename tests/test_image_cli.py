"""`python -m safety check-image` from the repository root, as a user audits a folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from image_helpers import BLUE, RED, build_classifier, write_config
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "safety", "check-image", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def _outputs(tmp_path: Path, *, red: bool) -> tuple[Path, Path]:
    build_classifier(tmp_path / "models")
    config = write_config(tmp_path, tmp_path / "models", ["model:tiny_cls"])
    folder = tmp_path / "outputs"
    (folder / "day1").mkdir(parents=True)
    Image.new("RGB", (16, 16), BLUE).save(folder / "a.png")
    Image.new("RGB", (16, 16), BLUE).save(folder / "day1" / "b.webp")
    (folder / "day1" / "notes.txt").write_text("not an image: not looked at")
    if red:
        Image.new("RGB", (16, 16), RED).save(folder / "day1" / "c.jpg")
    return config, folder


def test_safe_folder_exits_0_and_walks_subfolders(tmp_path):
    config, folder = _outputs(tmp_path, red=False)
    result = _run(str(folder), "--config", str(config), "--json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(x["path"]).name for x in lines] == ["a.png", "b.webp"]
    assert all(x["level"] == "safe" and x["provider"] == "local:tiny_cls" for x in lines)


def test_unsafe_file_exits_1_with_one_json_line_per_file(tmp_path):
    config, folder = _outputs(tmp_path, red=True)
    result = _run(str(folder), "--config", str(config), "--json")
    assert result.returncode == 1, result.stderr
    by_name = {Path(x["path"]).name: x for x in map(json.loads, result.stdout.splitlines())}
    assert set(by_name) == {"a.png", "b.webp", "c.jpg"}
    assert by_name["c.jpg"]["level"] == "unsafe" and by_name["c.jpg"]["categories"] == ["sexual"]
    text = _run(str(folder), "--config", str(config))
    assert text.returncode == 1 and f"{folder / 'day1' / 'c.jpg'}: unsafe [sexual]" in text.stdout


def test_unreadable_files_exit_2_and_the_others_are_still_checked(tmp_path):
    config, folder = _outputs(tmp_path, red=True)
    fake = folder / "fake.png"
    fake.write_text("text in disguise")
    result = _run(str(fake), str(folder / "a.png"), "--config", str(config), "--json")
    assert result.returncode == 2
    first, second = map(json.loads, result.stdout.splitlines())
    assert first == {"path": str(fake), "error": f"{fake}: not an image: the content is none of "
                                                  "PNG, JPEG, WEBP, GIF, BMP, TIFF (whatever the file name says)"}
    assert second["level"] == "safe"
    text = _run(str(fake), "--config", str(config))
    assert text.returncode == 2 and f"{fake}: error: {fake}: not an image" in text.stderr


def test_nothing_to_check_and_bad_config_exit_2(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _run(str(empty))
    assert result.returncode == 2 and "no image files under" in result.stderr
    config = tmp_path / "bad.yaml"
    config.write_text("image:\n  substitute: smudge\n")
    result = _run(str(empty), "--config", str(config))
    assert result.returncode == 2 and "image.substitute: must be one of placeholder, blur, pixelate" in result.stderr
