"""The decode budget over pixels x frames, checked on the header before decoding: frames
sampled or a clear error beyond it, bounded memory for crafted files, no MemoryError."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from bombs import big_png, many_frame_gif, paged_tiff
from content_safety_guard.nodes import image_load
from content_safety_guard.nodes.image_load import ContentSafetyLoadImage
from content_safety_guard.safety import ContentSafetyError, Engine
from content_safety_guard.safety.config import CONFIG_ENV, load_config
from content_safety_guard.safety.errors import InputError
from content_safety_guard.safety.image import decode
from content_safety_guard.safety.image.decode import decode_image, open_image
from content_safety_guard.safety.settings.image import ImageSettings
from image_helpers import RED, build_classifier, write_config
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
OFF = {"enable_safe_check": False, "check_mode": "local", "policy": "normal", "on_unsafe": "raise"}
MB = 1024 * 1024


def gif(path: Path, frames: int, side: int = 16, red_at: int | None = None) -> Path:
    images = [Image.new("RGB", (side, side), RED if i == red_at else (20, 20, 200 - i)) for i in range(frames)]
    images[0].save(path, save_all=True, append_images=images[1:])
    return path


def tiff(path: Path, sizes: list[int]) -> Path:
    pages = [Image.new("L", (s, s), 100 + i) for i, s in enumerate(sizes)]
    pages[0].save(path, save_all=True, append_images=pages[1:])
    return path


def test_sequential_frames_over_the_pixel_budget_are_refused_before_decoding(tmp_path: Path, monkeypatch) -> None:
    path = gif(tmp_path / "a.gif", 10)
    monkeypatch.setattr(decode, "to_rgb", lambda *a, **k: pytest.fail("decoded"))
    with open_image(path, ImageSettings(max_total_pixels=16 * 16 * 9)) as image:
        with pytest.raises(InputError, match=r"a.gif: 10 frame\(s\) of 16x16 = 2560 pixels to decode, "
                                             r"more than image.max_total_pixels=2304"):
            image.plan()


def test_pages_of_a_tiff_are_sampled_to_fit_the_pixel_budget(tmp_path: Path) -> None:
    path = tiff(tmp_path / "p.tif", [16] * 10)
    with open_image(path, ImageSettings(max_total_pixels=16 * 16 * 4)) as image:
        assert image.plan().indices == [0, 3, 6, 9] and image.sampled
        assert [f.index for f in image.frames()] == [0, 3, 6, 9]


def test_frames_beyond_max_checked_frames_are_sampled_evenly_and_said_so(tmp_path: Path) -> None:
    build_classifier(tmp_path / "models")
    config = load_config(write_config(tmp_path, tmp_path / "models", ["model:tiny_cls"],
                                      image={"max_checked_frames": 5}))
    engine = Engine(config.policy(), config)
    verdict = engine.check_file(gif(tmp_path / "clip.gif", 41, red_at=30))
    assert verdict.level == "unsafe"  # frame 30 is one of 0, 10, 20, 30, 40
    assert {"sampled_frames": 5, "frames": 41} in verdict.evidence
    assert engine.check_file(gif(tmp_path / "few.gif", 4)).evidence[-1:] != ({"sampled_frames": 4, "frames": 4},)


def test_a_later_page_larger_than_the_limits_is_refused_before_it_decodes(tmp_path: Path) -> None:
    path = tiff(tmp_path / "grow.tif", [8, 8, 64])
    with open_image(path, ImageSettings(max_pixels=1000)) as image:
        frames = image.plan().frames()
        assert next(frames).index == 0 and next(frames).index == 1
        with pytest.raises(InputError, match="frame 2 of 64x64 pixels exceeds image.max_pixels"):
            next(frames)


def test_load_image_refuses_a_batch_over_its_budget_with_the_json_error(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "input").mkdir()
    monkeypatch.chdir(tmp_path)
    gif(tmp_path / "input" / "anim.gif", 12, side=32)
    monkeypatch.setenv(CONFIG_ENV, str(write_config(tmp_path, tmp_path, [], image={"max_batch_pixels": 32 * 32 * 11})))
    with pytest.raises(ContentSafetyError) as info:
        ContentSafetyLoadImage().load("anim.gif", **OFF)
    data = json.loads(str(info.value))
    assert data["code"] == "content_safe_check_error" and "image.max_batch_pixels=11264" in data["reason"]
    monkeypatch.setenv(CONFIG_ENV, str(write_config(tmp_path, tmp_path, [], image={"max_checked_frames": 11},
                                                    name="c2.yaml")))
    with pytest.raises(ContentSafetyError, match="image.max_checked_frames=11"):
        ContentSafetyLoadImage().load("anim.gif", **OFF)


def test_memory_errors_become_clear_errors(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "input").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    gif(tmp_path / "input" / "a.gif", 2)

    def no_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(image_load, "to_batch", no_memory)
    with pytest.raises(ContentSafetyError, match="not enough memory"):
        ContentSafetyLoadImage().load("a.gif", **OFF)
    monkeypatch.setattr(decode, "to_rgb", no_memory)
    with pytest.raises(InputError, match="a.gif: not enough memory to decode 16x16 pixels"):
        decode_image(tmp_path / "input" / "a.gif", ImageSettings())
    with pytest.raises(ContentSafetyError, match="not enough memory to decode"):
        ContentSafetyLoadImage().load("a.gif", **OFF)


def test_the_float_batch_is_filled_in_place_as_comfyui_makes_it() -> None:
    from content_safety_guard.nodes.image_common import to_batch

    arrays = [np.random.default_rng(i).integers(0, 256, (5, 7, 3), dtype=np.uint8) for i in range(3)]
    batch = to_batch(arrays)
    assert batch.dtype == np.float32
    assert np.array_equal(batch, np.stack(arrays).astype(np.float32) / 255.0)


PEAK = """
import json, resource, subprocess, sys
res = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"rc": res.returncode, "mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "out": res.stdout, "err": res.stderr}))
"""


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {"png8900": big_png(folder), "rgba8000": big_png(folder, "RGBA", 8000),
            "tiff8x8900": paged_tiff(folder), "tiff8x8000": paged_tiff(folder, 8, 8000),
            "gif300x1024": many_frame_gif(folder)}


@pytest.mark.parametrize("name", ["png8900", "rgba8000", "tiff8x8900", "tiff8x8000", "gif300x1024"])
def test_crafted_files_stay_under_1_gb_in_check_image(bombs: dict[str, Path], name: str) -> None:
    """Peak memory of the whole CLI process (NudeNet included), measured from outside."""
    env = {k: v for k, v in os.environ.items() if k != CONFIG_ENV}
    cmd = [sys.executable, "-m", "safety", "check-image", "--json", str(bombs[name])]
    res = subprocess.run([sys.executable, "-c", PEAK, *cmd], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=600)
    out = json.loads(res.stdout)
    assert out["rc"] in (0, 2) and "Traceback" not in out["err"], out
    line = json.loads(out["out"])
    assert "error" in line or line["level"] == "safe"
    assert out["mb"] < 1024, out


@pytest.mark.parametrize("name", ["png8900", "rgba8000", "tiff8x8900", "gif300x1024"])
def test_crafted_files_are_refused_by_load_image_before_decoding(bombs: dict[str, Path], name: str,
                                                                  monkeypatch, tmp_path: Path) -> None:
    (tmp_path / "input").mkdir()
    os.link(bombs[name], tmp_path / "input" / bombs[name].name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    monkeypatch.setattr(decode, "to_rgb", lambda *a, **k: pytest.fail("decoded"))
    with pytest.raises(ContentSafetyError) as info:
        ContentSafetyLoadImage().load(bombs[name].name, **OFF)
    data = json.loads(str(info.value))
    assert data["code"] == "content_safe_check_error" and "refused before decoding" in data["reason"]
