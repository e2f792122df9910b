"""Content-safety library: pure Python + numpy + onnxruntime, no torch, no ComfyUI."""

from .config import Config, cached_config, load_config
from .engine import Engine
from .errors import ConfigError, ContentSafetyError, InputError, ProviderError
from .policy import BUILTIN_POLICIES, Policy
from .taxonomy import CATEGORIES
from .verdict import Verdict, combine

__all__ = [
    "BUILTIN_POLICIES", "CATEGORIES", "Config", "ConfigError", "ContentSafetyError", "Engine",
    "InputError", "Policy", "ProviderError", "Verdict", "cached_config", "combine", "load_config",
]
