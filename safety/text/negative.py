"""Negative prompts: the text a model is told to avoid.

"nsfw, nude, gore, lowres" in a negative prompt keeps those things out of the image, so
the ordinary lexicon would block the very prompts that make generation safer. A negative
prompt is instead matched against its own small lexicon (`lexicon_data/negative/`): the
tricks that ask for nudity by avoiding clothes ("clothes, bra, censored, mosaic").
"""

from __future__ import annotations

import time
from pathlib import Path

from ..verdict import Finding
from .lexicon import SEED_DIR, folder_lexicon, score

NEGATIVE_DIR: Path = SEED_DIR / "negative"


class NegativePromptChecker:
    provider = "local:negative_prompt"
    cost = 0

    def check_text(self, text: str) -> Finding:
        start = time.perf_counter()
        return score(folder_lexicon(NEGATIVE_DIR), text, self.provider, start)
