#!/usr/bin/env bash
# Peer comparison of SpeechServe against sherpa-onnx on the shipped model (docs/sherpa-onnx.md; a section of docs/benchmarks.md).
# Installs this folder's npm packages (sherpa-onnx-node and its native build), builds the exporter and
# the server in Release, then runs peer.mjs; extra arguments go to it (--threads, --server-threads, --concurrency, --rounds, --model).
# Prints a markdown section on stdout; progress on stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
command -v espeak-ng >/dev/null && command -v ffmpeg >/dev/null || { echo "peer: espeak-ng and ffmpeg are required (scripts/setup.sh)" >&2; exit 1; }
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
dotnet build -c Release "$root/src/Export" -v quiet -nologo >&2
dotnet build -c Release "$root/src/Serving" -v quiet -nologo >&2
# sherpa-onnx decodes on libuv's pool (4 threads by default): enough threads that every decode in flight runs at once.
export UV_THREADPOOL_SIZE="${UV_THREADPOOL_SIZE:-16}"
exec node "$here/peer.mjs" "$@"
