"""Dates on the command line (`--month 2026-11`, `--since 2026-11-01`) in the machine's
local time zone, as ComfyUI's own logs and file names are."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ..errors import InputError


def parse_moment(value: str, option: str) -> float:
    """A date (midnight) or ISO date-time, as epoch seconds."""
    try:
        # Python 3.10's fromisoformat does not read a "Z" (UTC) suffix; 3.11 does
        moment = datetime.fromisoformat(value[:-1] + "+00:00" if value[-1:] in ("Z", "z") else value)
    except ValueError:
        raise InputError(f"{option} {value!r}: expected a date like 2026-11-01 or 2026-11-01T08:30") from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # local time
    return moment.timestamp()


def month_range(value: str) -> tuple[float, float, list[date]]:
    """(start, end) of `YYYY-MM` and its days."""
    try:
        first = datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise InputError(f"--month {value!r}: expected a month like 2026-11") from None
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    days = [first + timedelta(days=i) for i in range((following - first).days)]
    start = datetime.combine(first, datetime.min.time()).astimezone().timestamp()
    end = datetime.combine(following, datetime.min.time()).astimezone().timestamp()
    return start, end, days


def day_of(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp).date()
