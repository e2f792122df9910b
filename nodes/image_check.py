"""ContentSafetyImageCheck: check an IMAGE batch mid-graph, e.g. the frames of a video.

Every `stride`-th frame is checked, a batch of frames at a time, stopping at the first
unsafe one; the whole batch then counts as unsafe. Substitution covers every frame with
the placeholder, or, when the config asks for blur/pixelate and every frame was checked
(stride 1), censors the flagged regions of the flagged frames only.
"""

from __future__ import annotations

from typing import Any

from ..safety import ContentSafetyError, Verdict
from ..safety.image.frames import check_frames, combine_frames, sample
from ..safety.image.placeholder import placeholder
from ..safety.image.settings import ImageSettings
from ..safety.image.substitute import substitute
from .comfy import ExecutionBlocker, progress, to_uint8
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

STAGE = "image"


class ContentSafetyImageCheck:
    DESCRIPTION = ("Checks an IMAGE batch (images or video frames, every Nth with a stride) and "
                   "passes it through when safe; one unsafe frame makes the whole batch unsafe.")
    CATEGORY = CATEGORY
    FUNCTION = "check"
    RETURN_TYPES = ("IMAGE", "BOOLEAN", "STRING")
    RETURN_NAMES = ("images", "is_safe", "verdict_json")
    OUTPUT_TOOLTIPS = (
        "The images when safe; placeholders or censored frames when substituted.",
        "False when a checked frame is unsafe or controversial.",
        "The verdict of the batch as JSON; evidence items name their frame.",
    )

    @classmethod
    def INPUT_TYPES(cls) -> dict[str, Any]:
        return {
            "required": {
                "images": ("IMAGE", {"tooltip": "The images or video frames to check."}),
                **common_inputs(),
                "stride": ("INT", {
                    "default": 1, "min": 1, "max": 10000,
                    "tooltip": "Check every Nth frame (1 checks all). Frames in between are not "
                               "looked at; the whole batch is unsafe when any checked frame is."}),
            },
            "optional": remote_inputs("image"),
            "hidden": {"unique_id": "UNIQUE_ID"},
        }

    @classmethod
    def IS_CHANGED(cls, **_inputs: Any) -> str:
        """Re-run after a config edit even when the inputs are unchanged."""
        return config_fingerprint()

    def check(self, images: Any, enable_safe_check: bool, check_mode: str, policy: str,
              on_unsafe: str, stride: int = 1, unique_id: str = "",
              remote_content_safe_service: str | None = None,
              remote_confidence_threshold: float | None = None) -> dict[str, Any]:
        if not enable_safe_check:
            verdict = skipped_verdict()
            return {"ui": ui([verdict]), "result": (images, True, verdict.to_json())}
        settings = run_check(config, stage=STAGE, node_id=unique_id).image  # a broken file: JSON error
        censor_all = on_unsafe == "substitute" and settings.substitute != "placeholder" and stride == 1
        indices = sample(len(images), stride)
        eng = image_engine(policy, check_mode, stage=STAGE, node_id=unique_id,
                           service=remote_content_safe_service, threshold=remote_confidence_threshold)
        frames = ((i, to_uint8(images[i])) for i in indices)
        verdicts = run_check(lambda: check_frames(eng, frames, chunk=settings.batch_size,
                                                  early_exit=not censor_all,
                                                  progress=progress(len(indices), unique_id)),
                             stage=STAGE, node_id=unique_id)
        verdict = combine_frames(verdicts)
        out: Any = images
        if verdict.blocked:
            if on_unsafe == "raise":
                raise ContentSafetyError.from_verdict(verdict, stage=STAGE, node_id=unique_id)
            if on_unsafe == "block":
                out = ExecutionBlocker(None)
            else:
                out = run_check(lambda: self._substitute(images, verdicts, censor_all, settings),
                                stage=STAGE, node_id=unique_id)
        return {"ui": ui([verdict]), "result": (out, verdict.is_safe, verdict.to_json())}

    @staticmethod
    def _substitute(images: Any, verdicts: dict[int, Verdict], censor_all: bool,
                    settings: ImageSettings) -> Any:
        if censor_all:
            frames = []
            for i in range(len(images)):
                frame = to_uint8(images[i])
                frames.append(substitute(frame, verdicts[i], settings)[0] if verdicts[i].blocked else frame)
            return to_batch(frames)
        height, width = images.shape[1], images.shape[2]
        return to_batch([placeholder(width, height, settings.placeholder)] * len(images))
