#!/usr/bin/env bash
# Installs what the tests need on a fresh machine, then runs them.
# llama-cpp-python (the real LLM server of the LLM judge tests) builds from source:
# GGML_NATIVE=OFF avoids CPU-specific instructions that crashed on these machines.
set -euo pipefail
cd "$(dirname "$0")/.."
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}"
python -m pip install -q -r requirements-test.txt
python -m pytest "$@"
