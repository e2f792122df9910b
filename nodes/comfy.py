"""The only module that imports ComfyUI. Everything degrades to plain Python without it,
so the nodes can be imported and tested outside ComfyUI."""

from __future__ import annotations

import contextvars
import os
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..safety import models
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

IN_COMFYUI = folder_paths is not None


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


def as_tensor(array: np.ndarray) -> Any:
    """float32 numpy -> what ComfyUI passes between nodes (torch, which it brings)."""
    if not IN_COMFYUI:
        return array
    import torch

    return torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))


# who queued a prompt: user and address, for the audit trail and quotas -----------------

@dataclass(frozen=True)
class PromptContext:
    prompt_id: str = ""
    client_id: str = ""
    user: str = ""
    remote_addr: str = ""


_PROMPT_PATHS = ("/prompt", "/api/prompt")
_MAX_PROMPTS = 10_000
_requester: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar("cs_requester", default=None)
_prompt_owners: OrderedDict[str, tuple[str, str]] = OrderedDict()


def _request_user(server: Any, request: Any) -> str:
    """ComfyUI's own rule: the `comfy-user` header under --multi-user, else "default"."""
    try:
        return server.user_manager.get_request_user_id(request)
    except (AttributeError, KeyError):
        header = request.headers.get("comfy-user", "")
        return f"unknown:{header}" if header else "default"


def _remember_owner(json_data: Any) -> Any:
    """on_prompt handler: runs inside POST /prompt before the prompt is queued, so the
    prompt id (ours when the client sent none; ComfyUI keeps a given one) is tied to its
    user before any node of it runs."""
    who = _requester.get()
    if who is not None and isinstance(json_data, dict):
        prompt_id = str(json_data.setdefault("prompt_id", str(uuid.uuid4())))
        _prompt_owners[prompt_id] = who
        while len(_prompt_owners) > _MAX_PROMPTS:
            _prompt_owners.popitem(last=False)
    return json_data


def _track_prompt_owners() -> None:
    try:
        from aiohttp import web
        from server import PromptServer
    except ImportError:
        return
    server = getattr(PromptServer, "instance", None)
    if server is None:
        return

    @web.middleware
    async def remember_requester(request: Any, handler: Any) -> Any:
        if request.method != "POST" or request.path not in _PROMPT_PATHS:
            return await handler(request)
        token = _requester.set((_request_user(server, request), request.remote or ""))
        try:
            return await handler(request)
        finally:
            _requester.reset(token)

    server.app.middlewares.append(remember_requester)
    server.add_on_prompt_handler(_remember_owner)


_track_prompt_owners()


def current_prompt() -> PromptContext:
    """The prompt the running node belongs to, and who queued it (empty outside ComfyUI)."""
    try:
        from comfy_execution.utils import get_executing_context
        from server import PromptServer
    except ImportError:
        return PromptContext()
    context = get_executing_context()
    prompt_id = context.prompt_id if context else ""
    server = getattr(PromptServer, "instance", None)
    user, remote = _prompt_owners.get(prompt_id, ("", ""))
    return PromptContext(prompt_id, str(getattr(server, "client_id", None) or ""), user, remote)
