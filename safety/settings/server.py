"""The `server` section of the config file: what the HTTP routes accept and who reads audit rows."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..schema import Section

AUDIT_TOKEN_ENV = "COMFY_CONTENT_SAFETY_AUDIT_TOKEN"
MIN_TOKEN = 16


@dataclass(frozen=True)
class ServerSettings:
    audit_token: str | None = field(default=None, repr=False)  # None: GET /content_safety/audit is off
    max_text_chars: int = 20_000  # POST /content_safety/check, per text
    max_image_bytes: int = 20 * 1024 * 1024  # POST /content_safety/check, per upload
    max_audit_rows: int = 500

    def token(self) -> str | None:
        """The environment variable beats the file, so the token can stay out of the file;
        shorter than MIN_TOKEN counts as unset (a guessable token would expose the trail)."""
        token = os.environ.get(AUDIT_TOKEN_ENV, "").strip() or self.audit_token or ""
        return token if len(token) >= MIN_TOKEN else None


def parse_server_section(sec: Section) -> ServerSettings:
    token = sec.get("audit_token", str, None)
    if token is not None and len(token.strip()) < MIN_TOKEN:
        raise sec.fail("audit_token", "must be at least 16 characters (a guessable token exposes the audit trail)")
    settings = ServerSettings(
        audit_token=token.strip() if token else None,
        max_text_chars=int(sec.get_number("max_text_chars", 20_000, 1, 4_000_000)),
        max_image_bytes=int(sec.get_number("max_image_mb", 20, 0.001, 1024) * 1024 * 1024),
        max_audit_rows=int(sec.get_number("max_audit_rows", 500, 1, 100_000)),
    )
    sec.done()
    return settings
