"""What a deployment has set up, for GET /content_safety/status and the front end's warnings.

Credentials are reported as present or missing (with the reason, which names the variable
or file and never a value). Model files are listed with their SHA-256, so an operator can
prove which weights decided."""

from __future__ import annotations

import dataclasses
from typing import Any

from .config import Config
from .errors import ConfigError
from .files import sha256_file
from .llm.credentials import api_key
from .models import BUILTIN_SIDECARS, BUILTIN_TEXT, nudenet_onnx, search_dirs
from .remote.credentials import load_credentials


def _presence(probe: Any) -> dict[str, Any]:
    try:
        present = bool(probe())
    except ConfigError as exc:
        return {"present": False, "reason": str(exc)}
    return {"present": present, "reason": "" if present else "not set"}


def providers(cfg: Config) -> dict[str, Any]:
    """LLM URLs without user info or query: a token there must not reach this public route."""
    from .llm.http import safe_url  # brings requests: only when the report is asked for

    uses_aliyun = any("aliyun" in (p.remote_text_checkers + p.remote_image_checkers)
                      for p in cfg.policies.values())
    aliyun = cfg.aliyun
    return {
        "local": {"configured": True, "credentials": {"present": True, "reason": "none needed"}},
        "aliyun": {"configured": uses_aliyun, "region": aliyun.region, "network": aliyun.network,
                   "endpoint": aliyun.endpoint or "",
                   "credentials": _presence(lambda: load_credentials(cfg.credentials_file, cfg.source))},
        "llm": {"configured": True, "local_api": cfg.llm.local_api,
                "local_url": safe_url(cfg.llm.local_url) if cfg.llm.local_url else "",
                "remote_url": safe_url(cfg.llm.remote_url),
                "credentials": _presence(lambda: api_key(cfg.llm.remote_url, cfg.credentials_file))},
    }


def models(cfg: Config) -> list[dict[str, Any]]:
    """Every model file with a sidecar in the model folders, then the built-in ones."""
    found: list[dict[str, Any]] = []
    for folder in search_dirs(cfg):
        for onnx in sorted(folder.rglob("*.onnx")) if folder.is_dir() else ():
            found.append({"name": onnx.relative_to(folder).with_suffix("").as_posix(), "path": str(onnx),
                          "sidecar": onnx.with_suffix(".json").is_file(), "bytes": onnx.stat().st_size,
                          "sha256": sha256_file(onnx), "builtin": False})
    for name in BUILTIN_SIDECARS:
        try:
            onnx = nudenet_onnx()
        except ConfigError as exc:
            found.append({"name": name, "builtin": True, "error": str(exc)})
            continue
        if onnx.is_file():
            found.append({"name": name, "path": str(onnx), "sidecar": True, "bytes": onnx.stat().st_size,
                          "sha256": sha256_file(onnx), "builtin": True})
    for name, stem in BUILTIN_TEXT.items():  # the graph, and the weight arrays or tokenizer it reads
        onnx = stem.with_suffix(".onnx")
        if not onnx.is_file():
            found.append({"name": name, "builtin": True, "error": f"{onnx}: missing"})
            continue
        arrays = sorted([*stem.parent.glob(f"{stem.name}.*.npy"), *stem.parent.glob(f"{stem.name}.tokenizer.json")])
        found.append({"name": name, "path": str(onnx), "sidecar": True,
                      "bytes": sum(p.stat().st_size for p in [onnx, *arrays]), "sha256": sha256_file(onnx),
                      "arrays": {p.name: sha256_file(p) for p in arrays}, "builtin": True})
    return found


def policies(cfg: Config) -> dict[str, Any]:
    return {name: {"block": sorted(p.block), "review": sorted(p.review), "threshold": p.threshold,
                   "text_checkers": list(p.text_checkers), "remote_text_checkers": list(p.remote_text_checkers),
                   "image_checkers": list(p.image_checkers), "remote_image_checkers": list(p.remote_image_checkers),
                   "fail_open": p.fail_open}
            for name, p in cfg.policies.items()}


def _plain(value: object) -> dict[str, Any] | None:
    """The scalar fields of a settings dataclass, as JSON; fields with repr=False (secrets) never."""
    if value is None or not dataclasses.is_dataclass(value):
        return None
    return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)
            if f.repr and isinstance(getattr(value, f.name), (str, int, float, bool, type(None)))}


def labels(cfg: Config) -> dict[str, Any]:
    """The AIGC label settings each policy gets; whether C2PA signing is set up, not its files."""
    return {name: {**(_plain(cfg.labels.for_policy(name)) or {}),
                   "c2pa": getattr(cfg.labels.for_policy(name), "c2pa", None) is not None}
            for name in cfg.policies}


def audit(settings: Any) -> dict[str, Any] | None:
    """Where decisions go and how long they stay; the store's URL as shown in logs (masked)."""
    plain = _plain(settings)
    if plain is None:
        return None
    return {**plain, "url": settings.display_url}


def status_report(cfg: Config, audit_settings: Any = None) -> dict[str, Any]:
    """`audit_settings`: the store the host audits to (the config's, or its default one)."""
    return {
        "config": cfg.source,
        "default_policy": cfg.default_policy,
        "policies": policies(cfg),
        "providers": providers(cfg),
        "models": models(cfg),
        "labels": labels(cfg),
        "audit": {"settings": audit(audit_settings), "route_enabled": cfg.server.token() is not None},
        "image": {"substitute": cfg.image.substitute, "quarantine": bool(cfg.image.quarantine_dir)},
        "limits": {"max_text_chars": cfg.server.max_text_chars, "max_image_bytes": cfg.server.max_image_bytes},
    }
