"""The audit trail inside ComfyUI: every Decision goes to the store of the config's `audit`
section, or by default to SQLite in ComfyUI's user directory
(`user/content_safety/audit.sqlite3`)."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from ..safety import (DECISION_HOOKS, AuditSettings, AuditTrail, Config, default_audit_settings,
                      open_audit_store)
from .comfy import serving, user_directory
from .common import config_or_default


@lru_cache(maxsize=4)
def _default(folder: str) -> AuditSettings:
    return default_audit_settings(os.path.join(folder, "content_safety"))


def audit_settings(cfg: Config) -> AuditSettings | None:
    """The config's section, else inside a ComfyUI server the default store; None for
    scripts and tests that import the nodes without an `audit` section."""
    if cfg.audit is not None:
        return cfg.audit
    folder = user_directory()
    return _default(folder) if folder and serving() else None


def _source() -> tuple[Config, AuditSettings] | None:
    """A broken config file fails the run elsewhere; its decision still goes to the
    default store rather than nowhere."""
    cfg = config_or_default()
    settings = audit_settings(cfg)
    return (cfg, settings) if settings else None


def audit_store(cfg: Config) -> Any:
    """The open store (shared with the hook), or None when nothing is audited."""
    settings = audit_settings(cfg)
    return open_audit_store(settings) if settings else None


TRAIL = AuditTrail(_source)
DECISION_HOOKS.add(TRAIL)
