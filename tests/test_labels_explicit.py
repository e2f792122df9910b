"""The visible label, measured in the pixels: corner, height >= 5% of the shortest side,
legible on white and on black, fonts that lack glyphs, images too small for a label."""

from __future__ import annotations

import numpy as np
import pytest
from content_safety_guard.safety.errors import ConfigError
from content_safety_guard.safety.labels import explicit, fonts
from content_safety_guard.safety.labels.explicit import draw_label
from label_helpers import latin_only_font, settings
from PIL import Image

W, H = 640, 400  # shortest side 400: the text must be >= 20 px tall


def _draw(colour: int, **changes) -> tuple[np.ndarray, explicit.Drawn]:
    image = Image.new("RGB", (W, H), (colour,) * 3)
    drawn = draw_label(image, settings(**changes), now=0.0)
    assert drawn is not None
    return np.asarray(image).astype(int), drawn


def _bbox(mask: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(mask)
    assert len(xs), "nothing drawn"
    return xs.min(), ys.min(), xs.max() + 1, ys.max() + 1


@pytest.mark.parametrize("position", ["bottom-right", "bottom-left", "top-right", "top-left"])
def test_label_sits_in_its_corner_on_black(position):
    pixels, _ = _draw(0, position=position)
    left, top, right, bottom = _bbox(pixels.min(axis=2) > 200)  # the white text
    horizontal = "left" if position.endswith("left") else "right"
    vertical = "top" if position.startswith("top") else "bottom"
    assert (right <= W * 0.3) if horizontal == "left" else (left >= W * 0.7)
    assert (bottom <= H * 0.3) if vertical == "top" else (top >= H * 0.7)
    assert bottom - top >= 0.05 * min(W, H)


def test_text_is_at_least_5_percent_of_the_shortest_side_on_black():
    pixels, drawn = _draw(0)
    left, top, right, bottom = _bbox(pixels.min(axis=2) > 200)
    assert bottom - top >= 0.05 * min(W, H) == 20
    assert drawn.text_height >= 20
    assert pixels[: H // 2].max() == 0 and pixels[:, : W // 2].max() == 0  # nothing elsewhere


def test_legible_on_white_white_text_inside_a_dark_outline_and_backdrop():
    pixels, drawn = _draw(255)
    changed = pixels.min(axis=2) < 250
    x0, y0, x1, y1 = _bbox(changed)
    assert (x0, y0, x1, y1) == tuple(drawn.box)  # the backdrop, bottom-right
    inside = pixels[y0:y1, x0:x1].min(axis=2)
    text = inside > 240  # the white fill, only where the text is
    outline = inside < 60
    assert text.sum() > 50 and outline.sum() > 50
    tx0, ty0, tx1, ty1 = _bbox(text)
    assert ty1 - ty0 >= 20
    assert x1 > W * 0.8 and y1 > H * 0.8


def test_opacity_zero_has_no_backdrop_but_the_outline_still_shows_on_white():
    pixels, drawn = _draw(255, opacity=0.0)
    grey = (pixels.min(axis=2) > 150) & (pixels.min(axis=2) < 200)
    assert grey.sum() < 0.2 * (drawn.box[2] - drawn.box[0]) * (drawn.box[3] - drawn.box[1])
    assert (pixels.min(axis=2) < 60).sum() > 50


def test_backdrop_opacity_is_what_the_config_says():
    pixels, drawn = _draw(255, opacity=0.5)
    x0, y0 = drawn.box[:2]
    corner = pixels[y0 + drawn.box[3] - drawn.box[1] - 3, x0 + 8]  # near its lower-left edge
    assert abs(int(corner[0]) - 128) <= 3


def test_time_stamp_on_a_second_line_with_an_injected_clock(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    import time
    time.tzset()
    _, drawn = _draw(0, timestamp="%Y-%m-%d %H:%M")
    assert drawn.text == "AI生成\n1970-01-01 00:00"


def test_english_text_draws_with_any_covering_font():
    _, drawn = _draw(0, text="AI-generated")
    assert drawn.text == "AI-generated"


def test_a_font_without_cjk_glyphs_is_a_clear_error_not_tofu(tmp_path):
    latin = str(latin_only_font(tmp_path / "latin.ttf"))
    assert draw_label(Image.new("RGB", (W, H)), settings(font=latin, text="AI")) is not None
    with pytest.raises(ConfigError, match="has no glyphs for '生成'"):
        draw_label(Image.new("RGB", (W, H)), settings(font=latin))
    assert fonts.missing(latin, "AI生成") == "生成"


def test_no_covering_font_at_all_names_the_fix(monkeypatch):
    monkeypatch.setattr(fonts, "candidates", lambda: ())
    with pytest.raises(ConfigError, match="no font covers the label text 'AI生成'.*labels.font"):
        draw_label(Image.new("RGB", (W, H)), settings())


def test_an_unreadable_font_file_is_a_config_error(tmp_path):
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"not a font")
    with pytest.raises(ConfigError, match="not a readable TrueType/OpenType font"):
        draw_label(Image.new("RGB", (W, H)), settings(font=str(bad)))


def test_the_bundled_font_covers_the_default_text():
    shipped = [p for p in fonts.candidates() if "paperang_p2_fonts_cjk" in p]
    assert shipped and fonts.missing(shipped[0], "AI生成 0123456789-:") == ""


def test_images_too_small_for_a_legible_label_get_none_and_stay_unchanged():
    image = Image.new("RGB", (40, 30), (255, 255, 255))
    assert draw_label(image, settings()) is None
    assert np.asarray(image).min() == 255


def test_small_images_use_the_minimum_legible_size():
    image = Image.new("RGB", (160, 120))
    drawn = draw_label(image, settings())
    assert drawn is not None and drawn.text_height >= explicit.MIN_TEXT_PX
