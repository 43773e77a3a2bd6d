#!/usr/bin/env bash
# Kills the real server with SIGKILL at random moments while a client loops adapter uploads, activations,
# rollbacks and deletes, restarts it each time and checks the adapter store after every restart: the server
# becomes ready, no temporary or half-deleted entry is left, every version's files match its SHA256SUMS, no
# adapter is in state "failed", and every listed version activates and serves (a transcription, or a translation
# for a translation adapter).
# Usage: scripts/faults/kill-during-upload.sh [kills (default 20)] [seed (default 1)]. The seed fixes the changes
# the client picks and the moments of the kills, so a failing run can be repeated (the server's own timing still
# varies). Needs a build (dotnet build src/Serving; SPEECHSERVE_CONFIGURATION=Release for a Release build), curl,
# espeak-ng and /usr/bin/python3. Exit status 0 only when every check after every restart passed. The test suite
# runs 3 kills with seed 7 (tests/Serving.Tests/Admin/KillDuringUploadScriptTests.cs).
set -euo pipefail

kills=${1:-20}
seed=${2:-1}
[[ $kills =~ ^[0-9]+$ && $seed =~ ^[0-9]+$ ]] || { echo "usage: $0 [kills] [seed]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
server_dll="$root/src/Serving/bin/${SPEECHSERVE_CONFIGURATION:-Debug}/net10.0/SpeechServe.Serving.dll"
model_dir="$root/models/speechfm-en-small"
key="kill-test-admin-key"
work=$(mktemp -d "${TMPDIR:-/tmp}/speechserve-kill-XXXXXX")
store="$work/store"
mkdir -p "$store"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
server_pid=""
loop_pid=""

cleanup() {
  [[ -n "$loop_pid" ]] && kill "$loop_pid" 2>/dev/null || true
  [[ -n "$server_pid" ]] && kill -9 "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

[[ -f "$server_dll" ]] || fail "$server_dll not found; run dotnet build src/Serving first."
model_id=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$model_dir/model.json")
names=()
declare -A endpoint
for adapter in "$model_dir"/adapters/*/; do
  name=$(basename "$adapter")
  names+=("$name")
  kind=$(/usr/bin/python3 -c 'import json,os,sys; d=sys.argv[1]; v=sorted(os.listdir(d), key=int)[-1]; print(json.load(open(os.path.join(d, v, "adapter_config.json")))["kind"])' "$adapter")
  endpoint[$name]=$([[ $kind == translation ]] && echo translations || echo transcriptions)
  /usr/bin/python3 - "$adapter" "$work/$name.zip" <<'PY'
import os, sys, zipfile
version = sorted(os.listdir(sys.argv[1]), key=int)[-1]
directory = os.path.join(sys.argv[1], version)
with zipfile.ZipFile(sys.argv[2], "w") as z:
    for f in sorted(os.listdir(directory)):
        if f != "SHA256SUMS":
            z.write(os.path.join(directory, f), f)
PY
done
espeak-ng -w "$work/speech.wav" "Please call me back tomorrow morning."

start_server() {
  Serving__ModelsPath="$root/models" Adapters__StorePath="$store" Admin__ApiKey="$key" \
    dotnet "$server_dll" --urls "$base" >>"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "$base/readyz" && return 0
    kill -0 "$server_pid" 2>/dev/null || fail "the server exited during start-up; its log:\n$(tail -n 40 "$work/server.log")"
    sleep 0.1
  done
  fail "the server was not ready within 60 s; its log:\n$(tail -n 40 "$work/server.log")"
}

admin() { curl -s --max-time 20 -H "Authorization: Bearer $key" "$@"; }

# One random change after another, until killed; $1 seeds the choices.
change_loop() {
  RANDOM=$1
  while true; do
    name=${names[RANDOM % ${#names[@]}]}
    case $((RANDOM % 6)) in
      0|1) admin -o /dev/null -X PUT -H "Content-Type: application/zip" --data-binary "@$work/$name.zip" "$base/admin/adapters/$name" ;;
      2) admin -o /dev/null -X PUT -H "Content-Type: application/zip" --data-binary "@$work/$name.zip" "$base/admin/adapters/$name?activate=false" ;;
      3) admin -o /dev/null -X POST -H 'Content-Type: application/json' -d "{\"version\":$((RANDOM % 4 + 1))}" "$base/admin/adapters/$name/activate" ;;
      4) admin -o /dev/null -X POST "$base/admin/adapters/$name/rollback" ;;
      5) [[ $((RANDOM % 3)) == 0 ]] && admin -o /dev/null -X DELETE "$base/admin/adapters/$name" ;;
    esac || true
  done
}

check_store() {
  local leftovers
  leftovers=$(find "$store" -name '*.tmp-*' -o -name '.deleted-*' 2>/dev/null | wc -l)
  [[ "$leftovers" == 0 ]] || fail "temporary or half-deleted entries after start-up: $(find "$store" -name '*.tmp-*' -o -name '.deleted-*')"
  for version in "$store/$model_id"/*/[0-9]*/; do
    [[ -d "$version" ]] || continue
    [[ -f "$version/SHA256SUMS" ]] || fail "$version has no SHA256SUMS"
    (cd "$version" && sha256sum --quiet -c SHA256SUMS) || fail "$version does not match its SHA256SUMS"
  done
  admin "$base/admin/adapters" >"$work/list.json"
  /usr/bin/python3 - "$work/list.json" >"$work/versions" <<'PY' || fail "an adapter is in state failed or has no version: $(cat "$work/list.json")"
import json, sys
adapters = json.load(open(sys.argv[1]))["adapters"]
for a in adapters:
    if a["state"] == "failed" or not a["versions"]:
        sys.exit(1)
    for v in a["versions"]:
        print(a["name"], v)
PY
  while read -r name version; do
    status=$(admin -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "{\"version\":$version}" "$base/admin/adapters/$name/activate")
    [[ "$status" == 200 ]] || fail "activating $name version $version answered $status"
    served=$(curl -s --max-time 60 -D - -o /dev/null -F "file=@$work/speech.wav" -F "model=$name" "$base/v1/audio/${endpoint[$name]}" | tr -d '\r' | awk 'tolower($1)=="x-speechserve-adapter:" {print $2}')
    [[ "$served" == "$name@$version" ]] || fail "$name version $version on /v1/audio/${endpoint[$name]} was served by '$served'"
    checked=$((checked + 1))
  done <"$work/versions"
}

checked=0
found_leftovers=0
for kill in $(seq 1 "$kills"); do
  start_server
  check_store
  change_loop $((seed * 1000 + kill)) &
  loop_pid=$!
  sleep "$(/usr/bin/python3 -c 'import random, sys; print(round(random.Random(int(sys.argv[1])).uniform(0.2, 3.0), 2))' $((seed * 1000 + kill)))"
  kill -9 "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  kill "$loop_pid"
  wait "$loop_pid" 2>/dev/null || true
  loop_pid=""
  left=$(find "$store" -name '*.tmp-*' -o -name '.deleted-*' 2>/dev/null | wc -l)
  found_leftovers=$((found_leftovers + left))
  echo "kill $kill: SIGKILL sent; $left temporary entries left for start-up recovery; $(find "$store/$model_id" -mindepth 2 -maxdepth 2 -name '[0-9]*' 2>/dev/null | wc -l) versions on disk"
done
start_server
check_store
kill -9 "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""
echo "PASS: seed $seed, $kills kills, $((kills + 1)) restarts, $checked version checks (activate + serve), $found_leftovers temporary entries left by kills and removed at start-up."
