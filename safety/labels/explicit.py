"""The visible label: text (and time stamp) in a corner, white with a dark outline on a
dark translucent backdrop, so it reads on light and dark content alike.

Size: the text's ink is at least 5% of the image's shortest side tall, and never under
MIN_TEXT_PX. When that does not fit inside the image (tiny thumbnails, very long text),
no visible label is drawn and `draw_label` returns None; the caller records that and the
implicit label is still written.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from .fonts import find_font
from ..settings.labels import LabelSettings

MIN_FRACTION = 0.05
MIN_TEXT_PX = 10


@dataclass(frozen=True)
class Drawn:
    text: str
    box: tuple[int, int, int, int]  # the backdrop: left, top, right, bottom (exclusive)
    text_height: int  # ink height of the first line, pixels


def label_text(settings: LabelSettings, now: float | None = None) -> str:
    if not settings.timestamp:
        return settings.text
    stamp = time.strftime(settings.timestamp, time.localtime(time.time() if now is None else now))
    return f"{settings.text}\n{stamp}"


def _font(path: str, first_line: str, target: int) -> ImageFont.FreeTypeFont:
    """The smallest size whose ink for `first_line` is at least `target` pixels tall
    (capped for texts without tall glyphs, such as "..." )."""
    size = target
    while True:
        font = ImageFont.truetype(path, size, index=0)
        left, top, right, bottom = font.getbbox(first_line)
        if bottom - top >= target or size >= 4 * target:
            return font
        size += max(1, size // 20)


def draw_label(image: Image.Image, settings: LabelSettings, now: float | None = None) -> Drawn | None:
    """Draw in place on an RGB or RGBA image; None when the image is too small."""
    text = label_text(settings, now)
    first = text.split("\n")[0]
    target = max(MIN_TEXT_PX, math.ceil(MIN_FRACTION * min(image.size)))
    font = _font(find_font(text, settings.font), first, target)
    stroke = max(1, round(target / 12))
    pad = max(2, round(target / 3))
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = draw.multiline_textbbox((0, 0), text, font=font, stroke_width=stroke,
                                                       spacing=pad // 2)
    width, height = right - left + 2 * pad, bottom - top + 2 * pad
    margin = pad
    if width + 2 * margin > image.width or height + 2 * margin > image.height:
        return None
    x0 = margin if settings.position.endswith("left") else image.width - margin - width
    y0 = margin if settings.position.startswith("top") else image.height - margin - height
    box = (x0, y0, x0 + width, y0 + height)
    if settings.opacity > 0:
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        ImageDraw.Draw(overlay).rounded_rectangle((x0, y0, box[2] - 1, box[3] - 1), radius=pad, fill=(0, 0, 0, round(255 * settings.opacity)))
        base = image.convert("RGBA")
        base.alpha_composite(overlay)
        image.paste(base.convert(image.mode))
        draw = ImageDraw.Draw(image)
    fill = (255, 255, 255, 255) if image.mode == "RGBA" else (255, 255, 255)
    outline = (0, 0, 0, 255) if image.mode == "RGBA" else (0, 0, 0)
    draw.multiline_text((x0 + pad - left, y0 + pad - top), text, font=font, fill=fill,
                        stroke_width=stroke, stroke_fill=outline, spacing=pad // 2)
    ink = font.getbbox(first)
    return Drawn(text=text, box=box, text_height=ink[3] - ink[1])
