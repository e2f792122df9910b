"""Green (2022-03-02) moderation services: which API serves each, and its input limit.

Widget lists are built from these tables so a workflow can only name a service the
pack knows how to call and parse.
"""

from __future__ import annotations

from dataclasses import dataclass

PLUS = "TextModerationPlus"
CLASSIC = "TextModeration"
IMAGE = "ImageModeration"
CLASSIC_PREFIX = "classic:"  # forces the classic API for a service both APIs offer

# TextModerationPlus accepts up to 2000 characters of `content`, TextModeration 600.
PLUS_MAX_CHARS = 2000
CLASSIC_MAX_CHARS = 600

PLUS_SERVICES: tuple[str, ...] = (
    "ai_art_detection", "llm_query_moderation", "llm_response_moderation",
    "chat_detection_pro", "comment_detection_pro", "nickname_detection_pro",
    "ad_compliance_detection_pro", "ugc_moderation_byllm", "aigc_moderation_byllm",
)
CLASSIC_SERVICES: tuple[str, ...] = (
    "nickname_detection", "chat_detection", "comment_detection", "ad_compliance_detection",
    "pgc_detection", CLASSIC_PREFIX + "ai_art_detection",
)
TEXT_SERVICES: tuple[str, ...] = PLUS_SERVICES + CLASSIC_SERVICES
IMAGE_SERVICES: tuple[str, ...] = (
    "baselineCheck", "baselineCheck_pro", "baselineCheck_cb", "tonalityImprove", "aigcCheck",
    "profilePhotoCheck", "postImageCheck", "advertisingCheck", "liveStreamCheck",
    "riskDetection",
)


@dataclass(frozen=True)
class TextService:
    name: str  # as sent in `Service`
    api: str  # PLUS or CLASSIC
    max_chars: int


def text_service(choice: str) -> TextService:
    """Resolve a widget/config value; raises ValueError naming the valid choices."""
    if choice in PLUS_SERVICES:
        return TextService(choice, PLUS, PLUS_MAX_CHARS)
    if choice in CLASSIC_SERVICES:
        return TextService(choice.removeprefix(CLASSIC_PREFIX), CLASSIC, CLASSIC_MAX_CHARS)
    raise ValueError(f"unknown Alibaba Cloud text service {choice!r}; "
                     f"expected one of {', '.join(TEXT_SERVICES)}")


def image_service(choice: str) -> str:
    if choice not in IMAGE_SERVICES:
        raise ValueError(f"unknown Alibaba Cloud image service {choice!r}; "
                         f"expected one of {', '.join(IMAGE_SERVICES)}")
    return choice
