"""The `audit` section of the config file, validated with errors that name the key.

    audit:
      url: postgresql://audit@db/comfy   # or a file path / sqlite:///path; default audit.sqlite3
      privacy: full                      # hash: only the SHA-256 of texts and matched terms
      retention_days: 180
      on_failure: refuse                 # spool: keep records in a local file until the store is back
      spool_path: audit.spool.jsonl
      checkpoint_every: 1000
      checkpoint_path: audit.checkpoints.jsonl
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..schema import Section

PRIVACY = ("full", "hash")
ON_FAILURE = ("refuse", "spool")
DEFAULT_FILE = "audit.sqlite3"
URL_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg")


@dataclass(frozen=True)
class AuditSettings:
    url: str  # a SQLAlchemy URL: sqlite:////abs/path or postgresql+psycopg://...
    privacy: str = "full"
    retention_days: int = 180
    on_failure: str = "refuse"
    spool_path: str = ""
    checkpoint_every: int = 1000
    checkpoint_path: str = ""
    source: str = "<built-in defaults>"

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite:")

    @property
    def sqlite_path(self) -> str:
        return self.url[len("sqlite:///"):]

    @property
    def display_url(self) -> str:
        """The URL without its password, for messages, reports and the filing appendix."""
        return mask_url(self.url)


def mask_url(url: str) -> str:
    """The URL with its password (user:password@ or libpq's ?password=) as ***."""
    parts = urlsplit(url)
    if parts.password is not None:
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        parts = parts._replace(netloc=f"{parts.username}:***@{host}")
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if any(k == "password" for k, _ in pairs):
        parts = parts._replace(query=urlencode([(k, "***" if k == "password" else v) for k, v in pairs],
                                               safe="*/:@,"))
    return urlunsplit(parts)


def _has_password(url: str) -> bool:
    parts = urlsplit(url)
    return parts.password is not None or any(k == "password" for k, _ in parse_qsl(parts.query))


def default_audit_settings(folder: str | os.PathLike[str], source: str = "<built-in defaults>") -> AuditSettings:
    """What ComfyUI uses without an `audit` section: SQLite in its user directory."""
    return _with_paths(AuditSettings(url="", source=source), Path(folder))


def _url(sec: Section, base: Path) -> str:
    value = sec.get("url", str, None)
    if value is None:
        return ""
    value = value.strip()
    if not value:
        raise sec.fail("url", "must not be empty (leave it out for SQLite next to the config file)")
    scheme = value.split("://", 1)[0].lower() if "://" in value else ""
    if not scheme:  # a plain file path
        return f"sqlite:///{(base / os.path.expanduser(value)).resolve()}"
    if scheme not in URL_SCHEMES:
        raise sec.fail("url", f"unsupported store {scheme!r}: use a file path, sqlite:///path "
                              f"or postgresql://user@host/db (got {mask_url(value)})")
    if scheme == "sqlite":
        path = value[len("sqlite:///"):] if value.startswith("sqlite:///") else ""
        if not path or path == ":memory:":
            raise sec.fail("url", "sqlite URLs need a file: sqlite:///relative.db or sqlite:////abs.db")
        return f"sqlite:///{(base / os.path.expanduser(path)).resolve()}"
    if not urlsplit(value).hostname and "host=" not in value:
        raise sec.fail("url", f"PostgreSQL URL has no host: {mask_url(value)}")
    if _has_password(value):  # secrets stay out of config files
        raise sec.fail("url", f"no password in the URL ({mask_url(value)}): set PGPASSWORD in the "
                              f"environment or use a ~/.pgpass file (PGPASSFILE), as every libpq client")
    return "postgresql+psycopg://" + value.split("://", 1)[1]


def _with_paths(settings: AuditSettings, base: Path) -> AuditSettings:
    """Defaults beside the store (SQLite) or the config file (PostgreSQL)."""
    url = settings.url or f"sqlite:///{(base / DEFAULT_FILE).resolve()}"
    folder = Path(url[len("sqlite:///"):]).parent if url.startswith("sqlite:") else base
    return replace(settings, url=url,
                   spool_path=settings.spool_path or str((folder / "audit.spool.jsonl").resolve()),
                   checkpoint_path=settings.checkpoint_path
                   or str((folder / "audit.checkpoints.jsonl").resolve()))


def parse_audit_section(sec: Section, base: Path) -> AuditSettings:
    """Relative paths resolve against the config file's folder."""
    settings = AuditSettings(
        url=_url(sec, base),
        privacy=sec.get_choice("privacy", PRIVACY, "full"),
        retention_days=int(sec.get_number("retention_days", 180, 1, 36_500)),
        on_failure=sec.get_choice("on_failure", ON_FAILURE, "refuse"),
        spool_path=sec.get_path("spool_path", base) or "",
        checkpoint_every=int(sec.get_number("checkpoint_every", 1000, 1, 10_000_000)),
        checkpoint_path=sec.get_path("checkpoint_path", base) or "",
        source=sec.source,
    )
    for key in ("retention_days", "checkpoint_every"):
        value = sec.data.get(key)
        if isinstance(value, float) and not value.is_integer():
            raise sec.fail(key, f"expected a whole number, got {value}")
    sec.done()
    return _with_paths(settings, base)
