#!/usr/bin/env bash
# End-to-end benchmarks of the shipped reference model; writes docs/benchmarks.md wholly.
#
#   bash bench/run.sh [--quick] [--output FILE] [--no-setup] [--test-data DIR]
#
# Runs scripts/setup.sh (unless --no-setup), builds in Release, synthesises speech with espeak-ng, then runs
# each entry of SECTIONS: a command that prints one markdown section on stdout. The sections are
# concatenated under a header describing the machine and the run. Servers run on loopback ports from
# the built SpeechServe.Serving.dll, each with its own adapter store in a scratch directory (models/ is
# never written). --quick runs fewer requests, levels and iterations (about a third of the time). --test-data names
# the labelled test sets (training/data/synthesize.py's output; default training/data/generated-wide) on which the
# int8 encoder's word error rate is compared with fp32's; without them that comparison is left out.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

quick=0
output=docs/benchmarks.md
setup=1
test_data=training/data/generated-wide
command_line="bash bench/run.sh${*:+ $*}"
while (($#)); do
    case "$1" in
        --quick) quick=1 ;;
        --output) output=$2; shift ;;
        --no-setup) setup=0 ;;
        --test-data) test_data=$2; shift ;;
        *) echo "usage: bash bench/run.sh [--quick] [--output FILE] [--no-setup] [--test-data DIR]" >&2; exit 2 ;;
    esac
    shift
done

model_id=speechfm-en-small
model_dir=$root/models/$model_id
source_adapter=telephony
if ((quick)); then
    rest_levels=1,4; rest_requests=16; profile_requests=15; stream_clients=1,16,64; adapter_counts=4,16; activations=16; int8_iterations=5; accuracy_limit=60; decoding_iterations=5; peer_rounds=1
else
    rest_levels=1,2,4,8; rest_requests=48; profile_requests=40; stream_clients=1,25,50,100,150,200,250,300; adapter_counts=8,32,64; activations=40; int8_iterations=20; accuracy_limit=0; decoding_iterations=20; peer_rounds=3
fi
stream_threshold_ms=500

if ((setup)); then bash scripts/setup.sh >&2; fi
for project in src/Serving bench/Load bench/Export/EncoderInt8Bench bench/Translation/DecodingBench bench/Decoding/CtcDecodingBench; do
    dotnet build -c Release -nologo -v q "$project" >&2
done
server_dll=$root/src/Serving/bin/Release/net10.0/SpeechServe.Serving.dll
load_tool=(dotnet "$root/bench/Load/bin/Release/net10.0/speechserve-bench-load.dll")
int8_tool=(dotnet "$root/bench/Export/EncoderInt8Bench/bin/Release/net10.0/EncoderInt8Bench.dll")
decoding_tool=(dotnet "$root/bench/Translation/DecodingBench/bin/Release/net10.0/DecodingBench.dll")
ctc_decoding_tool=(dotnet "$root/bench/Decoding/CtcDecodingBench/bin/Release/net10.0/CtcDecodingBench.dll")

