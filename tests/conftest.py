"""Load the repository as the package ComfyUI would load it (relative imports included), and
share one real ComfyUI per test session (`comfy`, from tests/comfyui_harness.py)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from comfyui_harness import Comfy

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "content_safety_guard"

if PACKAGE not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        PACKAGE, ROOT / "__init__.py", submodule_search_locations=[str(ROOT)])
    _module = importlib.util.module_from_spec(_spec)
    sys.modules[PACKAGE] = _module
    _spec.loader.exec_module(_module)


@pytest.fixture(scope="session")
def comfy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Comfy]:
    """ComfyUI with this pack on loopback, shared by every ComfyUI test of the session: a
    start costs many seconds. Tests that change its state (the config file in its user
    directory, uploads) undo it or use names of their own."""
    from comfyui_harness import running_comfyui

    with running_comfyui(tmp_path_factory.mktemp("comfyui")) as server:
        yield server
