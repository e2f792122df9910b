"""The built wheel, installed in a fresh virtual environment, gives the repository's verdicts.

Checking pyproject.toml is not enough: a data file missing from the wheel (the combination
rules once were) makes the installed CLI call `buy cocaine online` safe.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ("buy cocaine online", "a lighthouse at dawn", "hardcore porn", "一部色情片",
         "call me at 13812345678", "s.e.x with a child")


def _verdicts(command: list[str], cwd: Path, env: dict[str, str]) -> list[tuple[int, str, list[str]]]:
    out = []
    for text in TEXTS:
        res = subprocess.run([*command, "check-text", "--json", text], cwd=cwd, env=env,
                             capture_output=True, timeout=300)
        assert res.returncode in (0, 1), res.stderr.decode(errors="replace")
        verdict = json.loads(res.stdout)
        out.append((res.returncode, verdict["level"], verdict["categories"]))
    return out


@pytest.fixture(scope="module")
def installed_cli(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from the working tree, installed into its own venv (system packages
    visible for the dependencies, so nothing is downloaded)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # setuptools writes build/ and *.egg-info next to the sources
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", "build", "*.egg-info", "__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation",
                    "-w", str(work / "dist"), "-q"], check=True, capture_output=True, timeout=600)
    wheels = list((work / "dist").glob("content_safety_guard-*.whl"))
    assert len(wheels) == 1, wheels
    env_dir = work / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
                    str(wheels[0])], check=True, capture_output=True, timeout=600)
    return env_dir / "bin" / "content-safety"


def test_installed_cli_gives_the_repository_verdicts(installed_cli: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("COMFY_CONTENT_SAFETY_CONFIG", "PYTHONPATH")}
    repo = _verdicts([sys.executable, "-m", "safety"], ROOT, env)
    installed = _verdicts([str(installed_cli)], tmp_path, env)  # not the repository's folder
    assert installed == repo
    assert repo[0][:2] == (1, "unsafe")  # the combination rule fires


def test_wheel_holds_every_data_file_of_the_repository(installed_cli: Path) -> None:
    site = next(installed_cli.parent.parent.glob("lib/python*/site-packages/content_safety_guard"))
    for folder in ("safety/text/lexicon_data", "safety/text", "safety/image", "safety/text/model_data"):
        wanted = {p.name for p in (ROOT / folder).iterdir()
                  if p.is_file() and p.suffix in (".txt", ".yaml", ".json", ".onnx", ".npy")}
        assert wanted <= {p.name for p in (site / folder).iterdir()}, folder
