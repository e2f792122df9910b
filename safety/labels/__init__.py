"""AI-generated content labels (GB 45438-2025): the visible label, the implicit `AIGC`
metadata (PNG tEXt + XMP in PNG, JPEG and WebP), optional C2PA, and reading them back."""

from .read import inspect_file
from .settings import LabelConfig, LabelSettings
from .write import save_labelled

__all__ = ["LabelConfig", "LabelSettings", "inspect_file", "save_labelled"]
