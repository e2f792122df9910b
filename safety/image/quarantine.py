"""Keep unsafe originals for reviewers, away from any folder that is served or published."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from ..errors import ConfigError
from ..files import file_sha256
from ..verdict import Verdict


def check_outside(quarantine_dir: str, public_dir: str, source: str) -> None:
    """The quarantine must not sit in (or contain) a folder ComfyUI serves (output, input, temp)."""
    q, p = os.path.realpath(quarantine_dir), os.path.realpath(public_dir)
    try:
        common = os.path.commonpath([q, p])
    except ValueError:  # on different drives (Windows): they cannot overlap
        return
    if common in (q, p):
        raise ConfigError(f"{source}: image.quarantine_dir {quarantine_dir} overlaps "
                          f"{public_dir}, which ComfyUI serves; unsafe originals must be kept outside it")


def _keep(directory: str, digest: str, suffix: str, verdict: Verdict, *, stage: str, node_id: str,
          index: int, write: Callable[[Path], None]) -> Path:
    """Write the original through `write` and the verdict beside it as JSON."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{time.strftime('%Y%m%d-%H%M%S')}_{stage}_{node_id or 'cli'}_{index:03}_{digest[:12]}"
    target = folder / f"{stem}{suffix}"
    write(target)
    record = {"file": target.name, "stage": stage, "node_id": node_id, "index": index,
              "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "verdict": verdict.to_dict()}
    (folder / f"{stem}.json").write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return target


def quarantine(directory: str, image: np.ndarray, verdict: Verdict, *, stage: str,
               node_id: str = "", index: int = 0) -> Path:
    """Write the original as PNG and the verdict beside it as JSON; returns the PNG path."""
    digest = hashlib.sha256(np.ascontiguousarray(image).tobytes()).hexdigest()
    return _keep(directory, digest, ".png", verdict, stage=stage, node_id=node_id, index=index,
                 write=lambda target: Image.fromarray(image).save(target, compress_level=4))


def quarantine_file(directory: str, path: str, verdict: Verdict, *, stage: str, node_id: str = "") -> Path:
    """Move an unsafe upload out of the folder ComfyUI serves it from, into the quarantine."""
    return _keep(directory, file_sha256(path), Path(path).suffix.lower(), verdict, stage=stage, node_id=node_id, index=0,
                 write=lambda target: shutil.move(path, target))
