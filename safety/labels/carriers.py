"""Where labels sit in a file: found by walking the container's own structure (PNG
chunks, JPEG segments, RIFF chunks), so a second label is seen even where Pillow's
metadata dicts would keep only one. Never raises on malformed input."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field

from .xmp import JPEG_HEADER, PNG_KEYWORD, labels_in

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = "AIGC"
MAX_TEXT = 16 * 1024 * 1024  # decompressed iTXt/zTXt, against zip bombs


@dataclass
class Found:
    """What one file holds: (carrier, raw label text) pairs, C2PA presence, problems."""

    format: str | None = None
    labels: list[tuple[str, str]] = field(default_factory=list)
    c2pa: bool = False
    problems: list[str] = field(default_factory=list)

    def add_xmp(self, carrier: str, data: bytes | str) -> None:
        self.labels += [(carrier, value) for value in labels_in(data)]


def _inflate(data: bytes) -> bytes | None:
    try:
        return zlib.decompressobj().decompress(data, MAX_TEXT)
    except zlib.error:
        return None


def _png_text(kind: bytes, data: bytes) -> tuple[str, bytes | None]:
    keyword, _, rest = data.partition(b"\x00")
    name = keyword.decode("latin-1")
    if kind == b"tEXt":
        return name, rest
    if kind == b"zTXt":
        return name, _inflate(rest[1:])
    if len(rest) < 2:  # iTXt: flag, method, language\0, translated keyword\0, text
        return name, None
    compressed, body = rest[0], rest[2:]
    parts = body.split(b"\x00", 2)
    if len(parts) < 3:
        return name, None
    return name, _inflate(parts[2]) if compressed else parts[2]


def _png(data: bytes, found: Found) -> None:
    pos = len(PNG_SIGNATURE)
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) < length:
            found.problems.append(f"PNG chunk {kind!r} truncated")
            return
        if kind in (b"tEXt", b"zTXt", b"iTXt"):
            name, text = _png_text(kind, body)
            if name in (KEYWORD, PNG_KEYWORD) and text is None:
                found.problems.append(f"PNG {kind.decode()} {name!r} cannot be decoded")
            elif name == KEYWORD:
                encoding = "utf-8" if kind == b"iTXt" else "latin-1"
                found.labels.append((f"png:{kind.decode()}", text.decode(encoding, "replace")))
            elif name == PNG_KEYWORD:
                found.add_xmp("png:xmp", text)
        elif kind == b"caBX":
            found.c2pa = True
        elif kind == b"IEND":
            return
        pos += 12 + length


def _jpeg(data: bytes, found: Found) -> None:
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            found.problems.append(f"JPEG segment marker expected at byte {pos}")
            return
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        if marker in (0xDA, 0xD9):  # start of scan: metadata comes before it
            return
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        body = data[pos + 4:pos + 2 + length]
        if length < 2 or len(body) < length - 2:
            found.problems.append(f"JPEG segment at byte {pos} truncated")
            return
        if marker == 0xE1 and body.startswith(JPEG_HEADER):
            found.add_xmp("jpeg:xmp", body[len(JPEG_HEADER):])
        elif marker == 0xEB and body[:2] == b"JP":
            found.c2pa = True
        pos += 2 + length


def _webp(data: bytes, found: Found) -> None:
    pos = 12
    while pos + 8 <= len(data):
        kind, length = struct.unpack("<4sI", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) < length:
            found.problems.append(f"WebP chunk {kind!r} truncated")
            return
        if kind == b"XMP ":
            found.add_xmp("webp:xmp", body)
        elif kind == b"C2PA":
            found.c2pa = True
        pos += 8 + length + (length & 1)


def find(data: bytes) -> Found:
    found = Found()
    if data.startswith(PNG_SIGNATURE):
        found.format = "PNG"
        _png(data, found)
    elif data[:3] == b"\xff\xd8\xff":
        found.format = "JPEG"
        _jpeg(data, found)
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        found.format = "WEBP"
        _webp(data, found)
    return found
