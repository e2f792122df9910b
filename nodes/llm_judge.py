"""ContentSafetyLLMJudge: ask a local (Ollama / OpenAI-compatible) or remote (Qwen on
DashScope) LLM whether a text is safe."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..safety import JUDGE_FORMATS, LLM_MODES, CheckOptions, JudgeOptions
from .common import CheckNode, NodeRun, check_text_node, common_inputs, config_or_default

STAGE = "llm"


class ContentSafetyLLMJudge(CheckNode):
    DESCRIPTION = ("Asks a large language model whether a text is safe, locally (Ollama, vLLM, "
                   "llama.cpp) or remotely (Qwen on DashScope), and passes it through when it is.")
    FUNCTION = "judge"
    RETURN_TYPES = ("STRING", "BOOLEAN", "STRING")
    RETURN_NAMES = ("text", "is_safe", "verdict_json")
    OUTPUT_TOOLTIPS = (
        "The text when safe; the replacement text when substituted.",
        "False when the policy flags the text as unsafe or controversial.",
        "The verdict as JSON: level, categories, the model's reason, route and reply.",
    )

    @classmethod
    def INPUT_TYPES(cls) -> dict[str, Any]:
        llm = config_or_default().llm
        common = {k: v for k, v in common_inputs().items() if k != "check_mode"}
        return {
            "required": {
                "text": ("STRING", {"multiline": True, "default": "",
                                    "tooltip": "The prompt or text to judge."}),
                "enable_safe_check": common["enable_safe_check"],
                "llm_mode": (list(LLM_MODES), {
                    "default": llm.mode,
                    "tooltip": "local: the local server (Ollama or OpenAI-compatible); remote: Qwen "
                               "on DashScope (needs DASHSCOPE_API_KEY); auto: local when the server "
                               "answers, has the model and it fits in free GPU memory, else remote."}),
                "policy": common["policy"],
                "on_unsafe": common["on_unsafe"],
                "model": ("STRING", {
                    "default": llm.local_model,
                    "tooltip": "Local model name, e.g. qwen2.5:3b, llama-guard3:1b, a Qwen3Guard-Gen "
                               "or ShieldGemma model."}),
                "remote_model": ("STRING", {
                    "default": llm.remote_model,
                    "tooltip": "Remote model name (DashScope: qwen-plus, qwen-max, qwen-turbo...)."}),
                "judge_format": (list(JUDGE_FORMATS), {
                    "default": llm.judge_format,
                    "tooltip": "How the reply is read. auto: Qwen3Guard, Llama Guard and ShieldGemma "
                               "by model name, else a JSON verdict."}),
                "temperature": ("FLOAT", {
                    "default": 0.0, "min": 0.0, "max": 2.0, "step": 0.05,
                    "tooltip": "Sampling temperature; 0 gives the most repeatable judgement."}),
                "seed": ("INT", {
                    "default": 0, "min": 0, "max": 2**31 - 1, "control_after_generate": False,
                    "tooltip": "Sampling seed, for repeatable judgements."}),
                "keep_alive": ("STRING", {
                    "default": llm.keep_alive,
                    "tooltip": "Ollama: how long the model stays loaded after the call "
                               "(5m, 1h, 0 unloads at once, -1 keeps it)."}),
                "timeout": ("FLOAT", {
                    "default": 30.0, "min": 1.0, "max": 600.0, "step": 1.0,
                    "tooltip": "Seconds one request may take before the check fails."}),
                "local_system_prompt": ("STRING", {
                    "multiline": True, "default": "",
                    "tooltip": "Instructions for the local judge; empty uses the built-in prompt. "
                               "The JSON reply format is always appended."}),
                "remote_system_prompt": ("STRING", {
                    "multiline": True, "default": "",
                    "tooltip": "Instructions for the remote judge; empty uses the built-in prompt. "
                               "The JSON reply format is always appended."}),
                "replacement_text": ("STRING", {
                    "default": "",
                    "tooltip": "Text output by on_unsafe=substitute; empty uses the policy's."}),
            },
            "hidden": {"unique_id": "UNIQUE_ID"},
        }

    def judge(self, text: str, enable_safe_check: bool, llm_mode: str, policy: str, on_unsafe: str,
              model: str, remote_model: str, judge_format: str, temperature: float, seed: int,
              keep_alive: str, timeout: float, local_system_prompt: str = "",
              remote_system_prompt: str = "", replacement_text: str = "",
              unique_id: str = "") -> dict[str, Any]:
        options = {"llm_mode": llm_mode, "model": model, "remote_model": remote_model,
                   "judge_format": judge_format, "temperature": temperature, "seed": seed,
                   "keep_alive": keep_alive, "timeout": timeout,
                   "local_system_prompt": local_system_prompt,
                   "remote_system_prompt": remote_system_prompt}
        run = NodeRun(STAGE, unique_id, policy=policy, text=text,
                      options=lambda cfg: CheckOptions(llm=JudgeOptions.from_options(options, cfg.llm)))
        return check_text_node(run, text, enable_safe_check, on_unsafe=on_unsafe, replacement=replacement_text,
                               policy_override=lambda p: replace(p, text_checkers=("llm",)))
