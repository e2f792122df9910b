"""The `aliyun` text and image checkers the Engine runs in remote and auto modes."""

from __future__ import annotations

import io
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
from PIL import Image

from ..cache import SharedCache
from ..config import Config
from ..engine import prepare_image
from ..errors import InputError
from ..policy import Policy
from ..verdict import Verdict
from .aliyun import CLIENTS_KEPT, GreenClient, Region, Reply, shared_client
from .credentials import load_credentials
from .labels import Reading, read_classic, read_image, read_plus, scores_and_evidence
from .services import IMAGE, IMAGE_SERVICES, PLUS, TEXT_SERVICES, image_service, text_service
from .upload import Uploader

SERVICE_OPTION = "remote_content_safe_service"
THRESHOLD_OPTION = "remote_confidence_threshold"
COST = 30
MAX_IMAGE_BYTES = 20 * 1024 * 1024  # ImageModeration's size limit
_BOUNDARIES = "\n。！？!?；;.\t ，,"
OVERLAP = 32  # chars repeated across a cut so a phrase on the boundary is seen whole
T = TypeVar("T")


def _utf16_len(text: str) -> int:
    """Services count UTF-16 units; astral characters (emoji) count twice."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def split_text(text: str, limit: int, overlap: int = OVERLAP) -> list[str]:
    """Chunks of at most `limit` UTF-16 units, cut at the last sentence or word boundary
    in the second half of a window; consecutive chunks overlap by `overlap` chars."""
    if not text.strip():
        return []
    chunks: list[str] = []
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        while _utf16_len(text[start:end]) > limit:
            end -= max((_utf16_len(text[start:end]) - limit + 1) // 2, 1)
        if end < len(text):
            window = text[start:end]
            cut = max(window.rfind(b) for b in _BOUNDARIES)
            if cut >= len(window) // 2:
                end = start + cut + 1
        chunks.append(text[start:end])
        if end >= len(text):
            break
        start = max(end - overlap, start + 1)
    return chunks


def _threshold(options: Mapping[str, Any], default: float) -> float:
    value = options.get(THRESHOLD_OPTION, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
        raise InputError(f"{THRESHOLD_OPTION} must be a number from 0 to 100, got {value!r}")
    return float(value)


def _service(options: Mapping[str, Any], default: str, own: tuple[str, ...],
             other: tuple[str, ...]) -> str:
    """The node's service when it is one of this checker's kind (an image node's
    options also reach the text checker factory), else the config's default."""
    choice = options.get(SERVICE_OPTION) or default
    if choice in own:
        return choice
    if choice in other:
        return default
    raise InputError(f"{SERVICE_OPTION}: unknown service {choice!r}; expected one of "
                     f"{', '.join(own)}")


def _client(config: Config) -> GreenClient:
    return shared_client(config.aliyun, load_credentials(config.credentials_file, config.source))


def _parallel(fn: Callable[[Any], T], items: Sequence[Any], workers: int) -> list[T]:
    """One item runs inline (no thread hop on the common path), more in a small pool."""
    if len(items) == 1:
        return [fn(items[0])]
    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        return list(pool.map(fn, items))


class AliyunTextChecker:
    """TextModerationPlus or classic TextModeration; long texts go in parts."""

    cost = COST

    def __init__(self, client: GreenClient, choice: str, threshold: float) -> None:
        self.client = client
        self.service = text_service(choice)
        self.threshold = threshold
        self.provider = f"aliyun:{self.service.api}"
        self._context = {"provider": "aliyun", "api": self.service.api, "service": self.service.name}

    def check_text(self, text: str, policy: Policy) -> Verdict:
        start = time.perf_counter()
        limit = self.client.settings.max_text_chars
        if len(text) > limit:
            raise InputError(f"text is {len(text)} characters; remote checks take at most {limit} "
                             f"(aliyun.max_text_chars in the config)")
        parts = split_text(text, self.service.max_chars)
        if not parts:
            return policy.judge({}, provider=self.provider,
                                evidence=[{**self._context, "note": "empty text, not sent"}])
        deadline = time.monotonic() + policy.timeout_s
        readings = _parallel(lambda part: self._read(part, deadline), parts,
                             self.client.settings.concurrency)
        scores, evidence = scores_and_evidence(readings, self.threshold, self._context)
        return policy.judge(scores, provider=self.provider, evidence=evidence,
                            latency_ms=(time.perf_counter() - start) * 1000)

    def _read(self, part: str, deadline: float) -> Reading:
        api, name = self.service.api, self.service.name
        reply = self.client.call(
            self.provider, lambda region, dl: self.client.moderate(region, api, name, {"content": part}, dl),
            deadline)
        if api == PLUS:
            return Reading(reply.request_id, str(reply.data.get("RiskLevel") or "none"),
                           read_plus(reply.data), reply.region)
        hits, level = read_classic(reply.data)
        return Reading(reply.request_id, level, hits, reply.region)


