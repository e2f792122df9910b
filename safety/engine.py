"""The cascade: run the checkers a policy asks for, cheapest first, into one Verdict."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import cached_property
from typing import Any, Protocol, TypeVar

import numpy as np

from .config import Config
from .errors import ConfigError, InputError, ProviderError
from .policy import Policy
from .text.normalize import shared_normalization
from .verdict import Verdict, combine

_SURROGATE = re.compile("[\ud800-\udfff]")
MODES = ("local", "remote", "auto")


class TextChecker(Protocol):
    provider: str
    cost: int  # cascade order: rules 0, local models 10, LLM 20, remote 30

    def check_text(self, text: str, policy: Policy) -> Verdict: ...


class ImageChecker(Protocol):
    provider: str
    cost: int

    def check_images(self, images: Sequence[np.ndarray], policy: Policy) -> list[Verdict]:
        """One verdict per image; images are HxWx3 uint8 RGB arrays."""
        ...


C = TypeVar("C", TextChecker, ImageChecker)


# Factories get the config and the calling node's per-run options (e.g. a remote
# service name chosen in a widget); options never carry secrets.
TextCheckerFactory = Callable[[Config, Mapping[str, Any]], TextChecker]
ImageCheckerFactory = Callable[[Config, Mapping[str, Any]], ImageChecker]
TEXT_CHECKER_FACTORIES: dict[str, TextCheckerFactory] = {}
IMAGE_CHECKER_FACTORIES: dict[str, ImageCheckerFactory] = {}


def register_text_checker(name: str, factory: TextCheckerFactory) -> None:
    TEXT_CHECKER_FACTORIES[name] = factory


def register_image_checker(name: str, factory: ImageCheckerFactory) -> None:
    IMAGE_CHECKER_FACTORIES[name] = factory


ImageCheckerFamily = Callable[[str, Config, Mapping[str, Any]], ImageChecker]
IMAGE_CHECKER_FAMILIES: dict[str, ImageCheckerFamily] = {}


def register_image_checker_family(prefix: str, factory: ImageCheckerFamily) -> None:
    """Checkers named `<prefix>:<name>`, e.g. `model:nsfw_vit` for any ONNX model file."""
    IMAGE_CHECKER_FAMILIES[prefix] = factory


def build_image_checker(name: str, config: Config, options: Mapping[str, Any], where: str) -> ImageChecker:
    if name in IMAGE_CHECKER_FACTORIES:
        return IMAGE_CHECKER_FACTORIES[name](config, options)
    prefix, sep, rest = name.partition(":")
    if sep and rest and prefix in IMAGE_CHECKER_FAMILIES:
        return IMAGE_CHECKER_FAMILIES[prefix](rest, config, options)
    known = [*IMAGE_CHECKER_FACTORIES, *(f"{p}:<name>" for p in IMAGE_CHECKER_FAMILIES)]
    raise ConfigError(f"{where}: image checker {name!r} not available; available: {', '.join(known)}")


def prepare_image(image: object, index: int) -> np.ndarray:
    """Checkers get HxWx3 uint8 RGB arrays; anything else is the caller's mistake."""
    if (not isinstance(image, np.ndarray) or image.dtype != np.uint8 or image.ndim != 3
            or image.shape[2] != 3 or 0 in image.shape):
        got = f"{image.dtype} array of shape {image.shape}" if isinstance(image, np.ndarray) \
            else type(image).__name__
        raise InputError(f"image {index}: expected an HxWx3 uint8 RGB array, got {got}")
    return image


