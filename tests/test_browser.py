"""Browser and front-end tests: `node --test tests/browser/` (Node's built-in runner) against
the session's ComfyUI, in headless Chromium (Debian's /usr/bin/chromium, driven by the npm
package playwright-core; scripts/test.sh installs both). tests/browser/harness.mjs opens the
page; pure JavaScript tests sit beside the browser tests and run in the same call."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from comfyui_harness import ROOT, Comfy

BROWSER_TESTS = ROOT / "tests" / "browser"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
NODE_S = 900  # a bound for a hung browser, not a performance expectation


def _missing() -> list[str]:
    missing = [] if shutil.which("node") else ["node"]
    if not Path(CHROMIUM).is_file():
        missing.append(f"chromium at {CHROMIUM}")
    if not (ROOT / "node_modules" / "playwright-core").is_dir():
        missing.append("node_modules/playwright-core (npm ci)")
    return missing


def test_browser_and_javascript_tests_pass(comfy: Comfy) -> None:
    if missing := _missing():
        why = "browser tests need " + ", ".join(missing) + "; scripts/test.sh installs them"
        if os.environ.get("CI") == "true":
            pytest.fail(why, pytrace=False)
        pytest.skip(why)
    env = {**os.environ, "COMFYUI_URL": comfy.url, "CHROMIUM_PATH": CHROMIUM}
    run = subprocess.run(["node", "--test", "--test-reporter=tap", str(BROWSER_TESTS)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=NODE_S)
    report = run.stdout + run.stderr
    counts = {k: int(v) for k, v in re.findall(r"^# (pass|fail|skipped|todo) (\d+)$", report, re.M)}
    assert run.returncode == 0 and counts.get("fail") == 0, f"{report[-8000:]}\n--- ComfyUI:\n{comfy.log_tail()}"
    assert counts.get("pass", 0) > 0, f"no browser test ran:\n{report[-4000:]}"
    assert counts.get("skipped") == 0, f"browser tests skipped with COMFYUI_URL set:\n{report[-4000:]}"
