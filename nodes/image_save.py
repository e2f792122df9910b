"""ContentSafetySaveImage: check every image of the batch, then save it as SaveImage does.

Unsafe originals never reach the output folder: `substitute` writes the placeholder (file
name `..._blocked.png`) or the censored image (`..._censored.png`), `block` writes only
the safe images and stops downstream nodes, `raise` writes nothing and fails the run.
Every file written carries the AIGC labels (safety/labels) of the policy's `labels` settings.
"""

from __future__ import annotations

import json
import os
import re
import time
from typing import Any

import numpy as np
from PIL import Image

from ..safety import (
    ContentSafetyError,
    InputError,
    LabelSettings,
    Verdict,
    action_for,
    combine_frames,
    labelled,
    quarantine,
    save_labelled,
    substitute,
)
from .comfy import (
    ExecutionBlocker,
    metadata_disabled,
    save_image_path,
    to_uint8,
)
from .common import CheckNode, NodeRun, common_inputs, remote_inputs, skipped_verdict
from .image_common import check_batch, image_run, quarantine_into, to_batch
from .image_labels import provenance, upstream_label

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


def _pnginfo(prompt: Any, extra_pnginfo: Any) -> dict[str, str]:
    """SaveImage's text chunks (prompt, workflow), none with --disable-metadata."""
    if metadata_disabled():
        return {}
    info = {"prompt": json.dumps(prompt)} if prompt is not None else {}
    for key, value in (extra_pnginfo or {}).items():
        info[key] = json.dumps(value)
    return info


class ContentSafetySaveImage(CheckNode):
    DESCRIPTION = ("Checks each image, then saves it like Save Image. Unsafe images are never "
                   "written: they become the placeholder (or are censored), are withheld, or fail the run. "
                   "Every file written carries the AI-generated labels of GB 45438-2025 (visible and in metadata).")
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

    def save(self, images: Any, filename_prefix: str, enable_safe_check: bool, check_mode: str,
             policy: str, on_unsafe: str, prompt: Any = None, extra_pnginfo: Any = None,
             unique_id: str = "", remote_content_safe_service: str | None = None,
             remote_confidence_threshold: float | None = None) -> dict[str, Any]:
        run = image_run(STAGE, unique_id, policy, check_mode, service=remote_content_safe_service,
                        threshold=remote_confidence_threshold)
        arrays = run.guard(lambda: [to_uint8(image) for image in images])
        verdicts = check_batch(run, arrays) if enable_safe_check else [skipped_verdict()] * len(arrays)
        cfg = run.config()
        settings = cfg.image
        unsafe = [i for i, v in enumerate(verdicts) if v.blocked]
        self._quarantine(run, arrays, verdicts, unsafe)
        if unsafe and on_unsafe == "raise":
            # evidence items say which image of the batch ("frame") they come from
            flagged = combine_frames({i: verdicts[i] for i in unsafe}, tag=len(verdicts) > 1)
            run.fail(ContentSafetyError.from_verdict(flagged, stage=STAGE, node_id=run.node_id), verdicts, "raised")
        written: list[np.ndarray | None] = []
        actions: list[str] = []
        for array, verdict in zip(arrays, verdicts):
            if not verdict.blocked:
                written.append(array)
                actions.append("saved")
            elif on_unsafe == "substitute":
                replacement, action = run.guard(lambda a=array, v=verdict: substitute(a, v, settings))
                written.append(replacement)
                actions.append(action)
            else:
                written.append(None)
                actions.append("withheld")
        files, records = run.guard(lambda: self._write(
            written, actions, expand_date(filename_prefix), prompt, extra_pnginfo,
            cfg.labels.for_policy(policy), run))
        safety = [{**v.to_dict(), "index": i, "action": a, "filename": f["filename"] if f else None,
                   "labels": r}
                  for i, (v, a, f, r) in enumerate(zip(verdicts, actions, files, records))]
        kept = tuple(r for r in records if r)
        overall = combine_frames(dict(enumerate(verdicts)))
        out: Any = images
        if unsafe:
            out = ExecutionBlocker(None) if on_unsafe == "block" else to_batch(written)
        run.decide(_action(overall, actions, on_unsafe) if enable_safe_check else "disabled", verdicts,
                   outputs=tuple(os.path.join(f["subfolder"], f["filename"]) for f in files if f),
                   labelled=all(labelled(r) for r in kept) if kept else None, labels=kept)
        return {"ui": {"images": [f for f in files if f], "safety": safety},
                "result": (out, all(v.is_safe for v in verdicts), overall.to_json())}

    def _write(self, written: list[np.ndarray | None], actions: list[str], prefix: str,
               prompt: Any, extra_pnginfo: Any, labels: LabelSettings, run: NodeRun,
               ) -> tuple[list[dict[str, str] | None], list[dict[str, Any] | None]]:
        """Each image with its AIGC labels (placeholders too: they are this service's output)."""
        first = next((w for w in written if w is not None), None)
        if first is None:
            return [None] * len(written), [None] * len(written)
        folder, name, counter, subfolder = save_image_path(prefix, first.shape[1], first.shape[0])
        info = _pnginfo(prompt, extra_pnginfo)
        incoming = upstream_label(prompt, run.node_id)
        made = provenance(prompt, run.node_id, run.user)
        files: list[dict[str, str] | None] = []
        records: list[dict[str, Any] | None] = []
        for batch_number, (array, action) in enumerate(zip(written, actions)):
            if array is None:
                files.append(None)
                records.append(None)
                continue
            file = f"{name.replace('%batch_num%', str(batch_number))}_{counter:05}_{MARKERS[action]}.png"
            try:
                records.append(save_labelled(Image.fromarray(array), os.path.join(folder, file), labels,
                                             fmt="PNG", text=info, incoming=incoming, provenance=made,
                                             compress_level=self.compress_level))
            except OSError as exc:
                raise InputError(f"cannot write {os.path.join(subfolder, file)} to the output folder: "
                                 f"{exc.strerror or exc}") from None
            files.append({"filename": file, "subfolder": subfolder, "type": "output"})
            counter += 1
        return files, records

    @staticmethod
    def _quarantine(run: NodeRun, arrays: list[np.ndarray], verdicts: list[Verdict], unsafe: list[int]) -> None:
        """Unsafe originals for reviewers, when the config names a quarantine folder."""
        if unsafe:
            quarantine_into(run, lambda folder: [quarantine(folder, arrays[i], verdicts[i], stage=STAGE,
                                                            node_id=run.node_id, index=i) for i in unsafe])


def _action(overall: Verdict, actions: list[str], on_unsafe: str) -> str:
    """The Decision's action for the batch: what was done to its unsafe images."""
    done = "blocked" if on_unsafe == "block" else "censored" if "censored" in actions else "substituted"
    return action_for(overall, done)
