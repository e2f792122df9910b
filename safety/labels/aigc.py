"""The implicit label's value (GB 45438-2025 Annex E): build, parse, validate, and the
integrity codes this pack writes in ReservedCode1/ReservedCode2.

ReservedCode1 = "sha256:" + SHA-256 of the UTF-8 text
    "GB45438-2025/RC1\\n{Label}\\n{ContentProducer}\\n{ProduceID}\\n{W}x{H}\\n{P}"
ReservedCode2 = "sha256:" + SHA-256 of
    "GB45438-2025/RC2\\n{Label}\\n{ContentProducer}\\n{ProduceID}\\n{ReservedCode1}\\n"
    "{ContentPropagator}\\n{PropagateID}\\n{W}x{H}\\n{P}"
where P is the hex SHA-256 of the pixels as decoded from the file: 8-bit RGB, row by row,
alpha dropped. The producer's code covers the pixels it produced; the propagator's covers
the pixels it wrote plus every field before it.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PIL import Image

from ..settings.labels import CODE

FIELDS = ("Label", "ContentProducer", "ProduceID", "ReservedCode1",
          "ContentPropagator", "PropagateID", "ReservedCode2")
LABELS = {"1": "AI-generated", "2": "possibly AI-generated", "3": "suspected AI-generated"}
CODE_PREFIX = "sha256:"


@dataclass(frozen=True)
class Parsed:
    """A label as read from one carrier: the fields, and what is wrong with them."""

    fields: dict[str, Any] | None
    problems: tuple[str, ...] = ()


def pixel_digest(image: Image.Image) -> str:
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    return f"{rgb.width}x{rgb.height}\n" + hashlib.sha256(rgb.tobytes()).hexdigest()


def _code(tag: str, parts: list[str], digest: str) -> str:
    text = "\n".join([f"GB45438-2025/{tag}", *parts, digest])
    return CODE_PREFIX + hashlib.sha256(text.encode()).hexdigest()


def producer_code(fields: Mapping[str, str], digest: str) -> str:
    return _code("RC1", [fields["Label"], fields["ContentProducer"], fields["ProduceID"]], digest)


def propagator_code(fields: Mapping[str, str], digest: str) -> str:
    parts = [fields[k] for k in ("Label", "ContentProducer", "ProduceID", "ReservedCode1",
                                 "ContentPropagator", "PropagateID")]
    return _code("RC2", parts, digest)


def new_id() -> str:
    """Unique per image: 128 random bits, hex (printable ASCII, no space)."""
    return uuid.uuid4().hex


def produce(producer: str, digest: str, label: str = "1") -> dict[str, str]:
    fields = {"Label": label, "ContentProducer": producer, "ProduceID": new_id(),
              "ReservedCode1": "", "ContentPropagator": "", "PropagateID": "", "ReservedCode2": ""}
    fields["ReservedCode1"] = producer_code(fields, digest)
    return fields


def propagate(incoming: Mapping[str, Any], propagator: str, digest: str) -> dict[str, str]:
    """Keep the producer's fields, add this service as the propagator."""
    fields = {k: str(incoming.get(k, "")) for k in FIELDS}
    fields.update(ContentPropagator=propagator, PropagateID=new_id())
    fields["ReservedCode2"] = propagator_code(fields, digest)
    return fields


def dumps(fields: Mapping[str, str]) -> str:
    """The wrapped form `{"AIGC":{...}}`, compact, ASCII."""
    return json.dumps({"AIGC": dict(fields)}, separators=(",", ":"), ensure_ascii=True)


def parse(text: str) -> Parsed:
    """Wrapped or bare JSON; never raises (the problems say what is wrong)."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return Parsed(None, (f"label is not JSON: {text[:80]!r}",))
    if isinstance(value, Mapping) and set(value) == {"AIGC"}:
        value = value["AIGC"]
    if not isinstance(value, Mapping):
        return Parsed(None, ("label is not a JSON object",))
    return Parsed(dict(value), tuple(validate(value)))


def validate(fields: Mapping[str, Any]) -> list[str]:
    problems = []
    for key, value in fields.items():
        if key not in FIELDS:
            problems.append(f"unknown field {key!r}")
        elif not isinstance(value, str):
            problems.append(f"{key}: must be a string, got {type(value).__name__}")
        elif value and not CODE.match(value):
            problems.append(f"{key}: characters outside printable ASCII without space, '\"' and '\\': "
                            f"{value[:80]!r}")
    label = fields.get("Label")
    if label is None:
        problems.append("Label: missing")
    elif isinstance(label, str) and label not in LABELS:
        problems.append(f"Label: must be 1, 2 or 3, got {label!r}")
    for key in ("ContentProducer", "ProduceID"):
        if not fields.get(key):
            problems.append(f"{key}: missing")
    return problems


def integrity(fields: Mapping[str, Any], digest: str) -> dict[str, str]:
    """Per code: ok, mismatch, absent, or unverified (a code in another scheme)."""
    report = {}
    for key, compute in (("ReservedCode1", producer_code), ("ReservedCode2", propagator_code)):
        value = fields.get(key)
        if not value:
            report[key] = "absent"
        elif not isinstance(value, str) or not value.startswith(CODE_PREFIX):
            report[key] = "unverified"
        else:
            try:
                report[key] = "ok" if compute({k: str(fields.get(k, "")) for k in FIELDS}, digest) == value \
                    else "mismatch"
            except KeyError:
                report[key] = "mismatch"
    return report
