"""ContentSafetyLoadImage: load an uploaded image as LoadImage does, after validating the
file (a real image by content, within the size limits) and checking every frame."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from typing import Any

import numpy as np

from ..safety import Frame, InputError, Verdict, combine_frames, decode_image, placeholder, quarantine_file
from .comfy import ExecutionBlocker, annotated_filepath, as_tensor, input_images
from .common import CheckNode, common_inputs, remote_inputs, rerun_key, skipped_verdict, ui
from .image_common import image_run, quarantine_into, to_batch
from .image_labels import declared_label

STAGE = "image_load"


def _masks(frames: list[Frame]) -> np.ndarray:
    """LoadImage's MASK: 1 - alpha (1 = transparent); 64x64 zeros when nothing is."""
    if all(f.alpha is None for f in frames):
        return np.zeros((len(frames), 64, 64), np.float32)
    h, w = frames[0].rgb.shape[:2]
    return np.stack([1.0 - f.alpha.astype(np.float32) / 255.0 if f.alpha is not None
                     else np.zeros((h, w), np.float32) for f in frames])


def _with_label(verdict: Verdict, declared: dict[str, Any]) -> Verdict:
    """The verdict with what the file declares (GB 45438 label, C2PA) among its evidence."""
    return replace(verdict, evidence=(*verdict.evidence, {"aigc": declared}))


class ContentSafetyLoadImage(CheckNode):
    DESCRIPTION = ("Loads an image from the input folder like Load Image, after validating the file "
                   "and checking its content; an unsafe upload fails the run (stage image_load). "
                   "The AI-generated label the file declares (GB 45438-2025, C2PA) is reported in the verdict.")
    FUNCTION = "load"
    RETURN_TYPES = ("IMAGE", "MASK", "BOOLEAN", "STRING")
    RETURN_NAMES = ("image", "mask", "is_safe", "verdict_json")
    OUTPUT_TOOLTIPS = (
        "The image (all frames of the first frame's size for animations).",
        "1 where the image is transparent, from its alpha channel.",
        "False when the image is unsafe or controversial.",
        "The verdict as JSON: level, categories, score, provider, evidence (with frame numbers).",
    )

    @classmethod
    def INPUT_TYPES(cls) -> dict[str, Any]:
        return {
            "required": {
                "image": (input_images(), {"image_upload": True,
                                           "tooltip": "An image in ComfyUI's input folder; upload one here."}),
                **common_inputs(),
            },
            "optional": remote_inputs("image"),
            "hidden": {"unique_id": "UNIQUE_ID"},
        }

    @classmethod
    def IS_CHANGED(cls, image: str, **kwargs: Any) -> str:
        """A new file content or a config edit re-runs the node."""
        try:
            with open(annotated_filepath(image), "rb") as f:
                return hashlib.sha256(f.read()).hexdigest() + rerun_key()
        except (OSError, ValueError):
            return ""  # VALIDATE_INPUTS reports the missing or refused file

    @classmethod
    def VALIDATE_INPUTS(cls, image: str) -> bool | str:
        try:
            path = annotated_filepath(image)
        except InputError as exc:
            return str(exc)
        if not os.path.isfile(path):
            return f"Invalid image file: {image}"
        return True

    def load(self, image: str, enable_safe_check: bool, check_mode: str, policy: str, on_unsafe: str,
             unique_id: str = "", remote_content_safe_service: str | None = None,
             remote_confidence_threshold: float | None = None) -> dict[str, Any]:
        run = image_run(STAGE, unique_id, policy, check_mode, service=remote_content_safe_service,
                        threshold=remote_confidence_threshold, inputs=(image,))
        cfg = run.config()
        settings = cfg.image
        path = run.guard(lambda: annotated_filepath(image))
        decoded = run.guard(lambda: decode_image(path, settings, name=image))
        size = decoded[0].rgb.shape
        frames = [f for f in decoded if f.rgb.shape == size]  # LoadImage drops other sizes
        c2pa = cfg.labels.for_policy(policy).c2pa
        declared = declared_label(path, c2pa.trust_anchors if c2pa else None)
        shown = {"aigc": [declared]}
        if not enable_safe_check:
            verdict = _with_label(skipped_verdict(), declared)
            run.decide("disabled", [verdict])
            return {"ui": {**ui([verdict]), **shown},
                    "result": (*run.guard(lambda: self._loaded(frames)), verdict.is_safe, verdict.to_json())}
        eng = run.engine()
        verdict = _with_label(combine_frames(run.guard(lambda: eng.check_frames(
            ((f.index, f.rgb) for f in decoded), chunk=settings.batch_size, user=run.user))), declared)
        if verdict.blocked:  # the upload leaves the input folder, which /view serves
            quarantine_into(run, lambda folder: quarantine_file(folder, path, verdict, stage=STAGE,
                                                                node_id=run.node_id))

        def cover() -> tuple[Any, Any]:
            blank = placeholder(size[1], size[0], settings.placeholder)
            return to_batch([blank] * len(frames)), as_tensor(np.zeros((len(frames), 64, 64), np.float32))

        result, action = run.react(verdict, on_unsafe, None, cover)
        if action == "blocked":
            result = (ExecutionBlocker(None), ExecutionBlocker(None))
        elif result is None:
            result = run.guard(lambda: self._loaded(frames))
        run.decide(action, [verdict])
        return {"ui": {**ui([verdict]), **shown}, "result": (*result, verdict.is_safe, verdict.to_json())}

    @staticmethod
    def _loaded(frames: list[Frame]) -> tuple[Any, Any]:
        return to_batch([f.rgb for f in frames]), as_tensor(_masks(frames))
