"""Safe image decoding: a real image by content, within size limits, as RGB uint8 frames.

Pillow identifies the format from the bytes, never from the file name, and only the
formats below are accepted (no EPS/Ghostscript, no exotic plugins). The header is
checked against the pixel and frame limits before any pixel is decoded, so a small file
claiming 30000x30000 pixels is refused without allocating them. Truncated data is an
error: ComfyUI's own loader would silently accept it, a safety check must not.

The header also bounds the work as a whole, pixels x frames, before decoding
(`decode_plan`): a small GIF of 2,000 large frames is a decompression bomb too. A check
samples frames evenly beyond `image.max_checked_frames`; pages of a TIFF, which are read
independently, are also sampled to fit `image.max_total_pixels`; formats whose frames
decode one after another (GIF, APNG, WebP) must fit it whole. Loading every frame as an
IMAGE batch (float32, 12 bytes a pixel) must fit `image.max_batch_pixels`.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
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
RANDOM_ACCESS = ("TIFF", "MPO")  # frames read without decoding the ones before them


@dataclass(frozen=True)
class Frame:
    index: int
    rgb: np.ndarray  # HxWx3 uint8
    alpha: np.ndarray | None  # HxW uint8, None when the frame has no transparency


def to_rgb(frame: Image.Image, *, with_alpha: bool = True,
           release: Callable[[], None] | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """Any Pillow mode to RGB uint8 plus its alpha channel. The colour under transparent
    pixels is kept as it is (ComfyUI drops alpha the same way), so what is checked is what
    the workflow will process. `release` frees the decoded frame once a converted copy
    exists (the last frame of a file: one full-size buffer less at the peak)."""
    alpha = None
    if not with_alpha:
        pass
    elif "A" in frame.getbands() or "a" in frame.getbands():
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
    if release is not None and rgb is not frame:
        release()
    return np.asarray(rgb, dtype=np.uint8), alpha


class OpenedImage:
    """An image file whose header passed the limits; `frames()` decodes lazily the frames
    of `indices` (all of them unless the plan sampled)."""

    def __init__(self, image: Image.Image, name: str, settings: ImageSettings) -> None:
        self.image = image
        self.name = name
        self.settings = settings
        self.format = image.format or ""
        self.width, self.height = image.size
        # MPO's extra frames are other views of the same photo; ComfyUI loads the first only
        self.n_frames = 1 if self.format == "MPO" else getattr(image, "n_frames", 1)
        self.indices: list[int] = list(range(self.n_frames))

    @property
    def sampled(self) -> bool:
        return len(self.indices) < self.n_frames

    def plan(self, *, whole: bool = False) -> OpenedImage:
        """Choose the frames to decode within the settings' budgets (see the module doc);
        `whole`: every frame or an InputError (LoadImage returns every frame)."""
        cfg, n, pixels = self.settings, self.n_frames, self.width * self.height
        total = n * pixels
        what = f"{self.name}: {n} frame(s) of {self.width}x{self.height}"
        if whole:
            if total > cfg.max_batch_pixels:
                raise InputError(f"{what} = {total} pixels would take {total * 12 // 2**20} MB as an "
                                 f"IMAGE batch, more than image.max_batch_pixels={cfg.max_batch_pixels} "
                                 f"allows; refused before decoding")
            if n > cfg.max_checked_frames:
                raise InputError(f"{what}: more frames than image.max_checked_frames="
                                 f"{cfg.max_checked_frames} can be checked; refused before decoding")
            return self
        count = min(n, cfg.max_checked_frames)
        if total > cfg.max_total_pixels:
            if self.format not in RANDOM_ACCESS:
                raise InputError(f"{what} = {total} pixels to decode, more than image.max_total_pixels="
                                 f"{cfg.max_total_pixels}; refused before decoding, as a possible "
                                 f"decompression bomb")
            count = min(count, max(1, cfg.max_total_pixels // pixels))
        if count < n:
            self.indices = sorted({round(i * (n - 1) / max(1, count - 1)) for i in range(count)})
        return self

    def frames(self, *, with_alpha: bool = True) -> Iterator[Frame]:
        """The planned frames; `with_alpha=False` when only the colours are checked."""
        budget = self.settings.max_total_pixels
        try:
            for index in self.indices:
                self.image.seek(index)
                width, height = self.image.size  # TIFF pages may differ from the first
                budget -= width * height
                if width * height > self.settings.max_pixels or budget < 0:
                    raise InputError(f"{self.name}: frame {index} of {width}x{height} pixels exceeds "
                                     f"image.max_pixels or image.max_total_pixels; refused before decoding it")
                self.image.load()
                last = self.image.close if index == self.indices[-1] else None
                # no local keeps a frame while the next one decodes
                yield Frame(index, *to_rgb(_upright(self.image), with_alpha=with_alpha, release=last))
        except _DECODE_ERRORS as exc:
            if isinstance(exc, InputError):
                raise
            raise InputError(f"{self.name}: truncated or corrupt {self.format} data "
                             f"({_reason(exc)})") from None
        except MemoryError:
            raise InputError(f"{self.name}: not enough memory to decode {self.width}x{self.height} "
                             f"pixels; lower image.max_pixels or image.max_total_pixels") from None

    def pairs(self) -> Iterator[tuple[int, np.ndarray]]:
        """(index, rgb) of the planned frames for a check (no alpha), holding none of them
        while the next decodes: frames of a large file are hundreds of MB each."""
        for frame in self.frames(with_alpha=False):
            item = (frame.index, frame.rgb)
            del frame
            yield item
            del item

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
    return OpenedImage(image, label, settings)


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
    """Every frame of a file, decoded and validated, within the IMAGE batch budget."""
    with open_image(source, settings, name) as image:
        return list(image.plan(whole=True).frames())
