"""The routes' handlers on a bare aiohttp app (ComfyUI adds the same table to its server;
tests/test_comfyui_front.py checks them there): what reaches the decision hooks."""

from __future__ import annotations

import asyncio
import json
import io
from typing import Any

import pytest
from content_safety_guard.safety import DECISION_HOOKS, Decision

web = pytest.importorskip("aiohttp.web")
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402
from content_safety_guard.nodes.routes import register  # noqa: E402


def call(method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
    async def go() -> tuple[int, Any]:
        table = web.RouteTableDef()
        register(table)
        app = web.Application()
        app.add_routes(table)
        async with TestClient(TestServer(app)) as client:
            response = await client.request(method, path, **kwargs)
            return response.status, await response.json()
    return asyncio.run(go())


def post(path: str, **kwargs: Any) -> tuple[int, Any]:
    return call("POST", path, **kwargs)


def test_a_pre_check_is_a_decision_of_stage_api(monkeypatch) -> None:
    monkeypatch.delenv("COMFY_CONTENT_SAFETY_CONFIG", raising=False)
    seen: list[Decision] = []
    with DECISION_HOOKS.registered(seen.append):
        status, body = post("/content_safety/check", json={"text": "hardcore porn", "policy": "strict"},
                            headers={"comfy-user": "alice"})
    assert status == 200 and body["blocked"] is True
    [decision] = seen
    # the comfy-user header counts only under ComfyUI's --multi-user, as for queued prompts
    assert (decision.stage, decision.action, decision.policy, decision.user) == ("api", "blocked", "strict", "")
    assert decision.remote_addr == "127.0.0.1"
    assert decision.text == "hardcore porn" and decision.verdict.categories == ("sexual",)


def test_a_refused_check_is_a_decision_too(monkeypatch) -> None:
    """A remote check without credentials fails closed; the audit trail still shows it."""
    monkeypatch.delenv("COMFY_CONTENT_SAFETY_CONFIG", raising=False)
    for key in ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    seen: list[Decision] = []
    with DECISION_HOOKS.registered(seen.append):
        status, body = post("/content_safety/check", json={"text": "hello", "check_mode": "remote"})
    assert status == 502 and "credentials" in json.dumps(body)
    [decision] = seen
    assert (decision.stage, decision.action, decision.mode, decision.text) == ("api", "error", "remote", "hello")
    assert decision.verdicts == () and "credentials" in decision.error["reason"]


def test_bad_requests_reach_no_hook() -> None:
    seen: list[Decision] = []
    with DECISION_HOOKS.registered(seen.append):
        status, body = post("/content_safety/check", json={"text": ["not", "a", "string"]})
    assert status == 400 and body["error"]["code"] == "bad_request" and seen == []


def test_an_oversized_json_body_is_refused_before_it_is_parsed() -> None:
    status, body = post("/content_safety/check", data=b'{"text": "' + b"x" * 100_000 + b'"}',
                        headers={"Content-Type": "application/json"})
    assert status == 413 and body["error"]["code"] == "too_large" and "max_text_chars" in body["error"]["message"]


def test_a_chunked_json_body_is_refused_once_it_passes_the_limit() -> None:
    """A chunked upload declares no length: the body is counted as it arrives."""
    sent = []

    async def chunks():
        yield b'{"text": "'
        for _ in range(1000):  # 1000 x 64 KiB would be 64 MiB; the limit is ~84 KB
            sent.append(1)
            yield b"x" * 65536
        yield b'"}'

    status, body = post("/content_safety/check", data=chunks(), headers={"Content-Type": "application/json"})
    assert status == 413 and "max_text_chars" in body["error"]["message"]
    assert len(sent) < 1000


def test_a_json_body_is_read_in_the_charset_its_content_type_declares(monkeypatch) -> None:
    """As aiohttp's request.json() did: a client that sends GBK and says so is understood."""
    monkeypatch.delenv("COMFY_CONTENT_SAFETY_CONFIG", raising=False)
    body = json.dumps({"text": "你好"}, ensure_ascii=False).encode("gbk")
    def send(charset: str) -> tuple[int, Any]:
        return post("/content_safety/check", data=body, headers={"Content-Type": f"application/json; charset={charset}"})

    status, answer = send("gbk")
    assert status == 200 and answer["is_safe"]
    status, answer = send("nope")
    assert status == 400 and "charset" in answer["error"]["message"]


def test_a_body_that_is_not_utf8_is_a_bad_request() -> None:
    status, body = post("/content_safety/check", data=b"\xff\xfe{", headers={"Content-Type": "application/json"})
    assert status == 400 and "not UTF-8" in body["error"]["message"]


def test_an_unexpected_failure_is_json_without_the_traceback(monkeypatch, caplog) -> None:
    def broken(*_args: Any) -> None:
        raise RuntimeError("internal detail")
    monkeypatch.setattr("content_safety_guard.nodes.routes.status_report", broken)
    status, body = call("GET", "/content_safety/status")
    assert status == 500 and body["error"]["code"] == "internal_error"
    assert "internal detail" not in body["error"]["message"] and "internal detail" in caplog.text


def test_a_multipart_image_check_reads_only_its_short_fields() -> None:
    """policy and check_mode are read, at most MAX_FIELD_BYTES each; other fields never."""
    import aiohttp
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (90, 120, 200)).save(buf, "PNG")

    def form(**fields: str) -> Any:
        data = aiohttp.FormData()
        data.add_field("image", buf.getvalue(), filename="x.png", content_type="image/png")
        for name, value in fields.items():
            data.add_field(name, value)
        return data

    status, body = post("/content_safety/check", data=form(policy="strict", check_mode="local", other="x" * 100_000))
    assert status == 200 and body["policy"] == "strict" and body["is_safe"] is True
    status, body = post("/content_safety/check", data=form(policy="n" * 5000))
    assert status == 413 and body["error"] == {"code": "too_large", "message": "policy: more than 4096 bytes"}
    status, body = post("/content_safety/check", data=form(check_mode="cloud"))
    assert status == 400 and "check_mode must be one of" in body["error"]["message"]
