#!/usr/bin/env bash
# Long-audio memory: the server's peak resident memory (VmHWM) while it transcribes one long recording with the
# shipped reference model, for each length given, each on a fresh server. The recording is espeak-ng speech:
# eight sentences separated by 1.5 s of silence, repeated to the length and sent as 24 kbit/s Opus (30 minutes
# fit the 25 MiB body limit). Prints one line per length: minutes, peak RSS after a warm-up request, peak RSS
# after the long request, its wall time, and the number of verbose_json segments.
#
#   bench/long-audio.sh [minutes ...]     (default: 5 30)
#
# Needs a built server (dotnet build src/Serving), espeak-ng, sox, ffmpeg, curl and python3. Extra server
# settings go in the environment, e.g. Serving__LongAudioSeconds=100000 for the whole-utterance path.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
lengths=("$@")
[ ${#lengths[@]} -gt 0 ] || lengths=(5 30)

work=$(mktemp -d "${TMPDIR:-/tmp}/speechserve-long-audio.XXXXXX")
server_pid=
stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=
}
trap 'stop_server; rm -rf "$work"' EXIT

sentences=(
    "The patient reports mild headaches in the morning and feels better after lunch."
    "Please schedule a follow up visit for next Tuesday."
    "The weather service expects heavy rain along the coast tonight."
    "We will meet at the station at half past eight."
    "The committee approved the budget for the new library."
    "Turn left at the second light and park behind the bakery."
    "Our quarterly sales grew faster than the market expected."
    "Remember to water the plants before you leave on holiday."
)
sox -n -r 16000 -c 1 "$work/pause.wav" trim 0 1.5
parts=()
for i in "${!sentences[@]}"; do
    espeak-ng -w "$work/raw-$i.wav" "${sentences[$i]}"
    sox "$work/raw-$i.wav" -r 16000 -c 1 "$work/s-$i.wav"
    parts+=("$work/s-$i.wav" "$work/pause.wav")
done
sox "${parts[@]}" "$work/block.wav"
block_s=$(soxi -D "$work/block.wav")
sox "$work/block.wav" "$work/warmup.wav" trim 0 10

port_free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
hwm_mib() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status"; }

printf '%8s %16s %16s %10s %9s\n' minutes warm_peak_MiB long_peak_MiB seconds segments
for minutes in "${lengths[@]}"; do
    repeats=$(python3 -c "import math; print(math.ceil($minutes * 60 / $block_s))")
    ffmpeg -hide_banner -loglevel error -y -stream_loop "$((repeats - 1))" -i "$work/block.wav" -t "$((minutes * 60))" \
        -c:a libopus -b:a 24k "$work/long.ogg"

    port=$(port_free)
    MALLOC_ARENA_MAX=2 Serving__ModelsPath="$repo/models" dotnet "$repo/src/Serving/bin/Debug/net10.0/SpeechServe.Serving.dll" \
        --urls "http://127.0.0.1:$port" >"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 120); do
        curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
        sleep 0.5
    done

    url="http://127.0.0.1:$port/v1/audio/transcriptions"
    curl -sf -o /dev/null "$url" -F file=@"$work/warmup.wav" -F model=speechfm-en-small
    warm=$(hwm_mib)
    start=$(date +%s.%N)
    curl -sf -o "$work/long.json" "$url" -F file=@"$work/long.ogg" -F model=speechfm-en-small -F response_format=verbose_json
    end=$(date +%s.%N)
    long=$(hwm_mib)
    segments=$(python3 -c "import json, sys; print(len(json.load(open(sys.argv[1]))['segments']))" "$work/long.json")
    printf '%8s %16s %16s %10.1f %9s\n' "$minutes" "$warm" "$long" "$(echo "$end - $start" | bc)" "$segments"
    stop_server
done
