"""Stand-in for torchvision inside the test ComfyUI only (see tests/comfyui_stubs/README.md)."""

from missing_package import attribute

__version__ = "0.0.0+stub"


def __getattr__(name: str) -> object:
    return attribute(__name__, name)
