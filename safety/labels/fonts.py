"""A font that has every glyph of the label: the config's, else a system font, else the
one the `paperang-p2-fonts-cjk` package ships (WenQuanYi Micro Hei). Coverage is checked
in the font's character map, so a missing glyph is an error instead of a tofu box."""

from __future__ import annotations

import fnmatch
import importlib.util
import os
from functools import lru_cache
from pathlib import Path

from ..errors import ConfigError

PACKAGE_FONTS = (("paperang_p2_fonts_cjk", "fonts/wqy-microhei.ttc"),)
SYSTEM_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
               "/System/Library/Fonts", "/Library/Fonts", "C:/Windows/Fonts")
SYSTEM_NAMES = ("NotoSansCJK*-Regular.tt[cf]", "NotoSansCJK-Regular.ttc", "NotoSansSC-Regular.*",
                "SourceHanSans*-Regular.*", "wqy-microhei.ttc", "wqy-zenhei.ttc",
                "DroidSansFallbackFull.ttf", "msyh.ttc", "simhei.ttf", "PingFang.ttc",
                "Hiragino Sans GB.ttc", "DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf")


@lru_cache(maxsize=64)
def _charmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=0, lazy=True)
    try:
        return frozenset(font.getBestCmap() or ())
    finally:
        font.close()


def missing(path: str, text: str) -> str:
    """The characters of `text` (spaces aside) that the font has no glyph for."""
    try:
        cmap = _charmap(path)
    except Exception as exc:  # fontTools raises many kinds on a broken file
        raise ConfigError(f"labels.font {path}: not a readable TrueType/OpenType font ({exc})") from None
    return "".join(dict.fromkeys(c for c in text if not c.isspace() and ord(c) not in cmap))


@lru_cache(maxsize=1)
def candidates() -> tuple[str, ...]:
    """System fonts by well-known name, then the fonts shipped by PyPI packages."""
    files = sorted(os.path.join(top, name) for folder in SYSTEM_DIRS
                   for top, _, names in os.walk(os.path.expanduser(folder)) for name in names)
    found = [f for pattern in SYSTEM_NAMES for f in files if fnmatch.fnmatch(os.path.basename(f), pattern)]
    for package, relative in PACKAGE_FONTS:
        spec = importlib.util.find_spec(package)
        if spec and spec.origin:
            path = Path(spec.origin).parent / relative
            if path.is_file():
                found.append(str(path))
    return tuple(dict.fromkeys(found))


def find_font(text: str, configured: str | None) -> str:
    """The font to draw `text` with. A configured font must cover it (no silent fallback)."""
    if configured:
        if not os.path.isfile(configured):
            raise ConfigError(f"labels.font {configured}: no such file")
        gaps = missing(configured, text)
        if gaps:
            raise ConfigError(f"labels.font {configured} has no glyphs for {gaps!r} of the label "
                              f"text {text!r}; choose a font that covers them (for Chinese a CJK "
                              f"font such as Noto Sans CJK or WenQuanYi Micro Hei)")
        return configured
    for path in candidates():
        if not missing(path, text):
            return path
    raise ConfigError(f"no font covers the label text {text!r} (tried {len(candidates())} fonts); "
                      f"set labels.font to a font file that does, or pip install paperang-p2-fonts-cjk")
