"""An emulator of the OSS PutObject that Green's upload-token flow uses, on loopback.

It checks STS credentials it issued and both signatures oss2 produces:
- V1: Authorization: OSS <ak>:<base64 HMAC-SHA1(secret, VERB\\nContent-MD5\\n
  Content-Type\\nDate\\n<x-oss-* headers>/<bucket>/<key>[?subresources])>
- V4: Authorization: OSS4-HMAC-SHA256 Credential=<ak>/<date>/<region>/oss/aliyun_v4_request,
  [AdditionalHeaders=...,] Signature=<hex>, with the signing key derived from
  "aliyun_v4" + secret over date, region, "oss", "aliyun_v4_request".
Errors are the XML documents OSS returns (a failed signature echoes StringToSign).
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import hmac
import secrets
import threading
import time
import uuid
from email.utils import parsedate_to_datetime
from urllib.parse import quote, unquote
from xml.sax.saxutils import escape

import crcmod

from .server import LoopbackServer, Request, Response

MAX_SKEW_S = 15 * 60
SUBRESOURCES = frozenset({"acl", "uploads", "uploadId", "partNumber", "security-token", "append",
                          "position", "tagging", "versionId", "x-oss-process"})
_crc64 = crcmod.mkCrcFun(0x142F0E1EBA9EA3693, initCrc=0, rev=True, xorOut=0xFFFFFFFFFFFFFFFF)


class _Error(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def _v4_encode(text: str, keep_slash: bool) -> str:
    return quote(text, safe="-_.~" + ("/" if keep_slash else ""))


class OssEmulator:
    def __init__(self, region: str = "cn-shanghai", bucket: str = "green-upload-emulator") -> None:
        self.region = region
        self.bucket = bucket
        self.objects: dict[tuple[str, str], bytes] = {}
        self.tokens: dict[str, tuple[str, str]] = {}  # STS ak -> (secret, token)
        self.revoked: set[str] = set()
        self.expire_new = False
        self.corrupt_secrets = False  # verify with another secret: every signature mismatches
        self.puts = 0
        self.signatures: list[str] = []  # "v1" / "v4" per accepted request
        self.rejected: list[str] = []  # error codes
        self._lock = threading.Lock()
        self.server = LoopbackServer(self.handle)

    @property
    def address(self) -> str:
        return self.server.address

    def start(self) -> OssEmulator:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def issue_token(self) -> tuple[str, str, str]:
        key_id = "STS.emu" + secrets.token_hex(8)
        secret, token = secrets.token_urlsafe(24), "CAIS" + secrets.token_urlsafe(48)
        with self._lock:
            self.tokens[key_id] = (secret, token)
            if self.expire_new:
                self.revoked.add(key_id)
        return key_id, secret, token

    def expire_tokens(self, *, also_new: bool = False) -> None:
        """Server-side expiry of every token issued so far (clock skew, revocation), and
        with `also_new` of every token issued from now on."""
        with self._lock:
            self.revoked.update(self.tokens)
            self.expire_new = also_new

    # --- HTTP -----------------------------------------------------------------------

    def handle(self, req: Request) -> Response:
        rid = uuid.uuid4().hex[:24].upper()
        try:
            if req.method != "PUT":
                raise _Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
            bucket, _, key = unquote(req.path).lstrip("/").partition("/")
            if bucket != self.bucket:
                raise _Error(404, "NoSuchBucket", "The specified bucket does not exist.")
            version = self._verify(req, bucket, key)
            md5 = req.header("content-md5")
            if md5 and md5 != base64.b64encode(hashlib.md5(req.body).digest()).decode():  # noqa: S324
                raise _Error(400, "InvalidDigest", "The Content-MD5 you specified is not valid.")
        except _Error as err:
            with self._lock:
                self.rejected.append(err.code)
            fields = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in err.extra.items())
            body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{err.code}</Code>'
                    f"<Message>{escape(err.message)}</Message><RequestId>{rid}</RequestId>"
                    f"<HostId>{escape(req.header('host'))}</HostId>{fields}</Error>").encode()
            return Response(err.status, {"Content-Type": "application/xml", "x-oss-request-id": rid}, body)
        with self._lock:
            self.objects[(bucket, key)] = req.body
            self.puts += 1
            self.signatures.append(version)
        return Response(200, {"x-oss-request-id": rid,
                              "ETag": '"' + hashlib.md5(req.body).hexdigest().upper() + '"',  # noqa: S324
                              "x-oss-hash-crc64ecma": str(_crc64(req.body))})

    def _credentials(self, req: Request, key_id: str) -> str:
        with self._lock:
            known = self.tokens.get(key_id)
            revoked = key_id in self.revoked
        if known is None:
            raise _Error(403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.",
                         OSSAccessKeyId=key_id)
        secret, token = known
        if req.header("x-oss-security-token") != token:
            raise _Error(403, "InvalidSecurityToken", "The security token you provided is invalid.")
        if revoked:
            raise _Error(403, "SecurityTokenExpired", "The security token you provided has expired.",
                         EC="0002-00000007")
        return secret + "-rotated" if self.corrupt_secrets else secret

    def _verify(self, req: Request, bucket: str, key: str) -> str:
        auth = req.header("authorization")
        if auth.startswith("OSS "):
            self._verify_v1(req, auth, bucket, key)
            return "v1"
        if auth.startswith("OSS4-HMAC-SHA256 "):
            self._verify_v4(req, auth, bucket, key)
            return "v4"
        raise _Error(403, "AccessDenied", "AccessDenied: no supported Authorization header.")

    def _verify_v1(self, req: Request, auth: str, bucket: str, key: str) -> None:
        key_id, _, provided = auth[4:].rpartition(":")
        secret = self._credentials(req, key_id)
        date = req.header("x-oss-date") or req.header("date")
        try:
            skew = abs(parsedate_to_datetime(date).timestamp() - time.time())
        except (TypeError, ValueError):
            raise _Error(403, "AccessDenied", "OSS authentication requires a valid Date.") from None
        if skew > MAX_SKEW_S:
            raise _Error(403, "RequestTimeTooSkewed",
                         "The difference between the request time and the current time is too large.")
        oss_headers = "".join(f"{n}:{v[0].strip()}\n" for n, v in sorted(req.headers.items())
                              if n.startswith("x-oss-"))
        sub = sorted((k, v) for k, v in req.query if k in SUBRESOURCES)
        resource = f"/{bucket}/{key}" + ("?" + "&".join(f"{k}={v}" if v else k for k, v in sub) if sub else "")
        to_sign = "\n".join([req.method, req.header("content-md5"), req.header("content-type"), date,
                             oss_headers + resource])
        expected = base64.b64encode(hmac.new(secret.encode(), to_sign.encode(), hashlib.sha1).digest()).decode()
        if not hmac.compare_digest(expected, provided):
            raise _Error(403, "SignatureDoesNotMatch",
                         "The request signature we calculated does not match the signature you provided. "
                         "Check your key and signing method.",
                         OSSAccessKeyId=key_id, SignatureProvided=provided, StringToSign=to_sign)

    def _verify_v4(self, req: Request, auth: str, bucket: str, key: str) -> None:
        fields = dict(p.strip().split("=", 1) for p in auth[len("OSS4-HMAC-SHA256 "):].split(",") if "=" in p)
        try:
            key_id, day, region, product, terminator = fields["Credential"].split("/")
            provided = fields["Signature"]
        except (KeyError, ValueError):
            raise _Error(403, "AccessDenied", "Invalid OSS4-HMAC-SHA256 Authorization header.") from None
        secret = self._credentials(req, key_id)
        stamp = req.header("x-oss-date")
        if region != self.region or product != "oss" or terminator != "aliyun_v4_request" \
                or not stamp.startswith(day):
            raise _Error(403, "SignatureDoesNotMatch", "Invalid credential scope.")
        try:
            skew = abs(calendar.timegm(time.strptime(stamp, "%Y%m%dT%H%M%SZ")) - time.time())
        except ValueError:
            raise _Error(403, "AccessDenied", "Invalid x-oss-date.") from None
        if skew > MAX_SKEW_S:
            raise _Error(403, "RequestTimeTooSkewed",
                         "The difference between the request time and the current time is too large.")
        additional = [h for h in fields.get("AdditionalHeaders", "").split(";") if h]
        signed = {n for n in req.headers if n.startswith("x-oss-") or n in ("content-type", "content-md5")}
        signed.update(additional)
        headers = "".join(f"{n}:{req.headers[n][0].strip()}\n" for n in sorted(signed) if n in req.headers)
        query = "&".join(f"{_v4_encode(k, False)}={_v4_encode(v, False)}" if v else _v4_encode(k, False)
                         for k, v in sorted(req.query))
        canonical = "\n".join([req.method, _v4_encode(f"/{bucket}/{key}", True), query, headers,
                               ";".join(sorted(additional)), req.header("x-oss-content-sha256") or "UNSIGNED-PAYLOAD"])
        scope = f"{day}/{region}/oss/aliyun_v4_request"
        to_sign = f"OSS4-HMAC-SHA256\n{stamp}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
        signing = ("aliyun_v4" + secret).encode()
        for part in (day, region, "oss", "aliyun_v4_request"):
            signing = hmac.new(signing, part.encode(), hashlib.sha256).digest()
        expected = hmac.new(signing, to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, provided):
            raise _Error(403, "SignatureDoesNotMatch",
                         "The request signature we calculated does not match the signature you provided.",
                         OSSAccessKeyId=key_id, SignatureProvided=provided, CanonicalRequest=canonical,
                         StringToSign=to_sign)
