"""Content-safety library: pure Python + numpy + onnxruntime, no torch, no ComfyUI.

This is the API the nodes (and other callers) use; the submodules are its implementation.
"""

from . import models
from .audit_rows import AUDIT_FILTERS, read_audit_rows
from .audit.quota import QuotaState, quota_error, quota_state
from .audit.trail import AuditError, AuditTrail, open_store as open_audit_store
from .checkers import BUILTIN_CHECKERS, CHECKERS, CheckerTable, ImageChecker, Row, Setup, TextChecker
from .config import Config, cached_config, config_path, load_config
from .decision import ACTIONS, DECISION_HOOKS, STAGES, Decision, DecisionHooks, HookError, action_for
from .engine import CHECK_MODES, Engine, Step
from .errors import ConfigError, ContentSafetyError, InputError, ProviderError
from .image.decode import IMAGE_SUFFIXES, Frame, decode_image
from .image.frames import combine_frames, per_frame, sample, sample_per_second
from .image.placeholder import placeholder
from .image.quarantine import check_outside, quarantine, quarantine_file
from .image.substitute import substitute
from .labels import (
    Provenance,
    incoming_label,
    inspect_file,
    label_summary,
    labelled,
    save_labelled,
)
from .policy import BUILTIN_POLICIES, Policy
from .settings.audit import AuditSettings, default_audit_settings
from .settings.aliyun_services import IMAGE_SERVICES, TEXT_SERVICES
from .settings.checks import CheckOptions, RemoteOptions
from .settings.image import ImageSettings
from .settings.labels import LabelConfig, LabelSettings
from .settings.llm import JUDGE_FORMATS, LLM_MODES, JudgeOptions
from .status import status_report
from .taxonomy import CATEGORIES
from .verdict import Finding, Verdict, combine

__all__ = [
    "ACTIONS", "AUDIT_FILTERS", "CHECK_MODES", "read_audit_rows", "status_report", "AuditError", "AuditSettings", "AuditTrail", "open_audit_store", "QuotaState", "default_audit_settings",
    "quota_error", "quota_state", "BUILTIN_CHECKERS", "BUILTIN_POLICIES", "CATEGORIES", "CHECKERS", "CheckOptions", "CheckerTable",
    "Config", "ConfigError", "ContentSafetyError", "DECISION_HOOKS", "Decision", "DecisionHooks", "Engine",
    "Finding", "Frame", "HookError", "IMAGE_SERVICES", "IMAGE_SUFFIXES", "ImageChecker", "ImageSettings",
    "InputError", "JUDGE_FORMATS", "JudgeOptions", "LLM_MODES", "LabelConfig", "LabelSettings", "Policy",
    "Provenance", "incoming_label", "inspect_file", "label_summary", "labelled", "save_labelled", "ProviderError", "RemoteOptions",
    "Row", "STAGES", "Setup", "Step", "TEXT_SERVICES", "TextChecker", "Verdict", "action_for", "cached_config",
    "check_outside", "combine", "combine_frames", "config_path", "decode_image", "load_config", "models",
    "per_frame", "placeholder", "quarantine", "quarantine_file", "sample", "sample_per_second", "substitute",
]
