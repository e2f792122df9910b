"""Ed25519 keys for checkpoints, from the credentials file (never the database, so whoever
can rewrite the store cannot re-sign it):

    audit:
      signing_key: <base64 of the 32-byte private key>   # writers (ComfyUI, purge)
      verify_key: <base64 of the 32-byte public key>     # enough for `audit verify`

`content-safety audit keygen` prints a new pair.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..credentials import read_section
from ..errors import ConfigError
from .chain import canonical

SECTION = "audit"
_KEYS = ("signing_key", "verify_key")
_RAW = serialization.Encoding.Raw


@dataclass(frozen=True)
class Keys:
    signer: Ed25519PrivateKey | None
    verifier: Ed25519PublicKey

    def sign(self, payload: Mapping[str, Any]) -> str:
        if self.signer is None:
            raise ConfigError("audit: only a verify_key is configured; writing checkpoints needs signing_key")
        return base64.b64encode(self.signer.sign(canonical(dict(payload)))).decode("ascii")

    def valid(self, payload: Mapping[str, Any], signature: str) -> bool:
        try:
            self.verifier.verify(base64.b64decode(signature, validate=True), canonical(dict(payload)))
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True


def _raw(path: str, key: str, value: str) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True)
    except binascii.Error:
        raw = b""
    if len(raw) != 32:
        raise ConfigError(f"{path}: {SECTION}.{key}: expected the base64 of a 32-byte Ed25519 key "
                          f"(content-safety audit keygen prints one)")
    return raw


def load_keys(credentials_file: str | None) -> Keys | None:
    """None when no credentials file or no `audit` section: checkpoints are then not written
    and `verify` warns that a truncated tail cannot be detected."""
    if not credentials_file:
        return None
    values = read_section(credentials_file, SECTION, _KEYS)
    if not values:
        return None
    signer = None
    if "signing_key" in values:
        signer = Ed25519PrivateKey.from_private_bytes(_raw(credentials_file, "signing_key", values["signing_key"]))
    verifier = signer.public_key() if signer else None
    if "verify_key" in values:
        given = Ed25519PublicKey.from_public_bytes(_raw(credentials_file, "verify_key", values["verify_key"]))
        if verifier is not None and given.public_bytes(_RAW, serialization.PublicFormat.Raw) != \
                verifier.public_bytes(_RAW, serialization.PublicFormat.Raw):
            raise ConfigError(f"{credentials_file}: {SECTION}.verify_key does not belong to signing_key")
        verifier = given
    if verifier is None:
        return None
    return Keys(signer, verifier)


def new_key_pair() -> tuple[str, str]:
    """(signing_key, verify_key) as base64, for the credentials file."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(_RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    public = key.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    return base64.b64encode(private).decode("ascii"), base64.b64encode(public).decode("ascii")
