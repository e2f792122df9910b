"""llama.cpp's shared libraries for llama-cpp-python's server, taken prebuilt from the
llama-cpp-py-sync wheel: PyPI has only llama-cpp-python's source, whose llama.cpp build takes
10-40 minutes on two cores. requirements-test.txt pins the py-sync build whose llama.h matches
the one llama-cpp-python binds; llama-cpp-python loads it from LLAMA_CPP_LIB_PATH.

The wheel's libraries were linked against glibc 2.38, but only for the C23 names of strtol,
strtoul, strtoull and sscanf. On an older glibc (Debian 12 has 2.36) the copies here mark that
one version need weak and get those four names from a small C shim (LD_PRELOAD) that calls the
classic functions; they differ only in reading "0b" binary literals, which llama.cpp never parses.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import struct
import subprocess
from pathlib import Path

GLIBC_C23 = (2, 38)
SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2
SHIM_C = r"""
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
long __isoc23_strtol(const char *s, char **e, int b) { return strtol(s, e, b); }
unsigned long __isoc23_strtoul(const char *s, char **e, int b) { return strtoul(s, e, b); }
unsigned long long __isoc23_strtoull(const char *s, char **e, int b) { return strtoull(s, e, b); }
int __isoc23_sscanf(const char *s, const char *f, ...) {
    va_list a; va_start(a, f); int n = vsscanf(s, f, a); va_end(a); return n;
}
"""


def server_env(workdir: Path) -> dict[str, str]:
    """Environment variables that make `python -m llama_cpp.server` load py-sync's libraries."""
    spec = importlib.util.find_spec("llama_cpp_py_sync")
    if spec is None or spec.origin is None:
        raise RuntimeError("llama-cpp-py-sync is not installed: pip install -r requirements-test.txt")
    lib = workdir / "llama_lib"
    lib.mkdir(parents=True, exist_ok=True)
    libs = sorted(Path(spec.origin).parent.glob("lib*.so*"))
    for so in libs:
        shutil.copy2(so, lib / so.name)
    env = {"LLAMA_CPP_LIB_PATH": str(lib)}
    if _glibc() < GLIBC_C23:
        for so in libs:
            _weaken_version_need(lib / so.name, b"GLIBC_%d.%d" % GLIBC_C23)
        env["LD_PRELOAD"] = str(_build_shim(lib))
    return env


def _glibc() -> tuple[int, ...]:
    name, _, version = (os.confstr("CS_GNU_LIBC_VERSION") or "glibc 0.0").partition(" ")
    return tuple(int(x) for x in version.split(".")[:2]) if name == "glibc" else GLIBC_C23


def _elf_hash(name: bytes) -> int:
    h = 0
    for c in name:
        h = ((h << 4) + c) & 0xFFFFFFFF
        h ^= (h & 0xF0000000) >> 24
        h &= 0x0FFFFFFF
    return h


def _weaken_version_need(path: Path, version: bytes) -> None:
    """Flag the need for `version` weak in a 64-bit little-endian ELF's .gnu.version_r, so the
    loader no longer refuses the file when libc lacks that version."""
    data = bytearray(path.read_bytes())
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    wanted = _elf_hash(version)
    for i in range(shnum):
        header = shoff + i * shentsize
        if struct.unpack_from("<I", data, header + 4)[0] != SHT_GNU_VERNEED:
            continue
        need = struct.unpack_from("<Q", data, header + 0x18)[0]
        while True:
            _, count, _, aux_off, next_need = struct.unpack_from("<HHIII", data, need)
            aux = need + aux_off
            for _ in range(count):
                vna_hash, flags, _, _, next_aux = struct.unpack_from("<IHHII", data, aux)
                if vna_hash == wanted:
                    struct.pack_into("<H", data, aux + 4, flags | VER_FLG_WEAK)
                aux += next_aux
            if not next_need:
                break
            need += next_need
    path.write_bytes(data)


def _build_shim(lib: Path) -> Path:
    source, shim = lib / "isoc23_shim.c", lib / "libisoc23_shim.so"
    source.write_text(SHIM_C)
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc:
        raise RuntimeError("a C compiler (cc) is needed to run llama-cpp-py-sync's libraries on glibc < 2.38")
    subprocess.run([cc, "-O2", "-shared", "-fPIC", "-o", str(shim), str(source)], check=True)
    return shim
