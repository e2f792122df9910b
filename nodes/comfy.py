"""The only module that imports ComfyUI. Everything degrades to plain Python without it,
so the nodes can be imported and tested outside ComfyUI."""

from __future__ import annotations

import os
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
    longest = max((len(p.encode("utf-8", "surrogatepass")) for p in value.replace("\\", "/").split("/")),
                  default=0)
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
    check_name(name, "image")
    if folder_paths is not None:
        path = folder_paths.get_annotated_filepath(name)
    else:
        kind = next((k for k in FOLDER_KINDS if name.endswith(f" [{k}]")), None)
        path = (os.path.join(directory(kind), name[: -len(kind) - 3]) if kind
                else os.path.join(directory("input"), name))
    real = os.path.realpath(path)
    if not any(_inside(real, os.path.realpath(directory(k))) for k in FOLDER_KINDS):
        raise InputError(f"image {name!r}: resolves outside ComfyUI's input, output and temp "
                         f"folders; refused")
    return path


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
    check_name(prefix, "filename_prefix")
    output = directory("output")
    try:
        if folder_paths is not None:
            folder, name, counter, subfolder, _ = folder_paths.get_save_image_path(prefix, output, width, height)
            return folder, name, counter, subfolder
        return _save_image_path(prefix, output, width, height)
    except OSError as exc:
        raise InputError(f"filename_prefix {prefix[:80]!r}: cannot create the folder: "
                         f"{exc.strerror or exc}") from None
    except InputError:
        raise
    except Exception as exc:  # ComfyUI raises a bare Exception for prefixes leaving the output folder
        raise InputError(f"filename_prefix {prefix[:80]!r}: {str(exc).strip('* ')}") from None


def _save_image_path(prefix: str, output: str, width: int, height: int) -> tuple[str, str, int, str]:
    """SaveImage's naming outside ComfyUI (tests, scripts)."""
    for key, value in (("%width%", width), ("%height%", height), ("%year%", time.strftime("%Y")),
                       ("%month%", time.strftime("%m")), ("%day%", time.strftime("%d")),
                       ("%hour%", time.strftime("%H")), ("%minute%", time.strftime("%M")),
                       ("%second%", time.strftime("%S"))):
        prefix = prefix.replace(key, str(value))
    norm = os.path.normpath(prefix)
    subfolder, name = os.path.dirname(norm), os.path.basename(norm)
    folder = os.path.abspath(os.path.join(output, subfolder))
    if not _inside(folder, os.path.abspath(output)):
        raise InputError(f"filename_prefix {prefix!r} points outside the output folder")
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


_BLOCK_VALUES = 1 << 16  # floats converted per step: the temporary stays in the CPU cache


def to_uint8(image: Any) -> np.ndarray:
    """One IMAGE item (HxWxC float 0..1, torch or numpy) -> HxWx3 uint8, bit for bit what
    SaveImage computes (`clip(255 * x, 0, 255)` then a truncating cast), a few rows at a
    time into the output: no full-size float temporaries."""
    array = image.detach().cpu().numpy() if hasattr(image, "detach") else np.asarray(image)
    if array.ndim != 3:
        raise ValueError(f"expected an image of shape HxWxC, got {array.shape}")
    height, width, channels = array.shape
    keep = min(channels, 3)
    out = np.empty((height, width, keep), np.uint8)
    rows = max(1, _BLOCK_VALUES // max(1, width * channels))
    work = np.empty((rows, width, channels), (255.0 * array[:0]).dtype)  # SaveImage's dtype
    for top in range(0, height, rows):
        part = array[top:top + rows]  # all channels: contiguous rows convert fastest
        buf = work[:len(part)]
        np.multiply(part, 255.0, out=buf)
        np.clip(buf, 0, 255, out=buf)
        out[top:top + rows] = buf[..., :keep]  # the same truncating cast as astype(np.uint8)
    if out.shape[2] == 1:
        return np.repeat(out, 3, axis=2)
    return out


def as_tensor(array: np.ndarray) -> Any:
    """float32 numpy -> what ComfyUI passes between nodes (torch, which it brings)."""
    if not IN_COMFYUI:
        return array
    import torch

    return torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))
