"""One pooled HTTP session per server, with bounded retries, and errors without secrets.

Retries come from urllib3's `Retry` (429 and 5xx, connection failures); a read timeout
is not retried, so the caller's timeout stays the budget of one request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ..cache import SharedCache
from ..errors import ProviderError
from ..remote.redact import Redactor

log = logging.getLogger(__name__)
RETRY_STATUSES = (429, 500, 502, 503, 504)
RETRY_AFTER_CAP_S = 10.0
_MESSAGE_CHARS = 300


class _CappedRetry(Retry):
    """Honours Retry-After, capped, so a server cannot stall a workflow run for an hour."""

    def get_retry_after(self, response: Any) -> float | None:
        after = super().get_retry_after(response)
        return None if after is None else min(after, RETRY_AFTER_CAP_S)


@dataclass(frozen=True)
class Response:
    status: int
    data: Any
    request_id: str


SESSIONS_KEPT = 16  # servers x retry settings; a long-running process keeps the recent ones
_sessions: SharedCache[requests.Session] = SharedCache(SESSIONS_KEPT)


def session(base_url: str, retries: int, backoff_s: float) -> requests.Session:
    """The shared session for a server: keeps connections alive across checks."""
    parts = urlsplit(base_url)
    key = (f"{parts.scheme}://{parts.netloc}", retries, backoff_s)
    return _sessions.get_or_call(key, lambda: _new_session(retries, backoff_s))[0]


def _new_session(retries: int, backoff_s: float) -> requests.Session:
    retry = _CappedRetry(total=retries, connect=retries, read=False, status=retries,
                         backoff_factor=backoff_s, backoff_max=RETRY_AFTER_CAP_S,
                         status_forcelist=RETRY_STATUSES, allowed_methods=frozenset({"GET", "POST"}),
                         raise_on_status=False, respect_retry_after_header=True)
    s = requests.Session()
    s.mount("http://", HTTPAdapter(max_retries=retry))
    s.mount("https://", HTTPAdapter(max_retries=retry))
    return s


def safe_url(url: str) -> str:
    """The URL without user info or query, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def call(sess: requests.Session, method: str, url: str, *, provider: str, timeout: float,
         payload: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None,
         secrets: Iterable[str] = ()) -> Response:
    """One JSON request. Every failure becomes a ProviderError whose text names the server
    and the problem; secrets (API keys) are scrubbed from anything the server echoes."""
    where = safe_url(url)
    start = time.perf_counter()
    try:
        resp = sess.request(method, url, json=payload, headers=dict(headers or {}), timeout=timeout)
    except requests.Timeout:
        raise ProviderError(provider, f"{where} did not answer within {timeout:g} s",
                            code="timeout") from None
    except requests.RequestException as exc:
        kind = type(exc).__name__
        raise ProviderError(provider, f"cannot reach {where} ({kind}); is the server running "
                                      f"and the URL in the config right?", code="connection") from None
    log.debug("%s %s -> %s in %.0f ms", method, where, resp.status_code,
              (time.perf_counter() - start) * 1000)
    request_id = resp.headers.get("x-request-id", "") or resp.headers.get("x-dashscope-request-id", "")
    try:
        data = resp.json()
    except ValueError:
        data = None
    if resp.status_code >= 400:
        detail = Redactor(tuple(secrets))(_error_message(data, resp.text))
        raise ProviderError(provider, f"{where} answered HTTP {resp.status_code}: {detail}",
                            code=f"http_{resp.status_code}", request_id=request_id)
    if data is None:
        raise ProviderError(provider, f"{where} answered with something that is not JSON",
                            code="bad_response", request_id=request_id)
    return Response(resp.status_code, data, request_id)


def _error_message(data: Any, text: str) -> str:
    """The server's own error text ({"error": "..."} or {"error": {"message": ...}})."""
    message: Any = text
    if isinstance(data, Mapping):
        err = data.get("error", data.get("message", text))
        message = err.get("message", err) if isinstance(err, Mapping) else err
    message = " ".join(str(message).split())
    return message[:_MESSAGE_CHARS] or "(no message)"
