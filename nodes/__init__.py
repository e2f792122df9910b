"""ComfyUI adapters. Each node module is thin: widgets in, safety API, outputs back."""

import os

from .comfy import provide_example_input, route_table
from .image_check import ContentSafetyImageCheck
from .image_load import ContentSafetyLoadImage
from .image_save import ContentSafetySaveImage
from .llm_judge import ContentSafetyLLMJudge
from .quota_gate import ContentSafetyQuotaGate
from .text_check import ContentSafetyTextCheck
from .warmup import start_warm_up

EXAMPLE_IMAGE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "assets", "content_safety_example.png")

if route_table() is not None:  # inside a running ComfyUI, which brings aiohttp
    from .routes import register

    register(route_table())
    provide_example_input(EXAMPLE_IMAGE)
    start_warm_up()

NODE_CLASS_MAPPINGS = {
    "ContentSafetyTextCheck": ContentSafetyTextCheck,
    "ContentSafetyLLMJudge": ContentSafetyLLMJudge,
    "ContentSafetyImageCheck": ContentSafetyImageCheck,
    "ContentSafetySaveImage": ContentSafetySaveImage,
    "ContentSafetyLoadImage": ContentSafetyLoadImage,
    "ContentSafetyQuotaGate": ContentSafetyQuotaGate,
}

NODE_DISPLAY_NAME_MAPPINGS = {
    "ContentSafetyTextCheck": "Content Safety Text Check",
    "ContentSafetyLLMJudge": "Content Safety LLM Judge",
    "ContentSafetyImageCheck": "Content Safety Image Check",
    "ContentSafetySaveImage": "Content Safety Save Image",
    "ContentSafetyLoadImage": "Content Safety Load Image",
    "ContentSafetyQuotaGate": "Content Safety Quota Gate",
}
