"""Attributes of the stub packages: importable, failing when used."""


class Missing:
    def __init__(self, name: str) -> None:
        self.name = name

    def __getattr__(self, attr: str) -> "Missing":
        return Missing(f"{self.name}.{attr}")

    def __call__(self, *args: object, **kwargs: object) -> None:
        raise RuntimeError(f"{self.name}: torchvision/torchaudio are stubbed in the test environment")
