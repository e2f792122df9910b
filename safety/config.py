"""Finding, parsing and validating the pack's one config file (YAML or JSON)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .cache import FileStampedCache
from .errors import ConfigError
from .files import read_data
from .policy import BUILTIN_POLICIES, Policy, policy_from_mapping
from .schema import Section
from .settings.aliyun import AliyunSettings, parse_aliyun
from .settings.audit import AuditSettings, parse_audit_section
from .settings.image import ImageSettings, parse_image_section
from .settings.labels import LabelConfig, parse_labels
from .settings.llm import LLMSettings, parse_llm_section
from .settings.server import ServerSettings, parse_server_section

CONFIG_ENV = "COMFY_CONTENT_SAFETY_CONFIG"
BUILTIN_SOURCE = "<built-in defaults>"


@dataclass(frozen=True)
class Config:
    source: str = BUILTIN_SOURCE
    default_policy: str = "normal"
    policies: Mapping[str, Policy] = field(default_factory=lambda: dict(BUILTIN_POLICIES))
    lexicon_dirs: tuple[str, ...] = ()
    models_dirs: tuple[str, ...] = ()
    credentials_file: str | None = None
    aliyun: AliyunSettings = field(default_factory=AliyunSettings)
    llm: LLMSettings = field(default_factory=LLMSettings)
    image: ImageSettings = field(default_factory=ImageSettings)
    audit: AuditSettings | None = None  # None: no `audit` section (ComfyUI then audits to its user dir)
    labels: LabelConfig = field(default_factory=LabelConfig)
    server: ServerSettings = field(default_factory=ServerSettings)

    def policy(self, name: str | None = None) -> Policy:
        name = name or self.default_policy
        try:
            return self.policies[name]
        except KeyError:
            raise ConfigError(
                f"unknown policy {name!r}; available: {', '.join(self.policies)} "
                f"(user policies are defined under 'policies' in {self.source})"
            ) from None

    @property
    def policy_names(self) -> list[str]:
        return list(self.policies)


def _paths(sec: Section, key: str, base: Path) -> tuple[str, ...]:
    return tuple(str((base / p).resolve()) if not os.path.isabs(os.path.expanduser(p))
                 else os.path.expanduser(p) for p in (sec.get_strings(key) or ()))


def parse_config(data: Any, source: str, base_dir: Path | None = None) -> Config:
    """Validate a loaded mapping; relative paths resolve against the file's folder."""
    base = base_dir or Path.cwd()
    top = Section(data, "", source)
    policies: dict[str, Policy] = dict(BUILTIN_POLICIES)
    raw_policies = top.section("policies")
    pending = dict(raw_policies.entries())
    parents: dict[str, str] = {}
    while pending:  # resolve `extends` in dependency order
        progressed = False
        for name, body in list(pending.items()):
            parent = body.get("extends", "normal") if isinstance(body, Mapping) else "normal"
            if parent in pending and parent != name:
                continue
            if parent not in policies:
                raise ConfigError(f"{source}: policies.{name}.extends: unknown policy {parent!r}; "
                                  f"available: {', '.join(policies)}")
            policy = policy_from_mapping(str(name), body, policies[parent], source)
            policy = _resolve_lexicons(policy, base)
            policies[str(name)] = policy
            parents[str(name)] = parent
            del pending[name]
            progressed = True
        if not progressed:
            raise ConfigError(f"{source}: policies: 'extends' forms a cycle among {', '.join(pending)}")
    default_policy = top.get("default_policy", str, "normal")
    if default_policy not in policies:
        raise top.fail("default_policy", f"unknown policy {default_policy!r}; available: {', '.join(policies)}")
    creds = top.get("credentials_file", str, None)
    config = Config(
        source=source,
        default_policy=default_policy,
        policies=policies,
        lexicon_dirs=_paths(top, "lexicon_dirs", base),
        models_dirs=_paths(top, "models_dirs", base),
        credentials_file=str((base / os.path.expanduser(creds)).resolve()) if creds else None,
        aliyun=parse_aliyun(top.section("aliyun"), base),
        llm=parse_llm_section(top.section("llm")),
        image=parse_image_section(top.section("image"), base),
        audit=parse_audit_section(top.section("audit"), base) if "audit" in top.data else None,
        labels=parse_labels(top, raw_policies.data, parents, base),
        server=parse_server_section(top.section("server")),
    )
    top.done()
    return config


def _resolve_lexicons(policy: Policy, base: Path) -> Policy:
    resolved = tuple(str((base / os.path.expanduser(p)).resolve()) for p in policy.lexicons)
    return replace(policy, lexicons=resolved)


def config_path(user_dir: str | None = None) -> Path | None:
    """Where the config comes from: the env var, else the ComfyUI user dir, else nothing."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        path = Path(os.path.expanduser(env))
        if not path.is_file():
            raise ConfigError(f"{CONFIG_ENV}={env}: no such config file")
        return path
    if user_dir:
        path = Path(user_dir) / "content_safety" / "config.yaml"
        if path.is_file():
            return path
    return None


def load_config(path: str | os.PathLike[str] | None = None, *, user_dir: str | None = None) -> Config:
    target = Path(path) if path else config_path(user_dir)
    if target is None:
        return Config()
    return parse_config(read_data(target, "config file"), str(target), target.parent)


_CONFIGS: FileStampedCache[Config] = FileStampedCache(maxsize=1)


def cached_config(user_dir: str | None = None) -> Config:
    """The current config, re-read only when the file changes (nodes call this per run)."""
    target = config_path(user_dir)
    if target is None:
        return _DEFAULT
    try:
        return _CONFIGS.get(str(target), [target], lambda: load_config(target))
    except OSError as exc:
        raise ConfigError(f"{target}: cannot read config file: {exc.strerror}") from None


_DEFAULT = Config()
