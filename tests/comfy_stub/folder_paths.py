"""A stand-in for ComfyUI's `folder_paths`, for tests that run the nodes outside ComfyUI:
input, output and temp are folders of those names in the current directory."""

from __future__ import annotations

import os
import time

models_dir = os.path.join(os.getcwd(), "models")
_model_folders: dict[str, list[str]] = {}


def get_user_directory() -> str:
    return os.path.join(os.getcwd(), "user")


def add_model_folder_path(name: str, path: str) -> None:
    _model_folders.setdefault(name, [])
    if path not in _model_folders[name]:
        _model_folders[name].append(path)


def get_folder_paths(name: str) -> list[str]:
    return list(_model_folders.get(name, []))


def get_directory_by_type(kind: str) -> str:
    return os.path.join(os.getcwd(), kind)


def get_annotated_filepath(name: str) -> str:
    for kind in ("input", "output", "temp"):
        if name.endswith(f" [{kind}]"):
            return os.path.join(get_directory_by_type(kind), name[: -len(kind) - 3])
    return os.path.join(get_directory_by_type("input"), name)


def get_save_image_path(prefix: str, output: str, width: int = 0, height: int = 0):
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
    return folder, name, max(counters, default=0) + 1, subfolder, prefix
