"""Load names and save prefixes from widgets (or an API client): names leading out of
ComfyUI's folders are refused, and NUL or over-long names fail with the JSON error
contract, outside ComfyUI and through ComfyUI's own folder_paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from content_safety_guard.nodes.image_load import ContentSafetyLoadImage
from content_safety_guard.nodes.image_save import ContentSafetySaveImage
from content_safety_guard.safety import ContentSafetyError
from image_helpers import BLUE, as_image_batch, solid
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
COMFYUI_DIR = os.environ.get("COMFYUI_DIR") or "/work/shared/comfyui"
OFF = {"enable_safe_check": False, "check_mode": "local", "policy": "normal"}


@pytest.fixture
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for kind in ("input", "output", "temp"):
        (tmp_path / kind).mkdir()
    monkeypatch.chdir(tmp_path)  # outside ComfyUI the nodes use ./input, ./output, ./temp
    monkeypatch.delenv("COMFY_CONTENT_SAFETY_CONFIG", raising=False)
    Image.new("RGB", (8, 8), BLUE).save(tmp_path / "outside.png")
    Image.new("RGB", (8, 8), BLUE).save(tmp_path / "input" / "inside.png")
    return tmp_path


def error_of(call) -> dict:
    with pytest.raises(ContentSafetyError) as info:
        call()
    data = json.loads(str(info.value))
    assert data["code"] == "content_safe_check_error"
    return data


@pytest.mark.parametrize("name", ["../outside.png", "{abs}/outside.png", "../../etc/passwd",
                                  "../outside.png [output]", "sub/../../outside.png [temp]"])
def test_load_names_outside_comfyui_folders_are_refused(dirs: Path, name: str) -> None:
    name = name.format(abs=dirs)
    node = ContentSafetyLoadImage()
    data = error_of(lambda: node.load(name, on_unsafe="raise", unique_id="7", **OFF))
    assert data["stage"] == "image_load" and data["node_id"] == "7"
    assert "outside ComfyUI's input, output and temp folders" in data["reason"]
    assert "outside" in ContentSafetyLoadImage.VALIDATE_INPUTS(name)
    assert ContentSafetyLoadImage.IS_CHANGED(name) == ""


def test_links_leading_out_of_the_input_folder_are_refused(dirs: Path) -> None:
    (dirs / "input" / "link.png").symlink_to(dirs / "outside.png")
    data = error_of(lambda: ContentSafetyLoadImage().load("link.png", on_unsafe="raise", **OFF))
    assert "outside" in data["reason"]
    assert ContentSafetyLoadImage().load("inside.png", on_unsafe="raise", **OFF)["result"][2] is True


@pytest.mark.parametrize("name", ["in\0side.png", "x" * 300 + ".png", "a/" * 600 + "b.png"],
                         ids=["nul", "long-name", "long-path"])
def test_nul_and_over_long_load_names_give_the_json_error(dirs: Path, name: str) -> None:
    data = error_of(lambda: ContentSafetyLoadImage().load(name, on_unsafe="raise", **OFF))
    assert data["stage"] == "image_load" and ("NUL" in data["reason"] or "bytes" in data["reason"])
    assert isinstance(ContentSafetyLoadImage.VALIDATE_INPUTS(name), str)


@pytest.mark.parametrize("prefix", ["Comfy\0UI", "x" * 300, "sub/" * 300 + "x", "../escape"],
                         ids=["nul", "long-name", "long-path", "escape"])
def test_nul_over_long_and_escaping_save_prefixes_give_the_json_error(dirs: Path, prefix: str) -> None:
    node = ContentSafetySaveImage()
    data = error_of(lambda: node.save(as_image_batch(solid(8, 8, BLUE)), prefix, on_unsafe="raise",
                                      unique_id="3", **OFF))
    assert data["stage"] == "image_save" and data["node_id"] == "3"
    assert not any((dirs / "output").iterdir())


@pytest.mark.parametrize("images", [np.zeros((1, 8, 8), np.float32), np.zeros((1, 8, 8, 5), np.float32),
                                    np.zeros((1, 8, 8, 2), np.float32), np.full((1, 8, 8, 3), None, object),
                                    np.zeros((1, 0, 8, 3), np.float32)],
                         ids=["no-channels", "five-channels", "two-channels", "objects", "no-rows"])
def test_a_malformed_image_batch_gives_the_json_error(dirs: Path, images: np.ndarray) -> None:
    node = ContentSafetySaveImage()
    data = error_of(lambda: node.save(images, "ComfyUI", on_unsafe="raise", unique_id="4", **OFF))
    assert data["stage"] == "image_save" and data["node_id"] == "4"
    assert "expected an IMAGE item of shape HxWxC" in data["reason"]
    assert not any((dirs / "output").iterdir())


def test_through_comfyui_folder_paths(tmp_path: Path) -> None:
    """The same refusals when the nodes resolve names with ComfyUI's folder_paths."""
    if not (Path(COMFYUI_DIR) / "folder_paths.py").is_file():
        pytest.skip("no ComfyUI checkout (COMFYUI_DIR)")
    for kind in ("input", "output", "temp"):
        (tmp_path / kind).mkdir()
    Image.new("RGB", (8, 8), BLUE).save(tmp_path / "outside.png")
    Image.new("RGB", (8, 8), BLUE).save(tmp_path / "input" / "inside.png")
    script = textwrap.dedent(f"""
        import json, sys
        sys.path[:0] = [{COMFYUI_DIR!r}, {str(ROOT / "tests")!r}]
        from comfy.cli_args import args
        args.cpu = True  # ComfyUI's model management starts on the CPU, as with --cpu
        args.base_directory = {str(tmp_path)!r}  # importing folder_paths creates <base>/input
        import folder_paths
        folder_paths.set_input_directory({str(tmp_path / "input")!r})
        folder_paths.set_output_directory({str(tmp_path / "output")!r})
        folder_paths.set_temp_directory({str(tmp_path / "temp")!r})
        import conftest
        from content_safety_guard.nodes import comfy
        from content_safety_guard.nodes.image_load import ContentSafetyLoadImage
        from content_safety_guard.safety import ContentSafetyError
        assert comfy.folder_paths.__file__.startswith({COMFYUI_DIR!r})
        off = dict(enable_safe_check=False, check_mode="local", policy="normal", on_unsafe="raise")
        out = {{}}
        for name in ["../outside.png", {str(tmp_path / "outside.png")!r}, "in\\0side.png", "inside.png"]:
            try:
                out[name] = ContentSafetyLoadImage().load(name, **off)["result"][2]
            except ContentSafetyError as exc:
                out[name] = json.loads(str(exc))["reason"]
        print(json.dumps(out))
    """)
    env = {k: v for k, v in os.environ.items() if k != "COMFY_CONTENT_SAFETY_CONFIG"}
    res = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                         env=env, timeout=120)
    assert res.returncode == 0, res.stderr[-3000:]
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out.pop("inside.png") is True
    assert "outside ComfyUI's input" in out.pop("../outside.png")
    assert "outside ComfyUI's input" in out.pop(str(tmp_path / "outside.png"))
    assert "NUL" in out.pop("in\0side.png")
