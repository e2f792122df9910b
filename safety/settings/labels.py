"""The `labels` section (global default) and `policies.<name>.labels` (per policy).

Each policy's labels start from its parent's (`extends`), else from the global section,
and override key by key.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..schema import Section

POSITIONS = ("bottom-right", "bottom-left", "top-right", "top-left")
SIGNING_ALGS = ("es256", "es384", "es512", "ps256", "ps384", "ps512", "ed25519")
SIDECAR = (False, True, "hash")
DEFAULT_TEXT = "AI生成"
DEFAULT_PRODUCER = "ComfyUI-ContentSafety"
DEFAULT_TIMESTAMP = "%Y-%m-%d %H:%M"
# Annex E values: printable ASCII without space, double quote or backslash.
CODE = re.compile(r'^[!#-\[\]-~]+$')


@dataclass(frozen=True)
class C2paSettings:
    """Signing material for the C2PA manifest: PEM files (key file kept out of logs)."""

    cert_chain: str
    private_key: str
    alg: str = "es256"
    tsa_url: str | None = None
    trust_anchors: str | None = None  # PEM of CAs readers trust (default: signature checked, signer untrusted)
    claim_generator: str = "content-safety-guard"


@dataclass(frozen=True)
class LabelSettings:
    explicit: bool = True
    text: str = DEFAULT_TEXT
    timestamp: str | None = None  # strftime format; None = no time stamp
    position: str = "bottom-right"
    opacity: float = 0.3  # of the dark backdrop behind the (always opaque) text
    font: str | None = None
    implicit: bool = True
    producer: str = DEFAULT_PRODUCER
    propagator: str | None = None  # None: the producer code
    sidecar: bool | str = False  # True: prompt text in the sidecar; "hash": its SHA-256 only
    c2pa: C2paSettings | None = None

    @property
    def propagator_code(self) -> str:
        return self.propagator or self.producer


@dataclass(frozen=True)
class LabelConfig:
    default: LabelSettings = field(default_factory=LabelSettings)
    policies: Mapping[str, LabelSettings] = field(default_factory=dict)

    def for_policy(self, name: str | None) -> LabelSettings:
        return self.policies.get(name or "", self.default)


def _code(sec: Section, key: str, default: str | None) -> str | None:
    value = sec.get(key, str, default)
    if value is not None and not CODE.match(value):
        raise sec.fail(key, f"must be a code of printable ASCII without spaces, '\"' or '\\' "
                            f"(GB 45438-2025 Annex E), got {value!r}")
    return value


def _font(sec: Section, base: Path, default: str | None) -> str | None:
    path = sec.get_path("font", base, default)
    if path is not None and not os.path.isfile(path):
        raise sec.fail("font", f"no such font file: {path}")
    return path


def _timestamp(sec: Section, default: str | None) -> str | None:
    value = sec.raw("timestamp", ...)
    if value is ...:
        return default
    if value is True:
        return DEFAULT_TIMESTAMP
    if value is False or value is None:
        return None
    if isinstance(value, str) and "%" in value:
        return value
    raise sec.fail("timestamp", f"expected true, false or a strftime format such as "
                                f"'{DEFAULT_TIMESTAMP}', got {value!r}")


def _sidecar(sec: Section, default: bool | str) -> bool | str:
    value = sec.raw("sidecar", default)
    if value is None:
        return default
    if value not in SIDECAR or (isinstance(value, int) and not isinstance(value, bool)):
        raise sec.fail("sidecar", f"expected true, false or \"hash\", got {value!r}")
    return value


def _c2pa(sec: Section, base: Path, default: C2paSettings | None) -> C2paSettings | None:
    raw = sec.raw("c2pa", ...)
    if raw is ...:
        return default
    if raw is None or raw is False:
        return None
    sub = sec.section("c2pa")
    inherited = default or C2paSettings(cert_chain="", private_key="")
    chain = sub.get_path("cert_chain", base, inherited.cert_chain or None)
    key = sub.get_path("private_key", base, inherited.private_key or None)
    if not chain or not key:
        raise sub.fail("cert_chain" if not chain else "private_key",
                       "required to sign C2PA manifests (PEM file)")
    c2pa = C2paSettings(
        cert_chain=chain, private_key=key,
        alg=sub.get_choice("alg", SIGNING_ALGS, inherited.alg),
        tsa_url=sub.get("tsa_url", str, inherited.tsa_url),
        trust_anchors=sub.get_path("trust_anchors", base, inherited.trust_anchors),
        claim_generator=sub.get("claim_generator", str, inherited.claim_generator),
    )
    sub.done()
    return c2pa


def parse_label_settings(sec: Section, base: Path, parent: LabelSettings) -> LabelSettings:
    """One `labels` mapping over `parent`; relative paths resolve against `base`."""
    text = sec.get("text", str, parent.text)
    if not text.strip():
        raise sec.fail("text", "must not be empty (set explicit: false to drop the visible label)")
    settings = LabelSettings(
        explicit=sec.get("explicit", bool, parent.explicit),
        text=text,
        timestamp=_timestamp(sec, parent.timestamp),
        position=sec.get_choice("position", POSITIONS, parent.position),
        opacity=sec.get_number("opacity", parent.opacity, 0.0, 1.0),
        font=_font(sec, base, parent.font),
        implicit=sec.get("implicit", bool, parent.implicit),
        producer=_code(sec, "producer", parent.producer) or parent.producer,
        propagator=_code(sec, "propagator", parent.propagator),
        sidecar=_sidecar(sec, parent.sidecar),
        c2pa=_c2pa(sec, base, parent.c2pa),
    )
    sec.done()
    return settings


def parse_labels(top: Section, policies: Mapping[str, Any], parents: Mapping[str, str],
                 base: Path) -> LabelConfig:
    """`top` is the config's top level; `policies` the raw `policies` mapping, `parents`
    each user policy's `extends` in the order the policies were resolved."""
    default = parse_label_settings(top.section("labels"), base, LabelSettings())
    per_policy: dict[str, LabelSettings] = {}
    for name, parent in parents.items():
        body = policies.get(name)
        raw = body.get("labels") if isinstance(body, Mapping) else None
        inherited = per_policy.get(parent, default)
        if raw is None:
            if parent in per_policy:
                per_policy[name] = inherited
            continue
        sec = Section(raw, f"policies.{name}.labels", top.source)
        per_policy[name] = parse_label_settings(sec, base, inherited)
    return LabelConfig(default=default, policies=per_policy)

