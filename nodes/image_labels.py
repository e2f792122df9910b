"""What the save node needs from the workflow graph for AIGC labels: the label of an image
loaded upstream (to propagate it) and the prompt and models (for the sidecar)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from typing import Any

from ..safety import InputError, Provenance, incoming_label, inspect_file, label_summary
from .comfy import annotated_filepath

LOADERS = ("ContentSafetyLoadImage", "LoadImage", "LoadImageOutput")
PROMPT_KEYS = ("text", "text_g", "text_l", "prompt", "positive")
MODEL_SUFFIXES = (".safetensors", ".ckpt", ".pt", ".pth", ".bin", ".gguf", ".sft", ".onnx")


def _upstream(prompt: Any, node_id: str) -> Iterator[Mapping[str, Any]]:
    """Nodes feeding `node_id`, nearest first (links are [source id, output index])."""
    if not isinstance(prompt, Mapping):
        return
    seen, queue = {str(node_id)}, deque([str(node_id)])
    while queue:
        node = prompt.get(queue.popleft())
        inputs = node.get("inputs", {}) if isinstance(node, Mapping) else {}
        for value in inputs.values() if isinstance(inputs, Mapping) else ():
            if isinstance(value, list) and len(value) == 2 and str(value[0]) not in seen:
                source = str(value[0])
                seen.add(source)
                queue.append(source)
                if isinstance(prompt.get(source), Mapping):
                    yield prompt[source]


def upstream_label(prompt: Any, node_id: str) -> dict[str, Any] | None:
    """The label of the nearest labelled image loaded upstream, to propagate."""
    for node in _upstream(prompt, node_id):
        image = node.get("inputs", {}).get("image")
        if node.get("class_type") in LOADERS and isinstance(image, str):
            try:
                label = incoming_label(inspect_file(annotated_filepath(image)))
            except InputError:
                continue
            if label:
                return label
    return None


def provenance(prompt: Any, node_id: str, user: str = "") -> Provenance:
    texts, models = [], []
    for node in _upstream(prompt, node_id):
        for key, value in (node.get("inputs") or {}).items():
            if not isinstance(value, str):
                continue
            if key in PROMPT_KEYS:
                texts.append(value)
            elif value.lower().endswith(MODEL_SUFFIXES):
                models.append(value)
    return Provenance(user=user, prompt="\n".join(texts) if texts else None,
                      models=tuple(dict.fromkeys(models)))


def declared_label(path: str, trust_anchors: str | None) -> dict[str, Any]:
    """What an uploaded file declares, for the load node's verdict (never raises)."""
    try:
        return label_summary(inspect_file(path, trust_anchors))
    except InputError as exc:
        return {"aigc_label": None, "valid": False, "problems": [str(exc)]}
