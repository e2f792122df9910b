"""What the torchvision and torchaudio stand-ins share: attributes that import, calls that raise."""

from __future__ import annotations

from typing import Any, NoReturn


class Missing:
    """Any attribute path of a stubbed package; calling it says the package is not installed."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Missing:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return Missing(f"{self._name}.{attr}")

    def __call__(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError(f"{self._name}: {self._name.split('.')[0]} is stubbed in the test ComfyUI "
                           "(tests/comfyui_stubs); this test environment does not install it")

    def __mro_entries__(self, bases: tuple[Any, ...]) -> tuple[type, ...]:
        return (object,)  # `class X(torchaudio.transforms.Y)` still defines X


def attribute(package: str, name: str) -> Missing:
    if name.startswith("__"):
        raise AttributeError(name)
    return Missing(f"{package}.{name}")
