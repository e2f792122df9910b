"""ContentSafetyImageCheck: check an IMAGE batch mid-graph, e.g. the frames of a video.

Every `stride`-th frame is checked, a batch of frames at a time, stopping at the first
unsafe one; the whole batch then counts as unsafe. Substitution covers every frame with
the placeholder, or, when the config asks for blur/pixelate and every frame was checked
(stride 1), censors the flagged regions of the flagged frames only.
"""

from __future__ import annotations

from typing import Any

from ..safety import ImageSettings, Verdict, combine_frames, placeholder, sample, substitute
from .comfy import progress, to_uint8
from .common import CheckNode, common_inputs, remote_inputs, ui
from .image_common import image_run, to_batch

STAGE = "image"


class ContentSafetyImageCheck(CheckNode):
    DESCRIPTION = ("Checks an IMAGE batch (images or video frames, every Nth with a stride) and "
                   "passes it through when safe; one unsafe frame makes the whole batch unsafe.")
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

    def check(self, images: Any, enable_safe_check: bool, check_mode: str, policy: str,
              on_unsafe: str, stride: int = 1, unique_id: str = "",
              remote_content_safe_service: str | None = None,
              remote_confidence_threshold: float | None = None) -> dict[str, Any]:
        run = image_run(STAGE, unique_id, policy, check_mode, service=remote_content_safe_service,
                        threshold=remote_confidence_threshold)
        if not enable_safe_check:
            verdict = run.disabled()
            return {"ui": ui([verdict]), "result": (images, True, verdict.to_json())}
        settings = run.config().image
        censor_all = on_unsafe == "substitute" and settings.substitute != "placeholder" and stride == 1
        indices = sample(len(images), stride)
        eng = run.engine()
        frames = ((i, to_uint8(images[i])) for i in indices)
        verdicts = run.guard(lambda: eng.check_frames(frames, chunk=settings.batch_size, early_exit=not censor_all,
                                                      progress=progress(len(indices), unique_id), user=run.user))
        verdict = combine_frames(verdicts)
        out, action = run.react(verdict, on_unsafe, images,
                                lambda: self._substitute(images, verdicts, censor_all, settings))
        if action == "substituted" and censor_all:
            action = "censored"
        run.decide(action, [verdict])
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
