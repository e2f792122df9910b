"""Safe image decoding: a real image by content, within size limits, as RGB uint8 frames.

Pillow identifies the format from the bytes, never from the file name, and only the
formats below are accepted (no EPS/Ghostscript, no exotic plugins). The header is
checked against the pixel and frame limits before any pixel is decoded, so a small file
claiming 30000x30000 pixels is refused without allocating them. Truncated data is an
error: ComfyUI's own loader would silently accept it, a safety check must not.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import ExifTags, Image, ImageOps, ImageSequence, UnidentifiedImageError

from ..errors import InputError
from ..settings.image import ImageSettings

FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF")  # JPEG covers MPO
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".mpo", ".jfif")
_SIXTEEN_BIT = ("I;16", "I;16L", "I;16B", "I;16N", "I")
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, Image.DecompressionBombError)


@dataclass(frozen=True)
class Frame:
    index: int
    rgb: np.ndarray  # HxWx3 uint8
    alpha: np.ndarray | None  # HxW uint8, None when the frame has no transparency


def to_rgb(frame: Image.Image) -> tuple[np.ndarray, np.ndarray | None]:
    """Any Pillow mode to RGB uint8 plus its alpha channel. The colour under transparent
    pixels is kept as it is (ComfyUI drops alpha the same way), so what is checked is what
    the workflow will process."""
    alpha = None
    if "A" in frame.getbands() or "a" in frame.getbands():
        alpha = np.asarray(frame.getchannel("A" if "A" in frame.getbands() else "a"))
    elif frame.mode == "P" and "transparency" in frame.info:
        alpha = np.asarray(frame.convert("RGBA").getchannel("A"))
    if frame.mode in _SIXTEEN_BIT:  # 16-bit grey: scale, do not clip, to 8 bits
        values = np.asarray(frame, dtype=np.float64).clip(0, 65535)
        grey = np.rint(values / 257).astype(np.uint8)
        return np.repeat(grey[..., None], 3, axis=2), alpha
    if frame.mode == "F":
        grey = np.rint(np.asarray(frame, dtype=np.float64).clip(0, 255)).astype(np.uint8)
        return np.repeat(grey[..., None], 3, axis=2), alpha
    rgb = frame if frame.mode == "RGB" else frame.convert("RGB")
    return np.asarray(rgb, dtype=np.uint8), alpha


class OpenedImage:
    """An image file whose header passed the limits; `frames()` decodes lazily."""

    def __init__(self, image: Image.Image, name: str) -> None:
        self.image = image
        self.name = name
        self.format = image.format or ""
        self.width, self.height = image.size
        # MPO's extra frames are other views of the same photo; ComfyUI loads the first only
        self.n_frames = 1 if self.format == "MPO" else getattr(image, "n_frames", 1)

    def frames(self) -> Iterator[Frame]:
        try:
            for index, frame in enumerate(ImageSequence.Iterator(self.image)):
                if index >= self.n_frames:
                    return
                frame.load()
                rgb, alpha = to_rgb(_upright(frame))
                yield Frame(index, rgb, alpha)
        except _DECODE_ERRORS as exc:
            raise InputError(f"{self.name}: truncated or corrupt {self.format} data "
                             f"({_reason(exc)})") from None

    def close(self) -> None:
        self.image.close()

    def __enter__(self) -> OpenedImage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _upright(frame: Image.Image) -> Image.Image:
    """The frame turned as its EXIF orientation says; without one the frame itself
    (exif_transpose would copy every pixel for nothing)."""
    if frame.getexif().get(ExifTags.Base.Orientation, 1) == 1:
        return frame
    return ImageOps.exif_transpose(frame)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def open_image(source: str | os.PathLike[str] | bytes, settings: ImageSettings,
               name: str | None = None) -> OpenedImage:
    """Open and validate the header; raises InputError naming the file for anything that
    is not an acceptable image."""
    label = name or (str(source) if not isinstance(source, bytes) else "<image bytes>")
    if isinstance(source, bytes):
        size, stream = len(source), io.BytesIO(source)
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise InputError(f"{label}: no such file") from None
        except OSError as exc:
            raise InputError(f"{label}: cannot read: {exc.strerror}") from None
        if path.is_dir():
            raise InputError(f"{label}: is a folder, not an image file")
        stream = None
    if size == 0:
        raise InputError(f"{label}: empty file (0 bytes)")
    if size > settings.max_bytes:
        raise InputError(f"{label}: {size} bytes is more than the limit of {settings.max_bytes} "
                         f"(image.max_file_mb in the config)")
    try:
        image = Image.open(stream if stream is not None else path, formats=FORMATS)
    except UnidentifiedImageError:
        raise InputError(f"{label}: not an image: the content is none of "
                         f"{', '.join(FORMATS)} (whatever the file name says)") from None
    except Image.DecompressionBombError as exc:
        raise InputError(f"{label}: refused as a decompression bomb ({_reason(exc)})") from None
    except PermissionError as exc:
        raise InputError(f"{label}: cannot read: {exc.strerror}") from None
    except _DECODE_ERRORS as exc:
        raise InputError(f"{label}: corrupt image header ({_reason(exc)})") from None
    try:
        _check_header(image, label, settings)
    except BaseException:
        image.close()
        raise
    return OpenedImage(image, label)


def _check_header(image: Image.Image, label: str, settings: ImageSettings) -> None:
    width, height = image.size
    if width < 1 or height < 1:
        raise InputError(f"{label}: image header claims {width}x{height} pixels")
    if width * height > settings.max_pixels:
        raise InputError(f"{label}: {width}x{height} = {width * height} pixels is more than the "
                         f"limit of {settings.max_pixels} (image.max_pixels in the config); "
                         f"refused before decoding, as a possible decompression bomb")
    try:
        frames = getattr(image, "n_frames", 1)
    except _DECODE_ERRORS as exc:
        raise InputError(f"{label}: truncated or corrupt {image.format} data ({_reason(exc)})") from None
    if frames > settings.max_frames:
        raise InputError(f"{label}: {frames} frames is more than the limit of "
                         f"{settings.max_frames} (image.max_frames in the config)")


def decode_image(source: str | os.PathLike[str] | bytes, settings: ImageSettings,
                 name: str | None = None) -> list[Frame]:
    """Every frame of a file, decoded and validated."""
    with open_image(source, settings, name) as image:
        return list(image.frames())
