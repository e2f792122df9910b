"""What every check node shares: the common widgets, IS_CHANGED, finding the config and
engine, error translation, the `on_unsafe` reaction, and the one `Decision` each run
hands to `DECISION_HOOKS` (AI labels and the audit trail attach there, not to the nodes).

A node makes one `NodeRun` per execution and ends it with exactly one of `passed` (any
verdict, after acting on it), `disabled`, or an exception that `NodeRun` turned into the
JSON error contract (and reported as a Decision first).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, NoReturn, TypeVar

from ..safety import (
    CHECK_MODES,
    DECISION_HOOKS,
    IMAGE_SERVICES,
    TEXT_SERVICES,
    CheckOptions,
    Config,
    ConfigError,
    ContentSafetyError,
    Decision,
    Engine,
    HookError,
    InputError,
    ProviderError,
    RemoteOptions,
    Verdict,
    action_for,
    cached_config,
    config_path,
)
from .comfy import ExecutionBlocker, Origin, lexicon_dirs, run_origin, user_directory

ON_UNSAFE = ("raise", "substitute", "block")
CATEGORY = "content_safety"
FAILURES = (ProviderError, ConfigError, InputError)
T = TypeVar("T")


def config() -> Config:
    """The config file's settings plus ComfyUI's models/content_safety/lexicons folders."""
    cfg = cached_config(user_directory())
    extra = tuple(d for d in lexicon_dirs() if d not in cfg.lexicon_dirs)
    return replace(cfg, lexicon_dirs=cfg.lexicon_dirs + extra) if extra else cfg


def config_or_default() -> Config:
    """Widget lists must load even when the config file is broken; the run then fails."""
    try:
        return config()
    except ConfigError:
        return Config()


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


# widgets ----------------------------------------------------------------------------------

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


def remote_options(kind: str, service: str | None = None, threshold: float | None = None) -> CheckOptions:
    """Engine options from the remote widgets of a `kind` ("text" or "image") node; absent
    widgets leave the config's defaults."""
    chosen = {"text_service" if kind == "text" else "image_service": service or None}
    return CheckOptions(remote=RemoteOptions(**chosen, confidence_threshold=threshold))


def rerun_key() -> str:
    """What a check's result depends on besides its inputs: the config file's version and
    the user who queued the prompt (trusted_users), so ComfyUI's output cache never serves
    one user's verdict to another or a verdict of the old policy."""
    return f"{config_fingerprint()}|user={run_origin().user}"


class CheckNode:
    """Base of the pack's check nodes: category and IS_CHANGED."""

    CATEGORY = CATEGORY

    @classmethod
    def IS_CHANGED(cls, **_inputs: Any) -> str:
        """ComfyUI re-runs a node only when its inputs or this value change."""
        return rerun_key()


# one run ----------------------------------------------------------------------------------

def skipped_verdict() -> Verdict:
    return Verdict(provider="disabled", evidence=({"note": "enable_safe_check is off"},))


def ui(verdicts: Sequence[Verdict]) -> dict[str, list[dict[str, Any]]]:
    return {"safety": [v.to_dict() for v in verdicts]}


