#!/usr/bin/env python3
"""A client of a workflow published on ComfyUI with the content-safety pack (standard library only).

It does what a platform's backend does around each user request:
  1. pre-checks the user's prompt through POST /content_safety/check;
  2. queues the workflow through POST /prompt and waits for /history/<prompt_id>;
  3. reads the outcome: a blocked run (on_unsafe=raise) carries the JSON error in
     status.messages -> execution_error -> exception_message; a substituted run
     (on_unsafe=substitute) succeeds, and the verdicts are in outputs -> <node> -> safety.

    python scripts/client.py --server http://127.0.0.1:8188 [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
import uuid
from typing import Any

UNSAFE = "hardcore porn, 色情"


def call(server: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    """GET (or POST `body` as JSON); (HTTP status, decoded JSON). Errors come back as JSON too."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(server + path, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def precheck(server: str, text: str, policy: str = "normal") -> dict[str, Any]:
    """Ask before queueing: {"blocked": bool, "is_safe": bool, "verdict": {...}}."""
    status, body = call(server, "/api/content_safety/check", {"text": text, "policy": policy})
    if status != 200:
        raise RuntimeError(f"pre-check failed ({status}): {body['error']}")
    return body


def published_workflow(text: str, on_unsafe: str) -> dict[str, Any]:
    """The API form of example_workflows/check_text_preview.json with the user's text."""
    return {
        "2": {"class_type": "ContentSafetyTextCheck", "inputs": {
            "text": text, "enable_safe_check": True, "check_mode": "local", "policy": "normal",
            "on_unsafe": on_unsafe, "replacement_text": "[withheld]"}},
        "3": {"class_type": "PreviewAny", "inputs": {"source": ["2", 0]}},
    }


def run(server: str, prompt: dict[str, Any], timeout_s: float = 300.0) -> dict[str, Any]:
    """Queue `prompt`, poll its history entry until the run ended, return the entry."""
    status, body = call(server, "/api/prompt", {"prompt": prompt, "client_id": uuid.uuid4().hex})
    if status != 200:
        raise RuntimeError(f"/prompt refused the workflow ({status}): {json.dumps(body)[:500]}")
    prompt_id = body["prompt_id"]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        _, history = call(server, f"/api/history/{prompt_id}")
        if prompt_id in history and history[prompt_id]["status"].get("completed") is not None:
            return history[prompt_id]
        time.sleep(0.2)
    raise TimeoutError(f"prompt {prompt_id} did not finish in {timeout_s:.0f} s")


def safety_error(entry: dict[str, Any]) -> dict[str, Any] | None:
    """The pack's error of a failed run (code, stage, categories, node_id, ...), else None."""
    for name, data in entry["status"]["messages"]:
        if name == "execution_error":
            try:
                error = json.loads(data["exception_message"])
            except ValueError:
                return None  # another failure (out of memory, a missing model...)
            return error if str(error.get("code", "")).startswith("content_safe_check") else None
    return None


def verdicts(entry: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for output in entry["outputs"].values() for v in output.get("safety", [])]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="http://127.0.0.1:8188")
    parser.add_argument("--json", action="store_true", help="print one JSON report")
    args = parser.parse_args()
    server = args.server.rstrip("/")

    check = precheck(server, UNSAFE)
    blocked = run(server, published_workflow(UNSAFE, "raise"))
    substituted = run(server, published_workflow(UNSAFE, "substitute"))
    error = safety_error(blocked)
    report = {
        "precheck": {"blocked": check["blocked"], "categories": check["verdict"]["categories"]},
        "blocked": error,
        "substituted": {"text": substituted["outputs"]["3"]["text"][0], "verdicts": verdicts(substituted)},
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    print(f"pre-check: blocked={check['blocked']} categories={check['verdict']['categories']}")
    if error:
        print(f"raise: run stopped at node {error['node_id']} (stage {error['stage']}): {error['labels']}")
    print(f"substitute: the workflow went on with {report['substituted']['text']!r}; "
          f"verdict {report['substituted']['verdicts'][0]['level']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
