"""What a file declares: its implicit label, where it sits, whether it is well-formed and
matches the pixels, and its C2PA state. Malformed input is reported, never raised."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Any

from PIL import Image

from ..errors import InputError
from . import aigc, c2pa_manifest
from .carriers import find

_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, Image.DecompressionBombError)


def _digest(data: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return aigc.pixel_digest(image)
    except _DECODE_ERRORS:
        return None


def _integrity(fields: dict[str, Any], digest: str, problems: list[str]) -> dict[str, str]:
    report = aigc.integrity(fields, digest)
    if report.get("ReservedCode2") == "mismatch":
        problems.append("ReservedCode2 does not match the pixels and fields")
    if report.get("ReservedCode1") == "mismatch" and report.get("ReservedCode2") != "ok":
        problems.append("ReservedCode1 does not match the pixels and fields (changed after labelling?)")
    return report


def inspect_bytes(data: bytes, path: str = "", trust_anchors: str | None = None) -> dict[str, Any]:
    found = find(data)
    problems = list(found.problems)
    parsed = [(carrier, aigc.parse(text)) for carrier, text in found.labels]
    counts = Counter(carrier for carrier, _ in parsed)
    problems += [f"{n} labels in {carrier} (one label per file)" for carrier, n in counts.items() if n > 1]
    distinct = {repr(sorted(p.fields.items())) if p.fields is not None else text
                for (_, p), (_, text) in zip(parsed, found.labels)}
    if len(distinct) > 1:
        problems.append(f"two labels: the carriers {', '.join(counts)} hold different values")
    fields = next((p.fields for _, p in parsed if p.fields is not None), None)
    for carrier, p in parsed:
        problems += [f"{carrier}: {problem}" for problem in p.problems]
    digest = _digest(data)
    if digest is None:
        problems.append("not an image Pillow can decode: integrity codes not checked")
    integrity = _integrity(fields, digest, problems) if fields is not None and digest else {}
    label = fields.get("Label") if fields else None
    return {
        "path": path,
        "format": found.format,
        "image": digest is not None,
        "aigc": fields,
        "label": label,
        "meaning": aigc.LABELS.get(label) if isinstance(label, str) else None,
        "carriers": list(counts),
        "valid": fields is not None and not problems,
        "problems": list(dict.fromkeys(problems)),
        "integrity": integrity,
        "c2pa": c2pa_manifest.read(data, found.format, trust_anchors) if found.c2pa else None,
    }


def read_bytes(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def inspect_file(path: str | Path, trust_anchors: str | None = None) -> dict[str, Any]:
    """Raises InputError only when the file cannot be read at all."""
    return inspect_bytes(read_bytes(path), str(path), trust_anchors)


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """The part a verdict's evidence carries (no pixel digests, no whole manifests)."""
    fields = report.get("aigc") or {}
    return {
        "aigc_label": report.get("label"), "meaning": report.get("meaning"),
        "producer": fields.get("ContentProducer"), "produce_id": fields.get("ProduceID"),
        "propagator": fields.get("ContentPropagator") or None, "propagate_id": fields.get("PropagateID") or None,
        "carriers": report.get("carriers"), "valid": report.get("valid"), "problems": report.get("problems"),
        "integrity": report.get("integrity"), "c2pa": report.get("c2pa"),
    }


def incoming_label(report: dict[str, Any]) -> dict[str, Any] | None:
    """A label worth propagating: well-formed fields naming the producer and the image's ID
    (its integrity code may no longer match: the pixels are being saved anew)."""
    fields = report.get("aigc")
    return fields if fields and not aigc.validate(fields) else None
