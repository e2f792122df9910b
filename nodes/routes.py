"""HTTP routes of the pack on ComfyUI's server (also under /api, as ComfyUI serves every route):

GET  /content_safety/status  what is set up: providers, credentials present (never values),
                             models with SHA-256, policies, label and audit settings
POST /content_safety/check   a text (JSON) or an uploaded image (multipart) through the same
                             Engine the nodes use, so a client can pre-check a prompt
GET  /content_safety/audit   audit rows; off unless server.audit_token is set, then only
                             with that token (Authorization: Bearer ...)

Every answer is JSON, errors included: {"error": {"code", "message"}} or, when a check
itself failed and the policy fails closed, the node's error contract.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from aiohttp import web

from ..safety import (
    AUDIT_FILTERS,
    CHECK_MODES,
    DECISION_HOOKS,
    AuditError,
    Config,
    ConfigError,
    ContentSafetyError,
    Decision,
    Engine,
    HookError,
    InputError,
    ProviderError,
    Verdict,
    action_for,
    combine_frames,
    decode_image,
    per_frame,
    read_audit_rows,
    status_report,
)
from .audit import audit_settings, audit_store
from .comfy import request_origin
from .common import config

PREFIX = "/content_safety"
FIELDS = ("policy", "check_mode")  # the form fields beside the image; others are not read
MAX_FIELD_BYTES = 4096
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


def json_errors(handler: Handler) -> Handler:
    """Bad input and config errors as JSON, never an HTML traceback page."""
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except ContentSafetyError as exc:  # a provider failed and the policy fails closed
            return web.json_response({"error": exc.payload}, status=502)
        except (InputError, ConfigError) as exc:
            return error(400, "config_error" if isinstance(exc, ConfigError) else "bad_request", str(exc))
        except web.HTTPRequestEntityTooLarge as exc:
            return error(413, "too_large", exc.text or "request body too large")
        except Exception:  # a bug: logged with its traceback, answered without it
            logging.exception("content_safety_guard: %s %s failed", request.method, request.path)
            return error(500, "internal_error", "the check failed unexpectedly; see ComfyUI's log")
    return wrapped


async def status(_request: web.Request) -> web.Response:
    def report_now() -> dict[str, Any]:
        cfg = config()
        return status_report(cfg, audit_settings(cfg))

    report = await asyncio.get_running_loop().run_in_executor(None, report_now)
    return web.json_response(report)


def _options(cfg: Config, fields: dict[str, Any]) -> tuple[str, str]:
    policy = str(fields.get("policy") or cfg.default_policy)
    mode = str(fields.get("check_mode") or "local")
    if mode not in CHECK_MODES:
        raise InputError(f"check_mode must be one of {', '.join(CHECK_MODES)}, got {mode!r}")
    cfg.policy(policy)  # unknown policy: a ConfigError that lists the known ones
    return policy, mode


def _engine(cfg: Config, policy: str, mode: str) -> Engine:
    return Engine(cfg.policy(policy), cfg, mode=mode)


def _text_check(cfg: Config, text: Any, policy: str, mode: str,
                user: str) -> tuple[Verdict, list[dict[str, Any]]]:
    limit = cfg.server.max_text_chars
    if not isinstance(text, str):
        raise InputError(f"text: expected a string, got {type(text).__name__}")
    if len(text) > limit:
        raise InputError(f"text: {len(text)} characters, more than server.max_text_chars={limit}")
    try:
        return _engine(cfg, policy, mode).check_text(text, user=user), []
    except (ProviderError, ConfigError) as exc:  # e.g. remote without credentials: fails closed
        raise ContentSafetyError.from_exception(exc, stage="text") from None


def _image_check(cfg: Config, data: bytes, name: str, policy: str, mode: str,
                 user: str) -> tuple[Verdict, list[dict[str, Any]]]:
    frames = decode_image(data, cfg.image, name=name)
    try:
        verdicts = _engine(cfg, policy, mode).check_frames(((f.index, f.rgb) for f in frames),
                                                           chunk=cfg.image.batch_size, user=user)
    except (ProviderError, ConfigError) as exc:
        raise ContentSafetyError.from_exception(exc, stage="image") from None
    return combine_frames(verdicts), per_frame(verdicts)


async def _read_image(request: web.Request, limit: int) -> tuple[bytes, str, dict[str, Any]]:
    fields: dict[str, Any] = {}
    data, name = b"", ""
    async for part in await request.multipart():
        if part.name == "image":
            name = part.filename or "upload"
            chunks, size = [], 0
            while chunk := await part.read_chunk():
                size += len(chunk)
                if size > limit:
                    raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=size,
                                                        text=f"image: more than server.max_image_mb ({limit} bytes)")
                chunks.append(chunk)
            data = b"".join(chunks)
        elif part.name in FIELDS:
            fields[part.name] = await _field(part)
    if not data:
        raise InputError("multipart body without an 'image' file part")
    return data, name, fields


async def _field(part: Any) -> str:
    """A form field, read only up to MAX_FIELD_BYTES: it names a policy or a mode."""
    data = b""
    while chunk := await part.read_chunk():
        data += chunk
        if len(data) > MAX_FIELD_BYTES:
            raise web.HTTPRequestEntityTooLarge(max_size=MAX_FIELD_BYTES, actual_size=len(data),
                                                text=f"{part.name}: more than {MAX_FIELD_BYTES} bytes")
    return bytes(part.decode(data)).decode(part.get_charset(default="utf-8"))


async def _read_body(request: web.Request, limit: int) -> bytes:
    """The body, refused as soon as it passes `limit`: a chunked upload declares no length."""
    too_large = web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=request.content_length or limit + 1,
                                              text=f"body: more than {limit} bytes (server.max_text_chars)")
    if (request.content_length or 0) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.content.iter_chunked(1 << 16):
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _record(decision: Decision, text: Any) -> None:
    try:
        DECISION_HOOKS.emit(decision)
    except HookError as exc:  # e.g. the audit store refused the row: no answer without a record
        raise ContentSafetyError.from_exception(exc, stage="image" if text is None else "text") from None


async def check(request: web.Request) -> web.Response:
    loop = asyncio.get_running_loop()
    user, remote_addr = request_origin(request)
    cfg = config()  # one version of the config for the whole request
    if request.content_type.startswith("multipart/"):
        data, name, fields = await _read_image(request, cfg.server.max_image_bytes)
        policy, mode = _options(cfg, fields)
        text = None
        run = partial(_image_check, cfg, data, name, policy, mode, user)
    else:
        limit = 4 * cfg.server.max_text_chars + 4096  # UTF-8 and JSON escapes of the longest text
        body, charset = await _read_body(request, limit), request.charset or "utf-8"
        try:
            fields = json.loads(body.decode(charset))  # in the declared charset, as request.json() reads
        except LookupError:
            raise InputError(f"body: unknown charset {charset!r} in the Content-Type") from None
        except ValueError as exc:  # not JSON, or not in its charset
            what = exc.msg if isinstance(exc, json.JSONDecodeError) else f"not {charset.upper()}"
            raise InputError(f"body: not JSON ({what}); send {{\"text\": ...}} or a multipart image") from None
        if not isinstance(fields, dict) or "text" not in fields:
            raise InputError("body: expected a JSON object with 'text' (or a multipart upload with 'image')")
        policy, mode = _options(cfg, fields)
        text = fields["text"]
        run = partial(_text_check, cfg, text, policy, mode, user)
    decision = partial(Decision, stage="api", policy=policy, mode=mode, user=user, remote_addr=remote_addr,
                       text=text)
    try:
        verdict, frames = await loop.run_in_executor(None, run)
    except ContentSafetyError as exc:  # refused (no credentials, a provider down): recorded, fails closed
        _record(decision(action="error", error=exc.payload), text)
        raise
    _record(decision(action=action_for(verdict, "blocked"), verdicts=(verdict,)), text)
    body: dict[str, Any] = {"verdict": verdict.to_dict(), "is_safe": verdict.is_safe,
                            "blocked": verdict.blocked, "policy": policy}
    if frames:
        body["frames"] = frames
    return web.json_response(body)


def _token(request: web.Request) -> str:
    auth = request.headers.get("Authorization", "")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else ""


async def audit(request: web.Request) -> web.Response:
    cfg = config()
    expected = cfg.server.token()
    if expected is None:
        return error(403, "audit_disabled", "the audit route is off: set server.audit_token in the config "
                                            "(or COMFY_CONTENT_SAFETY_AUDIT_TOKEN)")
    if not hmac.compare_digest(_token(request).encode(), expected.encode()):
        return error(401, "unauthorized", "send the audit token as 'Authorization: Bearer <token>'")
    try:
        limit = int(request.query.get("limit", "100"))
    except ValueError:
        raise InputError(f"limit: expected an integer, got {request.query['limit']!r}") from None
    limit = max(1, min(limit, cfg.server.max_audit_rows))
    filters = {k: request.query[k] for k in AUDIT_FILTERS if request.query.get(k)}

    def read() -> list[dict[str, Any]] | None:
        store = audit_store(cfg)
        return None if store is None else read_audit_rows(store, limit=limit, filters=filters)

    try:
        rows = await asyncio.get_running_loop().run_in_executor(None, read)
    except AuditError as exc:  # the store is unreachable; its URL is shown without a password
        return error(503, "audit_unavailable", str(exc))
    if rows is None:
        return error(501, "audit_off", "no audit store is configured")
    return web.json_response({"rows": rows, "limit": limit, "filters": filters})


def register(table: web.RouteTableDef) -> None:
    """Adds the routes to ComfyUI's route table (PromptServer.instance.routes)."""
    table.get(f"{PREFIX}/status")(json_errors(status))
    table.post(f"{PREFIX}/check")(json_errors(check))
    table.get(f"{PREFIX}/audit")(json_errors(audit))
