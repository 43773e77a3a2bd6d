#!/usr/bin/env bash
# Sets up the machine and runs the server with the bundled reference model on 127.0.0.1:8080
# (pass --urls http://HOST:PORT to change it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# glibc otherwise gives each thread that runs the encoder its own malloc arena (up to 8 per core) and the
# resident memory creeps up for minutes under steady load (docs/reliability.md, "Soak"). It must be set
# before the process starts.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec dotnet run --project src/Serving -c Release -- "$@"
