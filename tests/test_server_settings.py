"""The config's `server` section, the status report and the audit rows the routes serve."""

from __future__ import annotations

import json
import sys
import types

import pytest
from content_safety_guard.safety import Config, ConfigError, Decision, Verdict
from content_safety_guard.safety.audit_rows import read_audit_rows, select
from content_safety_guard.safety.config import parse_config
from content_safety_guard.safety.settings.server import AUDIT_TOKEN_ENV
from content_safety_guard.safety.status import sha256_file, status_report


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
    json.dumps(report)  # served as JSON as is


def _row(level: str, categories: tuple[str, ...], **fields) -> dict:
    return Decision(stage="text", action="passed", verdicts=(Verdict(level=level, categories=categories),),
                    **fields).to_dict()


def test_audit_rows_filter_by_level_category_node_and_user() -> None:
    rows = [_row("unsafe", ("sexual",), node_id="3", user="alice"), _row("safe", (), node_id="4", user="bob"),
            _row("controversial", ("pii",), node_id="3", user="bob")]
    assert [r["user"] for r in select(rows, {"level": "unsafe"}, 10)] == ["alice"]
    assert [r["node_id"] for r in select(rows, {"category": "pii"}, 10)] == ["3"]
    assert len(select(rows, {"node": "3"}, 10)) == 2 and len(select(rows, {"node": "3"}, 1)) == 1
    assert len(select(rows, {"user": "bob", "stage": "text"}, 10)) == 2
    assert select(rows, {"user": "carol"}, 10) == []


def test_read_rows_asks_the_audit_package_when_it_exists(monkeypatch) -> None:
    assert read_audit_rows(Config(), limit=5, filters={}) in (None, [])  # no store installed: None
    fake = types.ModuleType("content_safety_guard.safety.audit")
    fake.read_rows = lambda cfg, limit: [_row("unsafe", ("hate",), user="u")]  # the store's reader
    fake.__spec__ = types.SimpleNamespace(name=fake.__name__)
    monkeypatch.setitem(sys.modules, fake.__name__, fake)
    monkeypatch.setattr("content_safety_guard.safety.audit_rows.audit_available", lambda: True)
    assert [r["user"] for r in read_audit_rows(Config(), limit=5, filters={"category": "hate"})] == ["u"]


def test_flat_store_rows_filter_by_their_columns() -> None:
    rows = [{"level": "unsafe", "categories": "sexual,violence", "user": "a", "node_id": "3", "stage": "text"},
            {"level": "safe", "categories": "", "user": "b", "node_id": "4", "stage": "image_save"}]
    assert [r["user"] for r in select(rows, {"category": "violence"}, 10)] == ["a"]
    assert [r["user"] for r in select(rows, {"level": "safe", "stage": "image_save"}, 10)] == ["b"]
