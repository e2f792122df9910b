"""Every node has English and Chinese names, tooltips and output names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from content_safety_guard import NODE_CLASS_MAPPINGS, NODE_DISPLAY_NAME_MAPPINGS

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_node_widget_and_output_is_translated(lang: str) -> None:
    defs = json.loads((ROOT / "locales" / lang / "nodeDefs.json").read_text(encoding="utf-8"))
    assert set(defs) == set(NODE_CLASS_MAPPINGS)
    for node_id, cls in NODE_CLASS_MAPPINGS.items():
        entry = defs[node_id]
        assert entry["display_name"] and entry["description"]
        spec = cls.INPUT_TYPES()
        widgets = {**spec.get("required", {}), **spec.get("optional", {})}
        for name in widgets:
            assert entry["inputs"][name]["tooltip"], f"{lang}: {node_id}.{name}"
        assert len(entry["outputs"]) == len(cls.RETURN_TYPES), f"{lang}: {node_id} outputs"
        if lang == "en":
            assert entry["display_name"] == NODE_DISPLAY_NAME_MAPPINGS[node_id]


def test_chinese_names_are_chinese() -> None:
    defs = json.loads((ROOT / "locales" / "zh" / "nodeDefs.json").read_text(encoding="utf-8"))
    for node_id, entry in defs.items():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in entry["display_name"]), node_id
