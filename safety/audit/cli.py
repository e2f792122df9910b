"""`content-safety audit verify|export|purge|keygen` and `content-safety report`.

The store (SQLAlchemy) and the signing keys (cryptography) load when an audit command
runs: every `content-safety check-text` builds this parser, and importing them would
cost it more than the check itself."""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config, config_path, load_config
from ..errors import ConfigError
from ..extras import require
from .marks import MarkFile
from .period import month_range, parse_moment
from ..settings.audit import AuditSettings, default_audit_settings

if TYPE_CHECKING:
    from .store import AuditStore

EXIT_OK, EXIT_BROKEN, EXIT_ERROR = 0, 1, 2
EXPORT_FORMATS = ("jsonl", "csv")


def audit_settings(config: Config, config_file: str | None) -> AuditSettings:
    """The config's `audit` section; without one, the store ComfyUI writes by default
    (audit.sqlite3 beside the config file)."""
    if config.audit is not None:
        return config.audit
    path = Path(config_file) if config_file else config_path()
    if path is None:
        raise ConfigError("no config file: pass --config (or set COMFY_CONTENT_SAFETY_CONFIG) to a config "
                          "with an 'audit' section, or the one in ComfyUI's user/content_safety/ folder")
    return default_audit_settings(path.resolve().parent, str(path))


@contextmanager
def _store(args: argparse.Namespace) -> Iterator[tuple[Config, AuditStore]]:
    from .store import AuditStore

    config = load_config(args.config)
    settings = audit_settings(config, args.config)
    if settings.is_sqlite and not Path(settings.sqlite_path).is_file():
        raise ConfigError(f"no audit store at {settings.sqlite_path} (nothing recorded yet, or another "
                          f"audit.url in {config.source})")
    store = AuditStore(settings)
    try:
        yield config, store
    finally:
        store.close()


def cmd_verify(args: argparse.Namespace) -> int:
    from .signing import load_keys
    from .verify import verify

    with _store(args) as (config, store):
        result = verify(store, load_keys(config.credentials_file), MarkFile(store.settings.checkpoint_path))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    span = f"rows {result.first_seq}-{result.last_seq}" if result.rows else "no rows"
    purged = f", {result.anchor.rows} purged before row {result.anchor.seq + 1}" if result.anchor else ""
    if result.ok:
        print(f"intact: {result.rows} rows ({span}{purged}), {result.checkpoints} signed checkpoints")
        return EXIT_OK
    print(f"BROKEN: {result.problem}")
    for problem in sorted(result.problems, key=lambda p: p.seq)[1:]:
        print(f"  also: {problem}")
    return EXIT_BROKEN


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export

    since = parse_moment(args.since, "--since") if args.since else None
    until = parse_moment(args.until, "--until") if args.until else None
    with _store(args) as (_, store):
        if args.out:
            with open(args.out, "w", encoding="utf-8", newline="") as out:
                count = export(store, out, args.format, since, until)
        else:
            count = export(store, sys.stdout, args.format, since, until)
    print(f"exported {count} rows", file=sys.stderr)
    return EXIT_OK


def cmd_purge(args: argparse.Namespace) -> int:
    """Verify first: an anchor signed over a tampered head would launder it."""
    from .retention import purge
    from .signing import load_keys
    from .verify import verify

    with _store(args) as (config, store):
        keys = load_keys(config.credentials_file)
        marks = MarkFile(store.settings.checkpoint_path)
        result = verify(store, keys, marks)
        if not result.ok:
            print(f"not purged: the chain is broken: {result.problem}", file=sys.stderr)
            return EXIT_BROKEN
        done = purge(store, keys, time.time(), marks)
    days = store.settings.retention_days
    print(f"purged {done.removed} rows older than {days} days" +
          (f" (anchor at row {done.anchor.seq})" if done.anchor else ""))
    return EXIT_OK


