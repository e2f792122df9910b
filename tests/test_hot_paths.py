"""Hot paths: IMAGE -> uint8 without full-size float temporaries (bit for bit SaveImage's
result), and clean prompts through a short path that gives the same verdicts."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from content_safety_guard.nodes.comfy import to_uint8
from content_safety_guard.safety import BUILTIN_POLICIES, Config, Engine


def save_image(image: np.ndarray) -> np.ndarray:
    """ComfyUI SaveImage's conversion, channels as the nodes want them."""
    out = np.clip(255. * image, 0, 255).astype(np.uint8)
    return np.repeat(out, 3, axis=2) if out.shape[2] == 1 else np.ascontiguousarray(out[..., :3])


@pytest.mark.parametrize("shape", [(37, 53, 3), (300, 7, 4), (5, 2000, 1), (1, 1, 3), (0, 4, 3)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_to_uint8_is_bit_for_bit_save_images_conversion(shape, dtype) -> None:
    rng = np.random.default_rng(sum(shape))
    image = (rng.random(shape) * 1.4 - 0.2).astype(dtype)  # values outside 0..1 too
    ours = to_uint8(image)
    assert ours.dtype == np.uint8 and ours.flags.c_contiguous
    assert np.array_equal(ours, save_image(image))


def test_to_uint8_allocates_no_full_size_float_temporaries() -> None:
    image = np.random.default_rng(0).random((1024, 1024, 3), dtype=np.float32)
    tracemalloc.start()
    try:
        out = to_uint8(image)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < out.nbytes + 2 * 1024 * 1024, peak  # the output and a small block, not 3 x 12 MB


@pytest.mark.parametrize("text", ["a lighthouse at dawn", "", "一座海边的灯塔", "kill a python process"])
def test_clean_prompts_get_the_verdict_the_full_path_gives(text: str) -> None:
    """What the policy makes of zero scores, as before the short path existed."""
    verdict = Engine(BUILTIN_POLICIES["normal"], Config()).check_text(text).to_dict()
    assert verdict.pop("latency_ms") >= 0
    assert verdict == {"level": "safe", "is_safe": True, "categories": [], "labels": "", "score": 0.0,
                       "scores": {"pii": 0.0}, "provider": "local:lexicon+local:pii", "evidence": []}
