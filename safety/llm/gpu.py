"""Free GPU memory, read from nvidia-smi (no torch): whether a local model still fits."""

from __future__ import annotations

import shutil
import subprocess

_QUERY = ("--query-gpu=memory.free", "--format=csv,noheader,nounits")


def free_gpu_mib(timeout: float = 5.0) -> list[int] | None:
    """Free MiB per visible NVIDIA GPU; None when no GPU is visible (no nvidia-smi, no driver)."""
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, *_QUERY], capture_output=True, text=True, timeout=timeout, check=True)
    except (OSError, subprocess.SubprocessError):
        return None  # a broken driver shows no usable GPU
    values = [int(v) for v in (line.strip() for line in out.stdout.splitlines()) if v.isdigit()]
    return values or None
