"""A real ComfyUI with this pack, started as a subprocess on loopback, for tests that drive it
through its HTTP API or a browser. tests/conftest.py starts one per test session (`comfy`
fixture); every ComfyUI test of the suite shares it, since a start costs many seconds.

Where ComfyUI is: COMFYUI_DIR, else ../shared/comfyui beside the repository. Missing, its
tests are skipped, except in CI (CI=true), where that is a failure. ComfyUI runs under
COMFYUI_PYTHON, else the checkout's own .venv/bin/python when it has one, else this
interpreter (scripts/test.sh installs ComfyUI's requirements into it). tests/comfyui_stubs
stands in for torchvision and torchaudio on ComfyUI's path only.

The checkout is never written to: the pack is linked into a temporary --base-directory, which
also holds the user, input, output and temp folders of the run; byte code goes to a cache
folder outside it (PYTHONPYCACHEPREFIX).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
STUBS = Path(__file__).resolve().parent / "comfyui_stubs"
PACK_DIR = "content_safety_guard"  # the folder name a user clones into custom_nodes/
STARTUP_S = 300.0  # generous: a start takes ~10 s idle, far longer on a loaded 2-core machine
RUN_S = 120.0
READY_NODE = "ContentSafetyTextCheck"


@dataclass
class Comfy:
    url: str
    base: Path
    object_info: dict[str, Any]

    @property
    def config_file(self) -> Path:
        return self.base / "user" / "content_safety" / "config.yaml"

    @property
    def log(self) -> Path:
        return self.base / "comfyui.log"

    def log_tail(self, chars: int = 4000) -> str:
        return _log_tail(self.log, chars)


def comfyui_dir() -> Path | None:
    """The ComfyUI checkout to test against, or None when there is none."""
    given = os.environ.get("COMFYUI_DIR")
    path = Path(given) if given else ROOT.parent / "shared" / "comfyui"
    return path if (path / "main.py").is_file() else None


def require_comfyui_dir() -> Path:
    """The checkout, or the test is skipped (failed in CI, which must run the ComfyUI tests)."""
    path = comfyui_dir()
    if path is not None:
        return path
    why = (f"no ComfyUI checkout at COMFYUI_DIR={os.environ['COMFYUI_DIR']!r}" if os.environ.get("COMFYUI_DIR")
           else f"no ComfyUI checkout at {ROOT.parent / 'shared' / 'comfyui'}; set COMFYUI_DIR")
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}: CI runs the ComfyUI integration tests", pytrace=False)
    pytest.skip(why)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _comfyui_python(checkout: Path) -> str:
    venv = checkout / ".venv" / "bin" / "python"
    return os.environ.get("COMFYUI_PYTHON") or (str(venv) if venv.is_file() else sys.executable)


def _pycache() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "content_safety_guard" / "comfyui-pycache"


def _log_tail(log: Path, chars: int = 4000) -> str:
    return log.read_text(errors="replace")[-chars:] if log.exists() else "(no log)"


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COMFY_CONTENT_SAFETY_CONFIG", "OLLAMA_HOST")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(STUBS), env.get("PYTHONPATH")]))
    env["PYTHONPYCACHEPREFIX"] = str(_pycache())
    return env


@contextmanager
def running_comfyui(base: Path, *extra_args: str, checkout: Path | None = None) -> Iterator[Comfy]:
    """ComfyUI on a free loopback port with `base` as its --base-directory, until the block
    ends. `extra_args` go to main.py (e.g. --multi-user); files placed under `base` before
    (a config in user/content_safety/) are there from the start."""
    checkout = checkout or require_comfyui_dir()
    for folder in ("custom_nodes", "user", "input", "output"):
        (base / folder).mkdir(parents=True, exist_ok=True)
    (base / "custom_nodes" / PACK_DIR).symlink_to(ROOT, target_is_directory=True)
    port = _free_port()
    log = base / "comfyui.log"
    cmd = [_comfyui_python(checkout), str(checkout / "main.py"),
           "--cpu", "--listen", "127.0.0.1", "--port", str(port), "--disable-auto-launch",
           "--disable-api-nodes", "--base-directory", str(base),
           "--user-directory", str(base / "user"), "--input-directory", str(base / "input"),
           "--output-directory", str(base / "output"),
           "--database-url", "sqlite:///:memory:", *extra_args]
    url = f"http://127.0.0.1:{port}"
    before = _tree(checkout)
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=base, env=_environment(), stdout=out, stderr=subprocess.STDOUT)
    try:
        yield Comfy(url, base, _wait_for_nodes(proc, url, log))
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    written = sorted(str(p) for p, stamp in _tree(checkout).items() if before.get(p) != stamp)
    assert not written, f"ComfyUI wrote into its read-only checkout: {written[:10]}"


def _tree(folder: Path) -> dict[Path, int]:
    """Every path under `folder` with its modification time (a few ms for ComfyUI's ~600)."""
    return {p: p.lstat().st_mtime_ns for p in folder.rglob("*")}


def _wait_for_nodes(proc: subprocess.Popen[bytes], url: str, log: Path) -> dict[str, Any]:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"ComfyUI exited with {proc.returncode} while starting:\n{_log_tail(log)}")
        try:
            info = requests.get(f"{url}/object_info", timeout=10).json()
        except (requests.ConnectionError, requests.Timeout, ValueError):
            info = {}
        if READY_NODE in info:
            return info
        time.sleep(0.5)
    pytest.fail(f"ComfyUI did not list the pack's nodes within {STARTUP_S:.0f} s:\n{_log_tail(log)}")


def queue(comfy: Comfy, prompt: dict[str, Any], client_id: str | None = None,
          headers: dict[str, str] | None = None) -> dict[str, Any]:
    """POST /prompt, then poll /history until the run ended; the history entry. `headers` go
    with both requests (`comfy-user` names the user of a --multi-user ComfyUI)."""
    r = requests.post(f"{comfy.url}/prompt", timeout=10, headers=headers,
                      json={"prompt": prompt, "client_id": client_id or uuid.uuid4().hex})
    assert r.status_code == 200, r.text
    prompt_id = r.json()["prompt_id"]
    deadline = time.monotonic() + RUN_S
    while time.monotonic() < deadline:
        history = requests.get(f"{comfy.url}/history/{prompt_id}", headers=headers, timeout=10).json()
        if prompt_id in history:
            return history[prompt_id]
        time.sleep(0.1)
    pytest.fail(f"prompt {prompt_id} did not finish within {RUN_S:.0f} s:\n{comfy.log_tail()}")


def messages(entry: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The status messages of one kind (execution_error, execution_cached...) of a history entry."""
    return [data for name, data in entry["status"]["messages"] if name == kind]
