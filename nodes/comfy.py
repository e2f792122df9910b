"""The only module that imports ComfyUI. Everything degrades to plain Python without it,
so the nodes can be imported outside ComfyUI (the tests put a stub `folder_paths` on
sys.path for the folder functions).

Who queued a prompt: ComfyUI hands a node its prompt id (`get_executing_context()`), but not
the HTTP request that queued it. A middleware notes the user (`comfy-user` header in
--multi-user mode) and remote address of each POST /prompt; the on-prompt handler, which
runs inside that request, gives the prompt its id if the client sent none and files the
origin under it. Nodes read it back with `run_origin()`.
"""

from __future__ import annotations

import contextvars
import logging
import os
import shutil
import sys
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..safety import IMAGE_SUFFIXES, InputError, models

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


def _needs_comfyui(what: str) -> RuntimeError:
    return RuntimeError(f"{what} needs ComfyUI's folder_paths (run the node inside ComfyUI)")


def user_directory() -> str | None:
    """ComfyUI's user directory, where the pack's config.yaml is looked up."""
    getter: Any = getattr(folder_paths, "get_user_directory", None)
    return getter() if getter else None


# who queued the prompt --------------------------------------------------------------------

@dataclass(frozen=True)
class Origin:
    """What ComfyUI knows of the run: empty strings where it does not say."""

    prompt_id: str = ""
    client_id: str = ""
    user: str = ""
    remote_addr: str = ""


ORIGINS_KEPT = 1024  # queued prompts remembered (the oldest are forgotten first)
_origins: OrderedDict[str, Origin] = OrderedDict()
_request: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar("content_safety_request",
                                                                                   default=None)
PROMPT_PATHS = ("/prompt", "/api/prompt")


def _request_user(request: Any) -> str:
    """The `comfy-user` header, which ComfyUI honours only with --multi-user."""
    try:
        from comfy.cli_args import args
    except ImportError:
        return ""
    return str(request.headers.get("comfy-user", "")) if getattr(args, "multi_user", False) else ""


def note_prompt(json_data: dict[str, Any], user: str, remote_addr: str) -> dict[str, Any]:
    """File the origin of a queued prompt under its id (made here when the client sent none,
    so the id ComfyUI uses is the one filed)."""
    prompt_id = str(json_data.get("prompt_id") or uuid.uuid4())
    json_data["prompt_id"] = prompt_id
    _origins[prompt_id] = Origin(prompt_id, str(json_data.get("client_id") or ""), user, remote_addr)
    _origins.move_to_end(prompt_id)
    while len(_origins) > ORIGINS_KEPT:
        _origins.popitem(last=False)
    return json_data


def _on_prompt(json_data: dict[str, Any]) -> dict[str, Any]:
    request = _request.get()
    return note_prompt(json_data, *request) if request is not None else json_data


def _register_origin_tracking() -> None:
    instance = _prompt_server()
    if instance is None:
        return
    from aiohttp import web

    @web.middleware
    async def remember_request(request: Any, handler: Any) -> Any:
        if request.method != "POST" or request.path not in PROMPT_PATHS:
            return await handler(request)
        token = _request.set((_request_user(request), request.remote or ""))
        try:
            return await handler(request)
        finally:
            _request.reset(token)

    instance.app.middlewares.append(remember_request)
    instance.add_on_prompt_handler(_on_prompt)


def _prompt_server() -> Any:
    server = sys.modules.get("server")
    return getattr(getattr(server, "PromptServer", None), "instance", None)


def serving() -> bool:
    """Inside a running ComfyUI server (not a script or test importing the nodes)."""
    return _prompt_server() is not None


def route_table() -> Any:
    """ComfyUI's aiohttp route table (served at / and /api); None outside a running ComfyUI."""
    instance = _prompt_server()
    return instance.routes if instance is not None else None


def request_origin(request: Any) -> tuple[str, str]:
    """(user, remote address) of a request to the pack's routes, as for queued prompts."""
    return _request_user(request), request.remote or ""


def _current_prompt_id() -> str:
    """The executing node's prompt; before nodes run (IS_CHANGED), the prompt being executed."""
    try:
        from comfy_execution.utils import get_executing_context
    except ImportError:
        return ""
    context = get_executing_context()
    if context is not None:
        return str(context.prompt_id)
    return str(getattr(_prompt_server(), "last_prompt_id", None) or "")


def run_origin() -> Origin:
    """Prompt id, client id, user and remote address of the running prompt, where known."""
    prompt_id = _current_prompt_id()
    if not prompt_id:
        return Origin()
    origin = _origins.get(prompt_id)
    if origin is not None:
        return origin
    return Origin(prompt_id, str(getattr(_prompt_server(), "client_id", None) or ""))


# images: folders, saving, progress and tensors -------------------------------------------

MODEL_FOLDER = "content_safety"


def _register_model_folder() -> None:
    """`models/content_safety/` plus whatever extra_model_paths.yaml names for it."""
    if folder_paths is None:
        return
    folder_paths.add_model_folder_path(MODEL_FOLDER, os.path.join(folder_paths.models_dir, MODEL_FOLDER))
    models.add_search_dirs(lambda: folder_paths.get_folder_paths(MODEL_FOLDER))


_register_model_folder()
_register_origin_tracking()


def lexicon_dirs() -> tuple[str, ...]:
    """`models/content_safety/lexicons/` of every content_safety model folder."""
    if folder_paths is None:
        return ()
    return tuple(os.path.join(d, "lexicons") for d in folder_paths.get_folder_paths(MODEL_FOLDER))


def directory(kind: str) -> str:
    """ComfyUI's "input", "output" or "temp" folder."""
    if folder_paths is None:
        raise _needs_comfyui(f"the {kind} folder")
    return folder_paths.get_directory_by_type(kind)


