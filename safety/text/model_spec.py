"""The text sidecar: what a text model's `<name>.json` says, and how text becomes its input.

A text model is `<name>.onnx` plus `<name>.json` (`modality: text`) in a models folder
(found by `safety/models.py`), and either a Hugging Face `tokenizer.json` (the `tokenizers`
library; sidecar key `tokenizer`, default `<name>.tokenizer.json`, else `tokenizer.json`
beside the model) or the hashed n-gram features of the built-in model (sidecar key
`features`). The built-in `textmodel` and `contextmodel` ship in `model_data/` (the
`textmodel` checker averages the two, text/ensemble.py); a `<name>.onnx` of either name in a
models folder replaces that half. A hashed model whose sidecar lists its `features.arrays` (the
`.npy` files its graph reads as external data, as scripts/train_text_model.py writes them)
runs in numpy (`linear.py`), everything else in onnxruntime.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from .. import models
from ..config import Config
from ..errors import ConfigError
from ..schema import Section
from .hashing import HashingSpec, features
from .linear import ARRAYS, linear_model

if TYPE_CHECKING:  # imported with the first session: the built-in model runs without it
    import onnxruntime as ort

TOKEN_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class TextModelSpec:
    name: str
    path: Path
    sidecar: Path
    labels: tuple[str, ...]
    categories: Mapping[str, str] = field(default_factory=dict)  # label -> taxonomy
    thresholds: Mapping[str, float] = field(default_factory=dict)  # label -> decision threshold
    threshold: float = 0.5
    activation: str = "softmax"
    max_length: int = 256
    tokenizer: Path | None = None
    hashing: HashingSpec | None = None
    arrays: Mapping[str, Path] = field(default_factory=dict)  # numpy evaluation: idf, weights, bias
    graph_sha256: str = ""  # of the .onnx the arrays were written with

    def threshold_for(self, label: str) -> float:
        return self.thresholds.get(label, self.threshold)


class Encoder(Protocol):
    def __call__(self, text: str) -> dict[str, np.ndarray]: ...


def find_text_model(name: str, config: Config) -> TextModelSpec:
    files = models.find_model(name, config)
    if files.modality != "text":
        raise ConfigError(f"model {name!r} ({files.sidecar}) is an {files.modality} model; "
                          f"text_checkers need a sidecar with 'modality: text'")
    return models.load_sidecar(files, parse_text_sidecar)


def _hashing(sec: Section, sidecar: Path) -> tuple[HashingSpec, dict[str, Path], str]:
    kind = sec.get("type", str)
    if kind != "hashed_ngrams":
        raise sec.fail("type", f"the only feature type is 'hashed_ngrams', got {kind!r}")

    def pair(key: str, default: tuple[int, int]) -> tuple[int, int]:
        value = sec.get(key, list, list(default))
        if len(value) != 2 or not all(isinstance(v, int) and 0 <= v <= 8 for v in value) or value[0] > value[1]:
            raise sec.fail(key, f"expected [low, high] with 0 <= low <= high <= 8, got {value!r}")
        return value[0], value[1]

    spec = HashingSpec(buckets=int(sec.get_number("buckets", 1 << 18, 1, 1 << 26)),
                       char_ngrams=pair("char_ngrams", (1, 4)), word_ngrams=pair("word_ngrams", (1, 2)),
                       max_chars=int(sec.get_number("max_chars", 2000, 1, 1_000_000)))
    arrays: dict[str, Path] = {}
    digest = ""
    if "arrays" in sec.data:
        files = sec.section("arrays")
        digest = files.get("graph_sha256", str, "")
        if not _SHA256.fullmatch(digest):
            raise files.fail("graph_sha256", f"expected the SHA-256 (64 hex digits) of the .onnx the arrays "
                                             f"were written with, got {digest!r}")
        for name in ARRAYS:
            given = files.get(name, str)
            if not given or Path(given).name != given or given in (".", ".."):
                raise files.fail(name, f"expected the name of the .npy file of the graph's {name!r} "
                                       f"initializer, beside the sidecar; got {given!r}")
            arrays[name] = sidecar.parent / given
            if not arrays[name].is_file():
                raise files.fail(name, f"no such file {arrays[name]}")
        files.done()
    sec.done()
    return spec, arrays, digest


def _tokenizer_file(sec: Section, name: str, sidecar: Path) -> Path:
    given = sec.get("tokenizer", str)
    candidates = [sidecar.parent / given] if given else [
        sidecar.with_name(f"{Path(name).name}.tokenizer.json"), sidecar.with_name("tokenizer.json")]
    for path in candidates:
        if path.is_file():
            return path
    raise sec.fail("tokenizer", f"no tokenizer file: looked for {', '.join(str(p) for p in candidates)} "
                                f"(the tokenizer.json of the Hugging Face model)")


def parse_text_sidecar(files: models.ModelFiles, data: Any) -> TextModelSpec:
    """Validate a text model sidecar; every error names the file and the field."""
    name, onnx, sidecar = files.name, files.onnx, files.sidecar
    sec = Section(data, "", str(sidecar))
    for key in models.COMMON_KEYS:
        sec.get(key, str)
    sec.get("training", dict)  # the training script's record, for people
    labels = sec.get_strings("labels")
    if not labels or len(set(labels)) != len(labels):
        raise sec.fail("labels", "missing, empty or repeated: the model's output labels, in output order")
    categories = models.label_map(sec.section("categories"), labels, models.label_category)
    thresholds = models.label_map(sec.section("thresholds"), labels,
                                  lambda s, label: s.get_number(label, 0.5, 0.01, 0.99))
    threshold = sec.get_number("threshold", 0.5, 0.01, 0.99)
    activation = sec.get_choice("activation", models.ACTIVATIONS, "softmax")
    max_length = int(sec.get_number("max_length", 256, 1, 8192))
    arrays: dict[str, Path] = {}
    digest = ""
    if "features" in sec.data:
        (hashing, arrays, digest), tokenizer = _hashing(sec.section("features"), sidecar), None
        if arrays and activation != "none":
            raise sec.fail("activation", f"a model evaluated from features.arrays outputs probabilities: "
                                         f"'none', got {activation!r}")
        sec.get("tokenizer", str)
    else:
        hashing, tokenizer = None, _tokenizer_file(sec, name, sidecar)
    sec.done()
    return TextModelSpec(name=name, path=onnx, sidecar=sidecar, labels=labels, categories=categories,
                         thresholds=thresholds, threshold=threshold, activation=activation,
                         max_length=max_length, tokenizer=tokenizer, hashing=hashing, arrays=arrays,
                         graph_sha256=digest)


def check_io(spec: TextModelSpec, sess: ort.InferenceSession) -> None:
    """Catch a sidecar that does not fit its model when the session is made."""
    names = [i.name for i in sess.get_inputs()]
    wanted = {"indices", "tf"} if spec.hashing else {"input_ids"}
    if not wanted <= set(names) or (spec.tokenizer and not set(names) <= set(TOKEN_INPUTS)):
        raise ConfigError(f"{spec.path}: model inputs {names} do not fit its sidecar "
                          f"(expected {sorted(wanted)}" + ("" if spec.hashing else f" within {list(TOKEN_INPUTS)}") + ")")
    out = sess.get_outputs()[0].shape
    if len(out) != 2 or (isinstance(out[1], int) and out[1] != len(spec.labels)):
        raise ConfigError(f"{spec.sidecar}: labels: {len(spec.labels)} labels need an output of shape "
                          f"[batch, {len(spec.labels)}], the model gives {out}")


class _Tokenized:
    """A Hugging Face tokenizer.json: ids, attention mask and token types up to max_length."""

    def __init__(self, spec: TextModelSpec, inputs: list[str]) -> None:
        from tokenizers import Tokenizer

        assert spec.tokenizer is not None
        try:
            self.tokenizer = Tokenizer.from_file(str(spec.tokenizer))
        except Exception as exc:  # the Rust library raises plain Exceptions
            raise ConfigError(f"{spec.tokenizer}: not a loadable tokenizer.json: "
                              f"{models.error_detail(exc)}") from None
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(spec.max_length)
        self.inputs = inputs

    def __call__(self, text: str) -> dict[str, np.ndarray]:
        enc = self.tokenizer.encode(text)
        arrays = {"input_ids": enc.ids, "attention_mask": enc.attention_mask, "token_type_ids": enc.type_ids}
        return {name: np.asarray([arrays[name]], np.int64) for name in self.inputs}


class _Hashed:
    def __init__(self, spec: HashingSpec) -> None:
        self.spec = spec

    def __call__(self, text: str) -> dict[str, np.ndarray]:
        indices, tf = features(text, self.spec)
        return {"indices": indices, "tf": tf}


_encoders: dict[str, tuple[TextModelSpec, Encoder]] = {}
_lock = threading.Lock()


class Runner(Protocol):
    def __call__(self, text: str) -> np.ndarray: ...


def load(spec: TextModelSpec) -> Runner:
    """text -> the model's raw outputs [1, labels], with the shared session (or arrays) and
    the text encoder of the model (one tokenizer per spec)."""
    if spec.arrays:
        assert spec.hashing is not None  # arrays are parsed inside `features`
        model = linear_model(spec.arrays, spec.path, spec.graph_sha256, spec.hashing.buckets, len(spec.labels))
        hashing = spec.hashing
        return lambda text: model(*features(text, hashing))
    sess = models.session(spec.path, lambda s: check_io(spec, s), spec)
    with _lock:
        cached = _encoders.get(str(spec.sidecar))
        if cached is None or cached[0] != spec:  # a changed sidecar may name another tokenizer
            encoder = _Hashed(spec.hashing) if spec.hashing else _Tokenized(spec, [i.name for i in sess.get_inputs()])
            cached = _encoders[str(spec.sidecar)] = (spec, encoder)
        encode = cached[1]
    return lambda text: sess.run(None, encode(text))[0]
