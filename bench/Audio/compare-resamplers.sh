#!/usr/bin/env bash
# Transcribes the same speech resampled to 16 kHz by the own PolyphaseResampler and by NAudio's
# WdlResamplingSampleProvider, through the server's recognizer (the shipped model, POST /v1/audio/transcriptions),
# and prints a markdown table of the transcripts and their word errors against the spoken sentences.
#
#   bash bench/Audio/compare-resamplers.sh
#
# espeak-ng speaks each sentence (22.05 kHz), sox converts it to each input rate, ResamplerBench resamples it
# to 16 kHz both ways, and a server on a loopback port transcribes both files.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
model_id=speechfm-en-small
rates=(8000 22050 44100 48000)
sentences=(
    "Please schedule a follow up visit for next Tuesday morning."
    "The quick brown fox jumps over the lazy dog near the river bank."
    "Streaming speech recognition sends partial results while the speaker is still talking."
    "Our adapters specialise one shared encoder for telephone calls, distant microphones and accents."
    "Call me back at five thirty if the meeting runs late."
)

for project in src/Serving bench/Audio/ResamplerBench; do
    dotnet build -c Release -nologo -v q "$project" >&2
done
resampler=(dotnet "$root/bench/Audio/ResamplerBench/bin/Release/net10.0/ResamplerBench.dll")

work=$(mktemp -d)
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

for i in "${!sentences[@]}"; do
    espeak-ng -s 160 -w "$work/espeak-$i.wav" "${sentences[$i]}"
    for rate in "${rates[@]}"; do
        sox "$work/espeak-$i.wav" -r "$rate" -c 1 -b 16 "$work/in-$rate-$i.wav"
        "${resampler[@]}" resample "$work/in-$rate-$i.wav" "$work/out-$rate-$i"
    done
done

port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/store/$model_id"
env ASPNETCORE_ENVIRONMENT=Production Serving__ModelsPath="$root/models" Adapters__StorePath="$work/store" \
    Logging__LogLevel__Default=Warning \
    dotnet "$root/src/Serving/bin/Release/net10.0/SpeechServe.Serving.dll" --urls "http://127.0.0.1:$port" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.2
done

transcribe() {
    curl -sf "http://127.0.0.1:$port/v1/audio/transcriptions" -F "file=@$1" -F "model=$model_id" -F response_format=text
}

# word_errors REFERENCE HYPOTHESIS: word-level edit distance after lower-casing and dropping punctuation.
word_errors() {
    /usr/bin/python3 - "$1" "$2" <<'PY'
import re, sys
ref, hyp = (re.sub(r"[^a-z' ]", " ", s.lower()).split() for s in sys.argv[1:3])
row = list(range(len(hyp) + 1))
for i, r in enumerate(ref, 1):
    prev, row[0] = row[0], i
    for j, h in enumerate(hyp, 1):
        prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
print(row[-1])
PY
}

echo "| input rate | sentence | polyphase transcript | WDL transcript | polyphase word errors | WDL word errors | same |"
echo "| ---: | ---: | --- | --- | ---: | ---: | --- |"
declare -A same_count=() poly_errors=() wdl_errors=() words=()
for rate in "${rates[@]}"; do
    for i in "${!sentences[@]}"; do
        poly=$(transcribe "$work/out-$rate-$i/polyphase.wav" | tr -d '\n')
        wdl=$(transcribe "$work/out-$rate-$i/wdl.wav" | tr -d '\n')
        pe=$(word_errors "${sentences[$i]}" "$poly")
        we=$(word_errors "${sentences[$i]}" "$wdl")
        same=no; [ "$poly" = "$wdl" ] && same=yes && same_count[$rate]=$((${same_count[$rate]:-0} + 1))
        poly_errors[$rate]=$((${poly_errors[$rate]:-0} + pe))
        wdl_errors[$rate]=$((${wdl_errors[$rate]:-0} + we))
        words[$rate]=$((${words[$rate]:-0} + $(wc -w <<<"${sentences[$i]}")))
        echo "| $rate | $((i + 1)) | $poly | $wdl | $pe | $we | $same |"
    done
done
echo
echo "| input rate | identical transcripts | polyphase WER | WDL WER |"
echo "| ---: | ---: | ---: | ---: |"
for rate in "${rates[@]}"; do
    /usr/bin/python3 -c "print(f'| $rate | ${same_count[$rate]:-0} of ${#sentences[@]} | {100 * ${poly_errors[$rate]} / ${words[$rate]}:.1f}% | {100 * ${wdl_errors[$rate]} / ${words[$rate]}:.1f}% |')"
done
