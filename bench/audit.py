"""Benchmark the audit trail, peers in the same process (the machines are noisy: compare
ratios, not absolute times).

- appends per second on SQLite (WAL) and PostgreSQL (a private cluster with its default,
  durable settings), one transaction per decision as the hook does, and in batches of 500
  as a spool replay does;
- the time the audit hook adds to a local text check (target: under 1 ms p50 on SQLite),
  and the ratio of a check with the hook to the same check without it, interleaved;
- `audit verify` speed over --verify-rows rows (default one million; takes minutes).

Run: python bench/audit.py [--n 2000] [--verify-rows 1000000] [--no-postgres]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import conftest  # noqa: E402,F401  (loads the pack as content_safety_guard)
from pg_server import missing, private_cluster  # noqa: E402

from content_safety_guard.safety import BUILTIN_POLICIES, DECISION_HOOKS, Decision, Engine, load_config  # noqa: E402
from content_safety_guard.safety.audit.record import build_record  # noqa: E402
from content_safety_guard.safety.settings.audit import AuditSettings, default_audit_settings  # noqa: E402
from content_safety_guard.safety.audit.signing import Keys  # noqa: E402
from content_safety_guard.safety.audit.store import AuditStore  # noqa: E402
from content_safety_guard.safety.audit.trail import AuditTrail, Stores  # noqa: E402
from content_safety_guard.safety.audit.verify import verify  # noqa: E402

TEXT = "a watercolor fox in a snowy forest at dawn, soft morning light, highly detailed"


def _settings(folder: Path, pg: str | None) -> AuditSettings:
    base = default_audit_settings(folder)
    return replace(base, url="postgresql+psycopg://" + pg.split("://", 1)[1]) if pg else base


def _records(n: int, start: float = 1.7e9) -> list[dict]:
    """Distinct records without building each from a Decision (a million would take a while)."""
    base = build_record(Decision("text", "passed", (), "normal", user="bench", text=TEXT), "full", "0" * 64)
    return [{**base, "id": uuid.uuid4().hex, "time": start + i, "prompt_id": f"p{i}"} for i in range(n)]


def appends(settings: AuditSettings, n: int, batch: int) -> float:
    store = AuditStore(settings)
    records = _records(n)
    start = time.perf_counter()
    for i in range(0, n, batch):
        store.append(records[i:i + batch])
    rate = n / (time.perf_counter() - start)
    store.close()
    return rate


def check_overhead(folder: Path, n: int) -> None:
    """Each round: a check without the hook, then one with it, so load hits both alike."""
    config = replace(load_config(None), audit=default_audit_settings(folder))
    engine = Engine(BUILTIN_POLICIES["normal"], config)
    trail = AuditTrail(lambda: (config, config.audit), Stores())

    def checked(hooked: bool) -> float:
        start = time.perf_counter()
        verdict = engine.check_text(TEXT)
        with DECISION_HOOKS.registered(trail) if hooked else nullcontext():
            DECISION_HOOKS.emit(Decision("text", "passed", (verdict,), "normal", user="bench", text=TEXT))
        return (time.perf_counter() - start) * 1000

    for _ in range(50):
        checked(True), checked(False)
    plain, audited, added = [], [], []
    for _ in range(n):
        p, a = checked(False), checked(True)
        plain.append(p), audited.append(a), added.append(a - p)
    p50 = statistics.median
    print(f"text check            p50 {p50(plain):6.3f} ms   with audit p50 {p50(audited):6.3f} ms")
    print(f"audit adds            p50 {p50(added):6.3f} ms   (target < 1 ms)   "
          f"ratio with/without {p50(a / p for a, p in zip(audited, plain)):.2f}x")


def verify_speed(settings: AuditSettings, rows: int, name: str) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    keys = Keys(key, key.public_key())
    store = AuditStore(settings)
    start = time.perf_counter()
    for i in range(0, rows, 5000):
        store.append(_records(min(5000, rows - i), 1.7e9 + i), keys=keys)
    filled = time.perf_counter() - start
    start = time.perf_counter()
    result = verify(store, keys)
    took = time.perf_counter() - start
    assert result.ok and result.rows == rows, result.problems
    print(f"verify {name:10s}     {rows} rows in {took:6.1f} s = {rows / took:9.0f} rows/s "
          f"({result.checkpoints} checkpoints; filled at {rows / filled:.0f} rows/s)")
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="appends and checks per measurement")
    parser.add_argument("--verify-rows", type=int, default=1_000_000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pg = nullcontext(None) if args.no_postgres or missing() else private_cluster(durable=True)
        with pg as pg_url:
            backends = [("SQLite", None)] + ([("PostgreSQL", pg_url)] if pg_url else [])
            for index, (name, url) in enumerate(backends):
                for batch in (1, 500):
                    settings = _settings(folder / f"{name}-{batch}", url and _database(url, f"b{index}_{batch}"))
                    print(f"append {name:10s} batch {batch:3d}: {appends(settings, args.n, batch):9.0f} rows/s")
            check_overhead(folder / "check", args.n)
            if args.verify_rows:
                for name, url in backends:
                    verify_speed(_settings(folder / f"verify-{name}", url and _database(url, "verify")),
                                 args.verify_rows, name)
    return 0


def _database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + f"/{name}"


if __name__ == "__main__":
    sys.exit(main())
