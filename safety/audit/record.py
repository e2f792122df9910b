"""One audit record per Decision: the columns the report and quotas query, and a detail
JSON with the rest. With `privacy: hash` the text and every piece of evidence that quotes
it (matched terms, risk words, masked PII, model replies, the error's copy of them)
become SHA-256."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from ..decision import Decision
from ..errors import CHECK_FAILED, QUOTA_EXCEEDED
from .chain import canonical, sha256_hex

# errors whose reason the pack words from levels, categories and counts alone; any other
# (a provider's failure) may quote a model's reply
PLAIN_REASONS = (CHECK_FAILED, QUOTA_EXCEEDED)
BLOCKING_ACTIONS = ("raised", "substituted", "blocked", "censored")
# evidence keys holding words of the checked text (or a model's reply quoting it): matched
# terms, Green's risk words and raw reason, masked PII values (part of the number), LLM
# replies and the parse errors that quote them
TEXT_EVIDENCE_KEYS = frozenset({"term", "lexicon", "terms", "matched", "text", "reason", "reply",
                                "raw", "snippet", "prompt", "trusted_user", "risk_words", "raw_reason",
                                "value", "parse_error"})
COLUMNS = ("id", "time", "stage", "action", "policy", "mode", "level", "categories", "providers",
           "user", "client_id", "prompt_id", "node_id", "remote_addr", "latency_ms", "text",
           "text_sha256", "labelled", "artifacts", "detail")


def hashed(value: Any) -> Any:
    if isinstance(value, str):
        return "sha256:" + sha256_hex(value)
    if isinstance(value, (list, tuple)):
        return [hashed(v) for v in value]
    return value


def _evidence(item: Mapping[str, Any], privacy: str) -> dict[str, Any]:
    if privacy != "hash":
        return dict(item)
    return {k: hashed(v) if k in TEXT_EVIDENCE_KEYS else v for k, v in item.items()}


def _error(error: Mapping[str, Any] | None, privacy: str) -> dict[str, Any] | None:
    """The run's JSON error repeats the evidence, and a provider's reason may quote a reply."""
    if error is None or privacy != "hash":
        return dict(error) if error else None
    evidence = [_evidence(e, privacy) if isinstance(e, Mapping) else hashed(e) for e in error.get("evidence") or ()]
    reason = error.get("reason")
    return {**error, "reason": reason if error.get("code") in PLAIN_REASONS else hashed(reason), "evidence": evidence}


def _verdicts(decision: Decision, privacy: str) -> list[dict[str, Any]]:
    out = []
    for verdict in decision.verdicts:
        data = verdict.to_dict()
        data["evidence"] = [_evidence(e, privacy) for e in verdict.evidence]
        out.append(data)
    return out


def _json_safe(value: Any) -> Any:
    """Evidence may hold numpy numbers or tuples: one canonical JSON form for hashing."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=_default))


def _default(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return str(value)


def build_record(decision: Decision, privacy: str, artifacts: str) -> dict[str, Any]:
    """The row to append (without seq and chain hashes)."""
    verdict = decision.verdict
    text = decision.text
    detail = _json_safe({
        "verdicts": _verdicts(decision, privacy),
        "outputs": list(decision.outputs),
        "inputs": list(decision.inputs),
        "labels": [dict(x) for x in decision.labels],
        "error": _error(decision.error, privacy),
    })
    return {
        "id": uuid.uuid4().hex,
        "time": round(float(decision.time), 6),
        "stage": decision.stage,
        "action": decision.action,
        "policy": decision.policy,
        "mode": decision.mode,
        "level": verdict.level,
        "categories": ",".join(verdict.categories),
        "providers": ",".join(dict.fromkeys(p for v in decision.verdicts
                                            for p in v.provider.split("+") if p)),
        "user": decision.user,
        "client_id": decision.client_id,
        "prompt_id": decision.prompt_id,
        "node_id": str(decision.node_id),
        "remote_addr": decision.remote_addr,
        "latency_ms": float(round(decision.latency_ms, 3)),
        "text": text if privacy == "full" else None,
        "text_sha256": sha256_hex(text) if text is not None else None,
        "labelled": decision.labelled,
        "artifacts": artifacts,
        "detail": canonical(detail).decode("utf-8"),
    }


_SIZED = {"id": 32, "text_sha256": 64, "artifacts": 64}  # VARCHAR lengths PostgreSQL enforces


def is_record(value: Any) -> bool:
    """What `build_record` makes: every column, each of its type (a spooled line is checked
    before it reaches the store, where one bad value would fail every later record)."""
    if not isinstance(value, dict) or any(key not in value for key in COLUMNS):
        return False
    for key in COLUMNS:
        item = value[key]
        if key in ("time", "latency_ms"):
            ok = isinstance(item, (int, float)) and not isinstance(item, bool)
        elif key == "labelled":
            ok = item is None or isinstance(item, bool)
        else:
            ok = isinstance(item, str) or (key in ("text", "text_sha256") and item is None)
        if not ok or (isinstance(item, str) and len(item) > _SIZED.get(key, len(item))):
            return False
    return True


def is_block(row: Mapping[str, Any]) -> bool:
    """Content was stopped: raised, replaced, withheld or censored."""
    return row["action"] in BLOCKING_ACTIONS
