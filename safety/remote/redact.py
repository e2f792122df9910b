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
from urllib.parse import quote, quote_plus

MASK = "***"
SDK_LOGGERS = ("darabonba-core", "alibabacloud-tea", "credentials", "oss2", "oss2.api",
               "oss2.auth", "oss2.http", "oss2.models", "oss2.utils", "oss2.resumable",
               "oss2.crypto", "oss2.crypto_bucket", "oss2.credentials", "oss2.xml_utils",
               "oss2.select_response", "oss2.task_queue", "urllib3.connectionpool")


class Redactor:
    """Replaces every known secret (raw and URL-encoded forms) with a mask."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        self._lock = threading.Lock()
        self._forms: tuple[str, ...] = ()
        self.add(*secrets)

    def add(self, *secrets: str | None) -> None:
        new = set()
        for secret in secrets:
            if secret and len(secret) >= 4:  # tiny strings would mask ordinary words
                new.update({secret, quote(secret, safe=""), quote_plus(secret, safe=""),
                            quote(quote(secret, safe=""), safe="")})
        with self._lock:  # read and write under one lock: concurrent adds must not drop forms
            self._forms = tuple(sorted(new.union(self._forms), key=len, reverse=True))

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


def guard_sdk_logs(*secrets: str | None) -> None:
    """Register secrets process-wide and make sure the SDK loggers are filtered."""
    global _installed
    GLOBAL.add(*secrets)
    with _install_lock:
        if not _installed:
            for name in SDK_LOGGERS:
                logging.getLogger(name).addFilter(_RedactingFilter(GLOBAL))
            _installed = True
