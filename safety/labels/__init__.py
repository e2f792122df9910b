"""AI-generated content labels (GB 45438-2025): the visible label, the implicit `AIGC`
metadata (PNG tEXt + XMP in PNG, JPEG and WebP), optional C2PA, and reading them back."""

from .read import incoming_label, inspect_file
from .read import summary as label_summary
from .sidecar import Provenance
from .write import labelled, save_labelled

__all__ = ["Provenance", "incoming_label", "inspect_file", "label_summary", "labelled", "save_labelled"]
