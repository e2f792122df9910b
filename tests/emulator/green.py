"""An emulator of Alibaba Cloud Green (content moderation, API 2022-03-02) on loopback.

It verifies every request's signature (ACS3-HMAC-SHA256 or RPC HMAC-SHA1, see acs.py),
serves TextModerationPlus, TextModeration, ImageModeration and DescribeUploadToken with
the documented response shapes, and injects faults on demand. Its "model" is a fixed
table of trigger words (text) and dominant colours (images) so tests know the answer.
"""

from __future__ import annotations

import io
import json
import threading
import time
import urllib.request
import uuid
from collections import Counter, deque
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import numpy as np
from PIL import Image

from .acs import Keyring, Rejection
from .oss import OssEmulator
from .server import LoopbackServer, Request, Response

VERSION = "2022-03-02"
PLUS_SERVICES = {"ai_art_detection", "llm_query_moderation", "llm_response_moderation",
                 "chat_detection_pro", "comment_detection_pro", "nickname_detection_pro",
                 "ad_compliance_detection_pro", "ugc_moderation_byllm", "aigc_moderation_byllm"}
CLASSIC_SERVICES = {"nickname_detection", "chat_detection", "comment_detection",
                    "ad_compliance_detection", "pgc_detection", "ai_art_detection"}
IMAGE_SERVICES = {"baselineCheck", "baselineCheck_pro", "baselineCheck_cb", "tonalityImprove",
                  "aigcCheck", "profilePhotoCheck", "postImageCheck", "advertisingCheck",
                  "liveStreamCheck", "riskDetection"}
LIMITS = {"TextModerationPlus": 2000, "TextModeration": 600}
# trigger -> (Plus label, confidence, classic label)
TEXT_RULES: dict[str, tuple[str, float, str]] = {
    "badword-porn": ("pornographic_adult", 92.0, "sexual_content"),
    "badword-gamble": ("contraband_gambling", 75.0, "contraband"),
    "badword-insult": ("inappropriate_profanity", 64.0, "profanity"),
    "mildly-suggestive": ("sexual_suggestive", 35.0, "sexual_content"),
    "buy-now-at": ("pt_to_sites", 81.0, "ad"),
}
ATTACK_TRIGGER = "ignore previous instructions"
PII_TRIGGER = "id card 110101199003074518"
FAULTS = ("read_timeout", "drop", "http_throttle", "http_429", "http_500", "http_503",
          "http_403", "code_400", "code_408", "code_500", "code_581", "code_588", "malformed")


@dataclass
class Call:
    action: str
    signature: str  # "ACS3-HMAC-SHA256" or "HMAC-SHA1"
    params: dict[str, Any]
    access_key_id: str
    fault: str | None
    request_id: str


def _json(status: int, payload: dict[str, Any], request_id: str, **headers: str) -> Response:
    return Response(status, {"Content-Type": "application/json;charset=utf-8",
                             "x-acs-request-id": request_id, **headers},
                    json.dumps(payload, ensure_ascii=False).encode())


