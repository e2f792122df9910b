"""The remote path (OpenAI-compatible API as DashScope's compatible mode serves it) against a
loopback server: payload, API keys from the environment or the credentials file, and keys
never reaching errors, logs, verdicts or widgets."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from llm_servers import VIOLENT, OpenAIServer, brain, judge, run_node, serving
from llm_servers import fresh_llm_state  # noqa: F401  (autouse: every test here starts clean)

from content_safety_guard.nodes.llm_judge import ContentSafetyLLMJudge
from content_safety_guard.safety import ConfigError, ContentSafetyError, ProviderError
from content_safety_guard.safety.config import parse_config
from content_safety_guard.safety.llm import http
from content_safety_guard.safety.llm.credentials import api_key, section_for
from content_safety_guard.safety.llm.prompts import VERDICT_SCHEMA

KEY = "sk-remote-test-key-0123456789"
CHAT = "/compatible-mode/v1/chat/completions"


@pytest.fixture
def remote():
    with serving(OpenAIServer(brain, api_key=KEY)) as server:
        yield server


def remote_config(server: OpenAIServer, **llm: Any):
    return parse_config({"llm": {"mode": "remote", "remote_url": server.base_url, "retry_backoff_s": 0,
                                 **llm}}, "test-config.yaml")


def test_remote_chat_completion_payload(remote: OpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    verdict = judge(remote_config(remote), VIOLENT, temperature=0.2, seed=3, keep_alive="1m",
                    remote_system_prompt="Check for threats.", local_system_prompt="NOT USED")
    (call,) = remote.calls(CHAT)
    assert call.headers["Authorization"] == f"Bearer {KEY}"
    body = call.body
    assert body["model"] == "qwen-plus" and body["stream"] is False
    assert (body["temperature"], body["seed"], body["max_tokens"]) == (0.2, 3, 256)
    assert body["response_format"] == {"type": "json_object"} and "keep_alive" not in body
    assert body["messages"][0]["content"].startswith("Check for threats.")
    assert verdict.level == "unsafe" and verdict.provider == "llm:qwen-plus"
    ev = verdict.evidence[0]
    assert (ev["llm_route"], ev["api"], ev["request_id"]) == ("remote", "openai", "chatcmpl-1")
    assert ev["custom_prompt"] is True and ev["finish_reason"] == "stop" and ev["completion_tokens"] == 8


@pytest.mark.parametrize(("kind", "sent"), [
    ("json_schema", {"type": "json_schema", "json_schema": {"name": "verdict", "schema": VERDICT_SCHEMA}}),
    ("none", None),
])
def test_response_format_is_configurable(remote: OpenAIServer, monkeypatch: pytest.MonkeyPatch,
                                         kind: str, sent: Any) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    judge(remote_config(remote, remote_response_format=kind), "hello")
    assert remote.calls(CHAT)[0].body.get("response_format") == sent


def test_key_from_the_credentials_file(remote: OpenAIServer, tmp_path: Path) -> None:
    creds = tmp_path / "secrets.yaml"
    creds.write_text(yaml.safe_dump({"aliyun": {"access_key_id": "x", "access_key_secret": "y"},
                                     "openai": {"api_key": KEY}}))
    cfg = replace(remote_config(remote), credentials_file=str(creds))
    assert judge(cfg, VIOLENT).level == "unsafe"
    assert remote.calls(CHAT)[0].headers["Authorization"] == f"Bearer {KEY}"


def test_dashscope_key_goes_only_to_alibaba_cloud(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHSCOPE_API_KEY", "sk-dashscope")
    dashscope = "https://dashscope.aliyuncs.com/compatible-mode/v1"
    assert section_for(dashscope) == section_for("https://dashscope-intl.aliyuncs.com/v1") == "dashscope"
    assert api_key(dashscope, None) == "sk-dashscope"
    assert api_key("https://api.example.com/v1", None) == ""  # not sent elsewhere
    monkeypatch.delenv("DASHSCOPE_API_KEY")
    creds = tmp_path / "c.json"
    creds.write_text(json.dumps({"dashscope": {"api_key": "sk-from-file"}}))
    assert api_key(dashscope, str(creds)) == "sk-from-file"


def test_a_key_no_header_can_carry_is_a_config_error_naming_its_source(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pasted = "sk-pasted\u2019quote-secret"  # http.client would fail on it with a UnicodeEncodeError
    monkeypatch.setenv("OPENAI_API_KEY", pasted)
    with pytest.raises(ConfigError) as info:
        api_key("http://127.0.0.1:8080/v1", None)
    assert str(info.value).startswith("OPENAI_API_KEY: the API key holds characters")
    assert pasted not in str(info.value)
    monkeypatch.delenv("OPENAI_API_KEY")
    creds = tmp_path / "c.yaml"
    creds.write_text(yaml.safe_dump({"dashscope": {"api_key": "sk-two words"}}))
    with pytest.raises(ConfigError, match=f"{creds}: dashscope.api_key: the API key holds") as info:
        api_key("https://dashscope.aliyuncs.com/v1", str(creds))
    assert "sk-two words" not in str(info.value)


def test_broken_credentials_file_does_not_quote_it(tmp_path: Path) -> None:
    creds = tmp_path / "c.yaml"
    creds.write_text("dashscope:\n  api_key: sk-leaky-secret\n   bad: [indent\n")
    with pytest.raises(ConfigError) as info:
        api_key("https://dashscope.aliyuncs.com/v1", str(creds))
    assert "invalid YAML" in str(info.value) and "sk-leaky-secret" not in str(info.value)
    creds.write_text(yaml.safe_dump({"dashscope": {"apikey": "sk-leaky-secret"}}))
    with pytest.raises(ConfigError, match=r"dashscope.apikey: unknown key") as info:
        api_key("https://dashscope.aliyuncs.com/v1", str(creds))
    assert "sk-leaky-secret" not in str(info.value)


def test_rejected_key_never_appears_in_errors_logs_or_history(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    wrong = "sk-wrong-key-must-not-leak-42"
    monkeypatch.setenv("OPENAI_API_KEY", wrong)
    caplog.set_level(logging.DEBUG)
    with serving(OpenAIServer(brain, api_key=KEY, echo_auth=True)) as server:
        with pytest.raises(ProviderError) as info:
            judge(remote_config(server), "hello")
        assert info.value.code == "http_401" and info.value.request_id == "req-401"
        assert "Incorrect API key provided" in info.value.reason and "Bearer ***" in info.value.reason
        assert wrong not in str(info.value)
        path = tmp_path / "config.yaml"
        path.write_text(yaml.safe_dump({"llm": {"remote_url": server.base_url, "max_retries": 0}}))
        monkeypatch.setenv("COMFY_CONTENT_SAFETY_CONFIG", str(path))
        with pytest.raises(ContentSafetyError) as node_error:
            run_node("hello", llm_mode="remote")
        assert node_error.value.payload["evidence"] == [{"provider_code": "http_401"}]
        assert wrong not in str(node_error.value)
        # a good key: the verdict and the node's /history output carry no key either
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        out = run_node("a quiet lake", llm_mode="remote")
    assert out["result"][1] is True
    assert KEY not in json.dumps(out) and KEY not in out["result"][2]
    assert wrong not in caplog.text and KEY not in caplog.text
    assert f"POST {server.base_url}/chat/completions -> 401" in caplog.text  # the request was logged


def test_no_widget_carries_a_secret() -> None:
    spec = ContentSafetyLLMJudge.INPUT_TYPES()
    names = [n for group in spec.values() for n in group]
    assert not [n for n in names if any(w in n.lower() for w in ("key", "token", "secret", "password"))]


def test_retry_after_is_honoured_but_capped(remote: OpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setattr(http, "RETRY_AFTER_CAP_S", 0.3)
    remote.state.fail_next = [(429, {"error": {"message": "Requests rate limit exceeded"}}, {"Retry-After": "3600"})]
    start = time.monotonic()
    verdict = judge(remote_config(remote), VIOLENT)
    elapsed = time.monotonic() - start
    assert verdict.level == "unsafe" and len(remote.calls(CHAT)) == 2
    assert 0.25 <= elapsed < 60  # the cap, not the hour the server asked for (load only adds time)


def test_remote_model_not_served_is_an_error(remote: OpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with pytest.raises(ProviderError) as info:
        judge(remote_config(remote), "hello", remote_model="qwen-imaginary")
    assert info.value.code == "http_404" and "The model does not exist." in info.value.reason
