"""Test stub (see tests/stubs/README.md)."""
from _missing import Missing

__version__ = "0.0.0+stub"


def __getattr__(name: str) -> Missing:
    return Missing(f"torchaudio.{name}")
