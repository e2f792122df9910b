"""A test that leaves a decision hook or a checker row registered fails (tests/global_state.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
LEAKY = """
import conftest  # loads the pack as the suite does
from content_safety_guard.safety import CHECKERS, DECISION_HOOKS, Row

def test_leaks_a_hook():
    DECISION_HOOKS.add(print)

def test_leaks_a_checker():
    CHECKERS.add(Row("leaked", text=lambda setup, name: None))

def test_scoped_registrations_are_fine():
    with DECISION_HOOKS.registered(lambda decision: None), CHECKERS.registered(Row("scoped", text=lambda setup, name: None)):
        pass
"""


def test_a_leaked_registration_fails_the_test_that_left_it(tmp_path: Path) -> None:
    (tmp_path / "test_leaky.py").write_text(LEAKY)
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"PYTHONPATH": str(TESTS)}
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "global_state", "-p", "no:cacheprovider", "-rE",
                          "-c", os.devnull, "--rootdir", str(tmp_path), str(tmp_path)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.stdout.splitlines()[-1].strip("= ").startswith("3 passed, 2 errors"), run.stdout
    assert "ERROR at teardown of test_leaks_a_hook" in run.stdout
    assert "ERROR at teardown of test_leaks_a_checker" in run.stdout
    assert "AssertionError: the test left a decision hook registered" in run.stdout
    assert "AssertionError: the test left the checker table changed" in run.stdout
