"""Emulator set-up shared by tests and bench/remote.py: the accounts the emulated
service knows, starting and stopping it, and configs whose endpoint points the real SDK
at it over plain HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from content_safety_guard.safety import CHECKERS, Finding, Row
from content_safety_guard.safety.config import Config, parse_config

from .green import GreenEmulator
from .oss import OssEmulator

AK_ID = "LTAI5tEmuKeyId0001"
AK_SECRET = "emuSecret-7d1c9e0b5a"
STS_ID = "STS.NUemulatedKeyId"
STS_SECRET = "stsSecret-4b2f8a6e31"
STS_TOKEN = "CAISemulatedSecurityToken+/=xyz123"
FAST = {"protocol": "http", "connect_timeout_s": 0.3, "read_timeout_s": 0.4, "retries": 2,
        "backoff_initial_s": 0.01, "backoff_max_s": 0.05}


def start_green(region: str = "cn-shanghai", **kwargs: Any) -> GreenEmulator:
    oss = OssEmulator(region).start()
    green = GreenEmulator(region, oss=oss, **kwargs)
    green.keyring.add(AK_ID, AK_SECRET)
    green.keyring.add(STS_ID, STS_SECRET, STS_TOKEN)
    return green.start()


def stop_green(green: GreenEmulator) -> None:
    green.stop()
    if green.oss is not None:
        green.oss.stop()


def config_for(green: GreenEmulator, data: dict[str, Any] | None = None, **aliyun: Any) -> Config:
    """A parsed config (as from a file) whose aliyun endpoint is the emulator."""
    section = {"region": green.region, "endpoint": green.address, **FAST, **aliyun}
    return parse_config({**(data or {}), "aliyun": section}, "test-config.yaml")


class LocalRule:
    """A cost-0 local checker for auto-mode and fallback tests: flags 'localbad' as violence."""

    provider = "local:test"
    cost = 0

    def check_text(self, text: str) -> Finding:
        return Finding({"violence": 1.0} if "localbad" in text else {}, self.provider)


@contextmanager
def local_rule(name: str) -> Iterator[None]:
    """LocalRule as the checker `name`, for one test."""
    with CHECKERS.registered(Row(name, text=lambda setup, rest: LocalRule())):
        yield
