"""pytest fixtures (loaded with `pytest_plugins`): Green + OSS emulators on loopback for
one or two regions, and credentials in the environment."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .green import GreenEmulator
from .helpers import AK_ID, AK_SECRET, start_green, stop_green


@pytest.fixture
def green() -> Iterator[GreenEmulator]:
    emulator = start_green()
    yield emulator
    stop_green(emulator)


@pytest.fixture
def green_b() -> Iterator[GreenEmulator]:
    """A second region, for failover."""
    emulator = start_green("cn-beijing")
    yield emulator
    stop_green(emulator)


@pytest.fixture
def aliyun_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", AK_ID)
    monkeypatch.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", AK_SECRET)
    monkeypatch.delenv("ALIBABA_CLOUD_SECURITY_TOKEN", raising=False)
