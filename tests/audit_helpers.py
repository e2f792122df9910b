"""Shared set-up of the audit tests: settings for SQLite or PostgreSQL, signing keys,
decisions with chosen times, and SQL that tampers with a store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from content_safety_guard.safety.audit.marks import MarkFile
from content_safety_guard.safety.audit.record import build_record
from content_safety_guard.safety.settings.audit import AuditSettings, default_audit_settings
from content_safety_guard.safety.audit.signing import Keys, load_keys, new_key_pair
from content_safety_guard.safety.audit.store import RECORDS, AuditStore
from content_safety_guard.safety.decision import Decision
from content_safety_guard.safety.verdict import Verdict

T0 = 1_793_491_200.0  # 2026-11-01T00:00:00Z
DIGEST = "a" * 64


def settings(tmp_path: Path, url: str | None = None, **changes: Any) -> AuditSettings:
    from dataclasses import replace

    base = default_audit_settings(tmp_path)
    if url:
        base = replace(base, url="postgresql+psycopg://" + url.split("://", 1)[1])
    return replace(base, **changes)


def write_keys(tmp_path: Path) -> tuple[str, Keys]:
    signing, verifying = new_key_pair()
    path = tmp_path / "credentials.yaml"
    path.write_text(f"audit:\n  signing_key: {signing}\n  verify_key: {verifying}\n", encoding="utf-8")
    keys = load_keys(str(path))
    assert keys is not None and keys.signer is not None
    return str(path), keys


def decision(i: int = 0, *, user: str = "alice", time: float = T0, stage: str = "text",
             action: str = "passed", text: str | None = None, prompt_id: str | None = None,
             verdicts: tuple[Verdict, ...] = ()) -> Decision:
    return Decision(stage, action, verdicts, "normal", user=user, time=time,
                    text=f"prompt {i}" if text is None else text,
                    prompt_id=f"p{i}" if prompt_id is None else prompt_id, node_id="3")


def record(i: int = 0, **kw: Any) -> dict[str, Any]:
    return build_record(decision(i, **kw), "full", DIGEST)


def fill(store: AuditStore, n: int, keys: Keys | None = None, marks: MarkFile | None = None,
         **kw: Any) -> None:
    for i in range(n):
        made = store.append([record(i, time=T0 + i, **kw)], keys=keys)[1]
        if marks is not None:
            marks.append(made)


def stored_rows(settings: AuditSettings) -> list[dict[str, Any]]:
    store = AuditStore(settings)
    with store.reader() as conn:
        found = list(store.rows(conn))
    store.close()
    return found


def set_field(store: AuditStore, seq: int, **values: Any) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(RECORDS).where(RECORDS.c.seq == seq).values(**values))


@pytest.fixture(params=["sqlite", "postgresql"])
def audit_settings(request: pytest.FixtureRequest, tmp_path: Path) -> AuditSettings:
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    return settings(tmp_path, url, checkpoint_every=5)
