"""ContentSafetyImageCheck: check an IMAGE batch mid-graph, e.g. the frames of a video.

Every `stride`-th frame is checked (or `sample_fps` frames per second of a clip at `fps`,
as video platforms sample 1-3), a batch of frames at a time, stopping at the first unsafe
one; the whole batch then counts as unsafe. `ui.safety` holds one verdict per checked frame. Substitution covers every frame with
the placeholder, or, when the config asks for blur/pixelate and every frame was checked
(stride 1), censors the flagged regions of the flagged frames only.
"""

from __future__ import annotations

from typing import Any

from ..safety import (
    ImageSettings,
    InputError,
    Verdict,
    combine_frames,
    per_frame,
    placeholder,
    sample,
    sample_per_second,
    substitute,
)
from .comfy import VIDEO_TYPE, progress, to_uint8, video_frames
from .common import CheckNode, common_inputs, remote_inputs, ui
from .image_common import image_run, to_batch

STAGE = "image"


class ContentSafetyImageCheck(CheckNode):
    DESCRIPTION = ("Checks an IMAGE batch or a VIDEO (every Nth frame, or N frames per second) and "
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
                **common_inputs(),
                "stride": ("INT", {
                    "default": 1, "min": 1, "max": 10000,
                    "tooltip": "Check every Nth frame (1 checks all). Frames in between are not "
                               "looked at; the whole batch is unsafe when any checked frame is."}),
            },
            "optional": {
                "images": ("IMAGE", {"tooltip": "The images or video frames to check (or connect a video)."}),
                **remote_inputs("image"),
                "fps": ("FLOAT", {
                    "default": 0.0, "min": 0.0, "max": 240.0, "step": 0.001,
                    "tooltip": "Frame rate of the images (0: unknown); a connected video brings its own."}),
                "sample_fps": ("FLOAT", {
                    "default": 0.0, "min": 0.0, "max": 60.0, "step": 0.5,
                    "tooltip": "Check this many frames per second of video (video platforms check 1-3) "
                               "instead of every stride-th frame; 0 uses stride. Needs a frame rate."}),
                **({"video": (VIDEO_TYPE, {"tooltip": "A VIDEO (e.g. from Load Video) instead of images; "
                                                      "its frames come out as images."})}
                   if VIDEO_TYPE else {}),
            },
            "hidden": {"unique_id": "UNIQUE_ID"},
        }

    def check(self, images: Any = None, enable_safe_check: bool = True, check_mode: str = "local",
              policy: str = "normal", on_unsafe: str = "raise", stride: int = 1, unique_id: str = "",
              remote_content_safe_service: str | None = None,
              remote_confidence_threshold: float | None = None, fps: float = 0.0,
              sample_fps: float = 0.0, video: Any = None) -> dict[str, Any]:
        run = image_run(STAGE, unique_id, policy, check_mode, service=remote_content_safe_service,
                        threshold=remote_confidence_threshold)
        images, fps = run.guard(lambda: self._frames(images, video, fps))
        if not enable_safe_check:
            verdict = run.disabled()
            return {"ui": ui([verdict]), "result": (images, True, verdict.to_json())}
        settings = run.config().image
        indices = sample_per_second(len(images), fps, sample_fps) if sample_fps > 0 and fps > 0 \
            else sample(len(images), stride)
        censor_all = on_unsafe == "substitute" and settings.substitute != "placeholder" \
            and len(indices) == len(images)
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
        return {"ui": {"safety": per_frame(verdicts)}, "result": (out, verdict.is_safe, verdict.to_json())}

    @staticmethod
    def _frames(images: Any, video: Any, fps: float) -> tuple[Any, float]:
        """The IMAGE batch to check and its frame rate: the images, else the video's frames."""
        if images is not None:
            return images, fps
        if video is None:
            raise InputError("connect images or a video to check")
        frames, rate = video_frames(video)
        return frames, rate or fps

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
