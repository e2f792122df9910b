"""Layer rules: safety/ never imports torch or ComfyUI; only nodes/comfy.py touches ComfyUI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMFY_MODULES = {"comfy", "comfy_execution", "folder_paths", "server", "node_helpers", "comfy_api"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_library_never_imports_torch_or_comfyui() -> None:
    for path in (ROOT / "safety").rglob("*.py"):
        assert not imported_roots(path) & (COMFY_MODULES | {"torch"}), path


def test_only_nodes_comfy_imports_comfyui() -> None:
    for path in (ROOT / "nodes").rglob("*.py"):
        if path.name != "comfy.py":
            assert not imported_roots(path) & (COMFY_MODULES | {"torch"}), path


def test_whole_pack_loads_with_torch_unimportable() -> None:
    code = ("import sys; sys.modules['torch'] = None; sys.path.insert(0, 'tests'); import conftest; "
            "from content_safety_guard.safety import Engine, BUILTIN_POLICIES; "
            "import content_safety_guard.safety.cli, content_safety_guard.safety.image.checker; "
            "v = Engine(BUILTIN_POLICIES['normal']).check_text('hardcore porn'); "
            "assert v.level == 'unsafe', v; print('ok')")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "ok"


def test_pyproject_packages_every_subpackage_and_data_file() -> None:
    import tomllib

    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    listed = set(tool["setuptools"]["packages"])
    found = {"content_safety_guard"} | {
        "content_safety_guard." + ".".join(p.parent.relative_to(ROOT).parts)
        for p in ROOT.glob("*/**/__init__.py") if p.parent.relative_to(ROOT).parts[0] in ("safety", "nodes")}
    assert listed == found
    data = tool["setuptools"]["package-data"]
    assert {"lexicon_data/*.txt", "lexicon_data/*.yaml"} <= set(data["content_safety_guard.safety.text"])
    assert "nudenet.json" in data["content_safety_guard.safety.image"]
    assert {"assets/*.png", "web/js/*.js", "locales/*/*.json"} <= set(data["content_safety_guard"])
    assert "ComfyUI".lower() not in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"].lower()
    assert tool["comfy"]["requires-comfyui"]
