"""The audit store: one SQLAlchemy Core code path for SQLite (one machine) and PostgreSQL
(a fleet of ComfyUI workers sharing one trail).

Appends are serialised so the chain has one order: SQLite takes its write lock up front
(`BEGIN IMMEDIATE`), PostgreSQL a transaction-scoped advisory lock. SQLite runs in WAL mode
(readers never block the writer) and its file is created with mode 0600.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (BigInteger, Boolean, Column, Double, Index, Integer, MetaData, String, Table, Text,
                        and_, create_engine, delete, event, func, insert, select, text)
from sqlalchemy.engine import Connection, Engine

from ..extras import require
from .chain import GENESIS, row_hash
from .marks import Mark
from .record import COLUMNS
from ..settings.audit import AuditSettings
from .signing import Keys

LOCK_KEY = 0x436F6E7453616665  # pg_advisory_xact_lock key: "ContSafe"
CONNECT_TIMEOUT_S = 10  # an unreachable server fails the run (or spools) instead of hanging it
metadata = MetaData()
_SEQ = BigInteger().with_variant(Integer, "sqlite")  # INTEGER PRIMARY KEY is SQLite's rowid
RECORDS = Table(
    "content_safety_audit", metadata,
    Column("seq", _SEQ, primary_key=True, autoincrement=False),
    Column("id", String(32), nullable=False, unique=True),
    Column("time", Double, nullable=False),
    *(Column(name, Text, nullable=False) for name in
      ("stage", "action", "policy", "mode", "level", "categories", "providers", "user", "client_id",
       "prompt_id", "node_id", "remote_addr")),
    Column("latency_ms", Double, nullable=False),
    Column("text", Text),
    Column("text_sha256", String(64)),
    Column("labelled", Boolean),
    Column("artifacts", String(64), nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_content_safety_audit_user_time", "user", "time"),
    Index("ix_content_safety_audit_time", "time"),
)
MARKS = Table(
    "content_safety_audit_marks", metadata,
    Column("kind", String(16), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", String(64), nullable=False),
    Column("time", Double, nullable=False),
    Column("rows", BigInteger, nullable=False),
    Column("signature", Text),
)
ARTIFACTS = Table(
    "content_safety_audit_artifacts", metadata,
    Column("digest", String(64), primary_key=True),
    Column("files", Text, nullable=False),
)
STORED = (*COLUMNS, "seq", "prev_hash", "hash")
# built once: an append runs these on every decision
LAST_ROW = select(RECORDS.c.seq, RECORDS.c.hash).order_by(RECORDS.c.seq.desc()).limit(1)
INSERT_ROWS = insert(RECORDS)


def _create_private(path: str) -> None:
    """SQLite creates its -wal and -shm files with the database's mode: make it 0600."""
    Path(path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not os.path.exists(path):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def make_engine(settings: AuditSettings) -> Engine:
    if not settings.is_sqlite:
        require("psycopg", f"audit.url {settings.display_url} (a PostgreSQL store)")
        return create_engine(settings.url, pool_pre_ping=True, pool_size=2, max_overflow=4,
                             connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
    _create_private(settings.sqlite_path)
    engine = create_engine(settings.url, connect_args={"timeout": 60})

    @event.listens_for(engine, "connect")
    def _connect(dbapi: Any, _record: Any) -> None:
        dbapi.isolation_level = None  # SQLAlchemy, not pysqlite, emits BEGIN (below)
        cursor = dbapi.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # WAL: a commit survives a crash of the process
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("writer") else "BEGIN")

    return engine


class AuditStore:
    def __init__(self, settings: AuditSettings) -> None:
        self.settings = settings
        self.engine = make_engine(settings)
        metadata.create_all(self.engine)
        self._known_artifacts: set[str] = set()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def writer(self) -> Iterator[Connection]:
        """One transaction holding the append lock until it commits."""
        with self.engine.connect() as conn:
            conn.execution_options(writer=True)
            with conn.begin():
                if not self.settings.is_sqlite:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
                yield conn

    @contextmanager
    def reader(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    # appending ------------------------------------------------------------------------

    def head(self, conn: Connection) -> tuple[int, str]:
        """(seq, hash) of the last row, else of the latest purge anchor, else the genesis."""
        row = conn.execute(LAST_ROW).first()
        if row is not None:
            return int(row.seq), row.hash
        anchor = self.latest_anchor(conn)
        return (anchor.seq, anchor.hash) if anchor else (0, GENESIS)

    def append(self, records: Sequence[Mapping[str, Any]], *, keys: Keys | None = None,
               artifacts: Mapping[str, Mapping[str, str]] | None = None,
               skip_known: bool = False) -> tuple[list[int], list[Mark]]:
        """Chain and insert `records` in order. Returns their seqs and the checkpoints made
        (for the caller to copy outside the store). `skip_known` drops records whose id is
        already stored: a spool replayed twice after a crash appends nothing twice."""
        with self.writer() as conn:
            if skip_known and records:
                ids = [r["id"] for r in records]
                known = {r[0] for r in conn.execute(select(RECORDS.c.id).where(RECORDS.c.id.in_(ids)))}
                records = [r for r in records if r["id"] not in known]
            if not records:
                return [], []
            self._remember(conn, artifacts or {})
            seq, prev = self.head(conn)
            rows = []
            for record in records:
                seq += 1
                row = {**{k: record[k] for k in COLUMNS}, "seq": seq, "prev_hash": prev}
                row["hash"] = prev = row_hash(row)
                rows.append(row)
            conn.execute(INSERT_ROWS, rows)
            every = self.settings.checkpoint_every
            marks = [Mark("checkpoint", r["seq"], r["hash"], r["time"]).signed(keys)
                     for r in rows if r["seq"] % every == 0] if keys and keys.signer else []
            if marks:
                conn.execute(insert(MARKS), [vars(m) for m in marks])
        return [r["seq"] for r in rows], marks

    def _remember(self, conn: Connection, artifacts: Mapping[str, Mapping[str, str]]) -> None:
        new = [d for d in artifacts if d not in self._known_artifacts]
        if new:
            stored = {r[0] for r in conn.execute(select(ARTIFACTS.c.digest).where(ARTIFACTS.c.digest.in_(new)))}
            rows = [{"digest": d, "files": json.dumps(artifacts[d], sort_keys=True)} for d in new if d not in stored]
            if rows:
                conn.execute(insert(ARTIFACTS), rows)
        self._known_artifacts.update(new)

    # reading --------------------------------------------------------------------------

    def rows(self, conn: Connection, *, since: float | None = None, until: float | None = None,
             columns: Sequence[str] = STORED, batch: int = 5000) -> Iterator[dict[str, Any]]:
        """Rows in chain order, streamed (a server-side cursor on PostgreSQL)."""
        query = select(*(RECORDS.c[c] for c in columns)).order_by(RECORDS.c.seq)
        if since is not None:
            query = query.where(RECORDS.c.time >= since)
        if until is not None:
            query = query.where(RECORDS.c.time < until)
        result = conn.execution_options(yield_per=batch).execute(query)
        for row in result.mappings():
            yield dict(row)

    def recent(self, conn: Connection, limit: int, equal: Mapping[str, str] | None = None,
               contains: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        """The newest `limit` rows, newest first, whose columns equal `equal` and contain the
        `contains` substrings (the audit route and the front end's sidebar)."""
        query = select(*(RECORDS.c[c] for c in STORED)).order_by(RECORDS.c.seq.desc()).limit(limit)
        for column, value in (equal or {}).items():
            query = query.where(RECORDS.c[column] == value)
        for column, value in (contains or {}).items():
            query = query.where(RECORDS.c[column].contains(value, autoescape=True))
        return [dict(row) for row in conn.execute(query).mappings()]

    def seq_of_hash(self, conn: Connection, digest: str) -> int | None:
        return conn.execute(select(RECORDS.c.seq).where(RECORDS.c.hash == digest)).scalar()

    def marks(self, conn: Connection) -> list[Mark]:
        return [Mark.from_mapping(r) for r in conn.execute(select(MARKS).order_by(MARKS.c.seq)).mappings()]

    def latest_anchor(self, conn: Connection) -> Mark | None:
        row = conn.execute(select(MARKS).where(MARKS.c.kind == "anchor")
                           .order_by(MARKS.c.seq.desc()).limit(1)).mappings().first()
        return Mark.from_mapping(row) if row else None

    def artifacts(self, conn: Connection, digest: str) -> dict[str, str] | None:
        files = conn.execute(select(ARTIFACTS.c.files).where(ARTIFACTS.c.digest == digest)).scalar()
        return json.loads(files) if files else None

    def prompt_times(self, user: str, since: float, exclude_prompt: str = "") -> list[float]:
        """When each prompt of `user` since `since` was first recorded (quota refusals not
        counted), leaving out `exclude_prompt` (the one asking)."""
        query = (select(func.min(RECORDS.c.time)).where(and_(
            RECORDS.c.user == user, RECORDS.c.time >= since, RECORDS.c.prompt_id != "",
            RECORDS.c.prompt_id != exclude_prompt,
            ~and_(RECORDS.c.stage == "quota", RECORDS.c.action == "raised")))
            .group_by(RECORDS.c.prompt_id))
        with self.reader() as conn:
            return sorted(float(t) for t in conn.execute(query).scalars())

    def count(self, conn: Connection) -> int:
        return int(conn.execute(select(func.count()).select_from(RECORDS)).scalar() or 0)

    # retention ------------------------------------------------------------------------

    def cut_head(self, conn: Connection, anchor: Mark) -> int:
        """Delete rows up to the anchor and the checkpoints it covers; keep the anchor."""
        conn.execute(insert(MARKS), [vars(anchor)])
        removed = conn.execute(delete(RECORDS).where(RECORDS.c.seq <= anchor.seq)).rowcount
        conn.execute(delete(MARKS).where(and_(MARKS.c.kind == "checkpoint", MARKS.c.seq <= anchor.seq)))
        return int(removed or 0)
