"""Safe decoding: every bad input of the issue is handled or refused with the file's name."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from content_safety_guard.safety import Config, Engine, InputError
from content_safety_guard.safety.image.decode import decode_image, open_image
from content_safety_guard.safety.settings.image import ImageSettings
from PIL import Image

SETTINGS = ImageSettings()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width: int, height: int, rows: bytes, *, depth: int = 8, colour: int = 2) -> bytes:
    """A PNG written by hand, so headers can claim anything and 16-bit RGB is possible."""
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(rows))
            + _chunk(b"IEND", b""))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _error(path: Path | bytes, settings: ImageSettings = SETTINGS) -> str:
    with pytest.raises(InputError) as info:
        decode_image(path, settings)
    return str(info.value)


def test_zero_byte_file_is_refused_by_name(tmp_path):
    path = _write(tmp_path / "empty.png", b"")
    message = _error(path)
    assert str(path) in message and "empty file" in message


def test_text_file_named_png_is_not_an_image(tmp_path):
    path = _write(tmp_path / "notes.png", b"just some text, not pixels\n" * 10)
    message = _error(path)
    assert str(path) in message and "not an image" in message


def test_formats_outside_the_allow_list_are_refused(tmp_path):
    """EPS would run Ghostscript; Pillow could read it, the decoder does not try."""
    path = _write(tmp_path / "drawing.png", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n")
    assert "not an image" in _error(path)


def test_truncated_png_is_an_error_not_a_partial_image(tmp_path):
    noise = np.random.default_rng(0).integers(0, 256, (64, 64, 3), np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, "PNG")
    path = _write(tmp_path / "cut.png", buffer.getvalue()[: len(buffer.getvalue()) // 2])
    message = _error(path)
    assert str(path) in message and "truncated or corrupt PNG data" in message


def test_header_claiming_30000_by_30000_is_refused_before_decoding(tmp_path):
    path = _write(tmp_path / "bomb.png", png_bytes(30000, 30000, b"\x00" * 10))
    message = _error(path)
    assert str(path) in message and "decompression bomb" in message


def test_pixel_limit_of_the_config_applies_to_the_header(tmp_path):
    path = _write(tmp_path / "big.png", png_bytes(9000, 9000, b"\x00" * 10))
    message = _error(path)
    assert "9000x9000" in message and "image.max_pixels" in message
    small = tmp_path / "small.png"
    Image.new("RGB", (20, 20)).save(small)
    assert "image.max_pixels" in _error(small, ImageSettings(max_pixels=100))


def test_file_size_and_frame_limits(tmp_path):
    path = tmp_path / "frames.gif"
    frames = [Image.new("RGB", (8, 8), c) for c in ("red", "green", "blue")]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    assert "image.max_frames" in _error(path, ImageSettings(max_frames=2))
    assert "image.max_file_mb" in _error(path, ImageSettings(max_bytes=10))


def test_missing_file_and_folder(tmp_path):
    assert "no such file" in _error(tmp_path / "gone.png")
    assert "is a folder" in _error(tmp_path)


def test_sixteen_bit_grey_png_is_scaled_not_clipped(tmp_path):
    values = np.array([[0, 257 * 128, 65535]], np.uint16)
    path = tmp_path / "grey16.png"
    Image.fromarray(values).save(path)
    assert Image.open(path).mode == "I;16"
    rgb = decode_image(path, SETTINGS)[0].rgb
    assert rgb.shape == (1, 3, 3) and rgb.dtype == np.uint8
    assert rgb[0, :, 0].tolist() == [0, 128, 255] and (rgb[..., 0] == rgb[..., 2]).all()


def test_sixteen_bit_rgb_png(tmp_path):
    pixel = struct.pack(">HHH", 65535, 32896, 0)  # 16-bit red, half green, no blue
    path = _write(tmp_path / "rgb16.png", png_bytes(2, 1, b"\x00" + pixel * 2, depth=16, colour=2))
    rgb = decode_image(path, SETTINGS)[0].rgb
    assert rgb.shape == (1, 2, 3) and rgb[0, 0].tolist() == [255, 128, 0]


def test_cmyk_jpeg_becomes_rgb(tmp_path):
    path = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (16, 16), (0, 255, 255, 0)).save(path, quality=95)  # pure red in CMYK
    rgb = decode_image(path, SETTINGS)[0].rgb
    assert rgb.shape == (16, 16, 3)
    assert np.abs(rgb[8, 8].astype(int) - [255, 0, 0]).max() < 12


def test_palette_with_transparency_keeps_colours_and_alpha(tmp_path):
    image = Image.new("P", (4, 4), 1)
    image.putpalette([0, 0, 0, 200, 10, 10] + [0] * 762)
    image.putpixel((0, 0), 0)
    path = tmp_path / "palette.png"
    image.save(path, transparency=0)
    frame = decode_image(path, SETTINGS)[0]
    assert frame.rgb[1, 1].tolist() == [200, 10, 10]
    assert frame.alpha is not None and frame.alpha[0, 0] == 0 and frame.alpha[1, 1] == 255


def test_rgba_keeps_the_colour_under_transparent_pixels(tmp_path):
    """What is checked is what ComfyUI will process: it drops alpha, so hidden colour counts."""
    data = np.zeros((4, 4, 4), np.uint8)
    data[...] = (250, 0, 0, 0)  # fully transparent red
    data[0, 0] = (0, 0, 250, 255)
    path = tmp_path / "rgba.png"
    Image.fromarray(data, "RGBA").save(path)
    frame = decode_image(path, SETTINGS)[0]
    assert frame.rgb[2, 2].tolist() == [250, 0, 0] and frame.rgb[0, 0].tolist() == [0, 0, 250]
    assert frame.alpha[2, 2] == 0 and frame.alpha[0, 0] == 255


def test_grayscale_becomes_three_equal_channels(tmp_path):
    path = tmp_path / "grey.png"
    Image.fromarray(np.array([[10, 200]], np.uint8), "L").save(path)
    rgb = decode_image(path, SETTINGS)[0].rgb
    assert rgb.tolist() == [[[10, 10, 10], [200, 200, 200]]]


@pytest.mark.parametrize("suffix", ["gif", "webp"])
def test_animated_files_yield_every_frame(tmp_path, suffix):
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]
    frames = [Image.new("RGB", (8, 8), c) for c in colours]
    path = tmp_path / f"anim.{suffix}"
    kwargs = {"lossless": True} if suffix == "webp" else {}
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=40, loop=0, **kwargs)
    with open_image(path, SETTINGS) as image:
        assert image.n_frames == 3
        decoded = list(image.frames())
    assert [f.index for f in decoded] == [0, 1, 2]
    assert [tuple(f.rgb[4, 4]) for f in decoded] == colours


def test_exif_orientation_is_applied(tmp_path):
    image = Image.new("RGB", (40, 20), "blue")
    image.paste((255, 0, 0), (0, 0, 20, 20))  # left half red
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display: the left half goes on top
    path = tmp_path / "rotated.jpg"
    image.save(path, exif=exif, quality=95)
    rgb = decode_image(path, SETTINGS)[0].rgb.astype(int)
    assert rgb.shape == (40, 20, 3)
    assert np.abs(rgb[5, 10] - [255, 0, 0]).max() < 12 and np.abs(rgb[35, 10] - [0, 0, 255]).max() < 12
    image.save(path, quality=95)  # no orientation: as stored
    assert decode_image(path, SETTINGS)[0].rgb.shape == (20, 40, 3)


def test_bytes_are_accepted_and_named_in_errors():
    buffer = io.BytesIO()
    Image.new("RGB", (3, 2), "red").save(buffer, "PNG")
    assert decode_image(buffer.getvalue(), SETTINGS, name="upload")[0].rgb.shape == (2, 3, 3)
    with pytest.raises(InputError, match="^upload: not an image"):
        decode_image(b"nope", SETTINGS, name="upload")


def test_engine_check_file_refuses_bad_files_with_input_error(tmp_path):
    engine = Engine(Config().policy("normal"), Config())
    path = _write(tmp_path / "fake.jpg", b"<html>not a jpeg</html>")
    with pytest.raises(InputError, match="fake.jpg: not an image"):
        engine.check_file(path)
