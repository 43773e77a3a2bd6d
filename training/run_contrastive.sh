#!/bin/sh
# The contrastive speech-text pretraining ablation (training/README.md, "Contrastive speech-text pretraining"),
# resumable: three arms, each an encoder on which two task adapters train on a share of their data.
#   none         the encoder $INIT as it is (INIT=none: a random encoder)                    -> no pretraining stage
#   asr          $INIT -> CTC on general/train (train_ctc.py) for PRETRAIN_MIN, best dev epoch -> $RUN/asr/pretrain/
#   contrastive  $INIT -> InfoNCE between the encoder's pooled outputs and a character text encoder's embeddings of
#                the general/train transcripts (pretrain_contrastive.py) for PRETRAIN_MIN -> $RUN/contrastive/pretrain/
# then, for each arm and each of PERCENTS (of the task's training audio, its first utterances), side by side:
#   the ASR adapter of DOMAIN (train_adapter.py --test)                       -> $RUN/<arm>/<DOMAIN>-<P>pct/
#   the translation adapter and decoder of translate-LANGUAGE (train_translation.py)
#                                                                            -> $RUN/<arm>/translate-<LANGUAGE>-<P>pct/
# and the table of each arm's DOMAIN test WER and translate-LANGUAGE test BLEU / chrF (report_contrastive.py)
#                                                                            -> $RUN/table.md
# Equal compute: both pretraining stages get PRETRAIN_MIN minutes of training time from the same $INIT and run side by
# side; every task run gets TASK_MIN minutes, the same epoch cap, THREADS and DEVICE, whatever its arm and share (each
# stage's --time-budget-min counts its optimisation steps, not loading or dev evaluation; the epoch caps are high
# enough that the budget ends the pretraining stages, while a task run on a small share may reach its cap first).
# The task runs of one arm and share run two at a time (the ASR adapter beside the translation adapter).
# A stage whose done.json exists is skipped; an interrupted one continues from its state.pt.
# Run from anywhere; paths are relative to the repository root. Settings via the environment:
#   DATA        generated data directory (default training/data/generated-wide): general/{train,dev}, DOMAIN/* and
#               translate-LANGUAGE/* (synthesize.py --corpus wide --domains general,telephony,translate-de)
#   RUN         run directory                  (default training/runs/contrastive)
#   INIT        the encoder every arm starts from (default none: random initialisation; or e.g. a BEST-RQ encoder)
#   CONFIG      model architecture             (default training/configs/reference.json)
#   PYTHON      interpreter with torch         (default /usr/bin/python3)
#   THREADS     intra-op threads per process   (default 1: two processes share the two cores)
#   DEVICE      where the training stages run  (default cpu; cuda for a GPU)
#   PRETRAIN_MIN, TASK_MIN      training-time budgets in minutes (60, 20)
#   PRETRAIN_EPOCHS, TASK_EPOCHS  epoch caps (100, 100)
#   MAX_FRAMES  padded feature frames per pretraining batch (6000; a contrastive batch's utterances are its negatives)
#   TRAIN_MINUTES  pretraining on only the first minutes of general/train (default: all of it)
#   DOMAIN      the ASR adapter's domain       (default telephony)
#   LANGUAGE    the translation adapter's: translate-LANGUAGE, de or es (default de: German speech, English text)
#   PERCENTS    shares of the task data, in % of its training audio (default "10 100")
set -eu
cd "$(dirname "$0")/.."
DATA=${DATA:-training/data/generated-wide}
RUN=${RUN:-training/runs/contrastive}
INIT=${INIT:-none}
CONFIG=${CONFIG:-training/configs/reference.json}
PYTHON=${PYTHON:-/usr/bin/python3}
THREADS=${THREADS:-1}
DEVICE=${DEVICE:-cpu}
PRETRAIN_MIN=${PRETRAIN_MIN:-60}
TASK_MIN=${TASK_MIN:-20}
MAX_FRAMES=${MAX_FRAMES:-6000}
DOMAIN=${DOMAIN:-telephony}
LANGUAGE=${LANGUAGE:-de}
PERCENTS=${PERCENTS:-10 100}
mkdir -p "$RUN"
LOG="$RUN/run.log"