def prepare_text(text: object, policy: Policy) -> str:
    """Validate input text; lone surrogates become U+FFFD so nothing downstream chokes."""
    if not isinstance(text, str):
        raise InputError(f"text to check must be a string, got {type(text).__name__}")
    if len(text) > policy.max_text_chars:
        raise InputError(f"text is {len(text)} characters, more than policy {policy.name!r} "
                          f"allows (max_text_chars={policy.max_text_chars})")
    if _SURROGATE.search(text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


class Engine:
    """Runs one policy's checkers. Cheap to build; heavy state lives in shared caches."""

    def __init__(self, policy: Policy, config: Config | None = None, *, mode: str = "local",
                 options: Mapping[str, Any] | None = None) -> None:
        from . import checkers  # noqa: F401  (registers the built-in checkers)

        if mode not in MODES:
            raise ConfigError(f"check mode must be one of {', '.join(MODES)}, got {mode!r}")
        self.policy = policy
        self.config = config or Config()
        self.mode = mode
        self.options = dict(options or {})
        names = self._names(policy.text_checkers, policy.remote_text_checkers)
        missing = [n for n in names if n not in TEXT_CHECKER_FACTORIES]
        if missing:
            raise ConfigError(f"policy {policy.name!r} ({mode} mode): text checker(s) "
                              f"{', '.join(missing)} not available; available: "
                              f"{', '.join(TEXT_CHECKER_FACTORIES)}")
        # built eagerly: bad options fail at once
        built = [(n, TEXT_CHECKER_FACTORIES[n](self.config, self.options)) for n in names]
        self.text_checkers, self._remote_ids = self._ordered(built, policy.remote_text_checkers)

    def _names(self, local: Sequence[str], remote: Sequence[str]) -> tuple[str, ...]:
        return {"local": tuple(local), "remote": tuple(remote),
                "auto": tuple(local) + tuple(remote)}[self.mode]

    def _ordered(self, built: Sequence[tuple[str, C]], remote_names: Sequence[str]) -> tuple[list[C], set[int]]:
        """The checkers cheapest first, and the ids of the remote ones (a failure of those
        may fall back to the local checkers)."""
        remote = set(remote_names) if self.mode != "local" else set()
        return sorted((c for _, c in built), key=lambda c: c.cost), {id(c) for n, c in built if n in remote}

    def check_text(self, text: object, *, user: str | None = None) -> Verdict:
        """One verdict for `text`. Raises ProviderError when a checker fails and the
        policy fails closed; with `fail_open` the failure is recorded in the evidence."""
        start = time.perf_counter()
        clean = prepare_text(text, self.policy)
        if user and user in self.policy.trusted_users:
            return Verdict(provider="policy:trusted_user", evidence=({"trusted_user": user},),
                           latency_ms=(time.perf_counter() - start) * 1000)
        verdicts: list[Verdict] = []
        with shared_normalization():
            for checker in self.text_checkers:
                if any(v.level == "unsafe" for v in verdicts) and not self._always(checker):
                    continue  # a confident block needs no costlier opinion
                verdicts.append(self._run(checker, clean))
        result = combine(verdicts)
        return result.with_latency((time.perf_counter() - start) * 1000)

    def _always(self, checker: TextChecker) -> bool:
        """Policy `auto_remote: always`: the remote checker runs even after a local block."""
        return (self.mode == "auto" and self.policy.auto_remote == "always"
                and id(checker) in self._remote_ids)

    def _run(self, checker: TextChecker, text: str) -> Verdict:
        try:
            return checker.check_text(text, self.policy)
        except ProviderError as exc:
            if id(checker) in self._remote_ids and self.policy.remote_fallback_local:
                return self._local_fallback(text, exc)
            if not self.policy.fail_open:
                raise
            return _failure(exc, fail_open=True)

    def _local_fallback(self, text: str, exc: ProviderError) -> Verdict:
        """Policy `remote_fallback_local`: the failure goes in the evidence and the local
        checkers decide (in auto mode they already ran, so their verdicts stand)."""
        failed = _failure(exc, fallback="local")
        if self.mode == "auto":
            return failed
        local = sorted((TEXT_CHECKER_FACTORIES[n](self.config, self.options)
                        for n in self.policy.text_checkers), key=lambda c: c.cost)
        verdicts = [failed]
        for checker in local:
            verdicts.append(self._run(checker, text))
            if verdicts[-1].level == "unsafe":
                break
        return combine(verdicts)

    # images ---------------------------------------------------------------------------

    def _build_images(self, names: Sequence[str]) -> list[tuple[str, ImageChecker]]:
        where = f"policy {self.policy.name!r} ({self.mode} mode)"
        return [(n, build_image_checker(n, self.config, self.options, where)) for n in names]

    @cached_property
    def image_checkers(self) -> list[ImageChecker]:
        """Built on first use, so a text check never loads an image model."""
        built = self._build_images(self._names(self.policy.image_checkers,
                                               self.policy.remote_image_checkers))
        checkers, self._remote_image_ids = self._ordered(built, self.policy.remote_image_checkers)
        return checkers

    def check_images(self, images: Sequence[np.ndarray]) -> list[Verdict]:
        """One verdict per HxWx3 uint8 RGB image. Each image runs the cascade on its own:
        one already unsafe skips the costlier checkers, the others go on as a batch.
        Provider failures fail closed unless the policy says `fail_open`."""
        start = time.perf_counter()
        arrays = [prepare_image(img, i) for i, img in enumerate(images)]
        results = self._image_cascade(self.image_checkers, arrays)
        share = (time.perf_counter() - start) * 1000 / max(1, len(arrays))
        return [combine(r).with_latency(share) for r in results]

    def check_file(self, path: str | os.PathLike[str]) -> Verdict:
        """Decode a file safely (InputError naming it when it is no acceptable image) and
        check its frames, stopping after the first batch of frames holding an unsafe one."""
        from .image.decode import open_image
        from .image.frames import check_frames, combine_frames

        start = time.perf_counter()
        with open_image(path, self.config.image) as image:
            verdicts = check_frames(self, image.plan().pairs(), chunk=self.config.image.batch_size,
                                    max_pixels=self.config.image.max_batch_pixels)
            sampled = {"sampled_frames": len(image.indices), "frames": image.n_frames} if image.sampled else None
        verdict = combine_frames(verdicts)
        if sampled:
            verdict = replace(verdict, evidence=(*verdict.evidence, sampled))
        return verdict.with_latency((time.perf_counter() - start) * 1000)

    def _image_cascade(self, checkers: Sequence[ImageChecker],
                       arrays: Sequence[np.ndarray]) -> list[list[Verdict]]:
        results: list[list[Verdict]] = [[] for _ in arrays]
        for checker in checkers:
            always = (self.mode == "auto" and self.policy.auto_remote == "always"
                      and id(checker) in self._remote_image_ids)
            todo = [i for i, r in enumerate(results) if always or not any(v.blocked for v in r)]
            if todo:
                for i, verdict in zip(todo, self._run_images(checker, [arrays[i] for i in todo])):
                    results[i].append(verdict)
        return results

    def _run_images(self, checker: ImageChecker, images: list[np.ndarray]) -> list[Verdict]:
        try:
            verdicts = checker.check_images(images, self.policy)
            if len(verdicts) != len(images):
                raise ProviderError(checker.provider, f"returned {len(verdicts)} verdicts "
                                                      f"for {len(images)} images")
            return verdicts
        except ProviderError as exc:
            if id(checker) in self._remote_image_ids and self.policy.remote_fallback_local:
                return self._images_local_fallback(images, exc)
            if not self.policy.fail_open:
                raise
            return [_failure(exc, fail_open=True)] * len(images)

    def _images_local_fallback(self, images: list[np.ndarray], exc: ProviderError) -> list[Verdict]:
        """As `_local_fallback` for text: the failure is recorded, local checkers decide."""
        failed = _failure(exc, fallback="local")
        if self.mode == "auto":
            return [failed] * len(images)
        local = sorted((c for _, c in self._build_images(self.policy.image_checkers)),
                       key=lambda c: c.cost)
        return [combine([failed, *r]) for r in self._image_cascade(local, images)]


def _failure(exc: ProviderError, **how: Any) -> Verdict:
    """The evidence of a provider failure the policy let pass (fail_open) or hand over."""
    return Verdict(provider=exc.provider, evidence=({
        "error": exc.reason, "code": exc.code, "request_id": exc.request_id, **how},))
