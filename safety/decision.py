"""One record per node run or CLI check, handed to the hooks that keep it (audit trail,
label sidecars, the front end). Nodes and the CLI build a `Decision`; they never talk to
the audit store or the label writer themselves."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .verdict import Verdict, combine

STAGES = ("text", "image_save", "image_load", "image", "llm", "cli", "quota", "api")
ACTIONS = ("passed", "flagged", "raised", "substituted", "blocked", "censored", "disabled", "error")


@dataclass(frozen=True)
class Decision:
    """What one check decided and what was done about it.

    `action`: passed (safe), flagged (controversial, passed through), raised, substituted,
    blocked (ExecutionBlocker), censored (flagged regions blurred), disabled
    (enable_safe_check off), error (the check itself failed). `inputs` are the files
    checked (an upload, the CLI's paths); `outputs` the file names written (relative to ComfyUI's output folder); `labels` what the AIGC label
    writer put on them (empty when no label was written, see `labelled`).
    """

    stage: str
    action: str
    verdicts: tuple[Verdict, ...] = ()
    policy: str = ""
    mode: str = "local"
    node_id: str = ""
    prompt_id: str = ""
    client_id: str = ""
    user: str = ""
    remote_addr: str = ""
    text: str | None = None
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    labelled: bool | None = None
    labels: tuple[Mapping[str, Any], ...] = ()
    error: Mapping[str, Any] | None = None
    time: float = field(default_factory=time.time)

    def __post_init__(self) -> None:
        if self.stage not in STAGES:
            raise ValueError(f"Decision.stage must be one of {STAGES}, got {self.stage!r}")
        if self.action not in ACTIONS:
            raise ValueError(f"Decision.action must be one of {ACTIONS}, got {self.action!r}")

    @property
    def verdict(self) -> Verdict:
        """All verdicts of the run as one (worst level wins)."""
        return combine(self.verdicts)

    @property
    def latency_ms(self) -> float:
        return sum(v.latency_ms for v in self.verdicts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "time": self.time, "stage": self.stage, "action": self.action, "policy": self.policy,
            "mode": self.mode, "node_id": self.node_id, "prompt_id": self.prompt_id,
            "client_id": self.client_id, "user": self.user, "remote_addr": self.remote_addr,
            "verdicts": [v.to_dict() for v in self.verdicts], "text": self.text,
            "inputs": list(self.inputs), "outputs": list(self.outputs), "labelled": self.labelled,
            "labels": [dict(x) for x in self.labels], "error": dict(self.error) if self.error else None,
        }


def action_for(verdict: Verdict, unsafe: str) -> str:
    """The action of a check whose unsafe verdict led to `unsafe` (raised, blocked...)."""
    return unsafe if verdict.blocked else "passed" if verdict.is_safe else "flagged"


DecisionHook = Callable[[Decision], None]


class HookError(RuntimeError):
    """A decision hook failed, e.g. the audit store refused the row: the run fails closed
    with the JSON error contract (code content_safe_check_error, provider hook:<name>)."""

    def __init__(self, hook: DecisionHook, exc: BaseException) -> None:
        self.hook = getattr(hook, "__qualname__", None) or type(hook).__name__
        self.reason = f"decision hook {self.hook} failed: {type(exc).__name__}: {str(exc)[:300]}"
        super().__init__(self.reason)


class DecisionHooks:
    """The one place decisions go. A hook that raises fails the run (the audit store's
    `on_failure: refuse`); callers turn the HookError into the JSON error contract.
    A pack adds its hooks at load time: `DECISION_HOOKS.add(hook)`."""

    def __init__(self) -> None:
        self._hooks: list[DecisionHook] = []

    def add(self, hook: DecisionHook) -> None:
        if hook not in self._hooks:
            self._hooks.append(hook)

    def remove(self, hook: DecisionHook) -> None:
        if hook in self._hooks:
            self._hooks.remove(hook)

    def hooks(self) -> tuple[DecisionHook, ...]:
        return tuple(self._hooks)

    @contextmanager
    def registered(self, hook: DecisionHook) -> Iterator[DecisionHook]:
        """For tests and scoped use: the hook is removed again, whatever happens."""
        self.add(hook)
        try:
            yield hook
        finally:
            self.remove(hook)

    def emit(self, decision: Decision) -> None:
        """Hand `decision` to every hook in order; the first that raises stops the rest
        and surfaces as HookError."""
        for hook in list(self._hooks):
            try:
                hook(decision)
            except Exception as exc:
                raise HookError(hook, exc) from exc


DECISION_HOOKS = DecisionHooks()
