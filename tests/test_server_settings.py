"""The config's `server` section, the status report and the audit rows the routes serve."""

from __future__ import annotations

import json

import pytest
from content_safety_guard.safety import (AuditTrail, Config, ConfigError, Decision, Verdict, default_audit_settings,
                                         open_audit_store)
from content_safety_guard.safety.audit_rows import read_audit_rows
from content_safety_guard.safety.config import parse_config
from content_safety_guard.safety.settings.server import AUDIT_TOKEN_ENV
from content_safety_guard.safety.files import sha256_file
from content_safety_guard.safety.status import status_report


def test_server_section_defaults_and_limits() -> None:
    server = Config().server
    assert server.token() is None and server.max_text_chars == 20_000
    cfg = parse_config({"server": {"audit_token": "x" * 16, "max_text_chars": 10, "max_image_mb": 1}}, "c.yaml")
    assert cfg.server.token() == "x" * 16 and cfg.server.max_image_bytes == 1024 * 1024
    assert "x" * 16 not in repr(cfg.server)


@pytest.mark.parametrize(("section", "says"), [
    ({"audit_token": "short"}, "server.audit_token: must be at least 16"),
    ({"max_text_chars": 0}, "server.max_text_chars: must be between"),
    ({"token": "x" * 20}, "server.token: unknown key"),
])
def test_server_section_errors_name_the_key(section: dict, says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        parse_config({"server": section}, "c.yaml")


def test_the_environment_token_beats_the_file(monkeypatch) -> None:
    cfg = parse_config({"server": {"audit_token": "f" * 16}}, "c.yaml")
    monkeypatch.setenv(AUDIT_TOKEN_ENV, "e" * 20)
    assert cfg.server.token() == "e" * 20
    monkeypatch.setenv(AUDIT_TOKEN_ENV, "short")  # a guessable token leaves the route off
    assert Config().server.token() is None


def test_status_lists_models_with_their_digest(tmp_path) -> None:
    (tmp_path / "sub").mkdir()
    model = tmp_path / "sub" / "tiny.onnx"
    model.write_bytes(b"not really a model")
    cfg = parse_config({"models_dirs": [str(tmp_path)]}, "c.yaml")
    report = status_report(cfg)
    [tiny] = [m for m in report["models"] if m["name"] == "sub/tiny"]
    assert tiny["sha256"] == sha256_file(model) and tiny["sidecar"] is False and len(tiny["sha256"]) == 64
    assert report["limits"]["max_text_chars"] == 20_000
    [builtin] = [m for m in report["models"] if m["name"] == "textmodel"]
    assert builtin["builtin"] and builtin["bytes"] > 6e6 and sorted(builtin["arrays"]) == [
        "textmodel.bias.npy", "textmodel.idf.npy", "textmodel.weights.npy"]
    [context] = [m for m in report["models"] if m["name"] == "contextmodel"]
    assert context["builtin"] and list(context["arrays"]) == ["contextmodel.tokenizer.json"]
    json.dumps(report)  # served as JSON as is


def test_status_shows_llm_urls_without_user_info_or_query() -> None:
    cfg = parse_config({"llm": {"remote_url": "https://u:pw@llm.example/v1?key=tok",
                                "local_url": "http://127.0.0.1:8080/v1?token=tok"}}, "c.yaml")
    llm = status_report(cfg)["providers"]["llm"]
    assert (llm["remote_url"], llm["local_url"]) == ("https://llm.example/v1", "http://127.0.0.1:8080/v1")
    assert status_report(Config())["providers"]["llm"]["local_url"] == ""


def _decision(level: str, categories: tuple[str, ...], **fields) -> Decision:
    return Decision(stage="text", action="passed", verdicts=(Verdict(level=level, categories=categories),), **fields)


@pytest.fixture
def store(tmp_path):
    """A real SQLite audit store holding four decisions, oldest first."""
    settings = default_audit_settings(str(tmp_path))
    trail = AuditTrail(lambda: (Config(), settings))
    for decision in (_decision("unsafe", ("sexual",), node_id="3", user="alice", outputs=("cs/a_00001_.png",)),
                     _decision("safe", (), node_id="4", user="bob"),
                     _decision("controversial", ("pii",), node_id="3", user="bob"),
                     _decision("unsafe", ("sexual", "violence"), node_id="5", user="carol")):
        trail(decision)
    return open_audit_store(settings)


def test_audit_rows_newest_first_with_their_detail(store) -> None:
    rows = read_audit_rows(store, limit=10, filters={})
    assert [r["user"] for r in rows] == ["carol", "bob", "bob", "alice"]
    assert rows[0]["categories"] == ["sexual", "violence"] and rows[0]["level"] == "unsafe"
    assert rows[-1]["outputs"] == ["cs/a_00001_.png"] and rows[-1]["verdicts"][0]["level"] == "unsafe"
    assert "hash" not in rows[0] and "detail" not in rows[0]
    assert len(read_audit_rows(store, limit=2, filters={})) == 2


def test_audit_rows_filter_by_level_category_node_user_and_stage(store) -> None:
    def users(**filters: str) -> list[str]:
        return [r["user"] for r in read_audit_rows(store, limit=10, filters=filters)]
    assert users(level="unsafe") == ["carol", "alice"]
    assert users(category="sexual") == ["carol", "alice"] and users(category="violence") == ["carol"]
    assert users(category="sex") == []  # a whole category, not a part of one
    assert users(node="3", user="bob") == ["bob"]
    assert users(stage="image_save") == [] and users(nothing="x") == ["carol", "bob", "bob", "alice"]


def test_status_reports_a_missing_builtin_text_model_instead_of_failing(tmp_path, monkeypatch) -> None:
    from content_safety_guard.safety import status

    monkeypatch.setattr(status, "BUILTIN_TEXT", {"textmodel": tmp_path / "textmodel"})
    [entry] = [m for m in status_report(Config())["models"] if m["name"] == "textmodel"]
    assert entry["builtin"] and entry["error"] == f"{tmp_path / 'textmodel.onnx'}: missing"
