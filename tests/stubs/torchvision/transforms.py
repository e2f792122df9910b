"""Test stub (see tests/stubs/README.md)."""
from _missing import Missing


def __getattr__(name: str) -> Missing:
    return Missing(f"torchvision.transforms.{name}")
