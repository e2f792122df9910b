"""`sidecar: true`: a JSON file beside each labelled image (`<image>.json`) with what the
enterprise checklist asks for: file name, time, user, prompt (or only its SHA-256 with
`sidecar: hash`), models, and the implicit label written."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Provenance:
    """What the caller knows about how the image was made."""

    user: str = ""
    prompt: str | None = None
    models: Sequence[str] = field(default_factory=tuple)


def write_sidecar(image_path: str, provenance: Provenance, mode: bool | str, now: float,
                  label: Mapping[str, Any] | None) -> str:
    prompt = provenance.prompt
    record = {
        "file": os.path.basename(image_path),
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
        "user": provenance.user,
        "prompt": prompt if mode is True else None,
        "prompt_sha256": hashlib.sha256(prompt.encode()).hexdigest() if prompt is not None else None,
        "models": list(provenance.models),
        "aigc": dict(label) if label else None,
    }
    path = image_path + ".json"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(record, f, ensure_ascii=False, indent=1)
    return os.path.basename(path)
