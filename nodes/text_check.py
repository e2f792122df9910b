"""ContentSafetyTextCheck: check a prompt before it reaches the text encoder."""

from __future__ import annotations

from typing import Any

from .common import CheckNode, NodeRun, check_text_node, common_inputs, remote_inputs, remote_options

STAGE = "text"


class ContentSafetyTextCheck(CheckNode):
    DESCRIPTION = "Checks a prompt (or any STRING) and passes it through when it is safe."
    FUNCTION = "check"
    RETURN_TYPES = ("STRING", "BOOLEAN", "STRING")
    RETURN_NAMES = ("text", "is_safe", "verdict_json")
    OUTPUT_TOOLTIPS = (
        "The text when safe; the replacement text when substituted.",
        "False when the policy flags the text as unsafe or controversial.",
        "The verdict as JSON: level, categories, score, provider, evidence.",
    )

    @classmethod
    def INPUT_TYPES(cls) -> dict[str, Any]:
        return {
            "required": {
                "text": ("STRING", {"multiline": True, "default": "",
                                    "tooltip": "The prompt or text to check."}),
                **common_inputs(),
                "replacement_text": ("STRING", {
                    "default": "",
                    "tooltip": "Text output by on_unsafe=substitute; empty uses the policy's."}),
            },
            "optional": {
                **remote_inputs("text"),
                "prompt_role": (["positive", "negative"], {
                    "default": "positive",
                    "tooltip": "negative: the text is a negative prompt; its avoidance terms "
                               "(nsfw, nude, gore...) never block it, and the policy's forced "
                               "negative terms are appended to the output."}),
            },
            "hidden": {"unique_id": "UNIQUE_ID"},
        }

    def check(self, text: str, enable_safe_check: bool, check_mode: str, policy: str,
              on_unsafe: str, replacement_text: str = "", unique_id: str = "",
              remote_content_safe_service: str | None = None,
              remote_confidence_threshold: float | None = None,
              prompt_role: str = "positive") -> dict[str, Any]:
        run = NodeRun(STAGE, unique_id, policy=policy, mode=check_mode, text=text,
                      options=lambda cfg: remote_options("text", remote_content_safe_service,
                                                         remote_confidence_threshold))
        return check_text_node(run, text, enable_safe_check, on_unsafe=on_unsafe, replacement=replacement_text,
                               role=prompt_role)
