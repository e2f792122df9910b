#!/usr/bin/env bash
# The README's test command (.ci/run runs exactly this): installs what the tests need, then
# runs them. Every install step is idempotent and quick when its packages are already there.
#
#   1. Debian packages (root or sudo): PostgreSQL server binaries (the audit tests start a
#      private cluster), exiftool (label tests), a small CJK font and Chromium (browser tests).
#   2. npm devDependencies from package-lock.json (playwright-core; it drives /usr/bin/chromium
#      and never downloads a browser).
#   3. Python: requirements-test.txt plus the requirements of the ComfyUI checkout the
#      integration tests start (COMFYUI_DIR, default ../shared/comfyui), with torch pinned to
#      the local CPU build; torchvision/torchaudio are not installed (only CUDA builds exist
#      on the registry here): tests/comfyui_stubs stands in for them inside ComfyUI only.
#      llama-cpp-python installs without compiling llama.cpp (LLAMA_BUILD=OFF); its server
#      runs on the prebuilt libraries of llama-cpp-py-sync (tests/llama_native.py).
#   4. python -m pytest "$@"; a run that collects no test fails.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(postgresql libimage-exiftool-perl fonts-wqy-microhei chromium)
COMFYUI_DIR="${COMFYUI_DIR:-$(cd .. && pwd)/shared/comfyui}"
export COMFYUI_DIR

started=$SECONDS
step() {  # step NAME COMMAND...: runs a step and prints how long it took
    local name=$1 t0=$SECONDS status=0
    shift
    "$@" || status=$?
    echo "test.sh: $name took $((SECONDS - t0)) s" >&2
    return "$status"
}

system_packages() {
    local missing=() p
    for p in "${SYSTEM_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null || { echo "test.sh: install as root: ${missing[*]}" >&2; return 1; }
        sudo=(sudo)
    fi
    echo "test.sh: apt-get install ${missing[*]}" >&2
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

npm_packages() {
    # node_modules is rebuilt only when package-lock.json changed since the last install
    if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        npm ci --no-audit --no-fund --loglevel=error
    fi
}

python_packages() {
    local comfy_reqs=()
    if [ -f "$COMFYUI_DIR/requirements.txt" ]; then
        # ComfyUI's own list, less torch (pinned below) and what needs a CUDA build of torchvision
        grep -vE '^\s*(torch|torchvision|torchaudio|spandrel)\s*$' "$COMFYUI_DIR/requirements.txt" \
            > "${TMPDIR:-/tmp}/comfyui-requirements.txt"
        comfy_reqs=(-r "${TMPDIR:-/tmp}/comfyui-requirements.txt")
    elif [ "${CI:-}" = true ]; then
        echo "test.sh: no ComfyUI at COMFYUI_DIR=$COMFYUI_DIR; CI runs the integration tests" >&2
        return 1
    fi
    CMAKE_ARGS="${CMAKE_ARGS:--DLLAMA_BUILD=OFF -DLLAVA_BUILD=OFF}" \
        python -m pip install -q --disable-pip-version-check --root-user-action=ignore -r requirements-test.txt "${comfy_reqs[@]}" \
        -c scripts/constraints.txt
}

step "system packages" system_packages
step "npm packages" npm_packages
step "python packages" python_packages
# Debian keeps initdb and pg_ctl out of PATH
for pg_bin in /usr/lib/postgresql/*/bin; do [ -d "$pg_bin" ] && PATH="$PATH:$pg_bin"; done
export PATH

rc=0
step "tests" python -m pytest "$@" || rc=$?
echo "test.sh: total $((SECONDS - started)) s" >&2
if [ "$rc" -eq 5 ]; then
    echo "test.sh: pytest collected no test; that is a failure" >&2
    exit 1
fi
exit "$rc"
