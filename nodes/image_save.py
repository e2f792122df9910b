"""ContentSafetySaveImage: check every image of the batch, then save it as SaveImage does.

Unsafe originals never reach the output folder: `substitute` writes the placeholder (file
name `..._blocked.png`) or the censored image (`..._censored.png`), `block` writes only
the safe images and stops downstream nodes, `raise` writes nothing and fails the run.
"""

from __future__ import annotations

import json
import os
import re
import time
from typing import Any

import numpy as np
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from ..safety import Config, ConfigError, ContentSafetyError, Verdict
from ..safety.errors import InputError
from ..safety.image.frames import combine_frames
from ..safety.image.quarantine import check_outside, quarantine
from ..safety.image.substitute import substitute
from .comfy import (
    ExecutionBlocker,
    directory,
    metadata_disabled,
    save_image_path,
    to_uint8,
)
from .common import CATEGORY, common_inputs, config, config_fingerprint, remote_inputs, run_check
from .image_common import check_batch, to_batch

STAGE = "image_save"
MARKERS = {"saved": "", "placeholder": "blocked", "censored": "censored"}
_DATE = re.compile(r"%date:([^%]+)%")
_DATE_TOKENS = re.compile(r"yyyy|yy|MM|M|dd|d|hh|h|mm|m|ss|s")
_TOKEN_FORMATS = {"yyyy": "%Y", "yy": "%y", "MM": "%m", "dd": "%d", "hh": "%H", "mm": "%M", "ss": "%S"}


def expand_date(prefix: str, now: time.struct_time | None = None) -> str:
    """`%date:yyyy-MM-dd%` as ComfyUI's frontend expands it, also for API-queued prompts."""
    stamp = now or time.localtime()

    def token(match: re.Match[str]) -> str:
        text = match.group(0)
        if text in _TOKEN_FORMATS:
            return time.strftime(_TOKEN_FORMATS[text], stamp)
        return str(int(time.strftime(_TOKEN_FORMATS[text * 2], stamp)))  # M, d, h, m, s: unpadded

    return _DATE.sub(lambda m: _DATE_TOKENS.sub(token, m.group(1)), prefix)


def _pnginfo(prompt: Any, extra_pnginfo: Any) -> PngInfo | None:
    if metadata_disabled():
        return None
    info = PngInfo()
    if prompt is not None:
        info.add_text("prompt", json.dumps(prompt))
    for key, value in (extra_pnginfo or {}).items():
        info.add_text(key, json.dumps(value))
    return info


