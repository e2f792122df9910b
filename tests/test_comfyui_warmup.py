"""Inside a real ComfyUI the pack warms its text checks in a background thread right after it
loads (nodes/warmup.py), so the first prompt does not pay for onnxruntime, the text model's
session and the lexicon. Runs on the session's ComfyUI (the `comfy` fixture)."""

from __future__ import annotations

import time

from comfyui_harness import Comfy


def test_the_text_checks_are_warmed_up_after_the_pack_loads(comfy: Comfy) -> None:
    line = "content_safety_guard: text checks warmed up in"
    give_up = time.monotonic() + 300  # a bound for a hung thread, not a speed requirement
    while line not in comfy.log.read_text(errors="replace") and time.monotonic() < give_up:
        time.sleep(0.5)
    log = comfy.log.read_text(errors="replace")
    assert line in log, comfy.log_tail()
    assert "text checks not warmed up" not in log
