"""A private PostgreSQL cluster for the tests: initdb/pg_ctl from Debian's postgresql
package on a free port under a temporary folder, removed afterwards. As root, the
cluster runs as `nobody` (initdb refuses root). Without the binaries the tests skip,
except in CI (CI=true), where a missing server is a failure."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

RUN_AS = "nobody"


def _bindir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(args: list[str], owner: bool) -> None:
    if owner and os.geteuid() == 0:
        args = ["runuser", "-u", RUN_AS, "--", *args]
    res = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {res.stdout}{res.stderr}")


def missing() -> str | None:
    """Why no server can be started here, or None."""
    return None if _bindir() else "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install -y postgresql"


@contextmanager
def private_cluster(durable: bool = False) -> Iterator[str]:
    """URL of a running server (superuser postgres, trust auth on 127.0.0.1), removed after.
    Tests run without fsync; `durable` keeps PostgreSQL's defaults (benchmarks)."""
    bindir = _bindir()
    if bindir is None:
        raise RuntimeError(missing())
    root = Path(tempfile.mkdtemp(prefix="cs-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, RUN_AS)
    data, port = root / "data", _free_port()
    try:
        _run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
              "--no-sync", "--locale=C"], owner=True)
        _run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-t", "60", "-o",
              f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=100"
              + ("" if durable else " -c fsync=off"),
              "start"], owner=True)
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], owner=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    why = missing()
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)
    with private_cluster() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh database per test, dropped afterwards."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield postgres_server.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
