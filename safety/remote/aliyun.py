"""A thin wrapper around the official `alibabacloud-green20220302` SDK.

It adds what every check needs and the SDK leaves to callers: bounded retries on
throttling and transient faults, a second region tried when the first fails (as
Alibaba's own samples do), one fault type (`ProviderError`) with the service's code and
request id, and secrets kept out of every message.

Retries use tenacity rather than the SDK's own retry options: darabonba-core 1.x
ignores `RuntimeOptions.autoretry`, and its `Config.retry_options` only see HTTP-level
exceptions, while Green reports quota throttling (588) and transient failures (500,
581) in the `Code` of an HTTP 200 body. One tenacity loop covers both, bounded by
attempts and by the check's deadline.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import requests
from alibabacloud_green20220302 import models as green_models
from alibabacloud_green20220302.client import Client as SdkClient
from alibabacloud_tea_openapi import utils_models as openapi_models
from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
from darabonba.runtime import RuntimeOptions
from Tea.exceptions import UnretryableException
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential, wait_random

from ..cache import SharedCache
from ..errors import ProviderError
from .credentials import AliyunCredentials
from .redact import Redactor, guard_sdk_logs
from ..settings.aliyun_services import CLASSIC, IMAGE, PLUS
from ..settings.aliyun import AliyunSettings

T = TypeVar("T")
USER_AGENT = "comfyui-content-safety"
# Body codes (HTTP 200) per Green's docs: 400 bad request, 408 no permission / not
# activated, 500 server error (retry), 581 timeout (retry), 588 over quota (throttled).
RETRY_BODY_CODES = frozenset({"500", "581", "588"})
_REASONS = {"400": "bad request", "408": "no permission (service not activated, account in "
            "arrears or RAM policy missing)", "500": "service error", "581": "service timeout",
            "588": "request rate over quota"}


class Fault(Exception):
    """One failed attempt, classified for the retry and failover decisions."""

    def __init__(self, code: str, reason: str, *, request_id: str = "", retryable: bool = False,
                 regional: bool = False, retry_after_s: float | None = None) -> None:
        super().__init__(reason)
        self.code, self.reason, self.request_id = code, reason, request_id
        self.retryable = retryable  # same region again, after a backoff
        self.regional = regional  # the other region may do better
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Region:
    name: str
    endpoint: str
    sdk: SdkClient


@dataclass(frozen=True)
class Reply:
    data: Mapping[str, Any]
    request_id: str
    region: str


# API -> (request model, SDK method, the body's message field)
_OPERATIONS: dict[str, tuple[Any, Callable[..., Any], str]] = {
    PLUS: (green_models.TextModerationPlusRequest, SdkClient.text_moderation_plus_with_options, "message"),
    CLASSIC: (green_models.TextModerationRequest, SdkClient.text_moderation_with_options, "message"),
    IMAGE: (green_models.ImageModerationRequest, SdkClient.image_moderation_with_options, "msg"),
}


def _network_fault(exc: BaseException) -> Fault | None:
    """requests' exception behind darabonba's RetryError, if that is what failed."""
    cause = exc.__context__ or exc.__cause__
    if isinstance(cause, requests.exceptions.ConnectTimeout):
        return Fault("ConnectTimeout", "could not connect within the connect timeout", regional=True)
    if isinstance(cause, requests.exceptions.ReadTimeout):
        return Fault("ReadTimeout", "no response within the read timeout", regional=True)
    if isinstance(cause, requests.exceptions.RequestException):
        return Fault("ConnectionError", f"connection failed ({type(cause).__name__})", regional=True)
    return None


# What a failed attempt may raise: our Faults, the SDK's exceptions, and the errors its
# model parsing hits on a body of unexpected shape. Anything else is a bug and propagates.
SDK_FAILURES = (Fault, AlibabaCloudException, UnretryableException, AttributeError, TypeError, KeyError)


def classify(exc: BaseException) -> Fault:
    """Map what the SDK raised onto a Fault (messages are redacted later)."""
    if isinstance(exc, Fault):
        return exc
    if isinstance(exc, AlibabaCloudException):
        status = int(getattr(exc, "status_code", 0) or 0)
        code = str(exc.code or f"HTTP{status}")
        throttled = code.startswith("Throttling") or status == 429
        retry_after = getattr(exc, "retry_after", None)
        request_id = str(getattr(exc, "request_id", "") or "")
        return Fault(code, f"HTTP {status} {code}: {exc.message or ''}".strip(),
                     request_id="" if request_id == "None" else request_id,
                     retryable=throttled or status >= 500, regional=throttled or status >= 500,
                     retry_after_s=retry_after / 1000 if retry_after else None)
    if isinstance(exc, UnretryableException):
        inner = exc.inner_exception
        network = _network_fault(inner)
        if network is not None:
            return network
        if isinstance(inner, RuntimeError) and "json" in str(inner).lower():
            return Fault("MalformedResponse", "the service answered with a body that is not JSON",
                         regional=True)
        return Fault("SdkError", f"{type(inner).__name__}: {inner}")
    return Fault("MalformedResponse", f"unexpected response shape ({type(exc).__name__})",
                 regional=True)


def body_fault(code: Any, message: Any, request_id: str) -> Fault | None:
    """A 200 response whose body `Code` is not 200."""
    key = str(code)
    if key == "200":
        return None
    reason = f"Code {key} ({_REASONS.get(key, 'error')})" + (f": {message}" if message else "")
    retry = key in RETRY_BODY_CODES
    return Fault(key, reason, request_id=request_id, retryable=retry, regional=retry)


class GreenClient:
    """One per (settings, credentials): holds an SDK client per region. The SDK pools
    HTTP connections per host, so checks reuse TCP connections across node runs.
    `clock` and `sleep` measure and spend the time to the deadline (tests inject both)."""

    clock: Callable[[], float] = staticmethod(time.monotonic)
    sleep: Callable[[float], None] = staticmethod(time.sleep)

    def __init__(self, settings: AliyunSettings, credentials: AliyunCredentials) -> None:
        self.settings = settings
        self.redact = Redactor(credentials.secrets())
        guard_sdk_logs(*credentials.secrets())
        targets = [settings.primary] + ([settings.fallback] if settings.fallback else [])
        self.regions = [Region(name, endpoint, self._sdk(name, endpoint, credentials))
                        for name, endpoint in targets]

    def _sdk(self, region: str, endpoint: str, creds: AliyunCredentials) -> SdkClient:
        s = self.settings
        return SdkClient(openapi_models.Config(
            access_key_id=creds.access_key_id, access_key_secret=creds.access_key_secret,
            security_token=creds.security_token, region_id=region, endpoint=endpoint,
            protocol=s.protocol, connect_timeout=int(s.connect_timeout_s * 1000),
            read_timeout=int(s.read_timeout_s * 1000), user_agent=USER_AGENT,
            signature_algorithm="v2" if s.signature == "HMAC-SHA1" else None))

    def runtime(self, deadline: float) -> RuntimeOptions:
        """Per-attempt timeouts, shortened so an attempt cannot outlive the deadline."""
        left_ms = max(int((deadline - self.clock()) * 1000), 1)
        s = self.settings
        return RuntimeOptions(connect_timeout=min(int(s.connect_timeout_s * 1000), left_ms),
                              read_timeout=min(int(s.read_timeout_s * 1000), left_ms))

    # --- the operations -------------------------------------------------------------

    def moderate(self, region: Region, api: str, service: str, params: Mapping[str, Any],
                 deadline: float) -> Reply:
        """One TextModerationPlus, TextModeration or ImageModeration call (`api`)."""
        request_type, method, message = _OPERATIONS[api]
        request = request_type(service=service, service_parameters=json.dumps(params, ensure_ascii=False))
        body = method(region.sdk, request, self.runtime(deadline)).body
        return self._reply(region, body.code, getattr(body, message), body.request_id, body.data)

    def upload_token(self, region: Region, deadline: float) -> Reply:
        body = region.sdk.describe_upload_token_with_options(self.runtime(deadline)).body
        return self._reply(region, body.code, body.msg, body.request_id, body.data)

    @staticmethod
    def _reply(region: Region, code: Any, message: Any, request_id: Any, data: Any) -> Reply:
        rid = str(request_id or "")
        fault = body_fault(code, message, rid)
        if fault is not None:
            raise fault
        return Reply(data.to_map() if data is not None else {}, rid, region.name)

    # --- retries and failover ---------------------------------------------------------

    def call(self, provider: str, attempt: Callable[[Region, float], T], deadline: float) -> T:
        """Run `attempt(region, deadline)` with retries, then in the fallback region.
        Raises ProviderError (redacted) when every region failed."""
        failures: list[tuple[Region, Fault]] = []
        for region in self.regions:
            if failures and not failures[-1][1].regional:
                break
            if self.clock() >= deadline:
                break
            try:
                return self._with_retries(region, attempt, deadline)
            except Fault as fault:
                failures.append((region, fault))
        if not failures:
            raise ProviderError(provider, "no time left for the remote check (policy timeout_s)",
                                code="Timeout")
        region, last = failures[-1]
        reason = "; ".join(f"{r.name}: {f.reason}" for r, f in failures)
        raise ProviderError(provider, self.redact(reason), code=self.redact(last.code),
                            request_id=last.request_id)

    def _with_retries(self, region: Region, attempt: Callable[[Region, float], T], deadline: float) -> T:
        s = self.settings
        backoff = (wait_exponential(multiplier=s.backoff_initial_s, max=s.backoff_max_s)
                   + wait_random(0, s.backoff_initial_s))

        def wait(state: Any) -> float:
            fault = state.outcome.exception()
            hinted = fault.retry_after_s if isinstance(fault, Fault) else None
            return min(hinted if hinted else backoff(state), s.backoff_max_s)

        def attempt_once() -> T:
            try:
                return attempt(region, deadline)
            except SDK_FAILURES as exc:
                raise classify(exc) from None

        retrying = Retrying(
            retry=retry_if_exception(lambda e: isinstance(e, Fault) and e.retryable),
            stop=stop_after_attempt(s.retries + 1) | (lambda state: self.clock() + state.upcoming_sleep >= deadline),
            wait=wait, sleep=self.sleep, reraise=True)
        return retrying(attempt_once)


CLIENTS_KEPT = 8  # a server whose config or keys change often keeps only the recent clients
_clients: SharedCache[GreenClient] = SharedCache(CLIENTS_KEPT)


def shared_client(settings: AliyunSettings, credentials: AliyunCredentials) -> GreenClient:
    """Process-wide client per settings and credentials (a rotated key gets a new one)."""
    client, _ = _clients.get_or_call((settings, credentials.secrets()),
                                     lambda: GreenClient(settings, credentials))
    return client
