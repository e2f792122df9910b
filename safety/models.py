"""Model files: where they are found, what their sidecar says, one shared ONNX session each.

A model is `<name>.onnx` plus `<name>.json` (the sidecar) in one of the search folders:
ComfyUI's `models/content_safety/` (and what `extra_model_paths.yaml` adds; the node layer
registers them with `add_search_dirs`), then the config's `models_dirs`. `nudenet` is built
in: its `320n.onnx` ships in the `nudenet` wheel and its sidecar in this package.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .bounded import load_json
from .config import Config
from .errors import ConfigError
from .policy import validate_category
from .schema import Section

if TYPE_CHECKING:  # imported with the first session: the pack loads 50 ms faster without it
    import onnxruntime as ort

KINDS = ("classifier", "detector")
LAYOUTS = ("NCHW", "NHWC")
CHANNELS = ("RGB", "BGR")
RESIZES = {"classifier": ("stretch", "center_crop"), "detector": ("letterbox",)}
RESAMPLES = ("bilinear", "bicubic", "nearest")
ACTIVATIONS = ("softmax", "sigmoid", "none")
BUILTIN_SIDECARS = {"nudenet": Path(__file__).parent / "image" / "nudenet.json"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")


@dataclass(frozen=True)
class InputSpec:
    height: int
    width: int
    layout: str = "NCHW"
    channels: str = "RGB"
    resize: str = "stretch"
    resample: str = "bilinear"
    scale: float = 1 / 255  # pixel 0..255 times scale, then (x - mean) / std
    mean: tuple[float, float, float] = (0.0, 0.0, 0.0)
    std: tuple[float, float, float] = (1.0, 1.0, 1.0)


@dataclass(frozen=True)
class NmsSpec:
    """YOLO-style detector output: candidates above `candidate_score`, kept by NMS above
    `score`, suppressed above `iou` overlap (NudeNet's own values are the defaults)."""

    candidate_score: float = 0.2
    score: float = 0.25
    iou: float = 0.45


@dataclass(frozen=True)
class ModelSpec:
    name: str
    path: Path
    sidecar: Path
    kind: str
    labels: tuple[str, ...]
    input: InputSpec
    categories: Mapping[str, str] = field(default_factory=dict)  # label -> taxonomy
    thresholds: Mapping[str, float] = field(default_factory=dict)  # label -> min confidence
    threshold: float = 0.0  # for labels without their own
    activation: str = "softmax"
    nms: NmsSpec = NmsSpec()

    def threshold_for(self, label: str) -> float:
        return self.thresholds.get(label, self.threshold)


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


def find_model(name: str, config: Config) -> ModelSpec:
    """Resolve a model name to its validated spec; errors name the files looked at."""
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
            return load_spec(name, onnx, sidecar)
        if sidecar.is_file():
            raise ConfigError(f"{sidecar}: sidecar without its model file {onnx}")
    if name in BUILTIN_SIDECARS:
        return load_spec(name, nudenet_onnx(), BUILTIN_SIDECARS[name])
    looked = ", ".join(str(d) for d in dirs) or "no folders (set models_dirs in the config)"
    raise ConfigError(f"model {name!r} not found: looked for {name}.onnx in {looked}")


_spec_cache: dict[tuple[str, str, str], tuple[tuple[int, int], ModelSpec]] = {}
_spec_lock = threading.Lock()


def load_spec(name: str, onnx: Path, sidecar: Path) -> ModelSpec:
    """Parse a sidecar once per change of the file (one entry per model: edits replace it)."""
    try:
        stat = sidecar.stat()
    except OSError as exc:
        raise ConfigError(f"{sidecar}: cannot read model sidecar: {exc.strerror}") from None
    key, version = (name, str(onnx), str(sidecar)), (stat.st_mtime_ns, stat.st_size)
    with _spec_lock:
        cached = _spec_cache.get(key)
        if cached is None or cached[0] != version:
            cached = _spec_cache[key] = (version, parse_sidecar(name, onnx, sidecar, _read_json(sidecar)))
        return cached[1]


def _read_json(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read model sidecar: {exc.strerror}") from None
    return load_json(raw, str(path), "model sidecar")


def _triple(sec: Section, key: str, default: tuple[float, float, float]) -> tuple[float, float, float]:
    value = sec.get(key, list, None)
    if value is None:
        return default
    if len(value) != 3 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        raise sec.fail(key, f"expected 3 numbers (one per RGB channel), got {value!r}")
    return (float(value[0]), float(value[1]), float(value[2]))


def _size(sec: Section) -> tuple[int, int]:
    value = sec.get("size", object, None)
    if value is None:
        raise sec.fail("size", "missing: the model's input size, e.g. 224 or [height, width]")
    pair = [value, value] if isinstance(value, int) and not isinstance(value, bool) else value
    if (not isinstance(pair, list) or len(pair) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 8192 for v in pair)):
        raise sec.fail("size", f"expected an integer 1..8192 or [height, width], got {value!r}")
    return pair[0], pair[1]


def _input(sec: Section, kind: str) -> InputSpec:
    height, width = _size(sec)
    norm = sec.section("normalize")
    spec = InputSpec(
        height=height,
        width=width,
        layout=sec.get_choice("layout", LAYOUTS, "NCHW"),
        channels=sec.get_choice("channels", CHANNELS, "RGB"),
        resize=sec.get_choice("resize", RESIZES[kind], RESIZES[kind][0]),
        resample=sec.get_choice("resample", RESAMPLES, "bilinear"),
        scale=norm.get_number("scale", 1 / 255, 1e-6, 1.0),
        mean=_triple(norm, "mean", (0.0, 0.0, 0.0)),
        std=_triple(norm, "std", (1.0, 1.0, 1.0)),
    )
    if any(s <= 0 for s in spec.std):
        raise norm.fail("std", f"must be positive, got {list(spec.std)}")
    norm.done()
    sec.done()
    return spec


def _label_map(sec: Section, labels: tuple[str, ...], convert: Callable[[Section, str], Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label, _ in sec.entries():
        if label not in labels:
            raise sec.fail(label, f"not one of the model's labels ({', '.join(labels[:20])})")
        out[label] = convert(sec, label)
    return out


def _category(sec: Section, label: str) -> str:
    return validate_category(sec.get(label, str), f"{sec.source}: {sec.path(label)}")


def parse_sidecar(name: str, onnx: Path, sidecar: Path, data: Any) -> ModelSpec:
    """Validate a sidecar mapping; every error names the sidecar file and the field."""
    sec = Section(data, "", str(sidecar))
    sec.get("description", str)
    sec.get("source", str)
    kind = sec.get("kind", str)
    if kind not in KINDS:
        raise sec.fail("kind", f"must be one of {', '.join(KINDS)}, got {kind!r}")
    labels = sec.get_strings("labels")
    if not labels:
        raise sec.fail("labels", "missing or empty: the model's output labels, in output order")
    if len(set(labels)) != len(labels):
        raise sec.fail("labels", "contains the same label twice")
    inp = _input(sec.section("input"), kind)
    categories = _label_map(sec.section("categories"), labels, _category)
    thresholds = _label_map(sec.section("thresholds"), labels,
                            lambda s, label: s.get_number(label, 0.5, 0.0, 1.0))
    threshold = sec.get_number("threshold", 0.0, 0.0, 1.0)
    activation = sec.get_choice("activation", ACTIVATIONS, "softmax")
    nms_sec = sec.section("nms")
    nms = NmsSpec(
        candidate_score=nms_sec.get_number("candidate_score", 0.2, 0.0, 1.0),
        score=nms_sec.get_number("score", 0.25, 0.0, 1.0),
        iou=nms_sec.get_number("iou", 0.45, 0.0, 1.0),
    )
    nms_sec.done()
    sec.done()
    return ModelSpec(name=name, path=onnx, sidecar=sidecar, kind=kind, labels=labels, input=inp,
                     categories=categories, thresholds=thresholds, threshold=threshold,
                     activation=activation, nms=nms)


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


_sessions: dict[tuple[str, int, bool], tuple[tuple[int, int], ort.InferenceSession, ModelSpec]] = {}
_session_lock = threading.Lock()


def session(spec: ModelSpec, threads: int = 0, spinning: bool = True) -> ort.InferenceSession:
    """The process-wide session of a model file (reloaded when the file changes), checked
    against the sidecar it is used with (again when the sidecar changes).
    `InferenceSession.run` is thread-safe, so all nodes and threads share it.
    `threads` (0: one per core) and `spinning` are the config's image.threads/spinning."""
    try:
        stat = spec.path.stat()
    except OSError as exc:
        raise ConfigError(f"{spec.path}: cannot read model file: {exc.strerror}") from None
    version = (stat.st_mtime_ns, stat.st_size)
    key = (str(spec.path), threads, spinning)
    with _session_lock:
        cached = _sessions.get(key)
        if cached is not None and cached[0] == version:
            if cached[2] == spec:
                return cached[1]
            sess = cached[1]
        elif stat.st_size == 0:
            raise ConfigError(f"{spec.path}: model file is empty")
        else:
            sess = _create(spec, threads, spinning)
        _check_io(spec, sess)
        _sessions[key] = (version, sess, spec)
        return sess


def _create(spec: ModelSpec, threads: int, spinning: bool) -> ort.InferenceSession:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 4  # run failures come back as ProviderError, not as log spam
    options.intra_op_num_threads = threads
    # spinning threads burn a core while they wait for work: fastest alone, slow beside a generation
    options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spinning else "0")
    try:
        return ort.InferenceSession(str(spec.path), options, providers=providers())
    except Exception as exc:  # onnxruntime raises its own exception types
        raise ConfigError(f"{spec.path}: not a loadable ONNX model: {error_detail(exc)}") from None


def _check_io(spec: ModelSpec, sess: ort.InferenceSession) -> None:
    """Catch a sidecar that does not fit its model now, not on the first image."""
    inputs, outputs = sess.get_inputs(), sess.get_outputs()
    if len(inputs) != 1 or len(inputs[0].shape) != 4:
        shapes = [i.shape for i in inputs]
        raise ConfigError(f"{spec.path}: expected one image input of rank 4, the model has {shapes}")
    shape = inputs[0].shape
    c, h, w = (shape[1], shape[2], shape[3]) if spec.input.layout == "NCHW" else (shape[3], shape[1], shape[2])
    if isinstance(c, int) and c != 3:
        raise ConfigError(f"{spec.sidecar}: input.layout: {spec.input.layout} puts {c} where the "
                          f"3 colour channels should be (model input shape {shape})")
    for got, want, axis in ((h, spec.input.height, "height"), (w, spec.input.width, "width")):
        if isinstance(got, int) and got != want:
            raise ConfigError(f"{spec.sidecar}: input.size: {axis} {want}, but {spec.path.name} "
                              f"takes {got} (input shape {shape})")
    out = outputs[0].shape
    rank, dim = (2, len(spec.labels)) if spec.kind == "classifier" else (3, 4 + len(spec.labels))
    if len(out) != rank or (isinstance(out[1], int) and out[1] != dim):
        raise ConfigError(f"{spec.sidecar}: labels: {len(spec.labels)} labels need a {spec.kind} "
                          f"output of rank {rank} with {dim} in axis 1, the model gives {out}")


def batch_limit(sess: ort.InferenceSession) -> int | None:
    """A fixed batch dimension (often 1 in exports) caps how many images go per call."""
    dim = sess.get_inputs()[0].shape[0]
    return dim if isinstance(dim, int) and dim > 0 else None
