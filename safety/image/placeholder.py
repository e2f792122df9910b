"""The image written instead of an unsafe one: the built-in bilingual "content blocked /
内容已屏蔽" picture (a PNG rendered once, so no CJK font is needed at run time) or the
user's own from the config, fitted to the size of the image it replaces."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from ..cache import FileStampedCache
from .decode import decode_image
from ..settings.image import ImageSettings

BUILTIN = Path(__file__).resolve().parents[2] / "assets" / "placeholder.png"


_SOURCES: FileStampedCache[Image.Image] = FileStampedCache(maxsize=4)


def _source(path: str) -> Image.Image:
    def load() -> Image.Image:
        return Image.fromarray(decode_image(path, ImageSettings())[0].rgb)

    try:
        return _SOURCES.get(path, [path], load)
    except OSError:
        return load()  # decode_image reports the missing file with its name


def placeholder(width: int, height: int, path: str | None = None) -> np.ndarray:
    """HxWx3 uint8: the placeholder scaled to fit, centred on its own background colour.
    A broken user placeholder raises InputError naming the file (config image.placeholder)."""
    file = Path(path) if path else BUILTIN
    source = _source(str(file))
    background = source.getpixel((0, 0))
    scale = min(width / source.width, height / source.height)
    size = (max(1, round(source.width * scale)), max(1, round(source.height * scale)))
    canvas = Image.new("RGB", (width, height), background)
    canvas.paste(source.resize(size, Image.Resampling.LANCZOS),
                 ((width - size[0]) // 2, (height - size[1]) // 2))
    return np.asarray(canvas).copy()