def encode_image(image: np.ndarray, fmt: str) -> tuple[bytes, str]:
    """PNG (or JPEG) bytes of an HxWx3 uint8 array; JPEG when PNG is over the size limit."""
    picture = Image.fromarray(image, "RGB")
    for kind in ((fmt, "jpeg") if fmt == "png" else (fmt,)):
        buffer = io.BytesIO()
        if kind == "png":
            picture.save(buffer, format="PNG", compress_level=1)
        else:
            picture.save(buffer, format="JPEG", quality=90)
        if buffer.tell() <= MAX_IMAGE_BYTES:
            return buffer.getvalue(), "png" if kind == "png" else "jpg"
    raise InputError(f"image of {image.shape[1]}x{image.shape[0]} is over the service's "
                     f"{MAX_IMAGE_BYTES // 2**20} MB limit even as JPEG")


class AliyunImageChecker:
    """ImageModeration; each image is uploaded (token flow) or published (imageUrl)."""

    cost = COST
    provider = f"aliyun:{IMAGE}"

    def __init__(self, client: GreenClient, service: str, threshold: float) -> None:
        self.client = client
        self.service = image_service(service)
        self.threshold = threshold
        self.uploader = _uploader(client)
        self._context = {"provider": "aliyun", "api": IMAGE, "service": self.service}

    def check_images(self, images: Sequence[np.ndarray], policy: Policy) -> list[Verdict]:
        fmt = self.client.settings.image_format
        encoded = [encode_image(prepare_image(image, i), fmt) for i, image in enumerate(images)]
        return _parallel(lambda item: self._check(item, policy), encoded,
                         self.client.settings.concurrency)

    def _check(self, item: tuple[bytes, str], policy: Policy) -> Verdict:
        start = time.perf_counter()
        data, ext = item
        deadline = time.monotonic() + policy.timeout_s
        located: dict[str, dict[str, str]] = {}  # per region: a retry does not upload again

        def attempt(region: Region, dl: float) -> Reply:
            if region.name not in located:
                located[region.name] = self.uploader.params(region, data, ext, dl)
            params = {**located[region.name], "dataId": uuid.uuid4().hex}
            return self.client.moderate(region, IMAGE, self.service, params, dl)

        reply = self.client.call(self.provider, attempt, deadline)
        reading = Reading(reply.request_id, str(reply.data.get("RiskLevel") or "none"),
                          read_image(reply.data), reply.region)
        scores, evidence = scores_and_evidence([reading], self.threshold, self._context)
        return policy.judge(scores, provider=self.provider, evidence=evidence,
                            latency_ms=(time.perf_counter() - start) * 1000)


_uploaders: SharedCache[Uploader] = SharedCache(CLIENTS_KEPT)


def _uploader(client: GreenClient) -> Uploader:
    """One uploader (token cache, OSS connection pool) per shared client."""
    uploader, _ = _uploaders.get_or_call(client, lambda: Uploader(client))
    return uploader


def text_checker(config: Config, options: Mapping[str, Any]) -> AliyunTextChecker:
    settings = config.aliyun
    choice = _service(options, settings.text_service, TEXT_SERVICES, IMAGE_SERVICES)
    return AliyunTextChecker(_client(config), choice, _threshold(options, settings.confidence_threshold))


def image_checker(config: Config, options: Mapping[str, Any]) -> AliyunImageChecker:
    settings = config.aliyun
    choice = _service(options, settings.image_service, IMAGE_SERVICES, TEXT_SERVICES)
    return AliyunImageChecker(_client(config), choice, _threshold(options, settings.confidence_threshold))
