"""Optional features whose packages the pack's runtime requirements leave out (PostgreSQL
audit store, report charts): a clear error naming the pip package when one is missing,
instead of an ImportError from deep inside SQLAlchemy or the report."""

from __future__ import annotations

import importlib

from .errors import ConfigError

# module: (pip requirement, extra of content-safety-guard)
OPTIONAL = {"psycopg": ("psycopg[binary]", "postgresql"), "matplotlib": ("matplotlib", "report")}


def require(module: str, feature: str) -> None:
    """Raise ConfigError naming what to install when `module` cannot be imported."""
    try:
        importlib.import_module(module)
    except ImportError:
        pip, extra = OPTIONAL[module]
        raise ConfigError(f"{feature} needs the optional package {pip!r}, which is not installed: "
                          f"pip install '{pip}' (or: pip install 'content-safety-guard[{extra}]')") from None
