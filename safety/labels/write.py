"""Writing a labelled image: visible label, implicit label in every carrier of the format,
then C2PA (last, it signs the final bytes), then the optional sidecar."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Mapping
from typing import Any

from PIL import Image
from PIL.PngImagePlugin import PngInfo

from ..errors import InputError
from . import aigc
from .c2pa_manifest import sign_file
from .carriers import KEYWORD
from .explicit import draw_label
from ..settings.labels import LabelSettings
from .sidecar import Provenance, write_sidecar
from .xmp import PNG_KEYWORD, packet

FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
CARRIERS = {"PNG": ["png:tEXt", "png:xmp"], "JPEG": ["jpeg:xmp"], "WEBP": ["webp:xmp"]}
TOO_SMALL = "skipped: image too small for a legible label"


def format_for(path: str) -> str:
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in FORMATS:
        raise InputError(f"{path}: cannot tell the format from the suffix {suffix!r}; "
                         f"use one of {', '.join(FORMATS)}")
    return FORMATS[suffix]


def _prepared(image: Image.Image, fmt: str) -> Image.Image:
    alpha = "A" in image.getbands() or (image.mode == "P" and "transparency" in image.info)
    if fmt != "JPEG" and alpha:
        return image.convert("RGBA")
    return image.convert("RGB") if image.mode != "RGB" else image.copy()


def _encode(image: Image.Image, target: Any, fmt: str, label: str | None,
            text: Mapping[str, str], compress_level: int, quality: int) -> None:
    xmp = packet(label) if label else None
    if fmt == "PNG":
        info = PngInfo()
        for key, value in text.items():
            if key not in (KEYWORD, PNG_KEYWORD):
                info.add_text(key, value)
        if label:
            info.add_text(KEYWORD, label)
            info.add_itxt(PNG_KEYWORD, xmp.decode("utf-8"))
        image.save(target, "PNG", pnginfo=info, compress_level=compress_level)
    else:
        image.save(target, fmt, quality=quality, **({"xmp": xmp} if xmp else {}))


def _digest(image: Image.Image, fmt: str, quality: int) -> str:
    """Of the pixels a reader will decode: lossy formats are encoded once to see them."""
    if fmt == "PNG":
        return aigc.pixel_digest(image)
    buffer = io.BytesIO()
    _encode(image, buffer, fmt, None, {}, 0, quality)
    with Image.open(buffer) as decoded:
        return aigc.pixel_digest(decoded)


def save_labelled(image: Image.Image, path: str, settings: LabelSettings, *, fmt: str | None = None,
                  text: Mapping[str, str] | None = None, incoming: Mapping[str, Any] | None = None,
                  provenance: Provenance | None = None, now: float | None = None,
                  compress_level: int = 4, quality: int = 95) -> dict[str, Any]:
    """Write `image` to `path` with the labels `settings` ask for; returns what was written
    (the record a Decision keeps). `incoming`: the label of the image this one came from."""
    fmt = fmt or format_for(path)
    now = time.time() if now is None else now
    image = _prepared(image, fmt)
    record: dict[str, Any] = {"file": os.path.basename(path), "explicit": "off", "implicit": None,
                              "carriers": [], "propagated": False, "c2pa": False, "sidecar": None}
    if settings.explicit:
        drawn = draw_label(image, settings, now)
        record["explicit"] = {"text": drawn.text, "position": settings.position, "box": list(drawn.box),
                              "text_height": drawn.text_height} if drawn else TOO_SMALL
    label = None
    if settings.implicit:
        digest = _digest(image, fmt, quality)
        fields = aigc.propagate(incoming, settings.propagator_code, digest) if incoming \
            else aigc.produce(settings.producer, digest)
        label = aigc.dumps(fields)
        record.update(implicit=fields, carriers=CARRIERS[fmt], propagated=bool(incoming))
    _encode(image, path, fmt, label, text or {}, compress_level, quality)
    if settings.c2pa is not None:
        try:
            sign_file(path, fmt, settings.c2pa)
        except BaseException:
            os.unlink(path)  # fail closed: no file without the manifest the config asks for
            raise
        record["c2pa"] = True
    if settings.sidecar:
        record["sidecar"] = write_sidecar(path, provenance or Provenance(), settings.sidecar, now,
                                          record["implicit"])
    return record


def labelled(record: Mapping[str, Any]) -> bool:
    """Whether the file carries both labels the measures ask for. A file without the
    visible one (`explicit: false`, or too small to draw it) is unlabelled even with the
    implicit label: the measures require logs of who received such files, and the audit
    trail and the report's "unlabelled outputs by user" are those logs."""
    return isinstance(record.get("explicit"), Mapping) and record.get("implicit") is not None