FOLDER_KINDS = ("input", "output", "temp")
MAX_NAME_BYTES = 1024  # a whole name or prefix
MAX_PART_BYTES = 200  # one folder or file name (file systems allow 255; SaveImage appends to it)


def check_name(value: str, what: str) -> None:
    """A file name or prefix from a widget: no NUL, nothing the file system would refuse
    with an OSError deep inside a save or a load."""
    if "\0" in value:
        raise InputError(f"{what} {value[:80]!r}: contains a NUL character")
    size = len(value.encode("utf-8", "surrogatepass"))
    if size > MAX_NAME_BYTES:
        raise InputError(f"{what} {value[:80]!r}...: {size} bytes long, more than {MAX_NAME_BYTES}")
    longest = max(len(p.encode("utf-8", "surrogatepass")) for p in value.replace("\\", "/").split("/"))
    if longest > MAX_PART_BYTES:
        raise InputError(f"{what} {value[:80]!r}...: a folder or file name of {longest} bytes, "
                         f"more than {MAX_PART_BYTES}")


def _inside(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # another drive on Windows
        return False


def annotated_filepath(name: str) -> str:
    """`photo.png`, `photo.png [output]`, `sub/photo.png [temp]` -> a path; input by default.
    Names that resolve outside the input, output and temp folders (`../x.png`, absolute
    paths, links leading out) are refused: ComfyUI's own lookup joins them as they are."""
    if folder_paths is None:
        raise _needs_comfyui(f"image {name!r}")
    check_name(name, "image")
    path = folder_paths.get_annotated_filepath(name)
    real = os.path.realpath(path)
    if not any(_inside(real, os.path.realpath(directory(k))) for k in FOLDER_KINDS):
        raise InputError(f"image {name!r}: resolves outside ComfyUI's input, output and temp "
                         f"folders; refused")
    return path


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
    if folder_paths is None:
        return []
    folder = directory("input")
    try:
        files = [f for f in os.listdir(folder) if os.path.isfile(os.path.join(folder, f))]
    except OSError:
        return []
    return sorted(f for f in files if f.lower().endswith(IMAGE_SUFFIXES))


def save_image_path(prefix: str, width: int, height: int) -> tuple[str, str, int, str]:
    """(folder, file name stem, next counter, subfolder) as SaveImage computes them."""
    if folder_paths is None:
        raise _needs_comfyui("saving images")
    check_name(prefix, "filename_prefix")
    try:
        folder, name, counter, subfolder, _ = folder_paths.get_save_image_path(prefix, directory("output"),
                                                                               width, height)
    except OSError as exc:
        raise InputError(f"filename_prefix {prefix[:80]!r}: cannot create the folder: "
                         f"{exc.strerror or exc}") from None
    except Exception as exc:  # ComfyUI raises a bare Exception for prefixes leaving the output folder
        raise InputError(f"filename_prefix {prefix[:80]!r}: {str(exc).strip('* ')}") from None
    return folder, name, counter, subfolder


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


_BLOCK_VALUES = 1 << 16  # floats converted per step: the temporary stays in the CPU cache


def to_uint8(image: Any) -> np.ndarray:
    """One IMAGE item (HxWxC float 0..1, torch or numpy) -> HxWx3 uint8, bit for bit what
    SaveImage computes (`clip(255 * x, 0, 255)` then a truncating cast), a few rows at a
    time into the output: no full-size float temporaries. Of RGBA only the colours are
    converted: the alpha plane is never scaled."""
    array = image.detach().cpu().numpy() if hasattr(image, "detach") else np.asarray(image)
    if array.ndim != 3 or array.shape[2] not in (1, 3, 4) or 0 in array.shape or array.dtype.kind not in "fiub":
        raise InputError(f"expected an IMAGE item of shape HxWxC (C 1, 3 or 4, H and W not 0) with numbers, "
                         f"got shape {list(array.shape)} of {array.dtype}")
    height, width, channels = array.shape
    keep = min(channels, 3)
    out = np.empty((height, width, keep), np.uint8)
    rows = max(1, _BLOCK_VALUES // max(1, width * keep))
    work = np.empty((rows, width, keep), (255.0 * array[:0]).dtype)  # SaveImage's dtype
    colours = _colours(array) if channels > keep else None
    staged = np.empty((rows, width, keep), array.dtype) if colours is not None else None
    for top in range(0, height, rows):
        part = array[top:top + rows]  # all channels: contiguous rows convert fastest
        if colours is not None and staged is not None:  # RGBA: gather the colours, leave alpha
            part = staged[:len(part)]
            part.view(colours.dtype)[..., 0] = colours[top:top + rows]
        buf = work[:len(part)]
        np.multiply(part, 255.0, out=buf)
        np.clip(buf, 0, 255, out=buf)
        out[top:top + rows] = buf  # the same truncating cast as astype(np.uint8)
    if keep == 1:
        return np.repeat(out, 3, axis=2)
    return out


def _colours(array: np.ndarray) -> np.ndarray:
    """The first three channels of each pixel as one opaque HxW item: numpy copies those
    in one long loop, where its loops over 3 of 4 interleaved values run 3 at a time."""
    if array.strides[2] != array.itemsize:
        array = np.ascontiguousarray(array)
    size = array.itemsize
    pixel = np.dtype({"names": ["rgb"], "formats": [f"V{3 * size}"], "offsets": [0],
                      "itemsize": array.shape[2] * size})
    return array.view(pixel)[..., 0]["rgb"]


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
    """float32 numpy -> what ComfyUI passes between nodes: a torch tensor inside ComfyUI
    (which has imported torch), the numpy array outside it."""
    torch = sys.modules.get("torch")
    if torch is None:
        return array
    return torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))
