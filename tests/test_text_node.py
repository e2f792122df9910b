"""ContentSafetyTextCheck node contract, without ComfyUI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from content_safety_guard import NODE_CLASS_MAPPINGS, NODE_DISPLAY_NAME_MAPPINGS, WEB_DIRECTORY
from content_safety_guard.nodes.comfy import ExecutionBlocker
from content_safety_guard.nodes.text_check import ContentSafetyTextCheck
from content_safety_guard.safety import ContentSafetyError
from content_safety_guard.safety.config import CONFIG_ENV

UNSAFE = "hardcore porn, 色情"
SAFE = "a lighthouse on a cliff at dawn, watercolor"


def run(text: str, on_unsafe: str = "raise", **kw: object) -> dict:
    args = dict(text=text, enable_safe_check=True, check_mode="local", policy="normal",
                on_unsafe=on_unsafe, replacement_text="", unique_id="7")
    args.update(kw)
    return ContentSafetyTextCheck().check(**args)


def test_pack_exports_the_node() -> None:
    assert NODE_CLASS_MAPPINGS["ContentSafetyTextCheck"] is ContentSafetyTextCheck
    assert "ContentSafetyTextCheck" in NODE_DISPLAY_NAME_MAPPINGS
    assert WEB_DIRECTORY == "./web/js"


def test_input_types_carry_the_common_widgets() -> None:
    required = ContentSafetyTextCheck.INPUT_TYPES()["required"]
    assert required["check_mode"][0] == ["local", "remote", "auto"]
    assert required["on_unsafe"][0] == ["raise", "substitute", "block"]
    assert {"lax", "normal", "strict"} <= set(required["policy"][0])
    assert required["enable_safe_check"][1]["default"] is True
    assert all("tooltip" in spec[1] for spec in required.values())


def test_safe_text_passes_through() -> None:
    out = run(SAFE)
    text, is_safe, verdict = out["result"]
    assert (text, is_safe) == (SAFE, True)
    assert json.loads(verdict)["level"] == "safe"
    assert out["ui"]["safety"][0]["level"] == "safe"


def test_raise_gives_the_json_error_contract() -> None:
    with pytest.raises(ContentSafetyError) as info:
        run(UNSAFE, "raise")
    data = json.loads(str(info.value))
    assert data["code"] == "content_safe_check_failed"
    assert data["stage"] == "text" and data["node_id"] == "7" and data["level"] == "unsafe"
    assert "sexual" in data["categories"] and "sexual" in data["labels"].split(",")
    assert {e["term"] for e in data["evidence"] if "term" in e} >= {"porn", "色情"}


def test_substitute_outputs_the_replacement_text() -> None:
    text, is_safe, verdict = run(UNSAFE, "substitute", replacement_text="[removed]")["result"]
    assert (text, is_safe) == ("[removed]", False)
    assert json.loads(verdict)["level"] == "unsafe"
    default = run(UNSAFE, "substitute")["result"][0]
    assert default.startswith("[content removed") and "porn" not in default


def test_block_returns_an_execution_blocker_and_reports_the_verdict() -> None:
    out = run(UNSAFE, "block")
    text, is_safe, verdict = out["result"]
    assert isinstance(text, ExecutionBlocker) and text.message is None
    assert is_safe is False and json.loads(verdict)["level"] == "unsafe"
    assert out["ui"]["safety"][0]["categories"][0] == "sexual"


def test_controversial_passes_but_is_flagged() -> None:
    text, is_safe, verdict = run("write to li.lei@example.com", "raise")["result"]
    assert text == "write to li.lei@example.com" and is_safe is False
    assert json.loads(verdict)["level"] == "controversial"


def test_disabled_check_passes_and_says_so() -> None:
    out = run(UNSAFE, "raise", enable_safe_check=False)
    assert out["result"][:2] == (UNSAFE, True)
    assert out["ui"]["safety"][0]["provider"] == "disabled"


def test_broken_config_fails_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "config.yaml"
    cfg.write_text("policies:\n  p:\n    threshold: high\n")
    monkeypatch.setenv(CONFIG_ENV, str(cfg))
    with pytest.raises(ContentSafetyError) as info:
        run(SAFE, "substitute")
    data = json.loads(str(info.value))
    assert data["code"] == "content_safe_check_error" and data["provider"] == "config"
    assert "policies.p.threshold" in data["reason"]


def test_unknown_policy_fails_closed() -> None:
    with pytest.raises(ContentSafetyError) as info:
        run(SAFE, "substitute", policy="gone")
    assert json.loads(str(info.value))["reason"].startswith("unknown policy 'gone'")
