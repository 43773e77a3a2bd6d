#!/bin/sh
# The reference model's whole training pipeline, CPU only, resumable:
#   1. BEST-RQ pretraining   2. CTC base model on `general`, then fine-tuned on a multi-condition copy of it
#   (reverberation and stationary noise, speechfm/augment.py), then on that and the open-text set general/extra
#   3. one adapter per domain
#   4. final checkpoint (TorchSharp + safetensors)   5. word language model of the training text
#   6. a translation adapter + decoder per translation domain whose data exists (translate-de, translate-es;
#      synthesize.py makes them only when named) and their BLEU/chrF, greedy and beam
#   7. evaluation (greedy and with the language model) and docs/models.md
# plus the ablation: the CTC base model trained from scratch (no pretraining), same data and epochs.
# The same pipeline on the wide corpus (synthesize.py --corpus wide) is training/run_wide.sh.
# The multi-condition fine-tuning starts from whichever of the two base models has the lower general/dev WER
# (training/select_base.py writes it to $RUN/clean-base.safetensors); the open-text stage starts from its best
# epoch, and the open-text stage's best epoch is $RUN/base.safetensors, the base of the adapters and of the
# shipped model.
# Processes run side by side: the ablation beside pretraining and CTC (one per core), then the three
# adapters together (their time budget allows for three processes sharing two cores), then the translations.
# A stage whose done.json exists is skipped; an interrupted stage continues from its state.pt.
# Run from anywhere; paths are relative to the repository root. Settings via the environment:
#   DATA     generated data directory         (default training/data/generated)
#   RUN      run directory                    (default training/runs/reference)
#   PYTHON   interpreter with torch           (default /usr/bin/python3)
#   THREADS  intra-op threads per process     (default 1; see docs/models.md, "Threads")
#   DEVICE   where the training stages run    (default cpu; cuda for a GPU)
#   PRETRAIN_MIN, CTC_MIN, MC_MIN, OPEN_MIN, ADAPTER_MIN  training-time budgets in minutes (14, 62, 45, 42, 12)
#   PRETRAIN_EPOCHS, CTC_EPOCHS, MC_EPOCHS, OPEN_EPOCHS, ADAPTER_EPOCHS  epoch caps (10, 16, 16, 8, 30)
#   MC_THREADS      intra-op threads of the multi-condition and open-text stages, which run alone (default 2)
#   TRANSLATION_MIN, TRANSLATION_EPOCHS       translation budget in minutes and epoch cap (20, 60)
#   CTC_MAX_FRAMES  padded feature frames per CTC batch (6000)
#   CONFIG   architecture config              (default training/configs/reference.json)
#   DOC      report to write                  (default docs/models.md; empty = none)
set -eu
cd "$(dirname "$0")/.."
DATA=${DATA:-training/data/generated}
RUN=${RUN:-training/runs/reference}
CONFIG=${CONFIG:-training/configs/reference.json}
PYTHON=${PYTHON:-/usr/bin/python3}
THREADS=${THREADS:-1}
DEVICE=${DEVICE:-cpu}
DOC=${DOC-docs/models.md}
mkdir -p "$RUN"
LOG="$RUN/run_all.log"

# shellcheck source=training/pipeline.sh
. training/pipeline.sh

[ -e "$DATA/general/train.jsonl" ] || { say "no data in $DATA (generate it: training/data/synthesize.py)"; exit 1; }
say "pipeline start: DATA=$DATA RUN=$RUN THREADS=$THREADS DEVICE=$DEVICE"

ctc() {  # ctc OUT_DIR INIT: the base model on `general`; INIT "none" trains from scratch
    stage "ctc $1" "$RUN/$1/done.json" "$PYTHON" training/train_ctc.py --data "$DATA" --out "$RUN/$1" \
        --init "$2" --threads "$THREADS" --device "$DEVICE" --epochs "${CTC_EPOCHS:-16}" --lr 1.5e-3 --warmup 200 \
        --max-frames "${CTC_MAX_FRAMES:-6000}" --time-budget-min "${CTC_MIN:-62}"
}
adapter() {  # adapter DOMAIN
    stage "adapter $1" "$RUN/adapters/$1/done.json" "$PYTHON" training/train_adapter.py \
        --domain "$1" --data "$DATA" --base "$RUN/base.safetensors" --out "$RUN/adapters/$1" \
        --threads "$THREADS" --device "$DEVICE" --epochs "${ADAPTER_EPOCHS:-30}" --lr 3e-3 --warmup 30 \
        --time-budget-min "${ADAPTER_MIN:-12}"
}

ctc ctc-scratch none &
scratch=$!
stage pretrain "$RUN/pretrain/done.json" "$PYTHON" training/pretrain_bestrq.py --data "$DATA" \
    --out "$RUN/pretrain" --threads "$THREADS" --device "$DEVICE" --epochs "${PRETRAIN_EPOCHS:-10}" --lr 1.5e-3 --warmup 150 \
    --time-budget-min "${PRETRAIN_MIN:-14}"
ctc ctc "$RUN/pretrain/encoder.safetensors"
wait "$scratch" || exit 1
stage "select base model" "$RUN/base.json" "$PYTHON" training/select_base.py --run-dir "$RUN" \
    --out "$RUN/clean-base.safetensors"
stage "multi-condition base" "$RUN/ctc-mc/done.json" "$PYTHON" training/train_ctc.py --data "$DATA" \
    --out "$RUN/ctc-mc" --init "$RUN/clean-base.safetensors" --multi-condition 0.5 --threads "${MC_THREADS:-2}" \
    --device "$DEVICE" --epochs "${MC_EPOCHS:-16}" --lr 1e-3 --warmup 100 --max-frames "${CTC_MAX_FRAMES:-6000}" \
    --time-budget-min "${MC_MIN:-45}"
stage "open-text base" "$RUN/ctc-open/done.json" "$PYTHON" training/train_ctc.py --data "$DATA" \
    --out "$RUN/ctc-open" --init "$RUN/ctc-mc/best.safetensors" --also-train-on extra --multi-condition 0.5 \
    --threads "${MC_THREADS:-2}" --device "$DEVICE" --epochs "${OPEN_EPOCHS:-8}" --lr 5e-4 --warmup 100 \
    --max-frames "${CTC_MAX_FRAMES:-6000}" --time-budget-min "${OPEN_MIN:-42}"
cp "$RUN/ctc-open/best.safetensors" "$RUN/base.safetensors"
adapter telephony &
telephony=$!
adapter far-field &
far_field=$!
adapter accent &
accent=$!
wait "$telephony" && wait "$far_field" && wait "$accent" || exit 1
final_stages reference 20 "$THREADS" telephony far-field accent
