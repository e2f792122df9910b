"""The checker protocols and the one table of checkers the engine builds its cascade from.

A checker reports what it saw (a `Finding`: scores and evidence per item); the engine
applies the policy. Each row's factory gives its checker typed settings made from the
config, the policy and the node's options (`Setup`); no checker sees more than that.

Adding a checker: write its module (a class with `provider`, `cost` and `check_text` or
`check_images`), add one row to `BUILTIN_CHECKERS`. A family row (`family=True`) answers
every `<name>:<rest>` name, e.g. `model:nsfw_vit`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from .config import Config
from .policy import Policy
from .settings.checks import (CheckOptions, ImageModelSettings, JudgeSettings, LexiconSettings, PiiSettings,
                              RemoteCheckSettings)
from .settings.llm import JudgeOptions
from .verdict import Finding


class TextChecker(Protocol):
    provider: str
    cost: int  # cascade order: rules 0, local models 10, LLM 20, remote 30

    def check_text(self, text: str) -> Finding: ...


class ImageChecker(Protocol):
    provider: str
    cost: int

    def check_images(self, images: Sequence[np.ndarray]) -> list[Finding]:
        """One finding per image; images are HxWx3 uint8 RGB arrays."""
        ...


@dataclass(frozen=True)
class Setup:
    """What a row's factory may read to make its checker's settings."""

    config: Config
    policy: Policy
    options: CheckOptions = field(default_factory=CheckOptions)


TextFactory = Callable[[Setup, str], TextChecker]  # (setup, the part after "family:")
ImageFactory = Callable[[Setup, str], ImageChecker]


@dataclass(frozen=True)
class Row:
    name: str
    text: TextFactory | None = None
    image: ImageFactory | None = None
    family: bool = False  # answers "<name>:<rest>"


# --- the built-in rows' factories ------------------------------------------------------

def _lexicon(setup: Setup, _: str) -> TextChecker:
    from .text.lexicon import LexiconChecker

    return LexiconChecker(LexiconSettings(setup.config.lexicon_dirs, setup.policy.lexicons,
                                          setup.policy.allow_terms))


def _pii(setup: Setup, _: str) -> TextChecker:
    from .text.pii import PiiChecker

    return PiiChecker(PiiSettings(setup.policy.pii))


def _llm(setup: Setup, _: str) -> TextChecker:
    """The node's judge options; as a cascade step of a policy, the config's `llm` section."""
    from .llm.judge import LLMJudge

    cfg = setup.config
    options = setup.options.llm or JudgeOptions.from_options({}, cfg.llm)
    return LLMJudge(JudgeSettings(options, cfg.llm, cfg.credentials_file, cfg.source,
                                  setup.policy.timeout_s, setup.policy.llm_unparsed))


def _remote(setup: Setup, service: str | None, default: str) -> RemoteCheckSettings:
    threshold = setup.options.remote.confidence_threshold
    return RemoteCheckSettings(service or default, setup.config.aliyun.confidence_threshold
                               if threshold is None else float(threshold), setup.policy.timeout_s)


def _aliyun_text(setup: Setup, _: str) -> TextChecker:
    from .remote.checkers import AliyunTextChecker, client

    settings = _remote(setup, setup.options.remote.text_service, setup.config.aliyun.text_service)
    return AliyunTextChecker(client(setup.config), settings)


def _aliyun_image(setup: Setup, _: str) -> ImageChecker:
    from .remote.checkers import AliyunImageChecker, client

    settings = _remote(setup, setup.options.remote.image_service, setup.config.aliyun.image_service)
    return AliyunImageChecker(client(setup.config), settings)


def _image_model(setup: Setup, name: str) -> ImageChecker:
    """Any ONNX detector or classifier with its image sidecar (see image/sidecar.py)."""
    from .image.checker import ModelImageChecker
    from .image.sidecar import find_model

    image = setup.config.image
    return ModelImageChecker(find_model(name, setup.config),
                             ImageModelSettings(image.batch_size, image.label_thresholds,
                                                image.threads, image.spinning))


def _nudenet(setup: Setup, _: str) -> ImageChecker:
    """The built-in default: NudeNet's detector from the nudenet wheel (or a user's
    nudenet.onnx with its sidecar in a models folder)."""
    return _image_model(setup, "nudenet")


def _text_model(setup: Setup, name: str) -> TextChecker:
    """`model:<name>` in text_checkers: an ONNX text classifier whose sidecar says
    `modality: text`, with its tokenizer.json (text/model_spec.py); `textmodel` is the
    one the pack ships."""
    from .text.classifier import TextClassifierChecker
    from .text.model_spec import find_text_model

    return TextClassifierChecker(find_text_model(name, setup.config))


def _builtin_text_model(setup: Setup, _: str) -> TextChecker:
    """The pack's own model: the n-gram and the English contextual model, averaged
    (text/ensemble.py); each is also `model:<name>` on its own."""
    from .models import TEXTMODEL_MEMBERS
    from .text.classifier import TextClassifierChecker
    from .text.ensemble import AveragedTextChecker
    from .text.model_spec import find_text_model

    words, context = (TextClassifierChecker(find_text_model(name, setup.config)) for name in TEXTMODEL_MEMBERS)
    return AveragedTextChecker(words, context)


BUILTIN_CHECKERS: tuple[Row, ...] = (
    Row("lexicon", text=_lexicon),
    Row("pii", text=_pii),
    Row("textmodel", text=_builtin_text_model),
    Row("llm", text=_llm),
    Row("aliyun", text=_aliyun_text, image=_aliyun_image),
    Row("nudenet", image=_nudenet),
    Row("model", text=_text_model, image=_image_model, family=True),
)


class CheckerTable:
    """The rows the engine looks names up in: the built-ins plus what a pack or test adds."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self._rows: dict[str, Row] = {r.name: r for r in rows}

    def add(self, row: Row) -> None:
        self._rows[row.name] = row

    def remove(self, name: str) -> None:
        self._rows.pop(name, None)

    @contextmanager
    def registered(self, row: Row) -> Iterator[Row]:
        """For tests and scoped use: the row (and what it replaced) is restored afterwards."""
        before = self._rows.get(row.name)
        self.add(row)
        try:
            yield row
        finally:
            if before is None:
                self.remove(row.name)
            else:
                self.add(before)

    def names(self, kind: str) -> list[str]:
        return [f"{r.name}:<name>" if r.family else r.name for r in self._rows.values()
                if getattr(r, kind) is not None]

    def factory(self, kind: str, name: str) -> tuple[Callable[[Setup, str], object], str] | None:
        """The factory for `name` and the argument it gets (the family member's name)."""
        row = self._rows.get(name)
        rest = ""
        if row is None or row.family:
            prefix, sep, rest = name.partition(":")
            row = self._rows.get(prefix) if sep and rest else None
            if row is not None and not row.family:
                row = None
        make = getattr(row, kind) if row is not None else None
        return (make, rest) if make is not None else None

    def rows(self) -> Mapping[str, Row]:
        return dict(self._rows)


CHECKERS = CheckerTable(BUILTIN_CHECKERS)
