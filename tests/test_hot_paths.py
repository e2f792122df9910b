"""Hot paths: IMAGE -> uint8 without full-size float temporaries (bit for bit SaveImage's
result), and clean prompts through a short path that gives the same verdicts."""

from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pytest
from content_safety_guard.nodes.comfy import to_uint8
from content_safety_guard.safety import BUILTIN_POLICIES, Config, Engine, InputError
from content_safety_guard.safety.verdict import Finding


def save_image(image: np.ndarray) -> np.ndarray:
    """ComfyUI SaveImage's conversion, channels as the nodes want them."""
    out = np.clip(255. * image, 0, 255).astype(np.uint8)
    return np.repeat(out, 3, axis=2) if out.shape[2] == 1 else np.ascontiguousarray(out[..., :3])


@pytest.mark.parametrize("shape", [(37, 53, 3), (300, 7, 4), (5, 2000, 1), (1, 1, 3)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_to_uint8_is_bit_for_bit_save_images_conversion(shape, dtype) -> None:
    rng = np.random.default_rng(sum(shape))
    image = (rng.random(shape) * 1.4 - 0.2).astype(dtype)  # values outside 0..1 too
    ours = to_uint8(image)
    assert ours.dtype == np.uint8 and ours.flags.c_contiguous
    assert np.array_equal(ours, save_image(image))


@pytest.mark.parametrize("shape", [(0, 4, 3), (4, 0, 3)])
def test_to_uint8_refuses_an_empty_image(shape) -> None:
    """SaveImage's PIL cannot write it; ours says so in the error contract (test_node_names)."""
    with pytest.raises(InputError, match="H and W not 0"):
        to_uint8(np.zeros(shape, np.float32))


@pytest.mark.parametrize("layout", ["c", "fortran", "transposed"])
def test_to_uint8_never_converts_the_alpha_plane(layout: str) -> None:
    """An alpha of 3e38 overflows when scaled by 255 (a RuntimeWarning): it never is."""
    image = np.random.default_rng(1).random((64, 48, 4), dtype=np.float32) * 1.2 - 0.1
    image[..., 3] = 3e38
    image = {"c": image, "fortran": np.asfortranarray(image), "transposed": image.transpose(1, 0, 2)}[layout]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = to_uint8(image)
    assert ours.flags.c_contiguous and np.array_equal(ours, save_image(image[..., :3]))


@pytest.mark.parametrize("channels", [3, 4])
def test_to_uint8_allocates_no_full_size_float_temporaries(channels: int) -> None:
    image = np.random.default_rng(0).random((1024, 1024, channels), dtype=np.float32)
    tracemalloc.start()
    try:
        out = to_uint8(image)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < out.nbytes + 2 * 1024 * 1024, peak  # the output and a small block, not 3 x 12 MB


@pytest.mark.parametrize("finding", [Finding({}, "local:lexicon", (), 0.3), Finding({"pii": 0.0}, "local:pii", (), 1.5),
                                     Finding({"sexual": 0.0, "drugs": 0.0}, "local:m", (), 2.0)])
@pytest.mark.parametrize("policy", list(BUILTIN_POLICIES.values()), ids=list(BUILTIN_POLICIES))
def test_an_empty_finding_gets_the_verdict_the_full_path_gives(finding: Finding, policy) -> None:
    assert policy.decide(finding) == policy.judge(finding.scores, provider=finding.provider,
                                                  latency_ms=finding.latency_ms)


@pytest.mark.parametrize("text", ["a lighthouse at dawn", "", "一座海边的灯塔", "kill a python process"])
def test_clean_prompts_are_safe_without_evidence(text: str) -> None:
    verdict = Engine(BUILTIN_POLICIES["normal"], Config()).check_text(text)
    assert verdict.is_safe and verdict.evidence == () and verdict.categories == ()
    assert verdict.provider.startswith("local:lexicon+local:pii")
