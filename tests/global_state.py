"""Every test leaves the pack's global registrations as it found them: the decision hooks
and the checker table (tests register with `registered(...)`, which undoes itself). A test
that leaks one fails here instead of changing the tests that run after it. tests/conftest.py
imports the fixture; `python -m pytest -p global_state` loads it alone."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

PACKAGE = "content_safety_guard"


@pytest.fixture(autouse=True)
def no_leaked_registrations() -> Iterator[None]:
    if f"{PACKAGE}.safety" not in sys.modules:  # the test never loaded the pack
        yield
        return
    safety = sys.modules[f"{PACKAGE}.safety"]
    hooks, rows = safety.DECISION_HOOKS.hooks(), safety.CHECKERS.rows()
    yield
    assert safety.DECISION_HOOKS.hooks() == hooks, "the test left a decision hook registered"
    assert safety.CHECKERS.rows() == rows, "the test left the checker table changed"
