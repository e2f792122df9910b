"""Layer rules: safety/ never imports torch or ComfyUI; only nodes/comfy.py touches ComfyUI;
inside safety/ every import (module-level, in a function, under TYPE_CHECKING) points down
the layers below, and nodes/ use only safety's public API."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "content_safety_guard"  # the name ComfyUI and pip load the pack by
COMFY_MODULES = {"comfy", "comfy_execution", "folder_paths", "server", "node_helpers", "comfy_api"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


# safety/'s layers, bottom first: a module may import its own layer and the ones below.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("taxonomy", "cache"),
    ("verdict",),
    ("decision",),
    ("errors",),
    ("schema", "inputs", "files", "credentials", "extras"),
    ("settings", "policy"),
    ("config",),
    ("text", "remote", "models"),
    ("llm", "image"),
    ("labels", "audit"),
    ("checkers",),
    ("engine",),
    ("cli", "__main__", "status", "audit_rows"),
    ("__init__",),  # the public API, on top of the library
)
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def internal_imports(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of the pack anywhere in the file, resolved to a dotted
    name from `root` (`from .. import models` -> safety.models); absolute ones through the
    package name (`import content_safety_guard.safety.engine`) count too."""
    module = module_name(path, root)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - node.level + 1]
            if node.module:
                found.append((node.lineno, ".".join(base + node.module.split("."))))
            else:
                found += [(node.lineno, ".".join(base + [alias.name])) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PACKAGE + "."):
            target = node.module.removeprefix(PACKAGE + ".")
            found += [(node.lineno, target)] if "." in target else \
                [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.removeprefix(PACKAGE + "."))
                      for alias in node.names if alias.name.startswith(PACKAGE + ".")]
    return found


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def upward_imports(root: Path) -> list[str]:
    """Every import in root/safety that points up the layers, or at a module in no layer."""
    problems = []
    for path in sorted((root / "safety").rglob("*.py")):
        here = module_name(path, root)
        for line, target in internal_imports(path, root):
            if not target.startswith("safety"):
                problems.append(f"{path.relative_to(root)}:{line}: imports {target} outside safety/")
                continue
            if layer(here) not in RANK or layer(target) not in RANK:
                problems.append(f"{path.relative_to(root)}:{line}: {layer(here)} or {layer(target)} "
                                f"is in no layer (add it to LAYERS in tests/test_layers.py)")
            elif RANK[layer(target)] > RANK[layer(here)]:
                problems.append(f"{path.relative_to(root)}:{line}: {layer(here)} imports {target}, "
                                f"a layer above it")
    return problems


def import_cycles(root: Path) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), any import counted."""
    graph: dict[str, set[str]] = {}
    for path in (root / "safety").rglob("*.py"):
        graph[module_name(path, root)] = {t for _, t in internal_imports(path, root)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return cycles


def test_safety_imports_point_down_the_layers() -> None:
    assert upward_imports(ROOT) == []


def test_safety_has_no_import_cycle() -> None:
    assert import_cycles(ROOT) == []


def test_the_layer_check_catches_an_upward_import_inside_a_function(tmp_path: Path) -> None:
    (tmp_path / "safety" / "text").mkdir(parents=True)
    (tmp_path / "safety" / "__init__.py").write_text("from .engine import Engine\n")
    (tmp_path / "safety" / "engine.py").write_text("from .text.lexicon import LexiconChecker\n")
    (tmp_path / "safety" / "text" / "__init__.py").write_text("")
    (tmp_path / "safety" / "text" / "lexicon.py").write_text(
        "def build():\n    from ..engine import Engine\n    return Engine\n")
    assert upward_imports(tmp_path) == [
        "safety/text/lexicon.py:2: text imports safety.engine, a layer above it"]
    assert import_cycles(tmp_path) == [["safety.engine", "safety.text.lexicon"]]


def test_the_layer_check_catches_an_upward_import_by_the_package_name(tmp_path: Path) -> None:
    (tmp_path / "safety" / "text").mkdir(parents=True)
    (tmp_path / "safety" / "engine.py").write_text("")
    (tmp_path / "safety" / "cli.py").write_text("")
    (tmp_path / "safety" / "text" / "lexicon.py").write_text(
        "import content_safety_guard.safety.cli\n"
        "def build():\n    from content_safety_guard.safety import engine\n    return engine\n")
    assert upward_imports(tmp_path) == [
        "safety/text/lexicon.py:1: text imports safety.cli, a layer above it",
        "safety/text/lexicon.py:3: text imports safety.engine, a layer above it"]


def public_api(root: Path) -> set[str]:
    """The names in safety/__init__.py's __all__."""
    for node in ast.parse((root / "safety" / "__init__.py").read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return set()


def private_imports(root: Path) -> list[str]:
    """Every import in root/nodes of a safety module, or of a name safety does not export."""
    api = public_api(root)
    problems = []
    for path in sorted((root / "nodes").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 2 and node.module == "safety":
                problems += [f"{path.relative_to(root)}:{node.lineno}: imports safety.{a.name}, "
                             f"which safety/__init__.py does not export" for a in node.names if a.name not in api]
        problems += [f"{path.relative_to(root)}:{line}: imports {target}; use the public API (safety/__init__.py)"
                     for line, target in internal_imports(path, root)
                     if target != "safety" and not target.startswith("nodes")]
    return problems


def test_nodes_use_only_the_public_api_of_safety() -> None:
    assert private_imports(ROOT) == []


def test_the_api_check_catches_a_module_or_name_safety_does_not_export(tmp_path: Path) -> None:
    (tmp_path / "safety").mkdir()
    (tmp_path / "nodes").mkdir()
    (tmp_path / "safety" / "__init__.py").write_text('from .engine import Engine\n__all__ = ["Engine"]\n')
    (tmp_path / "nodes" / "check.py").write_text(
        "from ..safety import Engine, engine\nfrom ..safety.engine import Step\n")
    assert private_imports(tmp_path) == [
        "nodes/check.py:1: imports safety.engine, which safety/__init__.py does not export",
        "nodes/check.py:2: imports safety.engine; use the public API (safety/__init__.py)"]


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
    assert {"model_data/*.onnx", "model_data/*.json", "model_data/*.npy"} <= set(data["content_safety_guard.safety.text"])
    assert "nudenet.json" in data["content_safety_guard.safety.image"]
    assert {"assets/*.png", "web/js/*.js", "locales/*/*.json"} <= set(data["content_safety_guard"])
    assert "ComfyUI".lower() not in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"].lower()
    assert tool["comfy"]["requires-comfyui"]
