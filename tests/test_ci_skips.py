"""CI fails a run that skipped a test (tests/ci_skips.py); locally a skip stays a skip."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
SKIPPING = """
import pytest

def test_skipped_inside():
    pytest.skip("no such thing here")

@pytest.mark.skipif(True, reason="never here")
def test_skipped_by_marker():
    pass

@pytest.mark.xfail(reason="known")
def test_expected_failure():
    assert False
"""
SKIPPED_MODULE = "import pytest\npytest.importorskip('no_such_module_here')\n\ndef test_never(): pass\n"


def _pytest(tmp_path: Path, ci: bool, **files: str) -> tuple[int, str]:
    """(exit status, last summary line) of pytest on test files, with only ci_skips loaded."""
    for name, source in files.items():
        (tmp_path / f"{name}.py").write_text(source)
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"PYTHONPATH": str(TESTS)}
    if ci:
        env["CI"] = "true"
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "ci_skips", "-p", "no:cacheprovider",
                          "-c", os.devnull, str(tmp_path)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert ("skipped in CI, where every test must run" in run.stdout) == ci, run.stdout
    return run.returncode, run.stdout.strip().splitlines()[-1]


def test_skipped_tests_fail_in_ci(tmp_path: Path) -> None:
    status, summary = _pytest(tmp_path, True, test_skipping=SKIPPING)
    # pytest.skip() in the test fails it; a skip marker errors in its setup; xfail stays
    assert status == 1 and re.search(r"\b1 failed, 1 xfailed, 1 error\b", summary), summary


def test_a_skipped_module_fails_in_ci(tmp_path: Path) -> None:
    status, summary = _pytest(tmp_path, True, test_skipped_module=SKIPPED_MODULE)
    assert status == 2 and "1 error" in summary, summary


def test_skips_stay_skips_outside_ci(tmp_path: Path) -> None:
    status, summary = _pytest(tmp_path, False, test_skipping=SKIPPING, test_skipped_module=SKIPPED_MODULE)
    assert status == 0 and re.search(r"\b3 skipped, 1 xfailed in\b", summary), summary


def test_the_suite_loads_the_hooks() -> None:
    import ci_skips
    import conftest

    assert conftest.pytest_runtest_makereport is ci_skips.pytest_runtest_makereport
    assert conftest.pytest_make_collect_report is ci_skips.pytest_make_collect_report
