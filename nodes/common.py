"""What every check node shares: the common widgets, finding the engine, and turning
a verdict into the node's reaction (`raise`, `substitute`, `block`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, TypeVar

from ..safety import Config, ContentSafetyError, Engine, Verdict, cached_config
from ..safety.config import config_path
from ..safety.errors import ConfigError, InputError, ProviderError
from ..safety.remote.services import IMAGE_SERVICES, TEXT_SERVICES
from .comfy import ExecutionBlocker, lexicon_dirs, user_directory

CHECK_MODES = ("local", "remote", "auto")
ON_UNSAFE = ("raise", "substitute", "block")
CATEGORY = "content_safety"
T = TypeVar("T")


def config() -> Config:
    """The config file's settings plus ComfyUI's models/content_safety/lexicons folders."""
    cfg = cached_config(user_directory())
    extra = tuple(d for d in lexicon_dirs() if d not in cfg.lexicon_dirs)
    return replace(cfg, lexicon_dirs=cfg.lexicon_dirs + extra) if extra else cfg


def config_fingerprint() -> str:
    """Which config file, in which version: a node's IS_CHANGED returns it so ComfyUI's output
    cache does not serve a verdict of the old policy after the file is edited."""
    try:
        path = config_path(user_directory())
    except ConfigError as exc:
        return f"error: {exc}"
    if path is None:
        return "built-in"
    try:
        stat = path.stat()
    except OSError as exc:
        return f"{path}: {exc.strerror}"
    return f"{path}:{stat.st_mtime_ns}:{stat.st_size}"


def common_inputs() -> dict[str, tuple[Any, dict[str, Any]]]:
    """Widgets of every check node (the anchor's names, so workflows port over)."""
    cfg = config_or_default()
    return {
        "enable_safe_check": ("BOOLEAN", {
            "default": True,
            "tooltip": "Turn the check off to pass content through unchecked (the verdict says so)."}),
        "check_mode": (list(CHECK_MODES), {
            "default": "local",
            "tooltip": "local: rules and models on this machine; remote: the cloud service; "
                       "auto: local first, remote for what local checks leave open."}),
        "policy": (cfg.policy_names, {
            "default": cfg.default_policy,
            "tooltip": "Which policy decides: lax, normal, strict or one from the config file."}),
        "on_unsafe": (list(ON_UNSAFE), {
            "default": "raise",
            "tooltip": "raise: fail the run with a JSON error; substitute: replace the content; "
                       "block: stop downstream nodes and report the verdict."}),
    }


def config_or_default() -> Config:
    """Widget lists must load even when the config file is broken; the run then fails."""
    try:
        return config()
    except ConfigError:
        return Config()


def remote_inputs(kind: str) -> dict[str, tuple[Any, dict[str, Any]]]:
    """Optional widgets of the Aliyun anchor (`kind` is "text" or "image"); optional so
    workflows saved before they existed still load, and then the config's defaults apply."""
    cfg = config_or_default().aliyun
    if kind == "text":
        services, default = TEXT_SERVICES, cfg.text_service
        what = "Alibaba Cloud Green text service for check_mode remote/auto; 'classic:' picks " \
               "the older TextModeration API."
    else:
        services, default = IMAGE_SERVICES, cfg.image_service
        what = "Alibaba Cloud Green ImageModeration service for check_mode remote/auto."
    return {
        "remote_content_safe_service": (list(services), {"default": default, "tooltip": what}),
        "remote_confidence_threshold": ("FLOAT", {
            "default": cfg.confidence_threshold, "min": 0.0, "max": 100.0, "step": 1.0,
            "tooltip": "0-100: a remote label counts only when its confidence exceeds this; "
                       "the policy's thresholds still apply."}),
    }


def remote_options(service: str | None = None, threshold: float | None = None) -> dict[str, Any]:
    """Engine options from the remote widgets; absent widgets leave the config's defaults."""
    options: dict[str, Any] = {}
    if service:
        options["remote_content_safe_service"] = service
    if threshold is not None:
        options["remote_confidence_threshold"] = threshold
    return options


def engine(policy: str, check_mode: str, options: Mapping[str, Any] | None = None) -> Engine:
    cfg = config()
    return Engine(cfg.policy(policy), cfg, mode=check_mode, options=options)


def run_check(check: Callable[[], T], *, stage: str, node_id: str) -> T:
    """Run `check()`; a failed check (provider, config, input) fails closed as the JSON error."""
    try:
        return check()
    except (ProviderError, ConfigError, InputError) as exc:
        raise ContentSafetyError.from_exception(exc, stage=stage, node_id=node_id) from None
    except MemoryError:
        error = InputError("not enough memory for this check; lower the image limits in the config "
                           "(image.max_batch_pixels, image.max_total_pixels)")
        raise ContentSafetyError.from_exception(error, stage=stage, node_id=node_id) from None


def skipped_verdict() -> Verdict:
    return Verdict(provider="disabled", evidence=({"note": "enable_safe_check is off"},))


def check_text_node(text: str, enabled: bool, build: Callable[[], Engine], *, on_unsafe: str,
                    replacement: str, stage: str, node_id: str) -> dict[str, Any]:
    """A text node's run: the (text, is_safe, verdict_json) result, acting on an unsafe
    verdict. `block` blocks only the text: is_safe and the verdict still flow for reporting."""
    if not enabled:
        verdict = skipped_verdict()
        return {"ui": ui([verdict]), "result": (text, True, verdict.to_json())}
    eng = run_check(build, stage=stage, node_id=node_id)
    verdict = run_check(lambda: eng.check_text(text), stage=stage, node_id=node_id)
    out: Any = text
    if verdict.blocked:
        if on_unsafe == "raise":
            raise ContentSafetyError.from_verdict(verdict, stage=stage, node_id=node_id)
        out = (replacement or eng.policy.replacement_text) if on_unsafe == "substitute" \
            else ExecutionBlocker(None)
    return {"ui": ui([verdict]), "result": (out, verdict.is_safe, verdict.to_json())}


def ui(verdicts: list[Verdict]) -> dict[str, list[dict[str, Any]]]:
    return {"safety": [v.to_dict() for v in verdicts]}
