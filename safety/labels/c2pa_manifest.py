"""C2PA (optional, `pip install c2pa-python`): a signed manifest saying the image was
created by a trained algorithm. Signing runs last: any chunk added after it would break
the hard binding of the manifest to the file's bytes."""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..settings.labels import C2paSettings

MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
INSTALL = "pip install c2pa-python"


def _library() -> Any:
    try:
        import c2pa
    except ImportError:
        return None
    return c2pa


def _read_pem(path: str, key: str) -> str:
    try:
        return Path(path).read_bytes().decode("ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"labels.c2pa.{key} {path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None


def manifest(settings: C2paSettings, title: str) -> dict[str, Any]:
    return {
        "claim_generator_info": [{"name": settings.claim_generator}],
        "title": title,
        "assertions": [{
            "label": "c2pa.actions",
            "data": {"actions": [{"action": "c2pa.created", "digitalSourceType": SOURCE_TYPE}]},
        }],
    }


def sign_file(path: str, fmt: str, settings: C2paSettings) -> None:
    """Sign `path` in place (written to a temporary file, then renamed over it)."""
    c2pa = _library()
    if c2pa is None:
        raise ConfigError(f"labels.c2pa is set but c2pa-python is not installed ({INSTALL})")
    info = c2pa.C2paSignerInfo(settings.alg, _read_pem(settings.cert_chain, "cert_chain").encode(),
                               _read_pem(settings.private_key, "private_key").encode(), settings.tsa_url)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        with c2pa.Signer.from_info(info) as signer, \
                c2pa.Builder(manifest(settings, os.path.basename(path))) as builder, \
                open(path, "rb") as source, \
                tempfile.NamedTemporaryFile(dir=folder, suffix=".c2pa", delete=False) as dest:
            try:
                builder.sign(signer, MIME[fmt], source, dest)
            except BaseException:
                os.unlink(dest.name)
                raise
        os.replace(dest.name, path)
    except c2pa.C2paError as exc:  # the key and certificate never appear in its message
        raise ConfigError(f"labels.c2pa: signing {os.path.basename(path)} failed: {exc}") from None


def read(data: bytes, fmt: str | None, trust_anchors: str | None = None) -> dict[str, Any]:
    """The manifest's state: validation state, actions, source type, failure codes."""
    c2pa = _library()
    if c2pa is None or fmt not in MIME:
        return {"present": True, "verified": False,
                "reason": f"c2pa-python is not installed ({INSTALL})" if c2pa is None else "format"}
    try:
        context = c2pa.Context.from_dict(
            {"trust": {"trust_anchors": _read_pem(trust_anchors, "trust_anchors")}}) if trust_anchors else None
        with c2pa.Reader(MIME[fmt], io.BytesIO(data), context=context) as reader:
            store = json.loads(reader.json())
    except (c2pa.C2paError, ValueError) as exc:
        return {"present": True, "verified": False, "reason": str(exc)[:200]}
    active = store.get("manifests", {}).get(store.get("active_manifest", ""), {})
    actions = [a for assertion in active.get("assertions", []) if assertion.get("label", "").startswith("c2pa.actions")
               for a in assertion.get("data", {}).get("actions", [])]
    statuses = store.get("validation_status") or []
    state = store.get("validation_state", "Invalid" if statuses else "Valid")
    return {
        "present": True, "verified": True, "state": state,
        "valid": state in ("Valid", "Trusted"),
        "actions": [a.get("action") for a in actions],
        "digital_source_type": next((a.get("digitalSourceType") for a in actions if a.get("digitalSourceType")), None),
        "signer": (active.get("signature_info") or {}).get("issuer"),
        "problems": [s.get("code") for s in statuses],
    }
