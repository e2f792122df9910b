"""The routes' handlers on a bare aiohttp app (ComfyUI adds the same table to its server;
tests/test_comfyui_front.py checks them there): what reaches the decision hooks."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from content_safety_guard.safety import DECISION_HOOKS, Decision

web = pytest.importorskip("aiohttp.web")
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402
from content_safety_guard.nodes.routes import register  # noqa: E402


def post(path: str, **kwargs: Any) -> tuple[int, Any]:
    async def go() -> tuple[int, Any]:
        table = web.RouteTableDef()
        register(table)
        app = web.Application()
        app.add_routes(table)
        async with TestClient(TestServer(app)) as client:
            response = await client.post(path, **kwargs)
            return response.status, await response.json()
    return asyncio.run(go())


def test_a_pre_check_is_a_decision_of_stage_api(monkeypatch) -> None:
    monkeypatch.delenv("COMFY_CONTENT_SAFETY_CONFIG", raising=False)
    seen: list[Decision] = []
    with DECISION_HOOKS.registered(seen.append):
        status, body = post("/content_safety/check", json={"text": "hardcore porn", "policy": "strict"},
                            headers={"comfy-user": "alice"})
    assert status == 200 and body["blocked"] is True
    [decision] = seen
    assert (decision.stage, decision.action, decision.policy, decision.user) == ("api", "blocked", "strict", "alice")
    assert decision.text == "hardcore porn" and decision.verdict.categories == ("sexual",)


def test_bad_requests_reach_no_hook() -> None:
    seen: list[Decision] = []
    with DECISION_HOOKS.registered(seen.append):
        status, body = post("/content_safety/check", json={"text": ["not", "a", "string"]})
    assert status == 400 and body["error"]["code"] == "bad_request" and seen == []


def test_an_oversized_json_body_is_refused_before_it_is_parsed() -> None:
    status, body = post("/content_safety/check", data=b'{"text": "' + b"x" * 100_000 + b'"}',
                        headers={"Content-Type": "application/json"})
    assert status == 413 and body["error"]["code"] == "too_large" and "max_text_chars" in body["error"]["message"]
