"""The front end's pure logic (web/js/lib) under Node's built-in test runner."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_node_test_runner_passes_the_web_logic_tests() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("needs Node.js 18+ (node --test)")
    out = subprocess.run([node, "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "# fail 0" in out.stdout and "# pass 0" not in out.stdout
