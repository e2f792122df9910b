"""Server-side verification of Alibaba Cloud API signatures, as the POP gateway does it:
rebuild the canonical request from what arrived and compare.

- ACS3-HMAC-SHA256 (V3): Authorization: ACS3-HMAC-SHA256 Credential=<ak>,
  SignedHeaders=<h1;h2>,Signature=<hex>; canonical request = method, URI, sorted
  RFC 3986 query, signed headers (lower-case, trimmed), signed-header list, hex
  SHA-256 of the payload; signature = hex HMAC-SHA256(secret, "ACS3-HMAC-SHA256\\n" +
  hex SHA-256(canonical request)).
- HMAC-SHA1 (RPC V1): every query and form parameter but Signature, sorted,
  RFC 3986-encoded, joined; string to sign = METHOD&%2F&encode(joined); signature =
  base64 HMAC-SHA1(secret + "&", string to sign).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import parse_qsl, quote

from .server import Request

MAX_SKEW_S = 15 * 60


def pct(value: str) -> str:
    return quote(value, safe="~")


@dataclass
class Rejection(Exception):
    status: int
    code: str
    message: str


@dataclass
class Identity:
    access_key_id: str
    security_token: str | None


class Keyring:
    """The accounts the emulated service knows: AK -> (secret, STS token or None)."""

    def __init__(self) -> None:
        self.keys: dict[str, tuple[str, str | None]] = {}
        self.nonces: set[str] = set()

    def add(self, key_id: str, secret: str, token: str | None = None) -> None:
        self.keys[key_id] = (secret, token)

    def _secret(self, key_id: str, token: str | None) -> str:
        if key_id not in self.keys:
            raise Rejection(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        secret, expected = self.keys[key_id]
        if expected is not None and token != expected:
            raise Rejection(400, "InvalidSecurityToken.MismatchWithAccessKey",
                            "Specified SecurityToken mismatch with the AccessKey.")
        return secret

    def _fresh(self, nonce: str, stamp: str) -> None:
        try:
            when = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        except ValueError:
            raise Rejection(400, "InvalidTimeStamp.Format",
                            "Specified time stamp or date value is not well formatted.") from None
        if abs(when.timestamp() - time.time()) > MAX_SKEW_S:
            raise Rejection(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
        if not nonce:
            raise Rejection(400, "MissingSignatureNonce", "SignatureNonce is mandatory for this action.")
        if nonce in self.nonces:
            raise Rejection(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
        self.nonces.add(nonce)

    # --- ACS3 -----------------------------------------------------------------------

    def verify_acs3(self, req: Request) -> tuple[Identity, str]:
        auth = req.header("authorization")
        algorithm, _, rest = auth.partition(" ")
        if algorithm != "ACS3-HMAC-SHA256":
            raise Rejection(400, "IncompleteSignature", f"Unsupported signature algorithm {algorithm!r}.")
        fields = dict(item.split("=", 1) for item in rest.split(",") if "=" in item)
        key_id, signed, provided = fields.get("Credential"), fields.get("SignedHeaders"), fields.get("Signature")
        if not (key_id and signed and provided):
            raise Rejection(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")
        names = signed.split(";")
        required = {"host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce",
                    "x-acs-content-sha256"}
        required |= {h for h in req.headers if h.startswith("x-acs-")}
        if "content-type" in req.headers:
            required.add("content-type")
        if not required <= set(names) or names != sorted(names):
            raise Rejection(400, "IncompleteSignature",
                            "The request signature does not conform to Aliyun standards.")
        token = req.header("x-acs-security-token") or None
        secret = self._secret(key_id, token)
        payload_hash = hashlib.sha256(req.body).hexdigest()
        if req.header("x-acs-content-sha256") != payload_hash:
            raise Rejection(400, "InvalidPayloadHash",
                            "The x-acs-content-sha256 header does not match the request body.")
        query = "&".join(f"{pct(k)}={pct(v)}" for k, v in sorted(req.query))
        headers = "".join(f"{n}:{','.join(sorted(v.strip() for v in req.headers.get(n, [])))}\n"
                          for n in names)
        canonical = "\n".join([req.method, req.path or "/", query, headers, signed, payload_hash])
        to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
        expected = hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, provided):
            raise Rejection(400, "SignatureDoesNotMatch",
                            f"Specified signature does not match our calculation. "
                            f"server string to sign is:{to_sign}")
        self._fresh(req.header("x-acs-signature-nonce"), req.header("x-acs-date"))
        return Identity(key_id, token), req.header("x-acs-action")

    # --- RPC HMAC-SHA1 ----------------------------------------------------------------

    def verify_rpc(self, req: Request) -> tuple[Identity, str, dict[str, str]]:
        params = dict(req.query)
        if req.header("content-type").startswith("application/x-www-form-urlencoded"):
            params.update(parse_qsl(req.body.decode("utf-8"), keep_blank_values=True))
        provided = params.pop("Signature", "")
        if params.get("SignatureMethod") != "HMAC-SHA1" or params.get("SignatureVersion") != "1.0" \
                or not provided:
            raise Rejection(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.")
        key_id = params.get("AccessKeyId", "")
        token = params.get("SecurityToken")
        secret = self._secret(key_id, token)
        joined = "&".join(f"{pct(k)}={pct(v)}" for k, v in sorted(params.items()))
        to_sign = f"{req.method}&%2F&{pct(joined)}"
        digest = hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()
        if not hmac.compare_digest(base64.b64encode(digest).decode(), provided):
            raise Rejection(400, "SignatureDoesNotMatch",
                            f"Specified signature is not matched with our calculation. "
                            f"server string to sign is:{to_sign}")
        self._fresh(params.get("SignatureNonce", ""), params.get("Timestamp", ""))
        return Identity(key_id, token), params.get("Action", ""), params
