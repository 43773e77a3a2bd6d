#!/usr/bin/env bash
# Soak test: starts the real server (Release build) with the shipped reference model on a free loopback port,
# drives it with bench/Soak (REST transcriptions and translations, real-time streams, adapter hot swaps) for a fixed time while
# sampling its resident memory, prints the report and stops the server whatever happens.
#
#   bench/soak.sh [--duration-s 600] [--warmup-s 120] [other bench/Soak options]
#
# Adapter uploads go to a scratch copy of the adapter store (Adapters:StorePath), never into models/. The
# server's log and the report are kept in the scratch directory when the run fails (its path is printed).
# Exit status: that of bench/Soak (0 when every target is met), or 1 when setup fails or the server logs an
# error.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

duration_s=600
for ((i = 1; i < $#; i++)); do
    [ "${!i}" = "--duration-s" ] && { next=$((i + 1)); duration_s=${!next}; }
done

model_id=speechfm-en-small
work=$(mktemp -d "${TMPDIR:-/tmp}/speechserve-soak.XXXXXX")
server_pid=
keep_work=1

stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        # The host waits up to Streaming:ShutdownGraceSeconds (10) for open streams.
        for _ in $(seq 1 30); do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=
}

cleanup() {
    stop_server
    if [ "$keep_work" = 0 ]; then
        rm -rf "$work"
    else
        echo "soak: server log and report kept in $work" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "soak: building the server and the soak client (Release)"
for project in src/Serving bench/Soak; do
    dotnet build "$project" -c Release -v quiet -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
done
server_dir=src/Serving/bin/Release/net10.0
client_dll=$repo/bench/Soak/bin/Release/net10.0/speechserve-soak.dll

echo "soak: synthesising speech with espeak-ng in $work/wav"
mkdir -p "$work/wav"
espeak-ng -w "$work/wav/a-22k.wav" "Please schedule a follow up visit for next Tuesday morning. The patient reports mild headaches."
espeak-ng -w "$work/wav/b.wav" "The quick brown fox jumps over the lazy dog, then it rests for a while under the old oak tree."
espeak-ng -w "$work/wav/c.wav" "Turn left at the next corner and keep going until you see the station on your right."
sox "$work/wav/b.wav" -r 16000 "$work/wav/b-16k.wav" && rm "$work/wav/b.wav"
sox "$work/wav/c.wav" -r 8000 "$work/wav/c-8k.wav" && rm "$work/wav/c.wav"
# Held-out sentences of the translation grammar (training/data/translation_grammar.py) for translate-de/-es.
mkdir -p "$work/wav-translate"
espeak-ng -v de -w "$work/wav-translate/de-1.wav" "die frau will morgens mein fenster tragen"
espeak-ng -v de -w "$work/wav-translate/de-2.wav" "morgen will ich ein pferd im park rufen"
espeak-ng -v es -w "$work/wav-translate/es-1.wav" "el hermano puede jugar en la ciudad"
espeak-ng -v es -w "$work/wav-translate/es-2.wav" "un profesor puede tener un ratón"

# A scratch adapter store holding the shipped versions; uploads during the run land here.
mkdir -p "$work/store"
cp -r "models/$model_id/adapters" "$work/store/$model_id"

port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
admin_key=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
url=http://127.0.0.1:$port

echo "soak: starting the server on $url"
# exec keeps the server's pid that of the background job, so VmRSS is read from the server itself; the
# working directory is the build output so that its appsettings.json applies.
(
    cd "$server_dir"
    export DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
    # As scripts/serve.sh and the Dockerfile run it.
    export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
    export Serving__ModelsPath="$repo/models" Adapters__StorePath="$work/store" Admin__ApiKey="$admin_key"
    exec dotnet SpeechServe.Serving.dll --urls "$url"
) >"$work/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 240); do
    kill -0 "$server_pid" 2>/dev/null || { echo "soak: the server exited before it was ready:" >&2; tail -40 "$work/server.log" >&2; exit 1; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz" || true)" = 200 ] && break
    sleep 0.5
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz" || true)" = 200 ] || { echo "soak: the server was not ready within 120 s" >&2; exit 1; }

status=0
timeout --kill-after=30 $((duration_s + 300)) \
    dotnet "$client_dll" --url "$url" --pid "$server_pid" --wav-dir "$work/wav" --admin-key "$admin_key" \
    --adapter-dir "$work/store/$model_id/telephony/1" --translation-wav-dir "$work/wav-translate" "$@" | tee "$work/report.txt" || status=$?
stop_server

# Warnings are expected (e.g. no wwwroot); errors and critical entries are not.
errors=$(grep -cE '^(fail|crit):' "$work/server.log" || true)
if [ "$errors" -gt 0 ]; then
    echo "soak: FAIL: the server logged $errors error entries:"
    grep -A3 -E '^(fail|crit):' "$work/server.log" | head -60
    status=1
else
    echo "soak: the server logged no errors"
fi

[ "$status" = 0 ] && keep_work=0
exit "$status"
