"""Registry of the built-in checkers; imported by the Engine on first use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .config import Config
from .engine import (ImageChecker, TextChecker, register_image_checker, register_image_checker_family,
                     register_text_checker, register_text_checker_family)


def _lexicon(config: Config, options: Mapping[str, Any]) -> TextChecker:
    from .text.lexicon import LexiconChecker

    return LexiconChecker(config)


def _pii(config: Config, options: Mapping[str, Any]) -> TextChecker:
    from .text.pii import PiiChecker

    return PiiChecker()


def _llm(config: Config, options: Mapping[str, Any]) -> TextChecker:
    """Options of the LLM judge travel under "llm" (model, llm_mode, prompts...); without
    them, as a cascade step of a policy's text_checkers, the config's `llm` section decides."""
    from .llm.judge import JudgeOptions, LLMJudge

    return LLMJudge(config, JudgeOptions.from_options(options.get("llm") or {}, config))


def _aliyun_text(config: Config, options: Mapping[str, Any]) -> TextChecker:
    """Alibaba Cloud Green; options: remote_content_safe_service, remote_confidence_threshold."""
    from .remote.checkers import text_checker

    return text_checker(config, options)


def _aliyun_image(config: Config, options: Mapping[str, Any]) -> ImageChecker:
    from .remote.checkers import image_checker

    return image_checker(config, options)


def _model(name: str, config: Config, options: Mapping[str, Any]) -> ImageChecker:
    """`model:<name>`: any ONNX detector or classifier with its sidecar (see models.py)."""
    from .image.checker import ModelImageChecker

    return ModelImageChecker.named(name, config)


def _text_model(name: str, config: Config, options: Mapping[str, Any]) -> TextChecker:
    """`model:<name>` in text_checkers: an ONNX text classifier with its sidecar and
    tokenizer.json (safety/text/model_spec.py); `textmodel` is the one the pack ships."""
    from .text.classifier import TextClassifierChecker

    return TextClassifierChecker.named(name, config)


def _nudenet(config: Config, options: Mapping[str, Any]) -> ImageChecker:
    """The built-in default: NudeNet's detector from the nudenet wheel (or a user's
    nudenet.onnx with its sidecar in a models folder)."""
    return _model("nudenet", config, options)


register_text_checker("lexicon", _lexicon)
register_text_checker("pii", _pii)
register_text_checker("textmodel", lambda config, options: _text_model("textmodel", config, options))
register_text_checker("llm", _llm)
register_text_checker("aliyun", _aliyun_text)
register_image_checker("aliyun", _aliyun_image)
register_image_checker("nudenet", _nudenet)
register_image_checker_family("model", _model)
register_text_checker_family("model", _text_model)
