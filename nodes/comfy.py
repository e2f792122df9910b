"""The only module that imports ComfyUI. Everything degrades to plain Python without it,
so the nodes can be imported and tested outside ComfyUI."""

from __future__ import annotations

import logging
import os
import shutil
import time
from typing import Any

import numpy as np

from ..safety import models
from ..safety.errors import InputError
from ..safety.image.decode import IMAGE_SUFFIXES

try:  # ComfyUI >= 2024-08 (graph execution); absent outside ComfyUI
    from comfy_execution.graph import ExecutionBlocker
except ImportError:
    class ExecutionBlocker:  # type: ignore[no-redef]
        """Stand-in with ComfyUI's shape: a blocked output carries `message` (None = silent)."""

        def __init__(self, message: str | None) -> None:
            self.message = message

try:
    import folder_paths
except ImportError:
    folder_paths = None  # type: ignore[assignment]

try:  # ComfyUI >= 0.3.30: the VIDEO type (Load Video, Create Video)
    from comfy_api.input import VideoInput
except ImportError:
    VideoInput = None  # type: ignore[assignment,misc]

VIDEO_TYPE = "VIDEO" if VideoInput is not None else ""

IN_COMFYUI = folder_paths is not None


def route_table() -> Any:
    """ComfyUI's aiohttp route table (served at / and /api); None outside a running ComfyUI."""
    try:
        from server import PromptServer
    except ImportError:
        return None
    instance = getattr(PromptServer, "instance", None)
    return instance.routes if instance is not None else None


def user_directory() -> str | None:
    """ComfyUI's user directory, where the pack's config.yaml is looked up."""
    if folder_paths is None:
        return None
    getter: Any = getattr(folder_paths, "get_user_directory", None)
    return getter() if getter else None


# images: folders, saving, progress and tensors -------------------------------------------

MODEL_FOLDER = "content_safety"


def _register_model_folder() -> None:
    """`models/content_safety/` plus whatever extra_model_paths.yaml names for it."""
    if folder_paths is None:
        return
    folder_paths.add_model_folder_path(MODEL_FOLDER, os.path.join(folder_paths.models_dir, MODEL_FOLDER))
    models.add_search_dirs(lambda: folder_paths.get_folder_paths(MODEL_FOLDER))


_register_model_folder()


def lexicon_dirs() -> tuple[str, ...]:
    """`models/content_safety/lexicons/` of every content_safety model folder."""
    if folder_paths is None:
        return ()
    return tuple(os.path.join(d, "lexicons") for d in folder_paths.get_folder_paths(MODEL_FOLDER))


def directory(kind: str) -> str:
    """ComfyUI's "input", "output" or "temp" folder; outside ComfyUI (tests, scripts)
    a folder of that name in the current directory."""
    if folder_paths is None:
        return os.path.join(os.getcwd(), kind)
    return folder_paths.get_directory_by_type(kind)


def annotated_filepath(name: str) -> str:
    """`photo.png`, `photo.png [output]`, `sub/photo.png [temp]` -> a path; input by default."""
    if folder_paths is not None:
        return folder_paths.get_annotated_filepath(name)
    for kind in ("input", "output", "temp"):
        if name.endswith(f" [{kind}]"):
            return os.path.join(directory(kind), name[: -len(kind) - 3])
    return os.path.join(directory("input"), name)


def provide_example_input(image: str) -> None:
    """The example workflows load this image by name: copy it into ComfyUI's input folder
    once, so they run on a fresh install (a user's file of that name is never replaced)."""
    if folder_paths is None:
        return
    target = os.path.join(directory("input"), os.path.basename(image))
    if os.path.exists(target):
        return
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(image, target)
    except OSError as exc:
        logging.warning("content_safety_guard: cannot copy the example image to %s: %s", target, exc)


def input_images() -> list[str]:
    """Files the upload widget offers: images in the input folder (by name, as LoadImage)."""
    folder = directory("input")
    try:
        files = [f for f in os.listdir(folder) if os.path.isfile(os.path.join(folder, f))]
    except OSError:
        return []
    return sorted(f for f in files if f.lower().endswith(IMAGE_SUFFIXES))


def save_image_path(prefix: str, width: int, height: int) -> tuple[str, str, int, str]:
    """(folder, file name stem, next counter, subfolder) as SaveImage computes them."""
    output = directory("output")
    if folder_paths is not None:
        folder, name, counter, subfolder, _ = folder_paths.get_save_image_path(prefix, output, width, height)
        return folder, name, counter, subfolder
    for key, value in (("%width%", width), ("%height%", height), ("%year%", time.strftime("%Y")),
                       ("%month%", time.strftime("%m")), ("%day%", time.strftime("%d")),
                       ("%hour%", time.strftime("%H")), ("%minute%", time.strftime("%M")),
                       ("%second%", time.strftime("%S"))):
        prefix = prefix.replace(key, str(value))
    norm = os.path.normpath(prefix)
    subfolder, name = os.path.dirname(norm), os.path.basename(norm)
    folder = os.path.abspath(os.path.join(output, subfolder))
    if os.path.commonpath([folder, os.path.abspath(output)]) != os.path.abspath(output):
        raise ValueError(f"filename_prefix {prefix!r} points outside the output folder")
    os.makedirs(folder, exist_ok=True)
    counters = [int(f[len(name) + 1:].split("_")[0]) for f in os.listdir(folder)
                if f.startswith(name + "_") and f[len(name) + 1:].split("_")[0].isdigit()]
    return folder, name, max(counters, default=0) + 1, subfolder


def metadata_disabled() -> bool:
    """ComfyUI's --disable-metadata: no prompt or workflow in saved PNGs."""
    try:
        from comfy.cli_args import args
    except ImportError:
        return False
    return bool(getattr(args, "disable_metadata", False))


def progress(total: int, node_id: str = ""):
    """A callable advancing ComfyUI's progress bar of this node (a no-op outside ComfyUI)."""
    try:
        import comfy.utils
    except ImportError:
        return lambda n: None
    try:
        bar = comfy.utils.ProgressBar(total, node_id=node_id or None)
    except TypeError:  # ComfyUI before per-node progress
        bar = comfy.utils.ProgressBar(total)
    return bar.update


def to_uint8(image: Any) -> np.ndarray:
    """One IMAGE item (HxWxC float 0..1, torch or numpy) -> HxWx3 uint8, as SaveImage does."""
    array = image.detach().cpu().numpy() if hasattr(image, "detach") else np.asarray(image)
    array = np.clip(255.0 * array, 0, 255).astype(np.uint8)
    if array.ndim != 3:
        raise ValueError(f"expected an image of shape HxWxC, got {array.shape}")
    if array.shape[2] == 1:
        return np.repeat(array, 3, axis=2)
    return np.ascontiguousarray(array[..., :3])


def video_frames(video: Any) -> tuple[Any, float]:
    """A VIDEO's frames as an IMAGE batch, and its frame rate (0 when unknown)."""
    if VideoInput is None or not isinstance(video, VideoInput):
        raise InputError(f"video: expected a ComfyUI VIDEO, got {type(video).__name__}")
    try:
        components = video.get_components()
    except Exception as exc:  # av/ffmpeg errors: the file is not a readable video
        raise InputError(f"video: cannot decode: {exc}") from None
    rate = components.frame_rate
    return components.images, float(rate) if rate else 0.0


def as_tensor(array: np.ndarray) -> Any:
    """float32 numpy -> what ComfyUI passes between nodes (torch, which it brings)."""
    if not IN_COMFYUI:
        return array
    import torch

    return torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))