class NodeRun:
    """One execution of a check node, from its widgets to its Decision.

    `options` makes the engine's options from the config (widget values are validated
    then, inside the run). `guard` turns a failed check into the JSON error
    (content_safe_check_error); `react`
    applies `on_unsafe`; `decide` reports the run to DECISION_HOOKS (a hook that raises
    becomes the JSON error too). The user ComfyUI says queued the prompt reaches the
    engine, so the policy's `trusted_users` applies.
    """

    def __init__(self, stage: str, node_id: str, *, policy: str, mode: str = "local",
                 options: Callable[[Config], CheckOptions] | None = None, text: str | None = None,
                 inputs: tuple[str, ...] = ()) -> None:
        self.stage = stage
        self.node_id = str(node_id or "")
        self.policy = policy
        self.mode = mode
        self.options = options
        self.text = text
        self.inputs = inputs
        self.origin: Origin = run_origin()
        self._config: Config | None = None

    @property
    def user(self) -> str:
        return self.origin.user

    def config(self) -> Config:
        if self._config is None:
            self._config = self.guard(config)  # a broken file: JSON error
        return self._config

    def engine(self, policy_override: Callable[[Any], Any] | None = None) -> Engine:
        """The engine of the chosen policy; `policy_override` may adjust the policy (the
        LLM judge node makes the judge its only text checker)."""
        def build() -> Engine:
            cfg = self.config()
            chosen = cfg.policy(self.policy)
            return Engine(policy_override(chosen) if policy_override else chosen, cfg, mode=self.mode,
                          options=self.options(cfg) if self.options else None)
        return self.guard(build)

    def guard(self, check: Callable[[], T]) -> T:
        """Run `check()`; a failed check (provider, config, input) fails closed as the JSON error."""
        try:
            return check()
        except FAILURES as exc:
            self.fail(ContentSafetyError.from_exception(exc, stage=self.stage, node_id=self.node_id))
        except MemoryError:
            error = InputError("not enough memory for this check; lower the image limits in the config "
                               "(image.max_batch_pixels, image.max_total_pixels)")
            self.fail(ContentSafetyError.from_exception(error, stage=self.stage, node_id=self.node_id))

    def fail(self, error: ContentSafetyError, verdicts: Sequence[Verdict] = (),
             action: str = "error") -> NoReturn:
        """Report the failed (or raised) run, then raise its JSON error."""
        self.decide(action, verdicts, error=error)
        raise error from None

    def react(self, verdict: Verdict, on_unsafe: str, value: Any,
              substitute: Callable[[], Any]) -> tuple[Any, str]:
        """The node's output for `value` and the action taken under `on_unsafe`: unchanged
        unless the verdict is unsafe; then raise the JSON error, block downstream nodes
        (ExecutionBlocker) or `substitute()`."""
        if not verdict.blocked:
            return value, action_for(verdict, "passed")
        if on_unsafe == "raise":
            self.fail(ContentSafetyError.from_verdict(verdict, stage=self.stage, node_id=self.node_id),
                      [verdict], "raised")
        if on_unsafe == "block":
            return ExecutionBlocker(None), "blocked"
        return self.guard(substitute), "substituted"

    def decide(self, action: str, verdicts: Sequence[Verdict], *, outputs: tuple[str, ...] = (),
               labelled: bool | None = None, labels: tuple[Mapping[str, Any], ...] = (),
               error: ContentSafetyError | None = None, at: float | None = None) -> None:
        """Hand the run's Decision to the hooks; a hook failure is the JSON error. `at`:
        the decision's time when the node keeps its own clock (the quota gate)."""
        o = self.origin
        decision = Decision(
            stage=self.stage, action=action, verdicts=tuple(verdicts), policy=self.policy, mode=self.mode,
            node_id=self.node_id, prompt_id=o.prompt_id, client_id=o.client_id, user=o.user,
            remote_addr=o.remote_addr, text=self.text, inputs=self.inputs, outputs=outputs,
            labelled=labelled, labels=labels, error=error.payload if error is not None else None,
            **({"time": at} if at is not None else {}))
        try:
            DECISION_HOOKS.emit(decision)
        except HookError as exc:
            raise ContentSafetyError.from_exception(exc, stage=self.stage, node_id=self.node_id) from None

    def disabled(self) -> Verdict:
        """enable_safe_check off: the run is reported as such and passes unchecked."""
        verdict = skipped_verdict()
        self.decide("disabled", [verdict])
        return verdict


def check_text_node(run: NodeRun, text: str, enabled: bool, *, on_unsafe: str, replacement: str,
                    policy_override: Callable[[Any], Any] | None = None,
                    role: str = "positive") -> dict[str, Any]:
    """A text node's run: the (text, is_safe, verdict_json) result, acting on an unsafe
    verdict. `block` blocks only the text: is_safe and the verdict still flow for reporting.
    A negative prompt passes on with the policy's forced negative terms appended."""
    if not enabled:
        verdict = run.disabled()
        return {"ui": ui([verdict]), "result": (text, True, verdict.to_json())}
    eng = run.engine(policy_override)
    verdict = run.guard(lambda: eng.check_text(text, user=run.user, role=role))
    passed = eng.policy.negative_prompt(text) if role == "negative" else text
    out, action = run.react(verdict, on_unsafe, passed, lambda: replacement or eng.policy.replacement_text)
    run.decide(action, [verdict])
    return {"ui": ui([verdict]), "result": (out, verdict.is_safe, verdict.to_json())}
