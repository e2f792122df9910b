"""One audit record per Decision: the columns the report and quotas query, and a detail
JSON with the rest. With `privacy: hash` the text and every matched term become SHA-256."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from ..decision import Decision
from .chain import canonical, sha256_hex

BLOCKING_ACTIONS = ("raised", "substituted", "blocked", "censored")
# evidence keys holding words of the checked text (or a model's reply quoting it)
TEXT_EVIDENCE_KEYS = frozenset({"term", "lexicon", "terms", "matched", "text", "reason", "reply",
                                "raw", "snippet", "prompt", "trusted_user"})
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
        "error": dict(decision.error) if decision.error else None,
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


def is_block(row: Mapping[str, Any]) -> bool:
    """Content was stopped: raised, replaced, withheld or censored."""
    return row["action"] in BLOCKING_ACTIONS
