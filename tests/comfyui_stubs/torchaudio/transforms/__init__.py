"""Stand-in for torchaudio.transforms (see tests/comfyui_stubs/README.md)."""

from missing_package import attribute


def __getattr__(name: str) -> object:
    return attribute(__name__, name)
