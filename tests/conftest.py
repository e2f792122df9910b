"""Load the repository as the package ComfyUI would load it (tests/pack_loader.py, with a
stub of ComfyUI's `folder_paths` from tests/comfy_stub), and share one real ComfyUI per test
session (`comfy`, from tests/comfyui_harness.py). In CI a skipped test fails
(tests/ci_skips.py); no test may leave a hook or checker registered (tests/global_state.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pack_loader  # noqa: F401  (loads the pack as content_safety_guard)
import pytest
from ci_skips import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401  (CI: a skip fails)
from global_state import no_leaked_registrations  # noqa: F401  (autouse: no test leaks a registration)

if TYPE_CHECKING:
    from comfyui_harness import Comfy

ROOT = pack_loader.ROOT


class _RootIsNoTestPackage:
    """The repository root is the pack, so it has an __init__.py, and pytest would import it as
    the package of every test: twice-loaded pack code, and an ImportError for all tests when
    the clone's folder name is no identifier (`ci-clone`). Collected as a plain folder instead."""

    @pytest.hookimpl(tryfirst=True)
    def pytest_collect_directory(self, path: Path, parent: pytest.Collector) -> pytest.Dir | None:
        return pytest.Dir.from_parent(parent, path=path) if path == ROOT else None


def pytest_configure(config: pytest.Config) -> None:
    # registered as a plugin, not a conftest hook: conftest hooks never see the root folder
    config.pluginmanager.register(_RootIsNoTestPackage(), "content-safety-root-is-no-package")


@pytest.fixture(scope="session")
def comfy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Comfy]:
    """ComfyUI with this pack on loopback, shared by every ComfyUI test of the session: a
    start costs many seconds. Tests that change its state (the config file in its user
    directory, uploads) undo it or use names of their own."""
    from comfyui_harness import running_comfyui

    with running_comfyui(tmp_path_factory.mktemp("comfyui")) as server:
        yield server
