#!/usr/bin/env bash
# Runs the shipped model's encoder and transcriptions on CUDA and on the CPU, compares them (largest log-prob
# difference, same transcripts) and prints the speed ratio, as a markdown section with the GPU it ran on.
# Without a usable GPU it says why CUDA fell back and checks the CPU alone (exit 0).
#
#   bash scripts/device-check.sh [MODEL_DIR] [ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-models/speechfm-en-small}
iterations=${2:-20}
command -v espeak-ng >/dev/null && command -v sox >/dev/null || { echo "device-check: espeak-ng and sox are required (scripts/setup.sh)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sentences=(
    "Please schedule a follow up visit for next Tuesday morning."
    "The quick brown fox jumps over the lazy dog near the river bank."
    "Call me back at five thirty if the meeting runs late."
)
clips=()
for i in "${!sentences[@]}"; do
    espeak-ng -w "$work/espeak-$i.wav" "${sentences[$i]}"
    sox "$work/espeak-$i.wav" -r 16000 -c 1 -b 16 "$work/clip-$i.wav"
    clips+=("$work/clip-$i.wav")
done

dotnet build -c Release -nologo -v q bench/Device/DeviceCheck >&2
gpu=$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -n 1 || true)
echo "## Execution providers: CUDA against CPU"
echo
echo "\`bash scripts/device-check.sh $model $iterations\` on $(nproc) cores, GPU: ${gpu:-none found}; load average $(cut -d' ' -f1-3 /proc/loadavg)."
echo
dotnet bench/Device/DeviceCheck/bin/Release/net10.0/DeviceCheck.dll "$model" "$iterations" "${clips[@]}"
