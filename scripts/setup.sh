#!/usr/bin/env bash
# Installs what building, serving and testing need on a Debian 12 machine with the .NET 10 SDK and
# Node.js: Debian packages (Python with torch and onnx, OpenBLAS, espeak-ng, sox, ffmpeg, Chromium;
# for the training data the text sources and Festival's voices, training/data/README.md; PostgreSQL and
# nginx for the local cluster, scripts/cluster.sh) and the npm
# packages the end-to-end tests use. Idempotent: installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(python3-torch python3-onnx python3-numpy libopenblas0-openmp espeak-ng sox ffmpeg fortunes chromium
    fortune-anarchism wordnet-base dict-gcide dict-devil festival festvox-kallpc16k festvox-kdlpc16k
    postgresql nginx)
missing=()
for package in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "setup: installing Debian packages: ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: Node.js 20 with npm is required (npm not on PATH)" >&2; exit 1; }

if [ -f tests/e2e/package.json ] && [ ! -d tests/e2e/node_modules ]; then
    echo "setup: installing npm packages for the end-to-end tests"
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
