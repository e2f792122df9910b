"""The DECISION_HOOKS hook that appends every Decision to the audit store.

A store that fails either refuses the run (`on_failure: refuse`: the hook raises
AuditError, which nodes turn into `content_safe_check_error`) or spools the record to a
local file that is replayed, in order, before the next append succeeds. Nothing is
dropped silently: when even the spool cannot be written the run is refused.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..cache import FileStampedCache
from ..config import Config
from ..decision import Decision
from ..errors import ProviderError
from .fingerprints import ArtifactIndex
from .marks import MarkFile
from .record import build_record, is_record
from ..settings.audit import AuditSettings
from .spool import Spool

if TYPE_CHECKING:  # SQLAlchemy and cryptography come with the first decision audited: the pack loads faster
    from .signing import Keys
    from .store import AuditStore

log = logging.getLogger(__name__)
PROVIDER = "audit"


def store_errors() -> tuple[type[BaseException], ...]:
    """What a failing store raises. Called in `except` clauses, which are evaluated only
    when something was raised, so SQLAlchemy is not imported before a store is used."""
    from sqlalchemy.exc import SQLAlchemyError

    return SQLAlchemyError, OSError


class AuditError(ProviderError):
    """The audit store could not keep a record and the config says refuse."""

    def __init__(self, reason: str) -> None:
        super().__init__(PROVIDER, reason)


def describe(exc: BaseException) -> str:
    """The driver's first line, never SQLAlchemy's echo of the statement and its
    parameters (they hold the prompt)."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return f"{type(orig).__name__}: {text[0] if text else ''}".strip(": ")


class Stores:
    """One open store per settings, shared by every hook and quota check of the process."""

    def __init__(self) -> None:
        self._stores: dict[AuditSettings, AuditStore] = {}
        self._lock = threading.Lock()

    def get(self, settings: AuditSettings) -> AuditStore:
        with self._lock:
            store = self._stores.get(settings)
            if store is None:
                from .store import AuditStore

                store = self._stores[settings] = AuditStore(settings)  # raises when unreachable
            return store

    def close(self) -> None:
        with self._lock:
            for store in self._stores.values():
                store.close()
            self._stores.clear()


STORES = Stores()


def open_store(settings: AuditSettings) -> AuditStore:
    """The shared store of `settings`; AuditError when it cannot be opened."""
    try:
        return STORES.get(settings)
    except store_errors() as exc:
        raise AuditError(f"audit store {settings.display_url} failed ({describe(exc)})") from None
SettingsSource = Callable[[], "tuple[Config, AuditSettings] | None"]


class AuditTrail:
    """Call it with a Decision. `source` says which config and audit settings apply now
    (None: no audit); it is asked on every decision, so config edits take effect."""

    def __init__(self, source: SettingsSource, stores: Stores = STORES) -> None:
        self.source = source
        self.stores = stores
        self.artifacts = ArtifactIndex()
        self._keys: FileStampedCache[Keys | None] = FileStampedCache(maxsize=1)
        self._spooling = False

    def __call__(self, decision: Decision) -> None:
        found = self.source()
        if found is None:
            return
        config, settings = found
        digest, files = self.artifacts.get(config, decision.policy, decision.stage, decision.text is not None)
        record = build_record(decision, settings.privacy, digest)
        self.record(record, settings, self.keys(config), {digest: files})

    def keys(self, config: Config) -> Keys | None:
        """Read again when the credentials file changes (a rotated key)."""
        from .signing import load_keys

        path = config.credentials_file
        if not path:
            return None
        try:
            return self._keys.get(path, [path], lambda: load_keys(path))
        except OSError:
            return load_keys(path)  # it names the problem

    def record(self, record: dict[str, Any], settings: AuditSettings, keys: Keys | None,
               artifacts: dict[str, dict[str, str]]) -> None:
        spool = Spool(settings.spool_path)
        marks = MarkFile(settings.checkpoint_path)
        try:
            store = self.stores.get(settings)
            if spool.pending():
                spool.replay(lambda rs: marks.append(store.append(rs, keys=keys, skip_known=True)[1]), is_record)
            marks.append(store.append([record], keys=keys, artifacts=artifacts)[1])
        except store_errors() as exc:
            self._failed(exc, record, settings, spool)
            return
        if self._spooling:
            log.warning("content safety audit: store %s is back; spooled records replayed", settings.display_url)
            self._spooling = False

    def _failed(self, exc: BaseException, record: dict[str, Any], settings: AuditSettings, spool: Spool) -> None:
        reason = f"audit store {settings.display_url} failed ({describe(exc)})"
        if settings.on_failure != "spool":
            raise AuditError(f"{reason}; the run is refused (audit.on_failure: refuse)") from None
        try:
            spool.add([record])
        except OSError as spool_exc:
            raise AuditError(f"{reason} and the spool {settings.spool_path} cannot be written "
                             f"({spool_exc.strerror or spool_exc}); the run is refused") from None
        if not self._spooling:
            log.warning("content safety audit: %s; records are spooled to %s until it is back",
                        reason, settings.spool_path)
            self._spooling = True


def config_settings(config: Config) -> tuple[Config, AuditSettings] | None:
    audit = getattr(config, "audit", None)
    return (config, audit) if audit is not None else None

