"""The check nodes' Decisions reach the audit store (the struct's NodeRun emits them), and
a store that refuses fails the node run with the JSON error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit_helpers import stored_rows
from content_safety_guard.nodes import common
from content_safety_guard.nodes.comfy import Origin
from content_safety_guard.nodes.text_check import ContentSafetyTextCheck
from content_safety_guard.safety import ContentSafetyError, load_config
from content_safety_guard.safety.config import CONFIG_ENV


def configure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, audit: str) -> Path:
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"audit:\n{audit}\n", encoding="utf-8")
    monkeypatch.setenv(CONFIG_ENV, str(cfg))
    monkeypatch.setattr(common, "run_origin", lambda: Origin("prompt-9", "client-2", "alice", "203.0.113.5"))
    return cfg


def check(text: str, on_unsafe: str = "raise") -> dict:
    return ContentSafetyTextCheck().check(text, True, "local", "normal", on_unsafe, unique_id="12")


def test_text_node_runs_are_recorded_with_their_origin(tmp_path, monkeypatch):
    cfg = configure(tmp_path, monkeypatch, "  privacy: full")
    check("a calm lake at dawn")
    with pytest.raises(ContentSafetyError):
        check("hardcore porn")
    check("hardcore porn", on_unsafe="substitute")
    rows = stored_rows(load_config(cfg).audit)
    assert [(r["stage"], r["action"], r["level"]) for r in rows] == [
        ("text", "passed", "safe"), ("text", "raised", "unsafe"), ("text", "substituted", "unsafe")]
    assert {(r["prompt_id"], r["client_id"], r["user"], r["remote_addr"], r["node_id"]) for r in rows} == {
        ("prompt-9", "client-2", "alice", "203.0.113.5", "12")}
    assert rows[1]["text"] == "hardcore porn" and rows[1]["categories"] == "sexual"


def test_a_refusing_store_fails_the_node_with_the_json_error(tmp_path, monkeypatch):
    (tmp_path / "audit.sqlite3").mkdir()  # unopenable
    configure(tmp_path, monkeypatch, "  on_failure: refuse")
    with pytest.raises(ContentSafetyError) as caught:
        check("a calm lake at dawn")
    payload = json.loads(str(caught.value))
    assert payload["code"] == "content_safe_check_error" and payload["node_id"] == "12"
    assert payload["provider"] == "hook:AuditTrail" and "refused" in payload["reason"]


def test_without_an_audit_section_scripts_and_tests_record_nothing(tmp_path, monkeypatch):
    cfg = tmp_path / "config.yaml"
    cfg.write_text("default_policy: normal\n", encoding="utf-8")
    monkeypatch.setenv(CONFIG_ENV, str(cfg))
    monkeypatch.chdir(tmp_path)
    check("a calm lake at dawn")
    assert not list(tmp_path.rglob("*.sqlite3"))
