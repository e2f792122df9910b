"""The config examples in the README load as written (docs that drift are bugs)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from content_safety_guard.safety.config import load_config

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
# the credentials-file example is not a config file
CONFIGS = [b for b in BLOCKS if "access_key_secret:" not in b]


def test_readme_has_config_examples() -> None:
    assert len(CONFIGS) >= 3


@pytest.mark.parametrize("block", CONFIGS, ids=[b.split(":")[0] for b in CONFIGS])
def test_config_example_loads(block: str, tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(block, encoding="utf-8")
    config = load_config(path)
    assert config.source == str(path)
