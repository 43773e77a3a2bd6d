#!/usr/bin/env bash
# Hotword measurement: recall of rare words and WER of sentences without them, with and without the rare words
# as hotwords, on the shipped reference model (its word language model) over espeak-ng speech. The rare words
# are among the least likely unigrams of models/speechfm-en-small/lm.arpa, each said in a carrier sentence of
# common words; the control sentences hold none of them. Every request sends the same hotword list (all twenty
# rare words) at each score, the way a client would send its vocabulary.
#
#   bench/hotwords.sh [score ...]     (default: 2 4 8; "none" is always measured first)
#
# The score "prompt" sends instead an OpenAI prompt of common words (each a hotword at the server's default
# score) with every request, to see what boosting common words costs.
#
# Needs a built server (dotnet build src/Serving), espeak-ng, curl and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
scores=("$@")
[ ${#scores[@]} -gt 0 ] || scores=(2 4 8)

work=$(mktemp -d "${TMPDIR:-/tmp}/speechserve-hotwords.XXXXXX")
server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

rare=(committee creatures engineering friendship adventure argument california confidence electrical
    exercise favorite feature politicians pleasant forgive humor burden cards flame fruit)
carriers=("i think the %s is here" "we talked about the %s today" "tell me about the %s again" "the %s was on my mind")
control=("i want to go home now" "we will see you next week" "can you tell me what time it is" "this is a good day for us"
    "she said that he would come back" "they did not know what to do" "i need to talk to you about it"
    "let me know if you want more" "we have been here for a long time" "he was not sure about that"
    "it is going to be fine" "you can do it if you try" "there is nothing we can do" "i love the way you think"
    "what do you want to eat" "the people in this city are nice" "my mother called me last night"
    "we should work on this together" "why did you say that to me" "the school is close to our house")

: >"$work/set.tsv"
for i in "${!rare[@]}"; do
    # shellcheck disable=SC2059
    printf '%s\t%s\t%s\n' "rare-$i" "${rare[$i]}" "$(printf "${carriers[$((i % ${#carriers[@]}))]}" "${rare[$i]}")" >>"$work/set.tsv"
done
for i in "${!control[@]}"; do
    printf '%s\t-\t%s\n' "control-$i" "${control[$i]}" >>"$work/set.tsv"
done
while IFS=$'\t' read -r id _ sentence; do
    espeak-ng -w "$work/$id.wav" "$sentence"
done <"$work/set.tsv"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
Serving__ModelsPath="$repo/models" dotnet "$repo/src/Serving/bin/Debug/net10.0/SpeechServe.Serving.dll" --urls "http://127.0.0.1:$port" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
    sleep 0.5
done

printf '%8s %14s %12s\n' score rare_recall control_WER
for score in none "${scores[@]}"; do
    hotwords=""
    prompt=""
    if [ "$score" = prompt ]; then
        prompt="This is a conversation between friends about what they want to do this week and where they will go."
    elif [ "$score" != none ]; then
        hotwords=$(printf "%s :$score\n" "${rare[@]}")
    fi
    : >"$work/out.tsv"
    while IFS=$'\t' read -r id word sentence; do
        text=$(curl -sf "http://127.0.0.1:$port/v1/audio/transcriptions" -F file=@"$work/$id.wav" -F model=speechfm-en-small \
            -F response_format=text ${hotwords:+-F "hotwords=$hotwords"} ${prompt:+-F "prompt=$prompt"})
        printf '%s\t%s\t%s\t%s\n' "$id" "$word" "$sentence" "$text" >>"$work/out.tsv"
    done <"$work/set.tsv"
    python3 - "$work/out.tsv" "$score" <<'PY'
import sys

sys.path.insert(0, "training")
from speechfm.text import edit_distance

found = rare = errors = words = 0
for line in open(sys.argv[1]):
    _, word, reference, hypothesis = line.rstrip("\n").split("\t")
    if word != "-":
        rare += 1
        found += word in hypothesis.split()
    else:
        errors += edit_distance(reference.split(), hypothesis.split())
        words += len(reference.split())
print(f"{sys.argv[2]:>8} {found:>6}/{rare:<2} {found / rare:5.0%} {errors / words:12.1%}")
PY
done
