"""Issue 13 in a real ComfyUI: a negative prompt through ContentSafetyTextCheck with
prompt_role=negative passes, carries the policy's forced negative terms downstream, and
the same words as a positive prompt still block. Reuses the integration test's server."""

from __future__ import annotations

from comfyui_harness import messages, queue
from test_comfyui_integration import preview, text_check

NEGATIVE = "nsfw, nude, lowres, bad anatomy"


def test_negative_prompt_passes_with_forced_terms(comfy) -> None:
    spec = comfy.object_info["ContentSafetyTextCheck"]["input"]["optional"]["prompt_role"]
    assert spec[0] == ["positive", "negative"]
    entry = queue(comfy, {"40": text_check(NEGATIVE, "raise", policy="strict", prompt_role="negative"),
                          "41": preview("40", 0), "42": preview("40", 1)})
    assert entry["status"]["status_str"] == "success", messages(entry, "execution_error")
    [text] = entry["outputs"]["41"]["text"]
    assert text.startswith(NEGATIVE + ", naked") and text.endswith("weapon")
    assert entry["outputs"]["42"]["text"] == ["True"]
    [verdict] = entry["outputs"]["40"]["safety"]
    assert verdict["level"] == "safe" and verdict["provider"] == "local:negative_prompt"


def test_the_same_words_as_a_positive_prompt_block(comfy) -> None:
    entry = queue(comfy, {"50": text_check(NEGATIVE, "raise", policy="strict"), "51": preview("50", 0)})
    assert entry["status"]["status_str"] == "error"
