"""The `aliyun` text and image checkers the Engine runs in remote and auto modes."""

from __future__ import annotations

import io
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
from PIL import Image

from ..cache import SharedCache
from ..config import Config
from ..errors import InputError
from ..settings.checks import RemoteCheckSettings
from ..verdict import Finding
from .aliyun import CLIENTS_KEPT, GreenClient, Region, Reply, shared_client
from .credentials import load_credentials
from .labels import Reading, read_classic, read_image, read_plus, scores_and_evidence
from ..settings.aliyun_services import IMAGE, PLUS, image_service, text_service
from .upload import Uploader

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


def client(config: Config) -> GreenClient:
    """The shared client of the config's `aliyun` section and the credentials."""
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

    def __init__(self, client: GreenClient, settings: RemoteCheckSettings) -> None:
        self.client = client
        self.service = text_service(settings.service)
        self.threshold = settings.confidence_threshold
        self.timeout_s = settings.timeout_s
        self.provider = f"aliyun:{self.service.api}"
        self._context = {"provider": "aliyun", "api": self.service.api, "service": self.service.name}

    def check_text(self, text: str) -> Finding:
        start = time.perf_counter()
        limit = self.client.settings.max_text_chars
        if len(text) > limit:
            raise InputError(f"text is {len(text)} characters; remote checks take at most {limit} "
                             f"(aliyun.max_text_chars in the config)")
        parts = split_text(text, self.service.max_chars)
        if not parts:
            return Finding(provider=self.provider, evidence=({**self._context, "note": "empty text, not sent"},))
        deadline = self.client.clock() + self.timeout_s
        readings = _parallel(lambda part: self._read(part, deadline), parts,
                             self.client.settings.concurrency)
        scores, evidence = scores_and_evidence(readings, self.threshold, self._context)
        return Finding(scores, self.provider, tuple(evidence), (time.perf_counter() - start) * 1000)

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

    def __init__(self, client: GreenClient, settings: RemoteCheckSettings) -> None:
        self.client = client
        self.service = image_service(settings.service)
        self.threshold = settings.confidence_threshold
        self.timeout_s = settings.timeout_s
        self.uploader = _uploader(client)
        self._context = {"provider": "aliyun", "api": IMAGE, "service": self.service}

    def check_images(self, images: Sequence[np.ndarray]) -> list[Finding]:
        fmt = self.client.settings.image_format
        encoded = [encode_image(image, fmt) for image in images]
        return _parallel(self._check, encoded, self.client.settings.concurrency)

    def _check(self, item: tuple[bytes, str]) -> Finding:
        start = time.perf_counter()
        data, ext = item
        deadline = self.client.clock() + self.timeout_s
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
        return Finding(scores, self.provider, tuple(evidence), (time.perf_counter() - start) * 1000)


_uploaders: SharedCache[Uploader] = SharedCache(CLIENTS_KEPT)


def _uploader(client: GreenClient) -> Uploader:
    """One uploader (token cache, OSS connection pool) per shared client."""
    uploader, _ = _uploaders.get_or_call(client, lambda: Uploader(client))
    return uploader