# shellcheck source=training/pipeline.sh
. training/pipeline.sh

for set in general/train general/dev "$DOMAIN/train" "$DOMAIN/dev" "$DOMAIN/test" "translate-$LANGUAGE/train" \
        "translate-$LANGUAGE/dev" "translate-$LANGUAGE/test"; do
    [ -e "$DATA/$set.jsonl" ] || { say "no $set in $DATA (generate it: training/data/synthesize.py --corpus wide \
--domains general,$DOMAIN,translate-$LANGUAGE)"; exit 1; }
done
[ "$INIT" = none ] || [ -e "$INIT" ] || { say "no encoder $INIT (INIT=none starts every arm at random)"; exit 1; }
say "contrastive ablation start: DATA=$DATA RUN=$RUN INIT=$INIT THREADS=$THREADS DEVICE=$DEVICE \
PRETRAIN_MIN=$PRETRAIN_MIN TASK_MIN=$TASK_MIN DOMAIN=$DOMAIN LANGUAGE=$LANGUAGE PERCENTS=$PERCENTS"

pretrain() {  # pretrain ARM SCRIPT: the arm's pretraining stage, from $INIT for PRETRAIN_MIN minutes
    # shellcheck disable=SC2086  # the --train-minutes option or nothing
    stage "$1 pretraining" "$RUN/$1/pretrain/done.json" "$PYTHON" "training/$2" --data "$DATA" --config "$CONFIG" \
        --init "$INIT" --out "$RUN/$1/pretrain" --threads "$THREADS" --device "$DEVICE" \
        --epochs "${PRETRAIN_EPOCHS:-100}" --max-frames "$MAX_FRAMES" --time-budget-min "$PRETRAIN_MIN" \
        --stats-skip-silence ${TRAIN_MINUTES:+--train-minutes "$TRAIN_MINUTES"}
}
pretrain contrastive pretrain_contrastive.py &
a=$!
pretrain asr train_ctc.py &
b=$!
wait "$a" || exit 1
wait "$b" || exit 1

tasks() {  # tasks ARM BASE PERCENT: the arm's ASR adapter beside its translation adapter, on PERCENT % of their data
    fraction=$(echo "$3" | awk '{ print $1 / 100 }')
    stage "$DOMAIN adapter $1 $3%" "$RUN/$1/$DOMAIN-$3pct/done.json" "$PYTHON" training/train_adapter.py \
        --domain "$DOMAIN" --data "$DATA" --config "$CONFIG" --base "$2" --out "$RUN/$1/$DOMAIN-$3pct" \
        --threads "$THREADS" --device "$DEVICE" --epochs "${TASK_EPOCHS:-100}" --time-budget-min "$TASK_MIN" \
        --train-fraction "$fraction" --stats-skip-silence --test &
    asr_pid=$!
    stage "translation $1 $3%" "$RUN/$1/translate-$LANGUAGE-$3pct/done.json" "$PYTHON" training/train_translation.py \
        --language "$LANGUAGE" --data "$DATA" --config "$CONFIG" --base "$2" --out "$RUN/$1/translate-$LANGUAGE-$3pct" \
        --threads "$THREADS" --device "$DEVICE" --epochs "${TASK_EPOCHS:-100}" --time-budget-min "$TASK_MIN" \
        --train-fraction "$fraction" --stats-skip-silence &
    translation_pid=$!
    wait "$asr_pid" || exit 1
    wait "$translation_pid" || exit 1
}

for percent in $PERCENTS; do
    tasks none "$INIT" "$percent"
    tasks asr "$RUN/asr/pretrain/best.safetensors" "$percent"
    tasks contrastive "$RUN/contrastive/pretrain/encoder.safetensors" "$percent"
done
# shellcheck disable=SC2086  # PERCENTS is a list
stage table "$RUN/table.md" "$PYTHON" training/report_contrastive.py --run-dir "$RUN" --domain "$DOMAIN" \
    --language "$LANGUAGE" --percents $PERCENTS --out "$RUN/table.md"
cat "$RUN/table.md"
say "contrastive ablation done: $RUN/table.md"
