"""Getting an in-memory image to where ImageModeration can read it.

Either through Green's upload-token flow (DescribeUploadToken, then an OSS upload with
`oss2`, then `ossBucketName` / `ossObjectName`), with the token cached per region
until it expires, or, when the config names `public_dir` + `public_url_base`, by
writing the file where a web server publishes it and sending its `imageUrl`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import oss2
import requests

from .aliyun import Fault, GreenClient, Region
from .redact import guard_sdk_logs
from ..settings.aliyun import AliyunSettings

TOKEN_MARGIN_S = 60.0  # renew a token this long before it expires
# OSS answers these when the temporary credentials of a cached token no longer work.
TOKEN_CODES = frozenset({"SecurityTokenExpired", "InvalidAccessKeyId", "InvalidSecurityToken"})


@dataclass(frozen=True)
class UploadToken:
    access_key_id: str
    access_key_secret: str
    security_token: str
    bucket: str
    prefix: str
    internet_endpoint: str
    internal_endpoint: str
    expires_at: float  # epoch seconds

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> UploadToken:
        try:
            return cls(str(data["AccessKeyId"]), str(data["AccessKeySecret"]), str(data["SecurityToken"]),
                       str(data["BucketName"]), str(data.get("FileNamePrefix") or ""),
                       str(data.get("OssInternetEndPoint") or ""), str(data.get("OssInternalEndPoint") or ""),
                       float(data["Expiration"]))
        except (KeyError, TypeError, ValueError):
            raise Fault("MalformedResponse", "DescribeUploadToken returned no usable token",
                        regional=True) from None

    def fresh(self) -> bool:
        return self.expires_at - TOKEN_MARGIN_S > time.time()


class Uploader:
    """Shared by all image checks of one GreenClient; thread-safe."""

    def __init__(self, client: GreenClient) -> None:
        self.client = client
        self.settings: AliyunSettings = client.settings
        self._tokens: dict[str, UploadToken] = {}
        self._lock = threading.Lock()
        self._fetching = threading.Lock()
        self._session = oss2.Session()  # one connection pool for every upload

    def params(self, region: Region, data: bytes, ext: str, deadline: float) -> dict[str, str]:
        """ImageModeration ServiceParameters locating `data` (uploads it if needed)."""
        if self.settings.public_url_base and self.settings.public_dir:
            return {"imageUrl": self._publish(data, ext)}
        token = self._token(region, deadline)
        try:
            return self._upload(token, region, data, ext, deadline)
        except Fault as fault:
            if fault.code not in TOKEN_CODES:
                raise
            self._drop(region, token)  # revoked or expired early: one fresh token, one more try
            return self._upload(self._token(region, deadline), region, data, ext, deadline)

    def _token(self, region: Region, deadline: float) -> UploadToken:
        """The cached token, else one fetch (concurrent image checks wait for it)."""
        with self._fetching:
            with self._lock:
                token = self._tokens.get(region.name)
            if token is not None and token.fresh():
                return token
            reply = self.client.upload_token(region, deadline)
            token = UploadToken.from_data(reply.data)
            secrets = token.access_key_id, token.access_key_secret, token.security_token
            slot = ("upload-token", id(self.client), region.name)
            self.client.redact.rotate(slot, *secrets)
            guard_sdk_logs(*secrets, slot=slot)
            with self._lock:
                self._tokens[region.name] = token
            return token

    def _drop(self, region: Region, token: UploadToken) -> None:
        with self._lock:
            if self._tokens.get(region.name) is token:
                del self._tokens[region.name]

    def _upload(self, token: UploadToken, region: Region, data: bytes, ext: str,
                deadline: float) -> dict[str, str]:
        host = token.internal_endpoint if self.settings.network == "vpc" else token.internet_endpoint
        host = host or token.internet_endpoint
        endpoint = host if "://" in host else f"{self.settings.protocol}://{host}"
        version = oss2.AUTH_VERSION_4 if self.settings.oss_signature == "v4" else oss2.AUTH_VERSION_1
        auth = oss2.StsAuth(token.access_key_id, token.access_key_secret, token.security_token,
                            auth_version=version)
        timeout = max(min(self.settings.read_timeout_s, deadline - self.client.clock()), 0.01)
        key = f"{token.prefix}{uuid.uuid4().hex}.{ext}"
        try:
            bucket = oss2.Bucket(auth, endpoint, token.bucket, session=self._session,
                                 connect_timeout=timeout, region=region.name)
            bucket.put_object(key, data)
        except oss2.exceptions.ClientError as exc:  # oss2 refused the token's bucket, endpoint or prefix
            raise Fault("MalformedResponse", f"DescribeUploadToken returned an OSS target oss2 refuses "
                        f"({exc.body})", regional=True) from None
        except oss2.exceptions.RequestError as exc:
            timed_out = isinstance(exc.exception, requests.exceptions.Timeout)
            raise Fault("OssTimeout" if timed_out else "OssConnectionError",
                        f"image upload to OSS failed ({type(exc.exception).__name__})",
                        regional=True) from None
        except oss2.exceptions.OssError as exc:
            raise Fault(str(exc.code or f"OSS{exc.status}"),
                        f"image upload to OSS failed: HTTP {exc.status} {exc.code}: {exc.message}",
                        request_id=str(exc.request_id or ""), retryable=exc.status >= 500,
                        regional=exc.status >= 500) from None
        return {"ossBucketName": token.bucket, "ossObjectName": key}

    def _publish(self, data: bytes, ext: str) -> str:
        """Write once under a content-addressed name; the URL is stable for equal images."""
        name = f"{hashlib.sha256(data).hexdigest()}.{ext}"
        folder = self.settings.public_dir or ""
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            tmp = ""
            try:
                os.makedirs(folder, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            except OSError as exc:
                if tmp:  # a full disk must not also leave .part files behind
                    with contextlib.suppress(OSError):
                        os.unlink(tmp)
                raise Fault("PublishFailed", f"cannot write the image to public_dir: {exc.strerror}") from None
        return f"{self.settings.public_url_base}{name}"