def cmd_keygen(args: argparse.Namespace) -> int:
    from .signing import new_key_pair

    signing, verifying = new_key_pair()
    print("# add to the credentials file the config names (credentials_file); keep signing_key secret")
    print(f"audit:\n  signing_key: {signing}\n  verify_key: {verifying}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    require("matplotlib", "content-safety report (its charts)")
    from .report.filing import filing_tables
    from .report.page import csv_rows, render
    from .report.stats import COLUMNS, month_stats
    from .signing import load_keys

    start, end, days = month_range(args.month)
    with _store(args) as (config, store):
        with store.reader() as conn:
            rows = store.rows(conn, since=start, until=end, columns=COLUMNS)
            stats = month_stats(rows, args.month, days, args.burst_requests, args.burst_minutes)
            count = store.count(conn)
        settings = store.settings
        appendix = filing_tables(config, settings, load_keys(config.credentials_file) is not None, count)
    rule = (f"{args.burst_requests} or more checks by one user within {args.burst_minutes:g} minutes "
            f"一位用户 {args.burst_minutes:g} 分钟内检查 {args.burst_requests} 次及以上")
    page = render(stats, appendix, privacy=settings.privacy, source=config.source,
                  store=settings.display_url, burst_rule=rule)
    Path(args.out).write_text(page, encoding="utf-8")
    if args.csv:
        with open(args.csv, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(("section", "key", "value"))
            writer.writerows(csv_rows(stats))
    print(f"{args.out}: {stats.totals['checks']} checks, {stats.totals['blocks']} blocks in {args.month}")
    return EXIT_OK


def _config_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", help="config file (default: $COMFY_CONTENT_SAFETY_CONFIG)")


def _command(sub: argparse._SubParsersAction, name: str, run: Callable[[argparse.Namespace], int],
             help: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help)
    _config_option(p)
    p.set_defaults(func=guarded(run))
    return p


def guarded(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Store errors exit 2 with the driver's message (not SQLAlchemy's echo of parameters)."""
    def call(args: argparse.Namespace) -> int:
        from sqlalchemy.exc import SQLAlchemyError

        from .trail import describe

        try:
            return run(args)
        except (SQLAlchemyError, OSError) as exc:
            raise ConfigError(f"audit store: {describe(exc)}") from None
    return call


def add_commands(sub: argparse._SubParsersAction) -> None:
    audit = sub.add_parser("audit", help="the audit trail: verify, export, purge, keygen")
    commands = audit.add_subparsers(dest="audit_command", required=True)
    _command(commands, "verify", cmd_verify,
             "check the hash chain and signed checkpoints (exit 0 intact, 1 broken, 2 error)")
    export_cmd = _command(commands, "export", cmd_export, "rows of a period as JSON lines or CSV")
    export_cmd.add_argument("--since", help="first day or time, local (2026-11-01)")
    export_cmd.add_argument("--until", help="end, exclusive (2026-12-01)")
    export_cmd.add_argument("--format", choices=EXPORT_FORMATS, default="jsonl")
    export_cmd.add_argument("--out", help="file to write (default: stdout)")
    _command(commands, "purge", cmd_purge, "remove rows older than audit.retention_days")
    _command(commands, "keygen", cmd_keygen, "print a new Ed25519 key pair for the credentials file")
    report = _command(sub, "report", cmd_report, "monthly usage report as one offline HTML file")
    report.add_argument("--month", required=True, help="the month, e.g. 2026-11 (local time)")
    report.add_argument("--out", required=True, help="HTML file to write")
    report.add_argument("--csv", help="also write the figures as CSV")
    report.add_argument("--burst-requests", type=int, default=30, help="checks that make a burst (default 30)")
    report.add_argument("--burst-minutes", type=float, default=5.0, help="within minutes (default 5)")



@contextmanager
def recording(config: Config) -> Iterator[None]:
    """check-text and check-image record their decisions when the config has `audit`."""
    from ..decision import DECISION_HOOKS
    from .trail import AuditTrail, config_settings

    if config.audit is None:
        yield
        return
    with DECISION_HOOKS.registered(AuditTrail(lambda: config_settings(config))):
        yield

