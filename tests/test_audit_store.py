"""The audit store on real SQLite and a real PostgreSQL server: the chain, each kind of
tampering, several writer processes, retention."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import delete, update

from audit_helpers import T0, audit_settings, fill, record, set_field, write_keys  # noqa: F401
from content_safety_guard.safety.audit.chain import GENESIS, row_hash
from content_safety_guard.safety.audit.marks import Mark, MarkFile
from content_safety_guard.safety.audit.retention import DAY_S, purge
from content_safety_guard.safety.audit.store import MARKS, RECORDS, AuditStore
from content_safety_guard.safety.audit.verify import verify
from pg_server import postgres_server, postgres_url  # noqa: F401

HERE = Path(__file__).parent


@pytest.fixture
def signed(audit_settings, tmp_path):
    """(store, keys, mark file) with 12 rows: signed checkpoints at rows 5 and 10."""
    _, keys = write_keys(tmp_path)
    store = AuditStore(audit_settings)
    marks = MarkFile(audit_settings.checkpoint_path)
    fill(store, 12, keys, marks)
    yield store, keys, marks
    store.close()


def kinds(result):
    return result.problem.kind, result.problem.seq


def test_rows_chain_and_verify_intact(signed):
    store, keys, marks = signed
    with store.reader() as conn:
        rows = list(store.rows(conn))
    assert [r["seq"] for r in rows] == list(range(1, 13))
    assert rows[0]["prev_hash"] == GENESIS
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(rows, rows[1:]))
    assert all(row_hash(r) == r["hash"] for r in rows)
    result = verify(store, keys, marks)
    assert result.ok, result.problems
    assert (result.rows, result.checkpoints, result.last_seq) == (12, 2, 12)
    assert [m.seq for m in marks.read()[0]] == [5, 10]


def test_sqlite_file_is_private(tmp_path):
    from audit_helpers import settings

    s = settings(tmp_path)
    store = AuditStore(s)
    fill(store, 2)
    for suffix in ("", "-wal", "-shm"):
        path = s.sqlite_path + suffix
        if os.path.exists(path):
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.close()


def test_changed_row(signed):
    store, keys, marks = signed
    set_field(store, 7, user="mallory")
    assert kinds(verify(store, keys, marks)) == ("changed", 7)


def test_changed_detail(signed):
    store, keys, marks = signed
    with store.reader() as conn:
        detail = next(r for r in store.rows(conn) if r["seq"] == 3)["detail"]
    set_field(store, 3, detail=detail.replace('"outputs":[]', '"outputs":["x.png"]'))
    assert kinds(verify(store, keys, marks)) == ("changed", 3)


def test_deleted_row(signed):
    store, keys, marks = signed
    with store.engine.begin() as conn:
        conn.execute(delete(RECORDS).where(RECORDS.c.seq == 4))
    result = verify(store, keys, marks)
    assert kinds(result) == ("deleted", 4)
    assert "row 5" in result.problem.detail


def test_reordered_rows(signed):
    store, keys, marks = signed
    with store.engine.begin() as conn:
        for old, new in ((8, -1), (9, 8), (-1, 9)):
            conn.execute(update(RECORDS).where(RECORDS.c.seq == old).values(seq=new))
    assert kinds(verify(store, keys, marks)) == ("reordered", 8)


def test_truncated_tail(signed):
    store, keys, marks = signed
    with store.engine.begin() as conn:  # the tail and the store's own checkpoint of it
        conn.execute(delete(RECORDS).where(RECORDS.c.seq > 8))
        conn.execute(delete(MARKS).where(MARKS.c.seq > 8))
    result = verify(store, keys, marks)
    assert kinds(result) == ("truncated", 9)
    assert "row 10" in result.problem.detail


def test_rewritten_and_rechained_rows_break_the_signed_checkpoint(signed):
    store, keys, marks = signed
    with store.engine.begin() as conn:  # drop row 2, then re-chain everything after it
        conn.execute(delete(RECORDS).where(RECORDS.c.seq == 2))
        rows = [dict(r) for r in conn.execute(RECORDS.select().order_by(RECORDS.c.seq)).mappings()]
        prev = rows[0]["hash"]
        for number, row in enumerate(rows[1:], start=2):
            row.update(prev_hash=prev, seq=number)
            row["hash"] = prev = row_hash(row)
        conn.execute(delete(RECORDS).where(RECORDS.c.seq > 1))
        conn.execute(RECORDS.insert(), rows[1:])
    assert kinds(verify(store, keys, marks)) == ("changed", 5)


def test_bad_checkpoint_signature(signed):
    store, keys, marks = signed
    with store.engine.begin() as conn:
        conn.execute(update(MARKS).where(MARKS.c.seq == 10).values(signature="AAAA" + "A" * 84))
    assert kinds(verify(store, keys, marks)) == ("bad checkpoint", 10)


def test_checkpoint_file_disagreeing_with_store(signed):
    store, keys, marks = signed
    forged = Mark("checkpoint", 5, "f" * 64, T0).signed(keys)  # signed, yet not what the store holds
    Path(marks.path).write_text("", encoding="utf-8")
    marks.append([forged])
    result = verify(store, keys, marks)
    assert ("bad checkpoint", 5) in [(p.kind, p.seq) for p in result.problems]


def test_verify_without_key_warns(signed):
    store, _, marks = signed
    result = verify(store, None, marks)
    assert result.ok and any("cut-off tail" in w for w in result.warnings)


def test_processes_appending_at_once_lose_no_row(audit_settings, tmp_path):
    store = AuditStore(audit_settings)  # tables exist before the writers race
    workers, each = 4, 40
    procs = [subprocess.Popen([sys.executable, str(HERE / "audit_worker.py"), audit_settings.url,
                               audit_settings.spool_path, audit_settings.checkpoint_path, f"w{n}", str(each)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n in range(workers)]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    with store.reader() as conn:
        rows = list(store.rows(conn))
    assert len(rows) == workers * each
    assert [r["seq"] for r in rows] == list(range(1, workers * each + 1))
    for n in range(workers):
        assert sorted(r["text"] for r in rows if r["user"] == f"w{n}") == sorted(f"prompt {i}" for i in range(each))
    assert verify(store, None).ok
    store.close()


def test_purge_keeps_the_rest_verifiable(audit_settings, tmp_path):
    _, keys = write_keys(tmp_path)
    store = AuditStore(replace(audit_settings, retention_days=180))
    marks = MarkFile(audit_settings.checkpoint_path)
    now = T0 + 400 * DAY_S
    for i in range(12):  # rows 1-7 are 300 days old, 8-12 ten days old
        age = 300 if i < 7 else 10
        marks.append(store.append([record(i, time=now - age * DAY_S + i)], keys=keys)[1])
    done = purge(store, keys, now, marks)
    assert done.removed == 7 and done.anchor.seq == 7 and done.anchor.rows == 7
    result = verify(store, keys, marks)
    assert result.ok, result.problems
    assert (result.rows, result.first_seq, result.checkpoints) == (5, 8, 1)
    assert purge(store, keys, now, marks).removed == 0
    # appends continue the chain after the anchor, also once every row has expired
    assert purge(store, keys, now + 365 * DAY_S, marks).removed == 5
    marks.append(store.append([record(99, time=now + 365 * DAY_S)], keys=keys)[1])
    result = verify(store, keys, marks)
    assert result.ok, result.problems
    assert (result.rows, result.first_seq, result.anchor.rows) == (1, 13, 12)
    store.close()


def test_forged_purge_anchor_is_a_bad_checkpoint(audit_settings, tmp_path):
    _, keys = write_keys(tmp_path)
    store = AuditStore(audit_settings)
    fill(store, 6, keys)
    with store.engine.begin() as conn:  # hide rows 1-3 behind an unsigned anchor
        row3 = conn.execute(RECORDS.select().where(RECORDS.c.seq == 3)).mappings().one()
        store.cut_head(conn, Mark("anchor", 3, row3["hash"], T0, rows=3))
    assert kinds(verify(store, keys)) == ("bad checkpoint", 3)
    store.close()


def test_postgresql_without_its_driver_names_the_package(tmp_path, monkeypatch):
    """psycopg is an optional extra (not in requirements.txt): a config error naming it."""
    from content_safety_guard.safety.errors import ConfigError
    from content_safety_guard.safety.settings.audit import default_audit_settings

    monkeypatch.setitem(sys.modules, "psycopg", None)
    settings = replace(default_audit_settings(tmp_path), url="postgresql+psycopg://audit:pw@db.invalid/comfy")
    with pytest.raises(ConfigError) as caught:
        AuditStore(settings)
    message = str(caught.value)
    assert "pip install 'psycopg[binary]'" in message and "content-safety-guard[postgresql]" in message
    assert "pw" not in message.replace("psycopg", "")  # the URL's password stays masked
