"""Load the repository as the package ComfyUI would load it (relative imports included), with
a stub of ComfyUI's `folder_paths` (tests/comfy_stub) so the nodes find their folders.
Without pytest: the start-up probes (tests/test_startup.py, bench/startup.py) measure
and inspect the pack, not the test runner."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "content_safety_guard"
STUB = str(ROOT / "tests" / "comfy_stub")
if STUB not in sys.path:
    sys.path.insert(0, STUB)

if PACKAGE not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        PACKAGE, ROOT / "__init__.py", submodule_search_locations=[str(ROOT)])
    _module = importlib.util.module_from_spec(_spec)
    sys.modules[PACKAGE] = _module
    _spec.loader.exec_module(_module)
