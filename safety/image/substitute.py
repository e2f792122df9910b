"""What `on_unsafe=substitute` puts in place of an unsafe image."""

from __future__ import annotations

import numpy as np

from ..verdict import Verdict
from .censor import censor, flagged_boxes
from .placeholder import placeholder
from ..settings.image import ImageSettings


def substitute(image: np.ndarray, verdict: Verdict, settings: ImageSettings) -> tuple[np.ndarray, str]:
    """(replacement, "censored" | "placeholder"). Regions are blurred or pixelated only when
    the config asks for it and every flagged category has boxes; otherwise the whole image
    becomes the placeholder, at the original size."""
    if settings.substitute in ("blur", "pixelate"):
        boxes = flagged_boxes(verdict)
        if boxes:
            return censor(image, boxes, settings.substitute), "censored"
    height, width = image.shape[:2]
    return placeholder(width, height, settings.placeholder), "placeholder"
