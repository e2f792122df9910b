"""`on_failure: spool`: records that could not reach the store wait in a local JSON-lines
file (mode 0600, fsynced) and are replayed in order, before anything newer, once the store
answers again. A file lock keeps processes sharing the file from replaying it twice."""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class Spool:
    def __init__(self, path: str) -> None:
        self.path = path

    @contextmanager
    def _locked(self) -> Iterator[None]:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path + ".lock", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def pending(self) -> bool:
        try:
            return os.path.getsize(self.path) > 0
        except OSError:
            return False

    def add(self, records: Sequence[Mapping[str, Any]]) -> None:
        """Raises OSError when the record cannot be kept: the caller then refuses the run."""
        data = "".join(json.dumps(dict(r), ensure_ascii=False, sort_keys=True) + "\n" for r in records)
        with self._locked():
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, data.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)

    def replay(self, append: Callable[[list[dict[str, Any]]], Any],
               valid: Callable[[Any], bool] = lambda record: isinstance(record, dict)) -> int:
        """Hand every spooled record, oldest first, to `append` (which must skip ids it
        already has); empty the file only after it succeeded. A line that is not `valid`
        (cut short by a crash, written by another version, edited) is set aside, so one bad
        line cannot stop every later record."""
        with self._locked():
            try:
                lines = Path(self.path).read_text(encoding="utf-8").splitlines()
            except FileNotFoundError:
                return 0
            records, broken = [], []
            for line in filter(str.strip, lines):
                try:
                    record = json.loads(line)
                except ValueError:  # a write cut short by a crash: kept aside, never dropped
                    record = None
                if record is not None and valid(record):
                    records.append(record)
                else:
                    broken.append(line)
            if records:
                append(records)
            if broken:
                self._set_aside(broken)
            with open(self.path, "w", encoding="utf-8"):
                pass
            return len(records)

    def _set_aside(self, lines: list[str]) -> None:
        rejected = self.path + ".rejected"
        fd = os.open(rejected, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, "".join(line + "\n" for line in lines).encode("utf-8"))
            os.fsync(fd)  # before the spool is emptied
        finally:
            os.close(fd)
        log.warning("content safety audit: %d unreadable spool line(s) moved to %s", len(lines), rejected)