class GreenEmulator:
    def __init__(self, region: str = "cn-shanghai", *, oss: OssEmulator | None = None,
                 token_ttl_s: float = 3600.0) -> None:
        self.region = region
        self.keyring = Keyring()
        self.oss = oss
        self.token_ttl_s = token_ttl_s
        self.calls: list[Call] = []
        self.actions: Counter[str] = Counter()
        self.rejections: list[Rejection] = []
        self._faults: deque[tuple[str, str | None, float]] = deque()
        self._lock = threading.Lock()
        self.server = LoopbackServer(self.handle)

    # --- control --------------------------------------------------------------------

    @property
    def address(self) -> str:
        return self.server.address

    def start(self) -> GreenEmulator:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def inject(self, fault: str, times: int = 1, *, action: str | None = None, delay_s: float = 1.0) -> None:
        """The next `times` requests (of `action`, if given) get `fault`."""
        assert fault in FAULTS, fault
        with self._lock:
            self._faults.extend([(fault, action, delay_s)] * times)

    def _take_fault(self, action: str) -> tuple[str, float] | None:
        with self._lock:
            for i, (fault, only, delay) in enumerate(self._faults):
                if only is None or only == action:
                    del self._faults[i]
                    return fault, delay
        return None

    # --- HTTP -----------------------------------------------------------------------

    def handle(self, req: Request) -> Response:
        rid = str(uuid.uuid4()).upper()
        try:
            if req.method != "POST" or req.path != "/":
                raise Rejection(404, "InvalidAction.NotFound", "Specified api is not found.")
            if req.header("authorization"):
                identity, action = self.keyring.verify_acs3(req)
                params = dict(parse_qsl(req.body.decode("utf-8"), keep_blank_values=True))
                version, signature = req.header("x-acs-version"), "ACS3-HMAC-SHA256"
            else:
                identity, action, params = self.keyring.verify_rpc(req)
                version, signature = params.get("Version", ""), "HMAC-SHA1"
            if version != VERSION:
                raise Rejection(400, "InvalidVersion", "Specified parameter Version is not valid.")
        except Rejection as rej:
            with self._lock:
                self.rejections.append(rej)
            return _json(rej.status, {"RequestId": rid, "HostId": req.header("host"), "Code": rej.code,
                                      "Message": rej.message,
                                      "Recommend": f"https://api.aliyun.com/troubleshoot?q={rej.code}"
                                                   f"&product=Green&requestId={rid}"}, rid)
        picked = self._take_fault(action)
        fault = picked[0] if picked else None
        with self._lock:
            self.calls.append(Call(action, signature, params, identity.access_key_id, fault, rid))
            self.actions[action] += 1
        if picked:
            return self._fault(picked[0], picked[1], action, params, rid, req)
        return self._serve(action, params, rid)

    def _fault(self, fault: str, delay: float, action: str, params: dict[str, Any], rid: str,
               req: Request) -> Response:
        if fault == "read_timeout":
            response = self._serve(action, params, rid)
            response.delay_s = delay
            return response
        if fault == "drop":
            return Response(drop=True)
        if fault == "malformed":
            return Response(200, {"Content-Type": "application/json;charset=utf-8"},
                            b'{"Code": 200, "Data": {"Result": [')
        if fault.startswith("code_"):
            code = int(fault[5:])
            messages = {400: "Bad request: invalid parameter", 408: "Permission denied",
                        500: "Internal error", 581: "Timeout", 588: "Exceed quota"}
            key = "Message" if action.startswith("Text") else "Msg"
            return _json(200, {"Code": code, key: messages[code], "RequestId": rid}, rid)
        status, code, message, extra = {
            "http_throttle": (400, "Throttling.User", "Request was denied due to user flow control.", {}),
            "http_429": (429, "Throttling", "Request was denied due to flow control.",
                         {"x-acs-retry-after": "50"}),
            "http_500": (500, "InternalError", "The request processing has failed due to some "
                                               "unknown error.", {}),
            "http_503": (503, "ServiceUnavailable", "The request has failed due to a temporary "
                                                    "failure of the server.", {}),
            "http_403": (403, "Forbidden.RAM", "User not authorized to operate on the specified "
                                               "resource.", {}),
        }[fault]
        return _json(status, {"RequestId": rid, "HostId": req.header("host"), "Code": code,
                              "Message": message}, rid, **extra)

    # --- operations -----------------------------------------------------------------------

    def _serve(self, action: str, params: dict[str, Any], rid: str) -> Response:
        handler = {"TextModerationPlus": self._text_plus, "TextModeration": self._text_classic,
                   "ImageModeration": self._image, "DescribeUploadToken": self._upload_token}.get(action)
        if handler is None:
            return _json(404, {"RequestId": rid, "Code": "InvalidAction.NotFound",
                               "Message": "Specified api is not found."}, rid)
        try:
            return _json(200, {**handler(params), "RequestId": rid}, rid)
        except ValueError as exc:  # a parameter problem: HTTP 200, body Code 400
            key = "Message" if action.startswith("Text") else "Msg"
            return _json(200, {"Code": 400, key: str(exc), "RequestId": rid}, rid)

    @staticmethod
    def _content(params: dict[str, Any], action: str, services: set[str]) -> tuple[str, dict[str, Any]]:
        if params.get("Service") not in services:
            raise ValueError(f"Service {params.get('Service')!r} is not supported")
        try:
            sp = json.loads(params.get("ServiceParameters") or "")
        except ValueError:
            raise ValueError("ServiceParameters is not a JSON string") from None
        content = sp.get("content") if isinstance(sp, dict) else None
        if not isinstance(content, str) or not content.strip():
            raise ValueError("content is empty")
        if len(content) > LIMITS[action]:
            raise ValueError(f"content is longer than {LIMITS[action]} characters")
        return content, sp

    def _text_plus(self, params: dict[str, Any]) -> dict[str, Any]:
        content, _ = self._content(params, "TextModerationPlus", PLUS_SERVICES)
        lower = content.lower()
        results = [{"Label": label, "Confidence": conf, "RiskWords": word,
                    "Description": f"emulated {label}"}
                   for word, (label, conf, _) in TEXT_RULES.items() if word in lower]
        data: dict[str, Any] = {"Result": results or [{"Label": "nonLabel", "Description": "No risk"}]}
        top = max((r["Confidence"] for r in results), default=0.0)
        if ATTACK_TRIGGER in lower:
            data["AttackLevel"] = "high"
            data["AttackResult"] = [{"Label": "Jailbreak", "Confidence": 96.0, "AttackLevel": "high",
                                     "Description": "prompt attack"}]
            top = max(top, 96.0)
        if PII_TRIGGER in lower:
            data["SensitiveLevel"] = "S3"
            data["SensitiveResult"] = [{"Label": "1780", "SensitiveLevel": "S3",
                                        "SensitiveData": ["110101199003074518"],
                                        "Description": "ID card number"}]
        data["RiskLevel"] = "high" if top >= 80 else "medium" if top >= 50 else "low" if top else "none"
        return {"Code": 200, "Data": data, "Message": "OK"}

    def _text_classic(self, params: dict[str, Any]) -> dict[str, Any]:
        content, _ = self._content(params, "TextModeration", CLASSIC_SERVICES)
        lower = content.lower()
        hits = [(word, classic) for word, (_, _, classic) in TEXT_RULES.items() if word in lower]
        labels = ",".join(dict.fromkeys(classic for _, classic in hits))
        reason = json.dumps({"riskTips": labels, "riskWords": ",".join(w for w, _ in hits)}) if hits else ""
        return {"Code": 200, "Message": "OK",
                "Data": {"labels": labels, "reason": reason, "dataId": params.get("dataId", "")}}

    def _image(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("Service") not in IMAGE_SERVICES:
            raise ValueError(f"Service {params.get('Service')!r} is not supported")
        sp = json.loads(params.get("ServiceParameters") or "{}")
        if "imageUrl" in sp:
            try:
                with urllib.request.urlopen(sp["imageUrl"], timeout=2) as resp:  # noqa: S310 - loopback
                    raw = resp.read()
            except OSError:
                raise ValueError("image download failed") from None
        elif self.oss is not None and "ossObjectName" in sp:
            raw = self.oss.objects.get((sp.get("ossBucketName"), sp["ossObjectName"]))
            if raw is None:
                raise ValueError("image download failed: no such OSS object")
        else:
            raise ValueError("one of imageUrl or ossBucketName/ossObjectName is required")
        try:
            pixels = np.asarray(Image.open(io.BytesIO(raw)).convert("RGB"), dtype=np.float32)
        except OSError:
            raise ValueError("image format is not supported") from None
        r, g, b = pixels.reshape(-1, 3).mean(axis=0)
        result: list[dict[str, Any]] = []
        if r > 180 and g < 80 and b < 80:
            result.append({"Label": "violent_bloody", "Confidence": 95.0, "RiskLevel": "high",
                           "Description": "emulated blood"})
        elif r > 180 and b > 180 and g < 80:
            result.append({"Label": "pornographic_adultContent", "Confidence": 91.0,
                           "RiskLevel": "high", "Description": "emulated nudity"})
        data = {"DataId": sp.get("dataId", ""), "RiskLevel": "high" if result else "none",
                "Result": result or [{"Label": "nonLabel", "Description": "No risk"}]}
        return {"Code": 200, "Data": data, "Msg": "OK"}

    def _upload_token(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.oss is None:
            raise ValueError("upload is not enabled")
        key_id, secret, token = self.oss.issue_token()
        return {"Code": 200, "Msg": "OK", "Data": {
            "AccessKeyId": key_id, "AccessKeySecret": secret, "SecurityToken": token,
            "BucketName": self.oss.bucket, "FileNamePrefix": "upload/emulator/",
            "OssInternetEndPoint": self.oss.address, "OssInternalEndPoint": self.oss.address,
            "Expiration": int(time.time() + self.token_ttl_s)}}
