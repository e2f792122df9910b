"""The `label` and `inspect` commands' work, apart from argument parsing."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Sequence
from typing import Any

from PIL import Image, ImageOps

from ..errors import InputError
from .read import incoming_label, inspect_bytes, inspect_file, read_bytes
from ..settings.labels import LabelSettings
from .write import format_for, save_labelled

_OPEN_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, Image.DecompressionBombError)


def label_copy(source: str, target: str, settings: LabelSettings) -> dict[str, Any]:
    fmt = format_for(target)
    data = read_bytes(source)
    report = inspect_bytes(data, source)
    try:
        with Image.open(io.BytesIO(data)) as opened:
            image = ImageOps.exif_transpose(opened)  # labels go in the corner a viewer sees
            text = dict(getattr(opened, "text", {}) or {})
    except _OPEN_ERRORS as exc:
        raise InputError(f"{source}: not an image Pillow can decode ({exc})") from None
    record = save_labelled(image, target, settings, fmt=fmt, text=text if fmt == "PNG" else None,
                           incoming=incoming_label(report))
    return {"input": source, "output": target, **record}


def _line(report: dict[str, Any]) -> str:
    fields = report["aigc"]
    if fields is None:
        head = "no AIGC label"
    else:
        head = (f"Label {report['label']} ({report['meaning'] or 'unknown'}) producer="
                f"{fields.get('ContentProducer')} ProduceID={fields.get('ProduceID')}")
        if fields.get("ContentPropagator"):
            head += f" propagator={fields['ContentPropagator']} PropagateID={fields.get('PropagateID')}"
        head += f" in {', '.join(report['carriers'])}; {'valid' if report['valid'] else 'INVALID'}"
    c2pa = report["c2pa"]
    if c2pa:
        head += f"; C2PA {c2pa.get('state') or 'unverified'}"
    return "\n".join([f"{report['path']}: {head}", *(f"  - {p}" for p in report["problems"])])


def inspect_paths(paths: Sequence[str], as_json: bool, settings: LabelSettings) -> int:
    """Print one report per file; returns how many could not be read as images."""
    anchors = settings.c2pa.trust_anchors if settings.c2pa else None
    unreadable = 0
    for path in paths:
        try:
            report = inspect_file(path, anchors)
        except InputError as exc:
            unreadable += 1
            print(json.dumps({"path": path, "error": str(exc)}) if as_json else f"{path}: error: {exc}",
                  file=sys.stdout if as_json else sys.stderr)
            continue
        unreadable += not report["image"]
        print(json.dumps(report, ensure_ascii=False) if as_json else _line(report))
    return unreadable
