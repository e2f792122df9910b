"""Every error path of the CLI exits 2 ("could not check"), never 1 ("unsafe") with a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from image_helpers import BLUE, build_classifier, write_config
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, stdin: bytes | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "COMFY_CONTENT_SAFETY_CONFIG"}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run([sys.executable, "-m", "safety", *args], cwd=ROOT, input=stdin,
                          capture_output=True, env=env, timeout=120)


def test_invalid_utf8_on_stdin_exits_2_with_a_clear_error() -> None:
    res = run("check-text", stdin=b"hello \xff\xfe world")
    assert res.returncode == 2, res.stderr
    assert b"Traceback" not in res.stderr
    assert b"not UTF-8" in res.stderr


def test_non_utf8_file_names_under_json_exit_2_and_stay_valid_json(tmp_path: Path) -> None:
    build_classifier(tmp_path / "models")
    config = write_config(tmp_path, tmp_path / "models", ["model:tiny_cls"])
    folder = tmp_path / "imgs"
    folder.mkdir()
    good = os.path.join(os.fsencode(folder), b"ok-\xff.png")
    Image.new("RGB", (16, 16), BLUE).save(os.fsdecode(good))
    with open(os.path.join(os.fsencode(folder), b"bad-\xfe.png"), "wb") as f:
        f.write(b"not an image")
    res = run("check-image", str(folder), "--config", str(config), "--json")
    assert res.returncode == 2, res.stderr
    assert b"Traceback" not in res.stderr
    lines = [json.loads(line) for line in res.stdout.decode("utf-8").splitlines()]
    assert sorted(x["path"].rsplit("/", 1)[1] for x in lines) == ["bad-\\xfe.png", "ok-\\xff.png"]
    assert [x for x in lines if "error" in x][0]["path"].endswith("bad-\\xfe.png")
    text = run("check-image", str(folder), "--config", str(config))
    assert text.returncode == 2 and b"Traceback" not in text.stderr


def test_an_unexpected_failure_exits_2_not_1(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    res = run("check-text", "--config", str(deep), "hello")
    assert res.returncode == 2, res.stderr
    assert b"Traceback" not in res.stderr and str(deep).encode() in res.stderr


def test_a_reader_that_left_gets_no_traceback_and_exit_2() -> None:
    """`content-safety check-text ... | head -0`: the pipe is closed before the verdict is
    written; the CLI says nothing more and exits 2 (not reported), never 1 (unsafe)."""
    read, write = os.pipe()
    os.close(read)
    try:
        res = subprocess.run([sys.executable, "-m", "safety", "check-text", "--json", "a lighthouse"],
                             cwd=ROOT, stdout=write, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(write)
    assert res.returncode == 2
    assert res.stderr.decode() == ""
