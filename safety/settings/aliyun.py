"""The `aliyun` section of the config file: where and how to reach Alibaba Cloud Green.

No secrets live here: credentials come from the environment or the credentials file
(see `credentials.py`), never from the config file or node widgets.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..schema import Section
from .aliyun_services import image_service, text_service

NETWORKS = ("public", "vpc")
PROTOCOLS = ("https", "http")
SIGNATURES = ("ACS3-HMAC-SHA256", "HMAC-SHA1")
OSS_SIGNATURES = ("v4", "v1")
IMAGE_FORMATS = ("png", "jpeg")
_REGION = re.compile(r"^[a-z]{2,}(-[a-z0-9]+)+$")


@dataclass(frozen=True)
class AliyunSettings:
    region: str = "cn-shanghai"
    endpoint: str | None = None  # host[:port]; None derives it from region and network
    network: str = "public"
    protocol: str = "https"
    connect_timeout_s: float = 3.0
    read_timeout_s: float = 10.0
    retries: int = 2
    backoff_initial_s: float = 0.2
    backoff_max_s: float = 2.0
    fallback_region: str | None = None
    fallback_endpoint: str | None = None
    signature: str = "ACS3-HMAC-SHA256"
    text_service: str = "ai_art_detection"
    image_service: str = "baselineCheck"
    confidence_threshold: float = 0.0
    max_text_chars: int = 20_000
    concurrency: int = 4
    image_format: str = "png"
    oss_signature: str = "v4"
    public_url_base: str | None = None
    public_dir: str | None = None

    def endpoint_for(self, region: str, endpoint: str | None) -> str:
        """Green's regional endpoint: green-cip[-vpc].<region>.aliyuncs.com (international
        regions such as ap-southeast-1 follow the same pattern)."""
        if endpoint:
            return endpoint
        suffix = "-vpc" if self.network == "vpc" else ""
        return f"green-cip{suffix}.{region}.aliyuncs.com"

    @property
    def primary(self) -> tuple[str, str]:
        return self.region, self.endpoint_for(self.region, self.endpoint)

    @property
    def fallback(self) -> tuple[str, str] | None:
        if not (self.fallback_region or self.fallback_endpoint):
            return None
        region = self.fallback_region or self.region
        return region, self.endpoint_for(region, self.fallback_endpoint)


def _region(sec: Section, key: str, default: str | None) -> str | None:
    value = sec.get(key, str, default)
    if value is not None and not _REGION.match(value):
        raise sec.fail(key, f"not a region id such as cn-shanghai or ap-southeast-1, got {value!r}")
    return value


def _endpoint(sec: Section, key: str) -> str | None:
    value = sec.get(key, str, None)
    if value is not None and ("/" in value or not value.strip() or " " in value):
        raise sec.fail(key, f"expected host[:port] without scheme or path, got {value!r}")
    return value


def _service(sec: Section, key: str, default: str, resolve) -> str:
    value = sec.get(key, str, default)
    try:
        resolve(value)
    except ValueError as exc:
        raise sec.fail(key, str(exc)) from None
    return value


def parse_aliyun(sec: Section, base: Path) -> AliyunSettings:
    """Read the `aliyun` section; every key is optional."""
    d = AliyunSettings()
    public_dir = sec.get("public_dir", str, None)
    public_url_base = sec.get("public_url_base", str, None)
    if public_url_base is not None and not re.match(r"^https?://", public_url_base):
        raise sec.fail("public_url_base", f"expected an http(s):// URL, got {public_url_base!r}")
    if (public_dir is None) != (public_url_base is None):
        raise sec.fail("public_url_base" if public_dir else "public_dir",
                       "public_url_base and public_dir go together: images written to "
                       "public_dir must be reachable at public_url_base")
    settings = AliyunSettings(
        region=_region(sec, "region", d.region) or d.region,
        endpoint=_endpoint(sec, "endpoint"),
        network=sec.get_choice("network", NETWORKS, d.network),
        protocol=sec.get_choice("protocol", PROTOCOLS, d.protocol),
        connect_timeout_s=sec.get_number("connect_timeout_s", d.connect_timeout_s, 0.01, 120.0),
        read_timeout_s=sec.get_number("read_timeout_s", d.read_timeout_s, 0.01, 600.0),
        retries=int(sec.get_number("retries", d.retries, 0, 10)),
        backoff_initial_s=sec.get_number("backoff_initial_s", d.backoff_initial_s, 0.0, 30.0),
        backoff_max_s=sec.get_number("backoff_max_s", d.backoff_max_s, 0.0, 120.0),
        fallback_region=_region(sec, "fallback_region", None),
        fallback_endpoint=_endpoint(sec, "fallback_endpoint"),
        signature=sec.get_choice("signature", SIGNATURES, d.signature),
        text_service=_service(sec, "text_service", d.text_service, text_service),
        image_service=_service(sec, "image_service", d.image_service, image_service),
        confidence_threshold=sec.get_number("confidence_threshold", d.confidence_threshold, 0.0, 100.0),
        max_text_chars=int(sec.get_number("max_text_chars", d.max_text_chars, 1, 10_000_000)),
        concurrency=int(sec.get_number("concurrency", d.concurrency, 1, 64)),
        image_format=sec.get_choice("image_format", IMAGE_FORMATS, d.image_format),
        oss_signature=sec.get_choice("oss_signature", OSS_SIGNATURES, d.oss_signature),
        public_url_base=public_url_base.rstrip("/") + "/" if public_url_base else None,
        public_dir=str((base / os.path.expanduser(public_dir)).resolve()) if public_dir else None,
    )
    sec.done()
    return settings
