"""Small files that decode to huge images (issue 14's shapes), shared by tests and bench/."""

from __future__ import annotations

from pathlib import Path

from PIL import Image


def big_png(folder: Path, mode: str = "RGB", side: int = 8900) -> Path:
    """A few hundred KB of PNG, side x side pixels (8900: issue 14's, 79 M pixels;
    8000: the largest the default image.max_pixels lets through)."""
    path = folder / f"big{side}_{mode.lower()}.png"
    if not path.exists():
        Image.new(mode, (side, side), (10, 200, 30, 128)[:len(mode)]).save(path)
    return path


def paged_tiff(folder: Path, pages: int = 8, side: int = 8900) -> Path:
    """Tens of KB of bilevel TIFF, `pages` pages of side x side."""
    path = folder / f"pages{pages}x{side}.tif"
    if not path.exists():
        page = Image.new("1", (side, side), 1)
        page.save(path, save_all=True, append_images=[page] * (pages - 1), compression="group4")
    return path


def many_frame_gif(folder: Path, frames: int = 300, side: int = 1024) -> Path:
    """Frames alternating black and white: GIF stores each as a tiny delta."""
    path = folder / f"anim{frames}x{side}.gif"
    if not path.exists():
        images = [Image.new("P", (side, side), i % 2) for i in range(frames)]
        for image in images:
            image.putpalette([0, 0, 0, 255, 255, 255] + [0] * 762)
        images[0].save(path, save_all=True, append_images=images[1:])
    return path


def build_bombs(folder: Path, *, gif_2000: bool = False) -> list[Path]:
    files = [big_png(folder), big_png(folder, "RGBA", 8000), paged_tiff(folder), paged_tiff(folder, 8, 8000),
             many_frame_gif(folder)]
    if gif_2000:
        files.append(many_frame_gif(folder, 2000, 512))
    return files