class ContentSafetySaveImage:
    DESCRIPTION = ("Checks each image, then saves it like Save Image. Unsafe images are never "
                   "written: they become the placeholder (or are censored), are withheld, or fail the run.")
    CATEGORY = CATEGORY
    FUNCTION = "save"
    OUTPUT_NODE = True
    RETURN_TYPES = ("IMAGE", "BOOLEAN", "STRING")
    RETURN_NAMES = ("images", "is_safe", "verdict_json")
    OUTPUT_TOOLTIPS = (
        "The images as saved (placeholders in place of unsafe ones); blocked when on_unsafe=block.",
        "False when any image is unsafe or controversial.",
        "The verdict of the whole batch as JSON; per-image verdicts are in ui.safety.",
    )
    compress_level = 4

    @classmethod
    def INPUT_TYPES(cls) -> dict[str, Any]:
        return {
            "required": {
                "images": ("IMAGE", {"tooltip": "The images to check and save."}),
                "filename_prefix": ("STRING", {
                    "default": "ComfyUI",
                    "tooltip": "The prefix for the files to save; may contain subfolders, "
                               "%date:yyyy-MM-dd% and %Node.widget% values."}),
                **common_inputs(),
            },
            "optional": remote_inputs("image"),
            "hidden": {"prompt": "PROMPT", "extra_pnginfo": "EXTRA_PNGINFO", "unique_id": "UNIQUE_ID"},
        }

    @classmethod
    def IS_CHANGED(cls, **_inputs: Any) -> str:
        """Re-run after a config edit even when the inputs are unchanged."""
        return config_fingerprint()

    def save(self, images: Any, filename_prefix: str, enable_safe_check: bool, check_mode: str,
             policy: str, on_unsafe: str, prompt: Any = None, extra_pnginfo: Any = None,
             unique_id: str = "", remote_content_safe_service: str | None = None,
             remote_confidence_threshold: float | None = None) -> dict[str, Any]:
        arrays = [to_uint8(image) for image in images]
        verdicts = check_batch(arrays, enable_safe_check, policy, check_mode, stage=STAGE,
                               node_id=unique_id, service=remote_content_safe_service,
                               threshold=remote_confidence_threshold)
        cfg = run_check(config, stage=STAGE, node_id=unique_id)  # a broken file: JSON error
        settings = cfg.image
        unsafe = [i for i, v in enumerate(verdicts) if v.blocked]
        self._quarantine(cfg, arrays, verdicts, unsafe, unique_id)
        if unsafe and on_unsafe == "raise":
            # evidence items say which image of the batch ("frame") they come from
            flagged = combine_frames({i: verdicts[i] for i in unsafe}, tag=len(verdicts) > 1)
            raise ContentSafetyError.from_verdict(flagged, stage=STAGE, node_id=unique_id)
        written: list[np.ndarray | None] = []
        actions: list[str] = []
        for array, verdict in zip(arrays, verdicts):
            if not verdict.blocked:
                written.append(array)
                actions.append("saved")
            elif on_unsafe == "substitute":
                replacement, action = run_check(lambda a=array, v=verdict: substitute(a, v, settings),
                                                stage=STAGE, node_id=unique_id)
                written.append(replacement)
                actions.append(action)
            else:
                written.append(None)
                actions.append("withheld")
        files = run_check(lambda: self._write(written, actions, expand_date(filename_prefix), prompt,
                                              extra_pnginfo), stage=STAGE, node_id=unique_id)
        safety = [{**v.to_dict(), "index": i, "action": a, "filename": f["filename"] if f else None}
                  for i, (v, a, f) in enumerate(zip(verdicts, actions, files))]
        overall = combine_frames(dict(enumerate(verdicts)))
        out: Any = images
        if unsafe:
            out = ExecutionBlocker(None) if on_unsafe == "block" else to_batch(written)
        return {"ui": {"images": [f for f in files if f], "safety": safety},
                "result": (out, all(v.is_safe for v in verdicts), overall.to_json())}

    def _write(self, written: list[np.ndarray | None], actions: list[str], prefix: str,
               prompt: Any, extra_pnginfo: Any) -> list[dict[str, str] | None]:
        first = next((w for w in written if w is not None), None)
        if first is None:
            return [None] * len(written)
        folder, name, counter, subfolder = save_image_path(prefix, first.shape[1], first.shape[0])
        info = _pnginfo(prompt, extra_pnginfo)
        files: list[dict[str, str] | None] = []
        for batch_number, (array, action) in enumerate(zip(written, actions)):
            if array is None:
                files.append(None)
                continue
            file = f"{name.replace('%batch_num%', str(batch_number))}_{counter:05}_{MARKERS[action]}.png"
            try:
                Image.fromarray(array).save(os.path.join(folder, file), pnginfo=info,
                                            compress_level=self.compress_level)
            except OSError as exc:
                raise InputError(f"cannot write {os.path.join(subfolder, file)} to the output folder: "
                                 f"{exc.strerror or exc}") from None
            files.append({"filename": file, "subfolder": subfolder, "type": "output"})
            counter += 1
        return files

    def _quarantine(self, cfg: Config, arrays: list[np.ndarray], verdicts: list[Verdict],
                    unsafe: list[int], node_id: str) -> None:
        """Unsafe originals for reviewers, when the config names a quarantine folder."""
        folder = cfg.image.quarantine_dir
        if not unsafe or not folder:
            return

        def keep() -> None:
            check_outside(folder, directory("output"), cfg.source)
            try:
                for i in unsafe:
                    quarantine(folder, arrays[i], verdicts[i], stage=STAGE, node_id=node_id, index=i)
            except OSError as exc:
                raise ConfigError(f"{cfg.source}: image.quarantine_dir {folder}: cannot write: "
                                  f"{exc.strerror or exc}") from None

        run_check(keep, stage=STAGE, node_id=node_id)
