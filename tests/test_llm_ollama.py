"""The LLM judge against a loopback server that follows Ollama's documented API:
protocol, retries, timeouts, the reply cache, auto routing, the node and the cascade."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from llm_servers import MODELS, VIOLENT, OllamaServer, OpenAIServer, brain, free_port, judge, run_node, serving
from llm_servers import fresh_llm_state  # noqa: F401  (autouse: every test here starts clean)

from content_safety_guard.nodes.comfy import ExecutionBlocker
from content_safety_guard.nodes.llm_judge import ContentSafetyLLMJudge
from content_safety_guard.safety import ConfigError, ContentSafetyError, Engine, ProviderError
from content_safety_guard.safety.config import parse_config
from content_safety_guard.safety.llm.judge import CACHE
from content_safety_guard.safety.llm.prompts import CONTRACT, VERDICT_SCHEMA


@pytest.fixture
def ollama():
    with serving(OllamaServer(brain, MODELS)) as server:
        yield server


def config(url: str, policies: dict[str, Any] | None = None, **llm: Any):
    data: dict[str, Any] = {"llm": {"local_url": url, "retry_backoff_s": 0, **llm}}
    if policies:
        data["policies"] = policies
    return parse_config(data, "test-config.yaml")


def test_chat_request_follows_the_ollama_api(ollama: OllamaServer) -> None:
    verdict = judge(config(ollama.url), VIOLENT, model="qwen2.5:3b", temperature=0.3, seed=7,
                    keep_alive="10m")
    (call,) = ollama.calls("/api/chat")
    body = call.body
    assert body["model"] == "qwen2.5:3b" and body["stream"] is False
    assert body["format"] == VERDICT_SCHEMA  # JSON-schema structured output
    assert body["options"] == {"temperature": 0.3, "seed": 7, "num_predict": 256}
    assert body["keep_alive"] == "10m"
    assert body["messages"][0]["role"] == "system" and body["messages"][0]["content"].endswith(CONTRACT)
    assert body["messages"][1] == {"role": "user", "content": 'Judge this text (given as a JSON string):\n"'
                                   + VIOLENT + '"'}
    assert verdict.level == "unsafe" and verdict.categories == ("violence",)
    assert verdict.provider == "llm:qwen2.5:3b"
    ev = verdict.evidence[0]
    assert ev["llm_route"] == "local" and ev["api"] == "ollama" and ev["route_reason"] == "llm_mode=local"
    assert ev["model_level"] == "unsafe" and ev["reason"] == "threat of violence"
    assert ev["done_reason"] == "stop" and ev["cached"] is False


def test_connections_are_reused(ollama: OllamaServer) -> None:
    cfg = config(ollama.url)
    for i in range(5):
        judge(cfg, f"text {i}", model="qwen2.5:3b")
    assert len(ollama.calls("/api/chat")) == 5 and ollama.connections == 1


def test_safe_text_is_safe(ollama: OllamaServer) -> None:
    verdict = judge(config(ollama.url), "a watercolour of a lighthouse", model="qwen2.5:3b")
    assert verdict.level == "safe" and verdict.categories == ()
    assert verdict.evidence[0]["model_level"] == "safe"


@pytest.mark.parametrize(("widget", "sent"), [("300", 300), ("-1", -1), ("0", 0), ("1h30m", "1h30m")])
def test_keep_alive_is_sent_as_ollama_reads_it(ollama: OllamaServer, widget: str, sent: Any) -> None:
    judge(config(ollama.url), "hello", model="qwen2.5:3b", keep_alive=widget)
    assert ollama.calls("/api/chat")[0].body["keep_alive"] == sent


def test_bad_keep_alive_is_a_config_error(ollama: OllamaServer) -> None:
    with pytest.raises(ConfigError, match="keep_alive must be seconds or a duration"):
        judge(config(ollama.url), "hello", keep_alive="soon")
    assert ollama.calls("/api/chat") == []


@pytest.mark.parametrize(("model", "categories"), [
    ("qwen3guard-gen:0.6b", ("violence",)),
    ("llama-guard3:1b", ("violence",)),
    ("shieldgemma:2b", ("other",)),
])
def test_guard_models_get_the_bare_text_and_their_format_is_read(
        ollama: OllamaServer, model: str, categories: tuple[str, ...]) -> None:
    verdict = judge(config(ollama.url), VIOLENT, model=model, judge_format="auto")
    body = ollama.calls("/api/chat")[0].body
    assert "format" not in body and body["messages"] == [{"role": "user", "content": VIOLENT}]
    assert verdict.categories == categories
    # ShieldGemma names no category: `other` is not blocked by `normal`, but never passes silently
    assert verdict.level == ("controversial" if categories == ("other",) else "unsafe")
    assert not verdict.is_safe


def test_missing_model_names_the_models_there(ollama: OllamaServer) -> None:
    with pytest.raises(ProviderError) as info:
        judge(config(ollama.url), "hello", model="mistral")
    assert info.value.code == "model_not_found"
    assert "qwen2.5:3b" in info.value.reason and "ollama pull mistral" in info.value.reason


def test_5xx_and_429_are_retried_a_bounded_number_of_times(ollama: OllamaServer) -> None:
    ollama.state.fail_next = [(503, {"error": "busy"}, {}), (429, {"error": "slow down"}, {"Retry-After": "0"})]
    verdict = judge(config(ollama.url, max_retries=2), VIOLENT, model="qwen2.5:3b")
    assert verdict.level == "unsafe" and len(ollama.calls("/api/chat")) == 3

    ollama.state.fail_next = [(500, {"error": "model runner crashed"}, {})] * 5
    with pytest.raises(ProviderError) as info:
        judge(config(ollama.url, max_retries=1), "another text", model="qwen2.5:3b")
    assert info.value.code == "http_500" and "model runner crashed" in info.value.reason
    assert len(ollama.calls("/api/chat")) == 3 + 2  # one try and one retry


def test_a_slow_server_times_out_without_retrying(ollama: OllamaServer) -> None:
    ollama.state.delay_s = 1.5
    with pytest.raises(ProviderError) as info:
        judge(config(ollama.url), "hello", model="qwen2.5:3b", timeout=0.3)
    assert info.value.code == "timeout" and "did not answer within 0.3 s" in info.value.reason
    assert len(ollama.calls("/api/chat")) == 1


def test_policy_timeout_applies_without_a_widget(ollama: OllamaServer) -> None:
    ollama.state.delay_s = 1.0
    cfg = config(ollama.url, policies={"quick": {"timeout_s": 0.2}})
    with pytest.raises(ProviderError, match=r"within 0\.2 s"):
        judge(cfg, "hello", policy="quick", model="qwen2.5:3b")


def test_no_server_is_a_connection_error_naming_the_url() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ProviderError) as info:
        judge(config(url, max_retries=0), "hello")
    assert info.value.code == "connection" and url in info.value.reason


def test_fail_open_policy_records_the_failure() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    cfg = config(url, max_retries=0, policies={"open": {"fail_open": True}})
    verdict = judge(cfg, "hello", policy="open")
    assert verdict.level == "safe" and verdict.evidence[0]["fail_open"] is True
    assert verdict.evidence[0]["code"] == "connection"


def test_identical_prompts_cost_one_call(ollama: OllamaServer) -> None:
    cfg = config(ollama.url)
    verdicts = [judge(cfg, VIOLENT, model="qwen2.5:3b") for _ in range(5)]
    assert len(ollama.calls("/api/chat")) == 1
    assert [v.evidence[0]["cached"] for v in verdicts] == [False, True, True, True, True]
    assert {v.level for v in verdicts} == {"unsafe"}
    judge(cfg, VIOLENT + "!", model="qwen2.5:3b")  # another text
    judge(cfg, VIOLENT, model="qwen2.5:3b", local_system_prompt="Look for threats.")  # another prompt
    judge(cfg, VIOLENT, model="qwen3guard-gen:0.6b")  # another model
    judge(cfg, VIOLENT, model="qwen2.5:3b", seed=1)  # another sampling
    assert len(ollama.calls("/api/chat")) == 5


def test_cache_is_shared_by_concurrent_callers(ollama: OllamaServer) -> None:
    ollama.state.delay_s = 0.3
    cfg = config(ollama.url)
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(judge(cfg, VIOLENT, model="qwen2.5:3b").level))
               for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert results == ["unsafe"] * 6 and len(ollama.calls("/api/chat")) == 1


def test_cache_is_bounded_and_can_be_off(ollama: OllamaServer) -> None:
    cfg = config(ollama.url, cache_size=2)
    for text in ("a", "b", "c", "a"):  # "a" was evicted by "c"
        judge(cfg, text, model="qwen2.5:3b")
    assert len(ollama.calls("/api/chat")) == 4 and len(CACHE) == 2
    off = config(ollama.url, cache_size=0)
    judge(off, "z", model="qwen2.5:3b")
    judge(off, "z", model="qwen2.5:3b")
    assert len(ollama.calls("/api/chat")) == 6


def test_failures_are_not_cached(ollama: OllamaServer) -> None:
    ollama.state.fail_next = [(500, {"error": "oops"}, {})]
    cfg = config(ollama.url, max_retries=0)
    with pytest.raises(ProviderError):
        judge(cfg, VIOLENT, model="qwen2.5:3b")
    assert judge(cfg, VIOLENT, model="qwen2.5:3b").level == "unsafe"


def _prose(model: str, messages: list[dict[str, Any]], body: dict[str, Any]) -> str:
    return "As an AI language model I think this text is mostly fine."


def test_a_reply_that_is_no_verdict_is_an_error_or_controversial_per_policy() -> None:
    with serving(OllamaServer(_prose, MODELS)) as server:
        cfg = config(server.url, policies={"review": {"llm_unparsed": "controversial"}})
        with pytest.raises(ProviderError) as info:
            judge(cfg, "hello", model="qwen2.5:3b", local_system_prompt="Say what you think.")
        assert info.value.code == "unparsed"
        assert "JSON object" in info.value.reason and "system prompt was customised" in info.value.reason
        verdict = judge(cfg, "hello", policy="review", model="qwen2.5:3b")
        assert verdict.level == "controversial" and not verdict.is_safe
        assert verdict.categories == ("other",) and verdict.evidence[0]["error"] == "unparsed"
        assert verdict.evidence[0]["reply"].startswith("As an AI language model")


def _controversial(model: str, messages: list[dict[str, Any]], body: dict[str, Any]) -> str:
    return "Safety: Controversial\nCategories: Violent"


def test_a_controversial_answer_is_never_blocked() -> None:
    with serving(OllamaServer(_controversial, MODELS)) as server:
        verdict = judge(config(server.url), "a boxing match", policy="strict", model="qwen3guard-gen:0.6b")
    assert verdict.level == "controversial" and verdict.categories == ("violence",)
    assert verdict.scores == {"violence": 0.5}


def test_ollama_host_is_honoured(ollama: OllamaServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OLLAMA_HOST", ollama.url.removeprefix("http://"))
    cfg = parse_config({"llm": {"local_model": "qwen2.5:3b"}}, "test-config.yaml")
    assert judge(cfg, VIOLENT).level == "unsafe" and len(ollama.calls("/api/chat")) == 1


def _nvidia_smi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    """A stand-in nvidia-smi first on PATH (this machine has no GPU)."""
    exe = tmp_path / "nvidia-smi"
    exe.write_text("#!/bin/sh\n" + script + "\n")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")


@pytest.fixture
def dashscope(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-remote-test-key")
    with serving(OpenAIServer(brain, api_key="sk-remote-test-key")) as server:
        yield server


def auto(ollama_url: str, remote_url: str, **llm: Any):
    return config(ollama_url, remote_url=remote_url, mode="auto", **llm)


@pytest.mark.parametrize(("gpu", "route_name", "why"), [
    ("exit 9", "local", "no GPU visible here"),            # no usable driver
    ("echo 24000", "local", "fits: 24000 MiB GPU memory free"),
    ("echo 1000; echo 1500", "remote", "needs about 2208 MiB of GPU memory, 1500 MiB free"),
])
def test_auto_routes_by_model_and_free_gpu_memory(
        ollama: OllamaServer, dashscope: OpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        gpu: str, route_name: str, why: str) -> None:
    _nvidia_smi(tmp_path, monkeypatch, gpu)
    verdict = judge(auto(ollama.url, dashscope.base_url), VIOLENT, model="qwen2.5:3b")
    ev = verdict.evidence[0]
    assert ev["llm_route"] == route_name and why in ev["route_reason"]
    assert verdict.provider == ("llm:qwen2.5:3b" if route_name == "local" else "llm:qwen-plus")
    assert verdict.level == "unsafe"
    assert len(ollama.calls("/api/chat")) == (route_name == "local")
    assert len(dashscope.calls("/compatible-mode/v1/chat/completions")) == (route_name == "remote")


def test_auto_uses_a_loaded_model_even_when_memory_is_short(
        ollama: OllamaServer, dashscope: OpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _nvidia_smi(tmp_path, monkeypatch, "echo 100")
    ollama.loaded["qwen2.5:3b"] = "2099-01-01T00:00:00Z"
    verdict = judge(auto(ollama.url, dashscope.base_url), VIOLENT, model="qwen2.5:3b")
    assert verdict.evidence[0]["llm_route"] == "local"
    assert "is loaded on the local server" in verdict.evidence[0]["route_reason"]


def test_auto_goes_remote_when_the_model_or_the_server_is_missing(
        ollama: OllamaServer, dashscope: OpenAIServer) -> None:
    verdict = judge(auto(ollama.url, dashscope.base_url), VIOLENT, model="mistral:7b")
    assert verdict.evidence[0]["llm_route"] == "remote"
    assert "has no model 'mistral:7b'" in verdict.evidence[0]["route_reason"]
    down = f"http://127.0.0.1:{free_port()}"
    verdict = judge(auto(down, dashscope.base_url, max_retries=0), VIOLENT)
    assert verdict.evidence[0]["llm_route"] == "remote" and "unusable" in verdict.evidence[0]["route_reason"]
    assert verdict.level == "unsafe"


def test_auto_copes_with_a_model_size_that_is_no_number(
        dashscope: OpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _nvidia_smi(tmp_path, monkeypatch, "echo 100")
    with serving(OllamaServer(brain, {"qwen2.5:3b": "about 2 GB"})) as server:  # type: ignore[dict-item]
        verdict = judge(auto(server.url, dashscope.base_url), VIOLENT, model="qwen2.5:3b")
    ev = verdict.evidence[0]  # an unknown size needs min_free_gpu_mb (0 here), not a crash
    assert ev["llm_route"] == "local" and ev["route_reason"] == "auto: qwen2.5:3b fits: 100 MiB GPU memory free"


def test_user_info_in_a_server_url_stays_out_of_errors_and_verdicts(
        ollama: OllamaServer, dashscope: OpenAIServer) -> None:
    with pytest.raises(ProviderError) as info:
        judge(config(ollama.url.replace("http://", "http://judge:pa55-w0rd@")), "hello", model="mistral")
    assert info.value.code == "model_not_found" and f"Ollama server at {ollama.url} " in info.value.reason
    assert "pa55-w0rd" not in str(info.value)
    down = f"http://judge:pa55-w0rd@127.0.0.1:{free_port()}"
    verdict = judge(auto(down, dashscope.base_url, max_retries=0), VIOLENT)
    assert verdict.evidence[0]["llm_route"] == "remote" and "unusable" in verdict.evidence[0]["route_reason"]
    assert "pa55-w0rd" not in json.dumps(verdict.to_dict())


def test_auto_probes_once_per_batch(ollama: OllamaServer, dashscope: OpenAIServer) -> None:
    cfg = auto(ollama.url, dashscope.base_url)
    for i in range(4):
        judge(cfg, f"text {i}", model="qwen2.5:3b")
    assert len(ollama.calls("/api/tags")) == 1 and len(ollama.calls("/api/chat")) == 4


def test_auto_without_local_server_or_key_says_both(monkeypatch: pytest.MonkeyPatch) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ConfigError) as info:
        judge(config(down, mode="auto", max_retries=0), "hello")
    message = str(info.value)
    assert "no API key for dashscope.aliyuncs.com" in message and "DASHSCOPE_API_KEY" in message
    assert "unusable" in message  # why local was not used


def test_config_section_is_validated() -> None:
    with pytest.raises(ConfigError, match=r"test-config.yaml: llm.mdoel: unknown key"):
        parse_config({"llm": {"mdoel": "x"}}, "test-config.yaml")
    for url in ("localhost:11434", "http://localhost:port", "http://[::1"):  # no raw ValueError later
        with pytest.raises(ConfigError, match=r"llm.local_url: expected an http:// or https:// URL"):
            parse_config({"llm": {"local_url": url}}, "test-config.yaml")
    for url in ("http://admin:s3cret@localhost:port/v1", "admin:s3cret@localhost:11434",
                "http://localhost:port/v1?key=s3cret"):  # the error must not carry the secret
        with pytest.raises(ConfigError, match=r"llm.local_url: expected") as info:
            parse_config({"llm": {"local_url": url}}, "test-config.yaml")
        assert "s3cret" not in str(info.value) and "***" in str(info.value)
    with pytest.raises(ConfigError, match=r"llm.mode: must be one of local, remote, auto"):
        parse_config({"llm": {"mode": "cloud"}}, "test-config.yaml")
    with pytest.raises(ConfigError, match=r"llm.keep_alive: keep_alive must be"):
        parse_config({"llm": {"keep_alive": "forever"}}, "test-config.yaml")
    with pytest.raises(ConfigError, match=r"policies.p.llm_unparsed: must be one of error, controversial"):
        parse_config({"policies": {"p": {"llm_unparsed": "ignore"}}}, "test-config.yaml")
    cfg = parse_config({"llm": {"keep_alive": 600, "local_api": "openai"}}, "test-config.yaml")
    assert cfg.llm.keep_alive == "600" and cfg.llm.local_base_url() == "http://127.0.0.1:8080/v1"


def test_cascade_asks_the_llm_only_what_the_rules_left_open(ollama: OllamaServer) -> None:
    cfg = config(ollama.url, local_model="qwen2.5:3b", policies={
        "llm_cascade": {"text_checkers": ["lexicon", "pii", "llm"], "block": ["violence", "drugs", "pii"]}})
    engine = Engine(cfg.policy("llm_cascade"), cfg)
    assert [c.cost for c in engine.text_checkers] == [0, 0, 20]
    by_rules = engine.check_text("where to buy crack cocaine")
    assert by_rules.level == "unsafe" and "drugs" in by_rules.categories
    assert engine.check_text("call me on 13812345678").level == "unsafe"  # pii blocked by this policy
    assert ollama.calls("/api/chat") == []  # the rules decided: no LLM call
    by_llm = engine.check_text(VIOLENT)
    assert by_llm.level == "unsafe" and by_llm.provider.endswith("llm:qwen2.5:3b")
    assert engine.check_text("a bowl of fruit").level == "safe"
    assert len(ollama.calls("/api/chat")) == 2


# --- the node -------------------------------------------------------------------------------

@pytest.fixture
def node_config(ollama: OllamaServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"llm": {"local_url": ollama.url, "local_model": "qwen2.5:3b",
                                            "max_retries": 0}}))
    monkeypatch.setenv("COMFY_CONTENT_SAFETY_CONFIG", str(path))
    return path


def test_node_widgets_and_defaults(node_config: Path) -> None:
    spec = ContentSafetyLLMJudge.INPUT_TYPES()["required"]
    for name in ("model", "temperature", "seed", "keep_alive", "local_system_prompt", "remote_system_prompt",
                 "timeout", "judge_format", "llm_mode", "enable_safe_check", "policy", "on_unsafe",
                 "replacement_text"):
        assert name in spec
    assert spec["llm_mode"][0] == ["local", "remote", "auto"]
    assert spec["model"][1]["default"] == "qwen2.5:3b"  # from the config file
    assert "check_mode" not in spec
    assert ContentSafetyLLMJudge.RETURN_NAMES == ("text", "is_safe", "verdict_json")


def test_node_passes_safe_text_through(node_config: Path, ollama: OllamaServer) -> None:
    out = run_node("a lighthouse at dawn")
    text, is_safe, verdict_json = out["result"]
    assert text == "a lighthouse at dawn" and is_safe is True
    assert json.loads(verdict_json)["level"] == "safe"
    assert out["ui"]["safety"][0]["evidence"][0]["llm_route"] == "local"


def test_node_raise_gives_the_json_error(node_config: Path) -> None:
    with pytest.raises(ContentSafetyError) as info:
        run_node(VIOLENT)
    payload = json.loads(str(info.value))
    assert payload["code"] == "content_safe_check_failed" and payload["stage"] == "llm"
    assert payload["categories"] == ["violence"] and payload["labels"] == "violence"
    assert payload["node_id"] == "7" and payload["provider"] == "llm:qwen2.5:3b"


def test_node_substitute_and_block(node_config: Path) -> None:
    text, is_safe, _ = run_node(VIOLENT, "substitute", replacement_text="[removed]")["result"]
    assert (text, is_safe) == ("[removed]", False)
    blocked = run_node(VIOLENT, "block")
    assert isinstance(blocked["result"][0], ExecutionBlocker) and blocked["result"][1] is False
    assert blocked["ui"]["safety"][0]["level"] == "unsafe"


def test_node_disabled_does_not_call(node_config: Path, ollama: OllamaServer) -> None:
    out = run_node(VIOLENT, enable_safe_check=False)
    assert out["result"][:2] == (VIOLENT, True) and ollama.calls("/api/chat") == []
    assert out["ui"]["safety"][0]["provider"] == "disabled"


def test_node_server_failure_fails_closed(node_config: Path, ollama: OllamaServer) -> None:
    ollama.state.fail_next = [(503, {"error": "loading model"}, {})]
    with pytest.raises(ContentSafetyError) as info:
        run_node("hello")
    payload = json.loads(str(info.value))
    assert payload["code"] == "content_safe_check_error" and payload["stage"] == "llm"
    assert "HTTP 503" in payload["reason"] and "loading model" in payload["reason"]
    assert payload["evidence"] == [{"provider_code": "http_503"}]


def test_node_bad_widget_is_a_clear_error(node_config: Path) -> None:
    with pytest.raises(ContentSafetyError) as info:
        run_node("hello", keep_alive="a while")
    payload = json.loads(str(info.value))
    assert payload["provider"] == "config" and "keep_alive" in payload["reason"]


def test_example_workflow_matches_the_node() -> None:
    workflow = json.loads((Path(__file__).parents[1] / "example_workflows" / "llm_judge.json").read_text("utf-8"))
    (node,) = [n for n in workflow["nodes"] if n["type"] == "ContentSafetyLLMJudge"]
    spec = ContentSafetyLLMJudge.INPUT_TYPES()["required"]
    assert len(node["widgets_values"]) == len(spec)
    for (name, (kind, _)), value in zip(spec.items(), node["widgets_values"], strict=True):
        if isinstance(kind, list):
            assert value in kind, name
    links = {link[0]: link for link in workflow["links"]}
    (out,) = node["outputs"][0]["links"]
    assert links[out][3] in [n["id"] for n in workflow["nodes"] if n["type"] == "CLIPTextEncode"]


def test_empty_text_needs_no_call(ollama: OllamaServer) -> None:
    verdict = judge(config(ollama.url), "  \n", model="qwen2.5:3b")
    assert verdict.level == "safe" and verdict.evidence[0]["note"] == "empty text: nothing to judge"
    assert ollama.calls("/api/chat") == []
