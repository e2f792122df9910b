"""SHA-256 of the model and lexicon files a check used, computed once per file version
(path, mtime, size) and summed up as one digest per set, which every record carries."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path

from ..config import Config
from ..errors import ConfigError
from ..files import sha256_file
from .chain import canonical, sha256_hex

REFRESH_S = 1.0  # how often the set of files in use is looked at again (as the lexicon cache)
IMAGE_STAGES = ("image", "image_save", "image_load")


def lexicon_paths(config: Config, policy_name: str) -> list[Path]:
    from ..text.lexicon import lexicon_files

    policy = config.policy(policy_name)
    return lexicon_files(config.lexicon_dirs, policy.lexicons)


def model_paths(config: Config, policy_name: str, kind: str = "image") -> list[Path]:
    """The model files (ONNX, sidecar, a text model's tokenizer or arrays) of the policy's local
    `kind` ("text"/"image") checkers: the builtin `nudenet` and `textmodel`, and `model:<name>`."""
    from ..models import BUILTIN_SIDECARS, BUILTIN_TEXT, TEXTMODEL_MEMBERS, find_model

    policy = config.policy(policy_name)
    paths: list[Path] = []
    for name in policy.image_checkers if kind == "image" else policy.text_checkers:
        builtin = name in BUILTIN_SIDECARS or name in BUILTIN_TEXT
        model = name if builtin else name.partition(":")[2] if name.startswith("model:") else ""
        if not model:
            continue
        if kind == "text":
            from ..text.model_spec import find_text_model

            for member in TEXTMODEL_MEMBERS if name == "textmodel" else (model,):
                spec = find_text_model(member, config)
                paths += [p for p in (spec.path, spec.sidecar, spec.tokenizer, *spec.arrays.values()) if p is not None]
        else:
            files = find_model(model, config)
            paths += [files.onnx, files.sidecar]
    return paths


def files_in_use(config: Config, policy_name: str, kind: str) -> dict[str, str]:
    """{file name: SHA-256} of what a check of `kind` ("text" or "image") relies on."""
    paths = model_paths(config, policy_name, kind)
    if kind == "text" and "lexicon" in config.policy(policy_name).text_checkers:
        paths = lexicon_paths(config, policy_name) + paths
    return {str(p): sha256_file(p) for p in paths}


def digest(files: Mapping[str, str]) -> str:
    return sha256_hex(canonical(dict(files)))


class ArtifactIndex:
    """(digest, files) per policy and kind, refreshed at most every REFRESH_S seconds."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._current: dict[tuple, tuple[float, str, dict[str, str]]] = {}

    def get(self, config: Config, policy_name: str, stage: str, has_text: bool) -> tuple[str, dict[str, str]]:
        kind = "image" if stage in IMAGE_STAGES or (stage == "cli" and not has_text) else "text"
        key = (id(config), config.source, policy_name, kind)
        now = self._clock()
        hit = self._current.get(key)
        if hit and now - hit[0] < REFRESH_S:
            return hit[1], hit[2]
        try:
            files = files_in_use(config, policy_name or config.default_policy, kind)
        except (ConfigError, OSError) as exc:  # the check itself reported it; record why
            files = {"error": str(exc)}
        value = (now, digest(files), files)
        if len(self._current) > 64:
            self._current.clear()
        self._current[key] = value
        return value[1], value[2]
