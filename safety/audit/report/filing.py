"""The appendix for a deep-synthesis filing (算法备案 / 深度合成备案): the safety measures
as the live config sets them, so the filing and the running service cannot drift apart."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...config import Config
from ...errors import ConfigError
from ...files import sha256_file
from ..fingerprints import lexicon_paths, model_paths
from ...settings.audit import AuditSettings, mask_url

# which node checks what, and which checker list of the policy it runs
STAGES = (
    ("Prompt text 提示词", "ContentSafetyTextCheck", "text_checkers", "remote_text_checkers"),
    ("LLM judge 大模型审核", "ContentSafetyLLMJudge", "llm", "llm"),
    ("Images mid-graph / video frames 生成中图像与视频帧", "ContentSafetyImageCheck", "image_checkers",
     "remote_image_checkers"),
    ("Images before saving 保存前图像", "ContentSafetySaveImage", "image_checkers", "remote_image_checkers"),
    ("Uploaded images 上传图像", "ContentSafetyLoadImage", "image_checkers", "remote_image_checkers"),
)


@dataclass(frozen=True)
class Table:
    title: str  # English and Chinese
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]


def _stages(config: Config) -> Table:
    rows = []
    for name, policy in config.policies.items():
        for stage, node, local, remote in STAGES:
            if local == "llm":
                rows.append((name, stage, node, f"local: {config.llm.local_model}", f"remote: {config.llm.remote_model}"))
                continue
            rows.append((name, stage, node, ", ".join(getattr(policy, local)) or "-",
                         ", ".join(getattr(policy, remote)) or "-"))
    return Table("Checks per stage 各环节检查", ("policy 策略", "stage 环节", "node 节点",
                                             "local checkers 本地检查", "remote checkers 云端检查"), rows)


def _count_terms(path: Path) -> int:
    from ...text.combos import is_combo_file, parse_combos
    from ...text.lexicon import parse_lexicon

    return len(parse_combos(path)) if is_combo_file(path.name) else len(parse_lexicon(path))


def _files(config: Config, find: Callable[[Config, str], list[Path]], what: str) -> list[tuple[str, str]]:
    """(file, first policy using it) over every policy; a file that cannot be found is listed
    with the reason instead."""
    found: dict[str, str] = {}
    for name in config.policies:
        try:
            for path in find(config, name):
                found.setdefault(str(path), name)
        except ConfigError as exc:
            found.setdefault(f"({what} of policy {name}: {exc})", name)
    return list(found.items())


def _all_models(config: Config, policy: str) -> list[Path]:
    return model_paths(config, policy, "text") + model_paths(config, policy, "image")


def _lexicons(config: Config) -> Table:
    rows = []
    for path, _ in _files(config, lexicon_paths, "lexicons"):
        p = Path(path)
        if not p.is_file():
            rows.append((path, "-", "-"))
            continue
        rows.append((p.name if p.parent.name == "lexicon_data" else path, _count_terms(p), sha256_file(p)))
    total = sum(r[1] for r in rows if isinstance(r[1], int))
    rows.append(("total 合计", total, ""))
    return Table("Lexicons 词库", ("file 文件", "entries 条目", "SHA-256"), rows)


def _models(config: Config) -> Table:
    rows = []
    for path, policy in _files(config, _all_models, "models"):
        p = Path(path)
        rows.append((path, policy, sha256_file(p) if p.is_file() else "-"))
    rows.append(("Aliyun Green 阿里云内容安全", "remote", f"text: {config.aliyun.text_service}; "
                 f"image: {config.aliyun.image_service}; region: {config.aliyun.region}"))
    rows.append(("LLM judge 大模型", "local/remote", f"{config.llm.local_api}:{config.llm.local_model}; "
                 f"{config.llm.remote_model}"))
    return Table("Models 模型", ("file or service 文件或服务", "policy 策略", "SHA-256 / settings 设置"), rows)


def _policies(config: Config) -> Table:
    rows = [(p.name, ", ".join(sorted(p.block)), ", ".join(sorted(p.review)), p.threshold,
             "open 放行" if p.fail_open else "closed 拦截", p.quota_per_hour or "-")
            for p in config.policies.values()]
    return Table("Policies 策略", ("policy 策略", "blocks 拦截类别", "review 复核类别", "threshold 阈值",
                                   "on provider failure 服务失败时", "prompts per user and hour 每用户每小时"), rows)


def _shown(name: str, value: Any) -> Any:
    """A time-stamp server's URL may carry credentials (user:password@, ?password=)."""
    return mask_url(value) if name == "tsa_url" and value else value


def _label_value(value: Any) -> Any:
    if dataclasses.is_dataclass(value):  # C2PA: which certificate and algorithm, never the key file
        return ", ".join(f"{f.name}={_shown(f.name, getattr(value, f.name))}" for f in dataclasses.fields(value)
                         if f.name != "private_key")
    return value


def _labels(config: Config) -> Table:
    """The global label settings, then what each policy changes."""
    labels = config.labels
    default = labels.default
    rows: list[tuple[str, Any]] = [(f.name, _label_value(getattr(default, f.name)))
                                   for f in dataclasses.fields(default)]
    for name, own in labels.policies.items():
        changed = [f"{f.name}={_label_value(getattr(own, f.name))}" for f in dataclasses.fields(own)
                   if getattr(own, f.name) != getattr(default, f.name)]
        if changed:
            rows.append((f"policy {name}", "; ".join(changed)))
    return Table("AIGC labels 生成合成内容标识 (GB 45438-2025)", ("setting 设置", "value 值"), rows)


def _audit(settings: AuditSettings, signed: bool, rows: int) -> Table:
    return Table("Audit trail and retention 日志留存", ("setting 设置", "value 值"), (
        ("store 存储", settings.display_url),
        ("records 记录数", rows),
        ("retention 留存", f"{settings.retention_days} days 天"),
        ("privacy 隐私", "SHA-256 of texts only 仅存文本哈希" if settings.privacy == "hash" else "full text 全文"),
        ("on store failure 存储失败时", settings.on_failure),
        ("tamper evidence 防篡改", f"SHA-256 hash chain; Ed25519 checkpoint every {settings.checkpoint_every} rows"
                                   if signed else "SHA-256 hash chain; no signing key configured 未配置签名密钥"),
    ))


def filing_tables(config: Config, settings: AuditSettings, signed: bool, rows: int) -> list[Table]:
    return [_stages(config), _policies(config), _lexicons(config), _models(config), _labels(config),
            _audit(settings, signed, rows)]