work=$(mktemp -d)
declare -A server_pids=()
cleanup() {
    local status=$?
    if ((status)); then
        for log in "$work"/server-*.log; do
            [ -f "$log" ] && { echo "bench: last lines of $(basename "$log"):" >&2; tail -n 30 "$log" >&2; }
        done
    fi
    for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# Speech: one 16 kHz mono WAV per sentence for REST, and all of them joined by 1.5 s pauses for streaming.
sentences=(
    "Please schedule a follow up visit for next Tuesday morning."
    "The quick brown fox jumps over the lazy dog near the river bank."
    "Streaming speech recognition sends partial results while the speaker is still talking."
    "Our adapters specialise one shared encoder for telephone calls, distant microphones and accents."
    "Everything you have learned in school as obvious becomes less and less obvious as you begin to study the universe."
    "Call me back at five thirty if the meeting runs late."
)
mkdir -p "$work/clips"
sox -n -r 16000 -c 1 -b 16 "$work/pause.wav" trim 0 1.5
stream_parts=()
for i in "${!sentences[@]}"; do
    espeak-ng -s 160 -w "$work/espeak-$i.wav" "${sentences[$i]}"
    sox "$work/espeak-$i.wav" -r 16000 -c 1 -b 16 "$work/clips/clip-$i.wav"
    if ((i < 3)); then stream_parts+=("$work/clips/clip-$i.wav" "$work/pause.wav"); fi
done
sox "${stream_parts[@]}" "$work/stream.wav"
# German speech for the translation section: held-out sentences of the translation grammar (training/data).
german=(
    "die frau will morgens mein fenster tragen"
    "der bruder kann in der stadt spielen"
    "morgen will ich ein pferd im park rufen"
    "ein lehrer kann eine maus haben"
)
mkdir -p "$work/clips-de"
for i in "${!german[@]}"; do
    espeak-ng -v de -w "$work/espeak-de-$i.wav" "${german[$i]}"
    sox "$work/espeak-de-$i.wav" -r 16000 -c 1 -b 16 "$work/clips-de/de-$i.wav"
done

free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_server NAME STORE [KEY=VALUE ...]: starts a server whose adapter store is a copy of the shipped
# adapters (STORE=shipped) or empty (STORE=empty); sets url_NAME and server_pids[NAME].
start_server() {
    local name=$1 store=$2; shift 2
    local port; port=$(free_port)
    mkdir -p "$work/store-$name/$model_id"
    if [ "$store" = shipped ]; then cp -r "$model_dir/adapters/." "$work/store-$name/$model_id/"; fi
    env ASPNETCORE_ENVIRONMENT=Production Serving__ModelsPath="$root/models" Adapters__StorePath="$work/store-$name" \
        Logging__LogLevel__Default=Warning "$@" \
        dotnet "$server_dll" --urls "http://127.0.0.1:$port" >"$work/server-$name.log" 2>&1 &
    server_pids[$name]=$!
    printf -v "url_$name" 'http://127.0.0.1:%s/' "$port"
    for _ in $(seq 600); do
        curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && return 0
        kill -0 "${server_pids[$name]}" 2>/dev/null || break
        sleep 0.2
    done
    echo "bench: server $name did not become ready:" >&2; cat "$work/server-$name.log" >&2; return 1
}

stop_server() {
    kill "${server_pids[$1]}" 2>/dev/null || true
    wait "${server_pids[$1]}" 2>/dev/null || true
    unset "server_pids[$1]"
}

# Shows a harness command as run, with scratch paths and ports replaced by placeholders.
show_command() {
    local text="" arg
    for arg in "$@"; do
        if [[ $arg == *[\ \;]* ]]; then arg="\"$arg\""; fi
        text+="${text:+ }$arg"
    done
    text=${text//$work/\$WORK}
    text=${text//$root\//}
    text=$(sed -E 's#http://127\.0\.0\.1:[0-9]+/#$URL#g; s#dotnet bench/Load/bin/Release/net10.0/speechserve-bench-load.dll#speechserve-bench-load#; s#dotnet bench/Export/EncoderInt8Bench/bin/Release/net10.0/EncoderInt8Bench.dll#EncoderInt8Bench#; s#dotnet bench/Decoding/CtcDecodingBench/bin/Release/net10.0/CtcDecodingBench.dll#CtcDecodingBench#' <<<"$text")
    printf '```sh\n%s\n```\n\n' "$text"
}

run_shown() { show_command "$@"; "$@"; }

section_rest() {
    start_server rest shipped
    start_server greedy shipped Serving__LanguageModel=false
    echo "## REST throughput and real-time factor"
    echo
    echo "The server on loopback, \`POST /v1/audio/transcriptions\` (\`response_format=json\`) with the base model and with the \`$source_adapter\` adapter"
    echo "(same server, levels interleaved), default settings (dynamic batching up to 8, fp32 encoder, the model's word language"
    echo "model: docs/decoding.md); and the base model on a second server with \`Serving:LanguageModel=false\` (greedy CTC decoding):"
    echo
    run_shown "${load_tool[@]}" rest --target "base model;$model_id;$url_rest" --target "$source_adapter adapter;$source_adapter;$url_rest" \
        --target "base model, greedy;$model_id;$url_greedy" \
        --wavs "$work/clips" --concurrency "$rest_levels" --requests "$rest_requests" --seconds 20
    stop_server rest
    stop_server greedy
}

section_profile() {
    echo "## Where the time of one request goes"
    echo
    echo "One \`POST /v1/audio/transcriptions\` at a time with the base model, split by the server's"
    echo "\`speechserve_transcription_stage_seconds\` and \`speechserve_http_request_duration_seconds\` (docs/metrics.md),"
    echo "scraped before and after the timed requests, against the latency the client measured. The default server"
    echo "(the model's word language model):"
    echo
    start_server profile shipped
    run_shown "${load_tool[@]}" profile --url "$url_profile" --model "$model_id" --wavs "$work/clips" --requests "$profile_requests"
    stop_server profile
    echo "And a server with \`Serving:LanguageModel=false\` (greedy CTC decoding):"
    echo
    start_server profile_greedy shipped Serving__LanguageModel=false
    run_shown "${load_tool[@]}" profile --url "$url_profile_greedy" --model "$model_id" --wavs "$work/clips" --requests "$profile_requests"
    stop_server profile_greedy
    echo "- *form*: reading the multipart body and its fields (the upload arrives over loopback)."
    echo "- *audio*: copying the file part and decoding the WAV to 16 kHz mono samples."
    echo "- *features*: the 80-dimensional log-mel features of the whole clip, on the request's thread."
    echo "- *queue*: from queuing the features to the start of the encoder batch that runs them (a lone request runs at once)."
    echo "- *encoder*: the ONNX Runtime encoder run of that batch, here a batch of one."
    echo "- *decoding*: the CTC search (with the language model: the lexicon beam search; greedy without it) and building the transcript with its timestamps and scores."
    echo "- *response*: serializing and writing the JSON body."
    echo "- *rest of the server*: the request's server time outside those stages: the other middleware (keys, rate limits, routing), the model lookup and the hand-offs between threads."
    echo "- *outside the server*: the client's latency less the server's request time: building and sending the request, loopback, Kestrel's parsing before the first middleware and reading the answer."
    echo
}

section_translation() {
    start_server translate shipped
    start_server translate_greedy shipped Serving__Translation__BeamWidth=1
    echo "## REST translation throughput"
    echo
    echo "\`POST /v1/audio/translations\` with \`translate-de\` (${#german[@]} held-out German sentences of the translation grammar,"
    echo "espeak-ng \`de\`, 16 kHz): the server's default beam search (width 4) and, on a second server with"
    echo "\`Serving:Translation:BeamWidth=1\`, greedy decoding. Concurrent requests share encoder batches and step their"
    echo "decoders in lockstep (docs/decoding.md):"
    echo
    run_shown "${load_tool[@]}" rest --target "beam 4;translate-de;$url_translate;translations" \
        --target "greedy;translate-de;$url_translate_greedy;translations" \
        --wavs "$work/clips-de" --concurrency "$rest_levels" --requests "$rest_requests" --seconds 20
    stop_server translate
    stop_server translate_greedy
}

section_streaming() {
    start_server streaming shipped Streaming__MaxConcurrentStreams=1024
    start_server streaming_int8 shipped Streaming__MaxConcurrentStreams=1024 Serving__UseInt8=true
    start_server streaming_alone shipped Streaming__MaxConcurrentStreams=1024 Streaming__MaxBatchSize=1
    echo "## Streaming latency and capacity"
    echo
    echo "The WebSocket endpoint \`/v1/audio/stream\` (docs/streaming.md) with the base model, default endpointing,"
    echo "\`Streaming:MaxConcurrentStreams\` raised to 1024 so that the server's stream limit does not cap the test:"
    echo "the default server, whose streams share batched encoder calls (\`Streaming:MaxBatchSize\` 32, \`Streaming:MaxBatchWaitMilliseconds\` 2),"
    echo "the same with the int8 encoder (\`Serving:UseInt8=true\`), and a third with \`Streaming:MaxBatchSize=1\`, where each"
    echo "stream runs its own encoder calls. The clients run in the harness's process, on the same cores as the servers."
    echo
    run_shown "${load_tool[@]}" streaming --target "batched;$model_id;$url_streaming" --target "batched, int8;$model_id;$url_streaming_int8" \
        --target "one stream per call;$model_id;$url_streaming_alone" \
        --wav "$work/stream.wav" --clients "$stream_clients" --threshold-ms "$stream_threshold_ms"
    stop_server streaming
    stop_server streaming_int8
    stop_server streaming_alone
}

section_adapters() {
    local key; key=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(16))')
    start_server adapters empty Admin__ApiKey="$key"
    echo "## Adapter memory and hot-swap time"
    echo
    show_command "${load_tool[@]}" adapters --url "$url_adapters" --pid PID --admin-key KEY --model-dir "$model_dir" \
        --adapter "$source_adapter" --wav "$work/clips/clip-0.wav" --counts "$adapter_counts" --activations "$activations"
    "${load_tool[@]}" adapters --url "$url_adapters" --pid "${server_pids[adapters]}" --admin-key "$key" --model-dir "$model_dir" \
        --adapter "$source_adapter" --wav "$work/clips/clip-0.wav" --counts "$adapter_counts" --activations "$activations"
    stop_server adapters
}

section_int8() {
    echo "## int8 vs fp32 encoder"
    echo
    echo "### Encoder alone (\`bench/Export/EncoderInt8Bench\`)"
    echo
    echo "With ONNX Runtime's default intra-op threads (one per core, as the server's default \`Serving:IntraOpThreads=0\` runs a batch):"
    echo
    run_shown "${int8_tool[@]}" "$model_dir" 1,4 8 "$int8_iterations"
    echo
    echo "With one intra-op thread (as each batch worker runs with \`Serving:IntraOpThreads=1\`):"
    echo
    run_shown "${int8_tool[@]}" "$model_dir" 1,4 8 "$int8_iterations" 1
    echo
    echo "Where the encoder's time goes, one thread, batch 1:"
    echo
    run_shown "${int8_tool[@]}" "$model_dir" 1 8 "$int8_iterations" 1 profile
    echo
    start_server fp32 shipped
    start_server int8 shipped Serving__UseInt8=true
    int8_accuracy
    echo "### REST throughput"
    echo
    echo "Two servers side by side, one with \`Serving:UseInt8=false\` (default) and one with \`Serving:UseInt8=true\`, base model, levels interleaved:"
    echo
    run_shown "${load_tool[@]}" rest --target "fp32;$model_id;$url_fp32" --target "int8;$model_id;$url_int8" \
        --wavs "$work/clips" --concurrency "${rest_levels%%,*},4" --requests "$rest_requests" --seconds 20
    stop_server fp32
    stop_server int8
}

# The word error rate of the int8 encoder against fp32's, as served (each domain's test sets through its adapter),
# on every ASR test set of $test_data; needs the fp32 and int8 servers.
int8_accuracy() {
    local sets=() manifest domain model
    for manifest in "$test_data"/*/test.jsonl "$test_data"/*/*-test.jsonl; do
        [ -e "$manifest" ] || continue
        domain=$(basename "$(dirname "$manifest")")
        case $domain in translate-*) continue ;; general) model=$model_id ;; *) model=$domain ;; esac
        sets+=(--set "$domain/$(basename "$manifest" .jsonl);$model;$manifest")
    done
    echo "### Accuracy"
    echo
    if ((${#sets[@]} == 0)); then
        echo "Not measured in this run: no test sets in \`$test_data\` (\`training/data/synthesize.py\` writes them; \`--test-data DIR\` names another directory)."
        echo
        return
    fi
    echo "The two servers, default decoding (the model's language model), on the labelled test sets of \`$test_data\`"
    echo "(\`training/data/synthesize.py\`; general's through the base model, each domain's through its adapter)$( ((accuracy_limit)) && echo ", the first $accuracy_limit utterances of each"):"
    echo
    run_shown "${load_tool[@]}" accuracy --target "fp32;$url_fp32" --target "int8;$url_int8" "${sets[@]}" --limit "$accuracy_limit"
}

section_decoding() {
    echo "## Translation decoding: key/value cache vs no cache"
    echo
    echo "Greedy decoding with \`decoder.onnx\`'s key/value cache fed back vs re-running the whole prefix each step"
    echo "(docs/decoding.md, \"Translation decoding\"), on a seeded random decoder of the default sizes and 150 tokens"
    echo "(\`training/dump_decoder_golden.py --make-random\`), which rarely ends early, so every run generates the full length:"
    echo
    /usr/bin/python3 training/dump_decoder_golden.py --make-random --vocab-size 150 \
        --decoder "$work/decoder.safetensors" --output "$work/decoder_golden.safetensors" >&2
    run_shown "${decoding_tool[@]}" "$work/decoder.safetensors" 1,8 48 "$decoding_iterations"
    echo
}

section_ctc_decoding() {
    echo "## CTC decoding: the language model's search beside the encoder"
    echo
    echo "In process, on the benchmark's clips: the whole recognizer (what a REST request runs once its audio is decoded), and"
    echo "apart the encoder for scale, the log-mel features, greedy decoding, and the lexicon-constrained search with the"
    echo "model's language model and settings (docs/decoding.md) on the base model's log-probabilities:"
    echo
    run_shown "${ctc_decoding_tool[@]}" "$model_dir" "$work/clips" "$decoding_iterations"
    echo
}

section_peer() {
    bash bench/Peer/run.sh --threads 1 --concurrency 1,2,4,8 --rounds "$peer_rounds"
}

# CUDA against the CPU where a GPU is usable; here it records why CUDA fell back and checks the CPU alone.
section_device() {
    bash scripts/device-check.sh "models/$model_id" "$int8_iterations"
}

# One entry per section, in document order; each prints markdown on stdout.
SECTIONS=(
    section_rest
    section_profile
    section_translation
    section_streaming
    section_adapters
    section_int8
    section_decoding
    section_ctc_decoding
    section_peer
    section_device
)

load_average() { cut -d' ' -f1-3 /proc/loadavg; }
load_before=$(load_average)
started=$(date +%s)
for i in "${!SECTIONS[@]}"; do
    echo "bench: ${SECTIONS[$i]}" >&2
    eval "${SECTIONS[$i]}" >"$work/section-$i.md"
done
load_after=$(load_average)
minutes=$(awk -v s=$(($(date +%s) - started)) 'BEGIN { printf "%.1f", s / 60 }')

cpu=$(sed -n 's/^model name\s*:\s*//p' /proc/cpuinfo | head -1)
memory=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
os=$(. /etc/os-release && echo "$PRETTY_NAME")
os_version=$(cat /etc/debian_version 2>/dev/null || true)
dotnet_runtime=$(dotnet --list-runtimes | sed -n 's/^Microsoft.NETCore.App \([^ ]*\).*/\1/p' | tail -1)
ort_version=$("${load_tool[@]}" onnx-version)
busy_note=""
if awk -v a="${load_before%% *}" -v b="${load_after%% *}" 'BEGIN { exit !(a >= 0.5 || b >= 2.5) }'; then
    busy_note="The load average shows that other work shared the cores during this run (before the run: $load_before; the benchmark itself adds up to about 2 on this machine while it runs), so the figures are lower bounds for an idle machine."
fi

mkdir -p "$(dirname "$output")"
{
    echo "# Benchmarks"
    echo
    echo "<!-- Generated by bench/run.sh; change the script or the harness (bench/Load, bench/Export/EncoderInt8Bench), not this file. -->"
    echo
    echo "End-to-end figures of the shipped reference model \`$model_id\` (models/README.md, docs/models.md) with its"
    echo "adapters, on real espeak-ng speech synthesised at run time (${#sentences[@]} sentences), against the real server on"
    echo "loopback. They compare alternatives on one machine in one run (ratios against a baseline measured in the same"
    echo "run); they are not capacity figures for other hardware."
    echo
    echo '```sh'
    echo "$command_line"
    echo '```'
    echo
    echo "| machine | |"
    echo "| --- | --- |"
    echo "| CPU | $cpu, $(nproc) cores |"
    echo "| memory | $memory |"
    echo "| OS | $os${os_version:+ ($os_version)}, kernel $(uname -r) |"
    echo "| .NET | $dotnet_runtime (SDK $(dotnet --version)) |"
    echo "| ONNX Runtime | $ort_version, CPU execution provider, default thread settings |"
    echo "| load average (1, 5, 15 min) | before: $load_before; after: $load_after |"
    echo "| run | $(date -u +%Y-%m-%d), $minutes min$( ((quick)) && echo ', --quick') |"
    echo
    if [ -n "$busy_note" ]; then printf '%s\n\n' "$busy_note"; fi
    echo "How to run: \`bash bench/run.sh\` on a clone (it runs \`scripts/setup.sh\`, builds in Release and writes this file;"
    echo "\`--quick\` for a shorter run with fewer requests and levels, \`--output FILE\` to write elsewhere). Each section"
    echo "shows the harness command it ran; \`\$URL\` is the server's loopback address and \`\$WORK\` the run's scratch directory."
    echo
    for i in "${!SECTIONS[@]}"; do cat "$work/section-$i.md"; done
} >"$output.tmp"
mv "$output.tmp" "$output"
echo "bench: wrote $output in $minutes min" >&2
