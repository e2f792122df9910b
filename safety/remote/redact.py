"""Keep credentials out of error messages and log lines.

Services echo what they received when a signature fails (Green's "server string to
sign", OSS's <StringToSign> with x-oss-security-token), the SDKs log headers at DEBUG
and OSS errors at INFO, and urllib3 logs each request line at DEBUG (with the HMAC-SHA1
signature that query holds AccessKeyId and SecurityToken). Every text we surface goes
through a Redactor, and those loggers get a filter that rewrites records before any
handler sees them.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Hashable
from urllib.parse import quote, quote_plus

MASK = "***"
SDK_LOGGERS = ("darabonba-core", "alibabacloud-tea", "credentials", "oss2", "oss2.api",
               "oss2.auth", "oss2.http", "oss2.models", "oss2.utils", "oss2.resumable",
               "oss2.crypto", "oss2.crypto_bucket", "oss2.credentials", "oss2.xml_utils",
               "oss2.select_response", "oss2.task_queue", "urllib3.connectionpool")


class Redactor:
    """Replaces every known secret (raw and URL-encoded forms) with a mask.

    Short-lived secrets (upload tokens, renewed about hourly) go in a slot that keeps only
    the newest generations: a server that runs for months must not end up scanning every
    text for thousands of expired tokens."""

    GENERATIONS = 2  # an upload may still use the previous token when a new one arrives

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        self._lock = threading.Lock()
        self._lasting: set[str] = set()
        self._slots: dict[Hashable, deque[tuple[str, ...]]] = {}
        self._forms: tuple[str, ...] = ()
        self.add(*secrets)

    def add(self, *secrets: str | None) -> None:
        """Secrets masked for the life of the process (access keys)."""
        with self._lock:  # read and write under one lock: concurrent adds must not drop forms
            self._lasting.update(s for s in secrets if s)
            self._rebuild()

    def rotate(self, slot: Hashable, *secrets: str | None) -> None:
        """The newest generation of `slot`'s secrets; the oldest one is forgotten."""
        with self._lock:
            generations = self._slots.setdefault(slot, deque(maxlen=self.GENERATIONS))
            generations.append(tuple(s for s in secrets if s))
            self._rebuild()

    def _rebuild(self) -> None:
        secrets = self._lasting.union(*(g for gens in self._slots.values() for g in gens))
        forms = set()
        for secret in secrets:
            if len(secret) >= 4:  # tiny strings would mask ordinary words
                forms.update({secret, quote(secret, safe=""), quote_plus(secret, safe=""),
                              quote(quote(secret, safe=""), safe="")})
        self._forms = tuple(sorted(forms, key=len, reverse=True))

    def __call__(self, text: object) -> str:
        out = str(text)
        for form in self._forms:
            if form in out:
                out = out.replace(form, MASK)
        return out


class _RedactingFilter(logging.Filter):
    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redactor(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return True


GLOBAL = Redactor()
_installed = False
_install_lock = threading.Lock()


def guard_sdk_logs(*secrets: str | None, slot: Hashable | None = None) -> None:
    """Register secrets process-wide (in `slot` when short-lived, see Redactor.rotate) and
    make sure the SDK loggers are filtered."""
    global _installed
    if slot is None:
        GLOBAL.add(*secrets)
    else:
        GLOBAL.rotate(slot, *secrets)
    with _install_lock:
        if not _installed:
            for name in SDK_LOGGERS:
                logging.getLogger(name).addFilter(_RedactingFilter(GLOBAL))
            _installed = True
