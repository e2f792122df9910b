"""Config and rules files are bounded: alias bombs, deep nesting and huge files fail at once
with an error naming the file (the CLI exits 2), never hang, exhaust memory or overflow."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from content_safety_guard.safety import files
from content_safety_guard.safety.config import load_config
from content_safety_guard.safety.errors import ConfigError
from content_safety_guard.safety.text.combos import parse_combos

ROOT = Path(__file__).resolve().parents[1]

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9))


def bombs() -> dict[str, str]:
    return {
        "alias.yaml": ALIAS_BOMB + "default_policy: *j\n",
        "flow.yaml": "policies: " + "[" * 5000 + "]" * 5000 + "\n",
        "block.yaml": "".join("  " * i + "-\n" for i in range(1000)),
        "deep65.json": "[" * 65 + "]" * 65,
        "deep.json": '{"policies": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "huge.yaml": "# padding\n" * (files.MAX_BYTES // 10 + 1),
    }


@pytest.mark.parametrize("name", list(bombs()))
def test_config_bombs_fail_with_an_error_naming_the_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(bombs()[name])
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and len(message) < 300


def test_alias_bomb_under_the_node_limit_is_no_type_error_flood(tmp_path: Path) -> None:
    """Four levels repeat to 6,561 values: allowed, and the type error stays short."""
    path = tmp_path / "small.yaml"
    path.write_text(ALIAS_BOMB.split("e:")[0] + "default_policy: *d\n")
    with pytest.raises(ConfigError, match="default_policy: expected a string, got list") as info:
        load_config(path)
    assert len(str(info.value)) < 300


def test_combination_rule_bombs_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "combos_bomb.yaml"
    path.write_text("- name: bomb\n  " + ALIAS_BOMB.replace("\n", "\n  ").replace(": &", "_: &") + "groups: *j\n")
    with pytest.raises(ConfigError, match=f"{path}: more than {files.MAX_NODES} values"):
        parse_combos(path)
    path.write_text("- " + "[" * 3000 + "]" * 3000 + "\n")
    with pytest.raises(ConfigError, match=f"{path}: line 1: nested more than"):
        parse_combos(path)


@pytest.mark.parametrize("name", ["alias.yaml", "flow.yaml", "deep.json"])
def test_cli_exits_2_on_config_bombs(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(bombs()[name])
    env = {k: v for k, v in os.environ.items() if k != "COMFY_CONTENT_SAFETY_CONFIG"}
    res = subprocess.run([sys.executable, "-m", "safety", "check-text", "--config", str(path), "hi"],
                         cwd=ROOT, capture_output=True, env=env, timeout=120)
    assert res.returncode == 2
    assert res.stderr.decode().startswith(f"error: {path}: ") and b"Traceback" not in res.stderr
