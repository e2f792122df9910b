"""Issue 13: NudeNet blocks no benign image. The set is real pictures that packages ship
(scikit-image's photos, charts and micrographs and its LFW face crops, matplotlib's sample
photos and toolbar drawings, charts drawn by matplotlib, and the MATE desktop's photo
backgrounds when the Debian package is installed). Nothing is downloaded."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from content_safety_guard.safety import Config, Engine

MIN_IMAGES = 50
MATE = Path("/usr/share/backgrounds/mate")


def _need(module: str):
    """A missing package skips the test on a developer's machine and fails it in CI."""
    try:
        return __import__(module)
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"{module} is not installed")


def _skimage() -> Iterator[tuple[str, np.ndarray | Path]]:
    skimage = _need("skimage")
    data = Path(skimage.__file__).parent / "data"
    for path in sorted(data.iterdir()):
        if path.suffix in (".png", ".jpg") and path.stat().st_size > 2000:
            yield f"skimage/{path.name}", path
    faces = np.load(data / "lfw_subset.npy")[:30]  # 25x25 grey face crops, 0..1
    for i, face in enumerate(faces):
        grey = (np.clip(face, 0, 1) * 255).astype(np.uint8)
        yield f"skimage/lfw_subset[{i}]", np.ascontiguousarray(np.repeat(grey[..., None], 3, axis=2))


def _matplotlib() -> Iterator[tuple[str, np.ndarray | Path]]:
    matplotlib = _need("matplotlib")
    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    data = Path(matplotlib.get_data_path())
    for name in ("grace_hopper.jpg", "Minduka_Present_Blue_Pack.png", "logo2.png"):
        yield f"matplotlib/{name}", data / "sample_data" / name
    for path in sorted((data / "images").glob("*_large.png")):
        yield f"matplotlib/{path.name}", path
    rng = np.random.default_rng(13)
    charts = {
        "bar": lambda ax: ax.bar(list("ABCDEF"), rng.integers(1, 10, 6), color="tab:orange"),
        "pie": lambda ax: ax.pie([35, 25, 20, 20], colors=["#e8b0a0", "#d49a89", "#f1c7b5", "#c98b7a"]),
        "line": lambda ax: ax.plot(np.cumsum(rng.normal(size=200))),
        "scatter": lambda ax: ax.scatter(*rng.normal(size=(2, 300)), c=rng.random(300), cmap="copper"),
        "heatmap": lambda ax: ax.imshow(rng.random((20, 20)), cmap="magma"),
        "skin_tone_gradient": lambda ax: ax.imshow(np.linspace(0, 1, 256)[None].repeat(64, 0), cmap="pink"),
        "histogram": lambda ax: ax.hist(rng.normal(size=1000), bins=40, color="#d8a48f"),
        "contour": lambda ax: ax.contourf(*np.meshgrid(np.linspace(-3, 3, 50), np.linspace(-3, 3, 50)),
                                          np.exp(-np.add.outer(np.linspace(-3, 3, 50) ** 2,
                                                               np.linspace(-3, 3, 50) ** 2)), cmap="copper"),
    }
    for name, draw in charts.items():
        fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
        draw(ax)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
        from PIL import Image
        yield f"matplotlib/chart_{name}", np.asarray(Image.open(buf).convert("RGB"))


def _mate() -> Iterator[tuple[str, Path]]:
    for path in sorted(MATE.rglob("*.jpg")) if MATE.is_dir() else ():
        if "_3840" not in path.name and "_5640" not in path.name:  # same pictures, larger
            yield f"mate-backgrounds/{path.name}", path


@pytest.fixture(scope="module")
def benign() -> list[tuple[str, np.ndarray | Path]]:
    return [*_skimage(), *_matplotlib(), *_mate()]


def test_no_benign_image_is_flagged_under_any_policy(benign) -> None:
    assert len(benign) >= MIN_IMAGES, [name for name, _ in benign]
    flagged = []
    for policy in ("lax", "normal", "strict"):
        engine = Engine(Config().policy(policy), Config())
        arrays = [(n, img) for n, img in benign if isinstance(img, np.ndarray)]
        for (name, _), verdict in zip(arrays, engine.check_images([img for _, img in arrays])):
            if verdict.level != "safe":
                flagged.append((policy, name, verdict.evidence[:2]))
        for name, path in benign:
            if isinstance(path, Path):
                verdict = engine.check_file(path)
                if verdict.level != "safe":
                    flagged.append((policy, name, verdict.evidence[:2]))
    assert flagged == []


def test_the_pictures_that_fooled_nudenet_are_in_the_set(benign) -> None:
    names = {name for name, _ in benign}
    assert "skimage/color.png" in names  # BUTTOCKS_EXPOSED 0.83 over the whole chart
    if MATE.is_dir():
        assert "mate-backgrounds/TwoWings.jpg" in names  # FEMALE_GENITALIA_EXPOSED 0.39, alone
