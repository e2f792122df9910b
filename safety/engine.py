"""The cascade: run the checkers a policy asks for, cheapest first, into one Verdict per item."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np

from .checkers import CHECKERS, CheckerTable, ImageChecker, Setup, TextChecker
from .config import Config
from .errors import ConfigError, InputError, ProviderError
from .policy import PROMPT_ROLES, Policy
from .settings.checks import CheckOptions
from .text.negative import NegativePromptChecker
from .text.normalize import shared_normalization
from .verdict import Finding, Verdict, combine

_SURROGATE = re.compile("[\ud800-\udfff]")
CHECK_MODES = ("local", "remote", "auto")


@dataclass(frozen=True)
class Step:
    """One checker of the cascade: `remote` ones may fall back to the local checkers."""

    name: str
    checker: TextChecker | ImageChecker
    remote: bool


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
    """Runs one policy's checkers as one cascade, for texts and images alike. Cheap to
    build; heavy state lives in shared caches. Only the engine applies the policy: the
    checkers report findings, `Policy.decide` turns each into a verdict."""

    def __init__(self, policy: Policy, config: Config | None = None, *, mode: str = "local",
                 options: CheckOptions | None = None, checkers: CheckerTable = CHECKERS) -> None:
        if mode not in CHECK_MODES:
            raise ConfigError(f"check mode must be one of {', '.join(CHECK_MODES)}, got {mode!r}")
        self.policy = policy
        self.config = config or Config()
        self.mode = mode
        self.options = options or CheckOptions()
        self._table = checkers
        self.text_steps = self._steps("text", self._names("text"))  # eager: bad options fail at once

    @cached_property
    def image_steps(self) -> list[Step]:
        """Built on first use, so a text check never loads an image model."""
        return self._steps("image", self._names("image"))

    @property
    def text_checkers(self) -> list[TextChecker]:
        return [s.checker for s in self.text_steps]  # type: ignore[misc]

    @property
    def image_checkers(self) -> list[ImageChecker]:
        return [s.checker for s in self.image_steps]  # type: ignore[misc]

    def _names(self, kind: str) -> list[tuple[str, bool]]:
        p = self.policy
        local, remote = ((p.text_checkers, p.remote_text_checkers) if kind == "text"
                         else (p.image_checkers, p.remote_image_checkers))
        named = {"local": [(n, False) for n in local], "remote": [(n, True) for n in remote]}
        return named[self.mode] if self.mode != "auto" else named["local"] + named["remote"]

    def _steps(self, kind: str, names: Sequence[tuple[str, bool]]) -> list[Step]:
        """The checkers cheapest first (a stable sort keeps the policy's order within a cost)."""
        found = [(n, remote, self._table.factory(kind, n)) for n, remote in names]
        missing = [n for n, _, f in found if f is None]
        if missing:
            raise ConfigError(f"policy {self.policy.name!r} ({self.mode} mode): {kind} checker(s) "
                              f"{', '.join(missing)} not "
                              f"available; available: {', '.join(self._table.names(kind))}")
        setup = Setup(self.config, self.policy, self.options)
        steps = [Step(name, make(setup, rest), remote) for name, remote, (make, rest) in found]  # type: ignore[misc]
        return sorted(steps, key=lambda s: s.checker.cost)

    def warm_up(self) -> None:
        """Pay the local text steps' first-use costs (the lexicon build, a text model's first
        run; its session came with the engine) before the first check, for a host that
        builds the engine long before it checks. Only steps with a `warm_up` take part: an
        LLM judge or a cloud service is never called."""
        for step in self.text_steps:
            warm = getattr(step.checker, "warm_up", None)
            if warm is not None and not step.remote:
                warm()

    def _trusted(self, user: str | None) -> Verdict | None:
        if user and user in self.policy.trusted_users:
            return Verdict(provider="policy:trusted_user", evidence=({"trusted_user": user},))
        return None

    def check_text(self, text: object, *, user: str | None = None, role: str = "positive") -> Verdict:
        """One verdict for `text`. Raises ProviderError when a checker fails and the
        policy fails closed; with `fail_open` the failure is recorded in the evidence.
        A user in the policy's `trusted_users` passes unchecked (the verdict says so).
        A `negative` prompt lists what to avoid: only the negative-prompt rules judge it."""
        start = time.perf_counter()
        if role not in PROMPT_ROLES:
            raise InputError(f"prompt role must be one of {', '.join(PROMPT_ROLES)}, got {role!r}")
        clean = prepare_text(text, self.policy)
        trusted = self._trusted(user)
        if trusted is not None:
            return trusted.with_latency((time.perf_counter() - start) * 1000)
        with shared_normalization():
            if role == "negative":
                verdicts = [self.policy.decide(NegativePromptChecker().check_text(clean))]
            else:
                (verdicts,) = self._cascade("text", self.text_steps, [clean])
        return combine(verdicts).with_latency((time.perf_counter() - start) * 1000)

    def check_images(self, images: Sequence[np.ndarray], *, user: str | None = None) -> list[Verdict]:
        """One verdict per HxWx3 uint8 RGB image. Each image runs the cascade on its own:
        one already unsafe skips the costlier checkers, the others go on as a batch.
        Provider failures fail closed unless the policy says `fail_open`."""
        start = time.perf_counter()
        arrays = [prepare_image(img, i) for i, img in enumerate(images)]
        trusted = self._trusted(user)
        results = [[trusted]] * len(arrays) if trusted else self._cascade("image", self.image_steps, arrays)
        share = (time.perf_counter() - start) * 1000 / max(1, len(arrays))
        return [combine(r).with_latency(share) for r in results]

    def check_frames(self, frames: Iterable[tuple[int, np.ndarray]], *, chunk: int | None = None,
                     early_exit: bool = True, progress: Callable[[int], None] | None = None,
                     user: str | None = None, max_pixels: int | None = None) -> dict[int, Verdict]:
        """Verdicts of (index, frame) pairs of a clip, `chunk` frames per batch (and at most
        `max_pixels` in one), stopping after the first batch holding an unsafe frame unless
        `early_exit` is off."""
        from .image.frames import check_frames

        return check_frames(lambda batch: self.check_images(batch, user=user), frames,
                            chunk=chunk or self.config.image.batch_size, early_exit=early_exit,
                            max_pixels=max_pixels, progress=progress)

    def check_file(self, path: str | os.PathLike[str], *, user: str | None = None) -> Verdict:
        """Decode a file safely (InputError naming it when it is no acceptable image) and
        check its frames, stopping after the first batch of frames holding an unsafe one."""
        from .image.decode import open_image
        from .image.frames import combine_frames

        start = time.perf_counter()
        with open_image(path, self.config.image) as image:
            verdicts = self.check_frames(image.plan().pairs(), user=user,
                                         max_pixels=self.config.image.max_batch_pixels)
            sampled = {"sampled_frames": len(image.indices), "frames": image.n_frames} if image.sampled else None
        verdict = combine_frames(verdicts)
        if sampled:  # frames past the budgets were not looked at: the verdict says so
            verdict = replace(verdict, evidence=(*verdict.evidence, sampled))
        return verdict.with_latency((time.perf_counter() - start) * 1000)

    def _cascade(self, kind: str, steps: Sequence[Step], items: Sequence[Any]) -> list[list[Verdict]]:
        """Every item through the steps, cheapest first; an item already unsafe skips the
        rest, except a remote step under `auto_remote: always` in auto mode."""
        results: list[list[Verdict]] = [[] for _ in items]
        for step in steps:
            always = self.mode == "auto" and self.policy.auto_remote == "always" and step.remote
            todo = [i for i, r in enumerate(results) if always or not any(v.blocked for v in r)]
            if todo:
                for i, verdict in zip(todo, self._run(kind, step, [items[i] for i in todo])):
                    results[i].append(verdict)
        return results

    def _run(self, kind: str, step: Step, items: list[Any]) -> list[Verdict]:
        try:
            return [self.policy.decide(f) for f in _findings(kind, step.checker, items)]
        except ProviderError as exc:
            if step.remote and self.policy.remote_fallback_local:
                return self._local_fallback(kind, items, exc)
            if not self.policy.fail_open:
                raise
            return [_failure(exc, fail_open=True)] * len(items)

    def _local_fallback(self, kind: str, items: list[Any], exc: ProviderError) -> list[Verdict]:
        """Policy `remote_fallback_local`: the failure goes in the evidence and the local
        checkers decide (in auto mode they already ran, so their verdicts stand)."""
        failed = _failure(exc, fallback="local")
        if self.mode == "auto":
            return [failed] * len(items)
        p = self.policy
        local = self._steps(kind, [(n, False) for n in (p.text_checkers if kind == "text" else p.image_checkers)])
        return [combine([failed, *r]) for r in self._cascade(kind, local, items)]


def _findings(kind: str, checker: Any, items: list[Any]) -> list[Finding]:
    if kind == "text":
        return [checker.check_text(text) for text in items]
    found = checker.check_images(items)
    if len(found) != len(items):
        raise ProviderError(checker.provider, f"returned {len(found)} findings for {len(items)} images")
    return found


def _failure(exc: ProviderError, **how: Any) -> Verdict:
    """The evidence of a provider failure the policy let pass (fail_open) or hand over."""
    return Verdict(provider=exc.provider, evidence=({
        "error": exc.reason, "code": exc.code, "request_id": exc.request_id, **how},))
