"""In CI (CI=true) a skipped test is a failed test: CI installs everything the suite needs,
so a skip there can only hide a test that no longer runs (a missing package, ComfyUI,
Chromium or PostgreSQL). On a developer's machine skips stay skips. tests/conftest.py
imports these hooks; `python -m pytest -p ci_skips` loads them alone."""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest


def _fail_skip(report: pytest.CollectReport | pytest.TestReport) -> None:
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every test must run: {report.longrepr}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Generator[None, Any, None]:
    outcome = yield
    _fail_skip(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Any, None]:
    outcome = yield
    _fail_skip(outcome.get_result())
