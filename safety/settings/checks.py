"""The typed settings each built-in checker gets: what it needs of the config, the policy
and the calling node, and nothing else (no checker sees the whole policy or config)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import InputError
from .aliyun_services import IMAGE_SERVICES, TEXT_SERVICES
from .llm import JudgeOptions, LLMSettings

SERVICE_WIDGET = "remote_content_safe_service"
THRESHOLD_WIDGET = "remote_confidence_threshold"


@dataclass(frozen=True)
class RemoteOptions:
    """A node's Alibaba Cloud widgets; None leaves the config's default. A text node sets
    `text_service`, an image node `image_service`: no checker guesses which was meant."""

    text_service: str | None = None
    image_service: str | None = None
    confidence_threshold: float | None = None

    def __post_init__(self) -> None:
        for value, services in ((self.text_service, TEXT_SERVICES), (self.image_service, IMAGE_SERVICES)):
            if value is not None and value not in services:
                raise InputError(f"{SERVICE_WIDGET}: unknown service {value!r}; expected one of "
                                 f"{', '.join(services)}")
        value = self.confidence_threshold
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or not 0 <= value <= 100):
            raise InputError(f"{THRESHOLD_WIDGET} must be a number from 0 to 100, got {value!r}")


@dataclass(frozen=True)
class CheckOptions:
    """A node's per-run choices for the checkers of its engine (never secrets)."""

    remote: RemoteOptions = field(default_factory=RemoteOptions)
    llm: JudgeOptions | None = None  # None: the config's `llm` section decides


@dataclass(frozen=True)
class LexiconSettings:
    dirs: tuple[str, ...] = ()        # the config's lexicon_dirs (and ComfyUI's lexicons folders)
    files: tuple[str, ...] = ()       # the policy's own lexicon files
    allow_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class PiiSettings:
    rules: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RemoteCheckSettings:
    service: str
    confidence_threshold: float  # 0-100: a remote label below it does not count
    timeout_s: float = 10.0      # for one item, retries included


@dataclass(frozen=True)
class JudgeSettings:
    options: JudgeOptions
    llm: LLMSettings
    credentials_file: str | None = None
    config_source: str = ""
    timeout_s: float = 10.0  # when the options name none
    unparsed: str = "error"  # a reply that is no verdict: error | controversial


@dataclass(frozen=True)
class ImageModelSettings:
    batch_size: int = 16
    label_thresholds: Mapping[str, float] = field(default_factory=dict)
    threads: int = 1  # ONNX session threads (0 = one per core); image.threads
    spinning: bool = False  # image.spinning
