"""Model files and sessions, for any modality: where a model is found, which modality its
sidecar declares, its parsed sidecar and one shared ONNX session per file.

A model is `<name>.onnx` plus `<name>.json` (the sidecar) in one of the search folders:
ComfyUI's `models/content_safety/` (and what `extra_model_paths.yaml` adds; the node layer
registers them with `add_search_dirs`), then the config's `models_dirs`. `nudenet` is built
in: its `320n.onnx` ships in the `nudenet` wheel and its sidecar in this package. What the
sidecar says beyond `modality` belongs to the modality: `image/sidecar.py` for images.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from .cache import FileStampedCache
from .config import Config
from .errors import ConfigError
from .files import read_data
from .policy import validate_category
from .schema import Section

if TYPE_CHECKING:  # imported with the first session: the pack loads 50 ms faster without it
    import onnxruntime as ort

MODALITIES = ("image", "text")
ACTIVATIONS = ("softmax", "sigmoid", "none")  # how a sidecar says its model's outputs become scores
COMMON_KEYS = ("modality", "description", "source")  # read by every modality's parser
BUILTIN_SIDECARS = {"nudenet": Path(__file__).parent / "image" / "nudenet.json"}
TEXTMODEL_MEMBERS = ("textmodel", "contextmodel")  # what the `textmodel` checker averages (text/ensemble.py)
BUILTIN_TEXT = {name: Path(__file__).parent / "text" / "model_data" / name for name in TEXTMODEL_MEMBERS}  # .onnx + .json
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")
S = TypeVar("S")


@dataclass(frozen=True)
class ModelFiles:
    name: str
    onnx: Path
    sidecar: Path
    modality: str = "image"  # the sidecar's `modality`; image when it says none


_dir_providers: list[Callable[[], Iterable[str]]] = []


def add_search_dirs(provider: Callable[[], Iterable[str]]) -> None:
    """Let the host (ComfyUI's folder_paths) name model folders; asked on every lookup so
    folders added later (extra_model_paths.yaml) count."""
    if provider not in _dir_providers:
        _dir_providers.append(provider)


def search_dirs(config: Config) -> list[Path]:
    dirs = [Path(d) for provider in _dir_providers for d in provider()]
    dirs += [Path(d) for d in config.models_dirs]
    return list(dict.fromkeys(dirs))


def nudenet_onnx() -> Path:
    """The detector the `nudenet` wheel ships, found without importing the package."""
    spec = importlib.util.find_spec("nudenet")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("built-in model 'nudenet': the nudenet package is not installed "
                          "(pip install nudenet)")
    return Path(next(iter(spec.submodule_search_locations))) / "320n.onnx"


def find_model(name: str, config: Config) -> ModelFiles:
    """Resolve a model name to its files and modality; errors name the files looked at."""
    if not _NAME.match(name):  # every part starts with a letter or digit: no "..", no "/abs"
        raise ConfigError(f"model name {name!r}: use letters, digits, '.', '_', '-' and '/' "
                          f"(a path below a models folder, without .onnx)")
    dirs = search_dirs(config)
    for folder in dirs:
        onnx, sidecar = folder / f"{name}.onnx", folder / f"{name}.json"
        if onnx.is_file():
            if not sidecar.is_file():
                raise ConfigError(f"{onnx}: model has no sidecar; expected {sidecar} "
                                  f"(kind, labels, input, categories; see the README)")
            return _with_modality(ModelFiles(name, onnx, sidecar))
        if sidecar.is_file():
            raise ConfigError(f"{sidecar}: sidecar without its model file {onnx}")
    if name in BUILTIN_SIDECARS:
        return _with_modality(ModelFiles(name, nudenet_onnx(), BUILTIN_SIDECARS[name]))
    if name in BUILTIN_TEXT:
        stem = BUILTIN_TEXT[name]
        return _with_modality(ModelFiles(name, stem.with_suffix(".onnx"), stem.with_suffix(".json")))
    looked = ", ".join(str(d) for d in dirs) or "no folders (set models_dirs in the config)"
    raise ConfigError(f"model {name!r} not found: looked for {name}.onnx in {looked}")


_SIDECARS: FileStampedCache[Any] = FileStampedCache(maxsize=64)


def sidecar_data(files: ModelFiles) -> Any:
    """The sidecar's parsed JSON, re-read when the file changes."""
    return _stamped(_SIDECARS, ("data", files.sidecar), files.sidecar, "model sidecar",
                    lambda: read_data(files.sidecar, "model sidecar"))


def label_map(sec: Section, labels: tuple[str, ...], convert: Callable[[Section, str], Any]) -> dict[str, Any]:
    """A sidecar mapping keyed by the model's labels (categories, thresholds), any modality."""
    out: dict[str, Any] = {}
    for label, _ in sec.entries():
        if label not in labels:
            raise sec.fail(label, f"not one of the model's labels ({', '.join(labels[:20])})")
        out[label] = convert(sec, label)
    return out


def label_category(sec: Section, label: str) -> str:
    return validate_category(sec.get(label, str), f"{sec.source}: {sec.path(label)}")


def activate(logits: np.ndarray, activation: str) -> np.ndarray:
    """Scores 0..1 from a model's outputs, per row (the last axis holds the labels)."""
    if activation == "softmax":
        e = np.exp(logits - logits.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    if activation == "sigmoid":
        return 1 / (1 + np.exp(-logits))
    return np.clip(logits, 0.0, 1.0)


def _with_modality(files: ModelFiles) -> ModelFiles:
    data = sidecar_data(files)
    modality = data.get("modality", "image") if isinstance(data, Mapping) else "image"
    if modality not in MODALITIES:
        raise ConfigError(f"{files.sidecar}: modality: must be one of {', '.join(MODALITIES)}, "
                          f"got {modality!r}")
    return ModelFiles(files.name, files.onnx, files.sidecar, modality)


def load_sidecar(files: ModelFiles, parse: Callable[[ModelFiles, Any], S]) -> S:
    """A modality's parsed sidecar, once per change of the file (edits replace the entry)."""
    key = (parse.__module__, files.name, str(files.onnx), str(files.sidecar))
    return _stamped(_SIDECARS, key, files.sidecar, "model sidecar",
                    lambda: parse(files, sidecar_data(files)))


def _stamped(cache: FileStampedCache[Any], key: Hashable, path: Path, what: str,
             make: Callable[[], Any]) -> Any:
    try:
        return cache.get(key, [path], make)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read {what}: {exc.strerror}") from None


def providers(available: Iterable[str] | None = None) -> list[str]:
    """CUDA when this onnxruntime build offers it, the CPU always as the fallback."""
    if available is None:
        import onnxruntime as ort

        available = ort.get_available_providers()
    offered = set(available)
    return [p for p in ("CUDAExecutionProvider", "CPUExecutionProvider") if p in offered]


def error_detail(exc: BaseException) -> str:
    """The first line of a library's error, at most 300 characters (onnxruntime's go on
    for pages)."""
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


_SESSIONS: FileStampedCache[ort.InferenceSession] = FileStampedCache(maxsize=32)
_checked: dict[Hashable, tuple[int, Hashable]] = {}


def session(path: Path, check: Callable[[ort.InferenceSession], None] | None = None,
            against: Hashable = None, *, threads: int = 1, spinning: bool = False) -> ort.InferenceSession:
    """The process-wide session of a model file (reloaded when the file changes), checked
    by `check` against what it is used with (`against`, e.g. the parsed sidecar) whenever
    either changes. `InferenceSession.run` is thread-safe, so all nodes and threads share it.
    `threads` (0: one per core) and `spinning`: the config's image.threads / image.spinning
    (one thread without spinning wins beside a running generation: bench/image.py --busy)."""
    key = (str(path), threads, spinning)
    sess = _stamped(_SESSIONS, key, path, "model file", lambda: _create(path, threads, spinning))
    if check is not None and _checked.get(key) != (id(sess), against):
        check(sess)
        _checked[key] = (id(sess), against)
    return sess


def _create(path: Path, threads: int, spinning: bool) -> ort.InferenceSession:
    import onnxruntime as ort

    if path.stat().st_size == 0:
        raise ConfigError(f"{path}: model file is empty")
    options = ort.SessionOptions()
    options.log_severity_level = 4  # run failures come back as ProviderError, not as log spam
    options.intra_op_num_threads = threads
    # spinning threads burn a core while they wait for work: fastest alone, slow beside a generation
    options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spinning else "0")
    try:
        return ort.InferenceSession(str(path), options, providers=providers())
    except Exception as exc:  # onnxruntime raises its own exception types
        raise ConfigError(f"{path}: not a loadable ONNX model: {error_detail(exc)}") from None


def batch_limit(sess: ort.InferenceSession) -> int | None:
    """A fixed batch dimension (often 1 in exports) caps how many images go per call."""
    dim = sess.get_inputs()[0].shape[0]
    return dim if isinstance(dim, int) and dim > 0 else None
