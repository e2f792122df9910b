"""Inside ComfyUI the first text check would pay for the lexicon build, the character
tables and loading the text model (40 ms and more, several times that while ComfyUI starts). A daemon thread pays them right
after the pack loads, while ComfyUI is still starting, so the first prompt does not. The
caches it fills are single-flight (safety/cache.py): a check that comes before the warm-up
ends waits for the same build instead of making a second one."""

from __future__ import annotations

import logging
import threading
import time

from ..safety import Engine
from .common import config_or_default

log = logging.getLogger(__name__)


def warm_up() -> None:
    """The default policy's local text steps, built and run once. A broken config or model
    is only logged here: the first run reports it with its JSON error."""
    began = time.perf_counter()
    try:
        cfg = config_or_default()
        Engine(cfg.policy(cfg.default_policy), cfg).warm_up()
    except Exception as exc:  # whatever fails here, the first run reports it
        log.info("content_safety_guard: text checks not warmed up (%s)", exc)
        return
    log.info("content_safety_guard: text checks warmed up in %.0f ms", (time.perf_counter() - began) * 1000)


def start_warm_up() -> threading.Thread:
    thread = threading.Thread(target=warm_up, name="content-safety-warm-up", daemon=True)
    thread.start()
    return thread
