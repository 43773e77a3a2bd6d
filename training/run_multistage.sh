#!/bin/sh
# The multi-stage pretraining ablation (training/README.md, "Multi-stage pretraining"), resumable: four arms, each
# ending in a CTC recogniser trained on general/train (train_ctc.py) and scored on general/dev and general/test.
#   none       no pretraining -> ASR for MID_MIN + ASR_MIN minutes                     -> $RUN/none/asr/
#   ssl        the BEST-RQ encoder $PRETRAINED -> ASR for MID_MIN + ASR_MIN             -> $RUN/ssl/asr/
#   ssl-st-de  $PRETRAINED -> speech translation, English speech to German text, encoder and attention decoder
#              trained (train_translation.py --train-encoder) for MID_MIN              -> $RUN/ssl-st-de/mid/
#              -> ASR from its encoder.safetensors for ASR_MIN                         -> $RUN/ssl-st-de/asr/
#   ssl-st-es  the same with English speech to Spanish text                            -> $RUN/ssl-st-es/{mid,asr}/
# then the table of each arm's general/dev and general/test WER (report_multistage.py) -> $RUN/table.md
# Equal compute: every arm gets MID_MIN + ASR_MIN minutes of training time after the BEST-RQ stage (each stage's
# --time-budget-min counts its optimisation steps, not loading or dev evaluation; the epoch caps are set high
# enough that the budget ends every stage), on the same machine with the same THREADS, DEVICE, batch frames and
# evaluation. The arms run two at a time side by side (none beside ssl, then ssl-st-de beside ssl-st-es), so each
# shares the machine with one other training process throughout. The BEST-RQ stage is common to three arms and not
# charged to them (none does not get its time): the comparison is of what follows a given pretrained encoder.
# A stage whose done.json exists is skipped; an interrupted one continues from its state.pt.
# Run from anywhere; paths are relative to the repository root. Settings via the environment:
#   DATA        generated data directory (default training/data/generated-wide): general/{train,dev,test} and
#               translate-en-de, translate-en-es (synthesize.py --corpus wide --domains general,translate-en-de,...)
#   RUN         run directory                  (default training/runs/multistage)
#   PRETRAINED  the BEST-RQ encoder            (default training/runs/wide/pretrain/encoder.safetensors)
#   CONFIG      model architecture             (default training/configs/reference.json)
#   PYTHON      interpreter with torch         (default /usr/bin/python3)
#   THREADS     intra-op threads per process   (default 1: two processes share the two cores)
#   DEVICE      where the training stages run  (default cpu; cuda for a GPU)
#   MID_MIN, ASR_MIN        training-time budgets in minutes (45, 60); the arms without mid-training get their sum
#   MID_EPOCHS, ASR_EPOCHS  epoch caps (100, 100)
#   MAX_FRAMES  padded feature frames per ASR batch (6000, as run_wide.sh's CTC stage)
#   TRAIN_MINUTES  ASR on only the first minutes of general/train (default: all of it), the low-resource variant
set -eu
cd "$(dirname "$0")/.."
DATA=${DATA:-training/data/generated-wide}
RUN=${RUN:-training/runs/multistage}
PRETRAINED=${PRETRAINED:-training/runs/wide/pretrain/encoder.safetensors}
CONFIG=${CONFIG:-training/configs/reference.json}
PYTHON=${PYTHON:-/usr/bin/python3}
THREADS=${THREADS:-1}
DEVICE=${DEVICE:-cpu}
MID_MIN=${MID_MIN:-45}
ASR_MIN=${ASR_MIN:-60}
MAX_FRAMES=${MAX_FRAMES:-6000}
mkdir -p "$RUN"
LOG="$RUN/run.log"

# shellcheck source=training/pipeline.sh
. training/pipeline.sh

for set in general/train general/dev general/test translate-en-de/train translate-en-de/dev translate-en-es/train \
        translate-en-es/dev; do
    [ -e "$DATA/$set.jsonl" ] || { say "no $set in $DATA (generate it: training/data/synthesize.py --corpus wide \
--domains general,translate-en-de,translate-en-es)"; exit 1; }
done
[ -e "$PRETRAINED" ] || { say "no BEST-RQ encoder $PRETRAINED (run_wide.sh's stage 1; the wide run's is in the \
history of git: git show da790c5:training/runs/wide/pretrain/encoder.safetensors > FILE, then PRETRAINED=FILE)"; exit 1; }
say "multi-stage ablation start: DATA=$DATA RUN=$RUN PRETRAINED=$PRETRAINED THREADS=$THREADS DEVICE=$DEVICE \
MID_MIN=$MID_MIN ASR_MIN=$ASR_MIN"

asr() {  # asr ARM INIT BUDGET_MIN: the arm's recogniser on general/train from INIT ("none": from scratch)
    # shellcheck disable=SC2086  # train_minutes is an option or nothing
    stage "asr $1" "$RUN/$1/asr/done.json" "$PYTHON" training/train_ctc.py --data "$DATA" --out "$RUN/$1/asr" \
        --config "$CONFIG" --init "$2" --threads "$THREADS" --device "$DEVICE" --epochs "${ASR_EPOCHS:-100}" \
        --lr 1.5e-3 --warmup 300 --max-frames "$MAX_FRAMES" --time-budget-min "$3" --stats-skip-silence \
        --speed-perturb 0.9,1.0,1.1 --test ${TRAIN_MINUTES:+--train-minutes "$TRAIN_MINUTES"}
}
mid() {  # mid ARM LANGUAGE: the BEST-RQ encoder trained on English speech to LANGUAGE text
    stage "mid-training $1" "$RUN/$1/mid/done.json" "$PYTHON" training/train_translation.py --train-encoder \
        --language "en-$2" --data "$DATA" --config "$CONFIG" --base "$PRETRAINED" --out "$RUN/$1/mid" \
        --threads "$THREADS" --device "$DEVICE" --epochs "${MID_EPOCHS:-100}" --lr 1.5e-3 --warmup 300 \
        --time-budget-min "$MID_MIN"
}
translation_arm() {  # translation_arm ARM LANGUAGE: mid-training, then ASR from its encoder
    mid "$1" "$2"
    asr "$1" "$RUN/$1/mid/encoder.safetensors" "$ASR_MIN"
}

whole=$(echo "$MID_MIN $ASR_MIN" | awk '{ print $1 + $2 }')
asr none none "$whole" &
a=$!
asr ssl "$PRETRAINED" "$whole" &
b=$!
wait "$a" || exit 1
wait "$b" || exit 1
translation_arm ssl-st-de de &
c=$!
translation_arm ssl-st-es es &
d=$!
wait "$c" || exit 1
wait "$d" || exit 1
stage table "$RUN/table.md" "$PYTHON" training/report_multistage.py --run-dir "$RUN" --out "$RUN/table.md"
cat "$RUN/table.md"
say "multi-stage ablation done: $RUN/table.md"
