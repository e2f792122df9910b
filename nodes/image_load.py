"""ContentSafetyLoadImage: load an uploaded image as LoadImage does, after validating the
file (a real image by content, within the size limits) and checking every frame."""

from __future__ import annotations

import hashlib
import os
from typing import Any

import numpy as np

from ..safety import ContentSafetyError
from ..safety.errors import InputError
from ..safety.image.decode import Frame, decode_image
from ..safety.image.frames import check_frames, combine_frames
from ..safety.image.placeholder import placeholder
from .comfy import ExecutionBlocker, annotated_filepath, as_tensor, input_images
from .common import (
    CATEGORY,
    common_inputs,
    config,
    config_fingerprint,
    remote_inputs,
    run_check,
    skipped_verdict,
    ui,
)
from .image_common import image_engine, to_batch

STAGE = "image_load"


def _masks(frames: list[Frame]) -> np.ndarray:
    """LoadImage's MASK: 1 - alpha (1 = transparent); 64x64 zeros when nothing is."""
    if all(f.alpha is None for f in frames):
        return np.zeros((len(frames), 64, 64), np.float32)
    h, w = frames[0].rgb.shape[:2]
    return np.stack([1.0 - f.alpha.astype(np.float32) / 255.0 if f.alpha is not None
                     else np.zeros((h, w), np.float32) for f in frames])


class ContentSafetyLoadImage:
    DESCRIPTION = ("Loads an image from the input folder like Load Image, after validating the file "
                   "and checking its content; an unsafe upload fails the run (stage image_load).")
    CATEGORY = CATEGORY
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
                return hashlib.sha256(f.read()).hexdigest() + config_fingerprint()
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
        settings = run_check(config, stage=STAGE, node_id=unique_id).image  # a broken file: JSON error
        path = run_check(lambda: annotated_filepath(image), stage=STAGE, node_id=unique_id)
        decoded = run_check(lambda: decode_image(path, settings, name=image), stage=STAGE, node_id=unique_id)
        size = decoded[0].rgb.shape
        frames = [f for f in decoded if f.rgb.shape == size]  # LoadImage drops other sizes
        if enable_safe_check:
            eng = image_engine(policy, check_mode, stage=STAGE, node_id=unique_id,
                               service=remote_content_safe_service, threshold=remote_confidence_threshold)
            verdicts = run_check(lambda: check_frames(eng, ((f.index, f.rgb) for f in decoded),
                                                      chunk=settings.batch_size),
                                 stage=STAGE, node_id=unique_id)
            verdict = combine_frames(verdicts)
        else:
            verdict = skipped_verdict()
        if verdict.blocked and on_unsafe == "raise":
            raise ContentSafetyError.from_verdict(verdict, stage=STAGE, node_id=unique_id)
        if not verdict.blocked:
            result = run_check(lambda: (to_batch([f.rgb for f in frames]), as_tensor(_masks(frames))),
                               stage=STAGE, node_id=unique_id)
        elif on_unsafe == "block":
            result = (ExecutionBlocker(None), ExecutionBlocker(None))
        else:
            cover = run_check(lambda: placeholder(size[1], size[0], settings.placeholder),
                              stage=STAGE, node_id=unique_id)
            result = (to_batch([cover] * len(frames)), as_tensor(np.zeros((len(frames), 64, 64), np.float32)))
        return {"ui": ui([verdict]), "result": (*result, verdict.is_safe, verdict.to_json())}
