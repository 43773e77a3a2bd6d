#!/usr/bin/env bash
# Sets up the machine and runs the server with the bundled reference model on 127.0.0.1:8080
# (pass --urls http://HOST:PORT to change it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec dotnet run --project src/Serving -c Release -- "$@"
