#!/usr/bin/env bash
# Own translation decoding loop vs ONNX Runtime GenAI's generator on the translation adapters' test sets, in one run:
# BLEU, chrF and tokens per second (docs/decoding.md, "ONNX Runtime GenAI").
#
#   bash bench/Translation/GenAiBench/run.sh [--data DIR] [--batches 1,8] [--iterations 5] [--threads 1] [--early-stopping true|false]
#
# Needs the test sets of training/data/synthesize.py (--domains translate-de,translate-es); prints markdown.
set -euo pipefail
cd "$(dirname "$0")/../../.."

data=training/data/generated
batches=1,8
iterations=5
threads=1
early_stopping=true
while (($#)); do
    case "$1" in
        --data) data=$2; shift ;;
        --batches) batches=$2; shift ;;
        --iterations) iterations=$2; shift ;;
        --threads) threads=$2; shift ;;
        --early-stopping) early_stopping=$2; shift ;;
        *) echo "usage: bash bench/Translation/GenAiBench/run.sh [--data DIR] [--batches 1,8] [--iterations N] [--threads N] [--early-stopping true|false]" >&2; exit 2 ;;
    esac
    shift
done
for language in de es; do
    [ -f "$data/translate-$language/test.jsonl" ] || {
        echo "no $data/translate-$language/test.jsonl: run /usr/bin/python3 training/data/synthesize.py --domains translate-de,translate-es" >&2
        exit 1
    }
done

dotnet build -c Release -nologo -v q bench/Translation/GenAiBench >&2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
dotnet bench/Translation/GenAiBench/bin/Release/net10.0/GenAiBench.dll models/speechfm-en-small "$data" "$out" de,es "$batches" "$iterations" "$threads" "$early_stopping"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
/usr/bin/python3 bench/Translation/GenAiBench/score.py "$out"
echo
echo "Machine: $(nproc) cores, $(sed -n 's/^model name\s*:\s*//p' /proc/cpuinfo | head -1), load average $load_before before and $load_after after."
