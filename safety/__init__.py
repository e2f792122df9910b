"""Content-safety library: pure Python + numpy + onnxruntime, no torch, no ComfyUI."""

from .config import Config, cached_config, load_config
from .decision import ACTIONS, DECISION_HOOKS, STAGES, Decision, DecisionHooks
from .engine import Engine
from .errors import ConfigError, ContentSafetyError, InputError, ProviderError
from .policy import BUILTIN_POLICIES, Policy
from .taxonomy import CATEGORIES
from .verdict import Verdict, combine

__all__ = [
    "ACTIONS", "BUILTIN_POLICIES", "CATEGORIES", "Config", "DECISION_HOOKS", "Decision", "DecisionHooks", "ConfigError", "ContentSafetyError", "Engine",
    "InputError", "Policy", "ProviderError", "STAGES", "Verdict", "cached_config", "combine", "load_config",
]
