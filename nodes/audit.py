"""The audit trail inside ComfyUI: every Decision goes to the store of the config's `audit`
section, or by default to SQLite in ComfyUI's user directory
(`user/content_safety/audit.sqlite3`)."""

from __future__ import annotations

import os
from functools import lru_cache

from ..safety import DECISION_HOOKS, Config
from ..safety.audit.settings import AuditSettings, default_settings
from ..safety.audit.store import AuditStore
from ..safety.audit.trail import STORES, AuditTrail
from .comfy import user_directory
from .common import config


@lru_cache(maxsize=4)
def _default(folder: str) -> AuditSettings:
    return default_settings(os.path.join(folder, "content_safety"))


def audit_settings(cfg: Config) -> AuditSettings | None:
    """The config's section, else the default store; None outside ComfyUI (tests, scripts)."""
    if cfg.audit is not None:
        return cfg.audit
    folder = user_directory()
    return _default(folder) if folder else None


def _source() -> tuple[Config, AuditSettings] | None:
    cfg = config()
    settings = audit_settings(cfg)
    return (cfg, settings) if settings else None


def audit_store(cfg: Config) -> AuditStore | None:
    settings = audit_settings(cfg)
    return STORES.get(settings) if settings else None


TRAIL = AuditTrail(_source)
DECISION_HOOKS.add(TRAIL)
