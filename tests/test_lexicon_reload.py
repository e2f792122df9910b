"""A lexicon becomes active only when it was read whole and parses; until then the
previous one stays in force (a rewrite in progress must not let blocked terms through)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from content_safety_guard.safety import Engine
from content_safety_guard.safety.config import Config
from content_safety_guard.safety.errors import ConfigError
from content_safety_guard.safety.policy import BUILTIN_POLICIES
from content_safety_guard.safety.text import lexicon

FULL = "".join(f"harmless filler {i}\n" for i in range(400)) + "zorblax | drugs\n"
TEXT = "we sell zorblax here"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [time.time()]
    monkeypatch.setattr(lexicon, "RELOAD_INTERVAL_S", 0.0)
    monkeypatch.setattr(lexicon, "wall_clock", lambda: now[0])
    return now


def settle(path: Path, clock: list[float]) -> None:
    """As if the file had been written a while ago."""
    stamp = clock[0] - 10
    os.utime(path, (stamp, stamp))
    os.utime(path.parent, (stamp, stamp))


def engine_for(folder: Path) -> Engine:
    return Engine(BUILTIN_POLICIES["normal"], Config(lexicon_dirs=(str(folder),)))


def test_a_half_written_file_keeps_the_previous_lexicon_until_it_settles(tmp_path: Path, clock: list[float]) -> None:
    words = tmp_path / "drugs_house.txt"
    words.write_text(FULL)
    settle(words, clock)
    engine = engine_for(tmp_path)
    assert engine.check_text(TEXT).categories == ("drugs",)
    words.write_text(FULL[: len(FULL) // 2])  # the writer is half-way; the term is not there yet
    os.utime(words, (clock[0], clock[0]))
    for _ in range(3):
        assert engine.check_text(TEXT).categories == ("drugs",)
    clock[0] += lexicon.SETTLE_S + 0.1  # nothing more came: this is the file now
    assert engine.check_text(TEXT).is_safe


def test_a_fresh_file_that_does_not_parse_keeps_the_previous_one_a_settled_one_raises(
        tmp_path: Path, clock: list[float]) -> None:
    words = tmp_path / "drugs_house.txt"
    words.write_text(FULL)
    settle(words, clock)
    engine = engine_for(tmp_path)
    assert engine.check_text(TEXT).level == "unsafe"
    words.write_text(FULL + "broken | not_a_category\n")
    os.utime(words, (clock[0], clock[0]))
    assert engine.check_text(TEXT).level == "unsafe"
    clock[0] += lexicon.SETTLE_S + 0.1
    with pytest.raises(ConfigError, match="drugs_house.txt:402: unknown category"):
        engine.check_text(TEXT)


def test_a_file_deleted_for_a_rewrite_keeps_the_previous_lexicon(tmp_path: Path, clock: list[float]) -> None:
    words = tmp_path / "drugs_house.txt"
    words.write_text(FULL)
    settle(words, clock)
    engine = engine_for(tmp_path)
    assert engine.check_text(TEXT).level == "unsafe"
    words.unlink()  # the folder changed just now
    os.utime(tmp_path, (clock[0], clock[0]))
    assert engine.check_text(TEXT).level == "unsafe"


def test_a_file_changing_during_the_read_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    words = tmp_path / "drugs_house.txt"
    words.write_text(FULL)
    real_fstat, calls = os.fstat, []

    def growing(fd: int) -> os.stat_result:
        calls.append(fd)
        if len(calls) == 2:  # between the two looks the writer appended
            with open(words, "a") as f:
                f.write("more | drugs\n")
        return real_fstat(fd)

    monkeypatch.setattr(lexicon.os, "fstat", growing)
    with pytest.raises(lexicon._Changed):
        lexicon._read_whole(words)


def test_checks_during_concurrent_rewrites_never_use_a_partial_file(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexicon, "RELOAD_INTERVAL_S", 0.0)
    words = tmp_path / "drugs_house.txt"
    words.write_text(FULL)
    engine = engine_for(tmp_path)
    assert engine.check_text(TEXT).level == "unsafe"
    stop = threading.Event()
    rewrites = [0]

    def rewrite() -> None:
        while not stop.is_set():
            with open(words, "w") as f:  # truncate, then write in pieces, as editors and scripts do
                for start in range(0, len(FULL), 2000):
                    f.write(FULL[start:start + 2000])
                    f.flush()
                    time.sleep(0.0005)
            rewrites[0] += 1

    writer = threading.Thread(target=rewrite)
    writer.start()
    levels = []
    try:
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline or rewrites[0] < 10:
            levels.append(engine.check_text(TEXT).level)
    finally:
        stop.set()
        writer.join()
    assert rewrites[0] >= 10 and len(levels) > 20
    assert set(levels) == {"unsafe"}, f"{levels.count('safe')} of {len(levels)} checks said safe"
