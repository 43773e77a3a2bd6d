#!/bin/sh
# The wide model's training pipeline on the wide corpus (training/data/synthesize.py --corpus wide), resumable.
# The reference pipeline (run_all.sh) with the wide corpus's data and budgets sized for it:
#   1. BEST-RQ pretraining on pretrain/train (40 h)           -> $RUN/pretrain/encoder.safetensors
#   2. CTC base model on general/train (20 h) from it, speed perturbation 0.9/1.0/1.1 and SpecAugment
#                                                              -> $RUN/ctc/best.safetensors
#      beside it, the ablation from random initialisation     -> $RUN/ctc-scratch/best.safetensors
#      the lower general/dev WER of the two (select_base.py)  -> $RUN/clean-base.safetensors ($RUN/base.json)
#  2b. with the ablation: the low-resource test of pretraining, an adapter per domain on 15 and on 5 minutes of its
#      audio from each of the two models, side by side at equal budget -> $RUN/low-resource/<domain>-<M>min/<model>/
#      and the frozen-encoder linear probe of the pretrained, a random and the CTC-trained encoder -> $RUN/probe/
#   3. multi-condition fine-tuning (reverberation and noise, speechfm/augment.py) of the chosen model
#                                                              -> $RUN/ctc-mc/best.safetensors = $RUN/base.safetensors
#      (no open-text stage: general/train is open text already)
#   4. the telephony, far-field and accent adapters (all three at once) -> $RUN/adapters/<domain>/adapter.safetensors
#   5. final checkpoint: base + the three adapters            -> $RUN/wide.ckpt (TorchSharp), $RUN/wide.safetensors
#   6. word bigram model of the wide training text less GCIDE's (GPL) sentences, gzip-compressed to fit
#      the 40 MB budget of models/ (training/README.md, "Language model of the wide corpus") -> $RUN/lm.arpa.gz
#   7. a translation adapter + decoder per translation domain whose data exists (synthesize.py --corpus wide
#      --domains general,telephony,far-field,accent,translate-de,translate-es) and their BLEU/chrF
#                                                              -> $RUN/translation/<language>/, translation/eval.json
#   8. evaluation: greedy and with the language model on every domain's test set, the open test set (with its
#      OOV rates) and the new-voice test set              -> $RUN/eval/results.json and the report $DOC
# A stage whose done.json (or output) exists is skipped (the repository holds the outputs of the stages done so far
# that later stages read, under training/runs/wide: see training/README.md, "Wide model: progress"); an
# interrupted stage continues from its state.pt
# (saved every two minutes and after every epoch). Each training stage stops at its time budget with a fully
# decayed learning rate; the budgets below keep every stage (loading and dev evaluations included) within about
# two hours on a 2-core machine (training/README.md, "Wide pipeline", has the estimates).
# Run from anywhere; paths are relative to the repository root. Settings via the environment:
#   DATA     generated data directory         (default training/data/generated-wide)
#   RUN      run directory                    (default training/runs/wide)
#   CONFIG   model architecture               (default training/configs/reference.json)
#   PYTHON   interpreter with torch           (default /usr/bin/python3)
#   THREADS  intra-op threads per process     (default 1: pretraining/CTC and the ablation share the two cores)
#   MC_THREADS  threads of the multi-condition stage, which runs alone (default 2)
#   DEVICE   where the training stages run    (default cpu; cuda for a GPU)
#   ABLATION 1: train the from-scratch CTC model beside pretraining and CTC (default); 0: skip it
#   PRETRAIN_MIN, CTC_MIN, MC_MIN, ADAPTER_MIN, TRANSLATION_MIN  training-time budgets in minutes (100, 105, 100, 35, 45)
#   PRETRAIN_EPOCHS, CTC_EPOCHS, MC_EPOCHS, ADAPTER_EPOCHS, TRANSLATION_EPOCHS  epoch caps (8, 10, 10, 30, 60)
#   CTC_MAX_FRAMES  padded feature frames per CTC batch (6000)
#   CODEBOOK  BEST-RQ codebook size (1024)
#   DOC      report to write                  (default docs/models-wide.md; empty = none)
#   LM_FILE, LM_OPTIONS  the language model's file name and build_lm.py options (lm.arpa.gz, as in stage 6)
#   EVAL_OPTIONS  more evaluate.py options (default: the unknown-word path's penalty chosen on the dev sets
#            from off,2,4,8, as the open vocabulary needs it)
#   LOW_RESOURCE_MINUTES, LOW_RESOURCE_MIN  the low-resource ablation's amounts of domain audio ("15 5") and
#            budget per adapter in minutes (6)
#   PROBE_STEPS  training steps of each frozen-encoder probe (1500)
#   UNTIL    stop after this stage: pretrain, base (stage 2 and the choice), ablation (stage 2b), mc (stage 3) or
#            adapters (stage 4), to run the pipeline a stage or two at a time
set -eu
cd "$(dirname "$0")/.."
DATA=${DATA:-training/data/generated-wide}
RUN=${RUN:-training/runs/wide}
CONFIG=${CONFIG:-training/configs/reference.json}
PYTHON=${PYTHON:-/usr/bin/python3}
THREADS=${THREADS:-1}
DEVICE=${DEVICE:-cpu}
ABLATION=${ABLATION:-1}
MAX_FRAMES=${CTC_MAX_FRAMES:-6000}
DOC=${DOC-docs/models-wide.md}
LM_FILE=${LM_FILE:-lm.arpa.gz}
GPL_SOURCES=gcide-quotation,gcide-definition,gcide-note  # GCIDE's GPL would bind a model of its text
LM_OPTIONS=${LM_OPTIONS:---order 2 --bigram-min-count 2 --decimals 4 --exclude-sources $GPL_SOURCES}
EVAL_OPTIONS=${EVAL_OPTIONS:---oov-penalties off,2,4,8}
case "${UNTIL:-}" in
    "" | pretrain | base | ablation | mc | adapters) ;;
    *) echo "UNTIL=$UNTIL: expected pretrain, base, ablation, mc or adapters" >&2; exit 2 ;;
esac
mkdir -p "$RUN"
LOG="$RUN/run_all.log"  # the name evaluate.py reads the pipeline's wall-clock from

# shellcheck source=training/pipeline.sh
. training/pipeline.sh

needed="general/train general/dev general/test"
[ -e "$RUN/pretrain/done.json" ] || needed="pretrain/train $needed"  # a finished pretraining needs no audio
for set in $needed; do
    [ -e "$DATA/$set.jsonl" ] || { say "no $set in $DATA (generate it: training/data/synthesize.py --corpus wide)"; exit 1; }
done
say "pipeline start: DATA=$DATA RUN=$RUN THREADS=$THREADS DEVICE=$DEVICE (wide)"

stop_after() {  # stop_after STAGE: end here when UNTIL names STAGE
    if [ "${UNTIL:-}" = "$1" ]; then say "stopping after $1 (UNTIL=$1)"; exit 0; fi
}

ctc() {  # ctc OUT_DIR INIT: the base model on general/train; INIT "none" trains from scratch
    stage "ctc $1" "$RUN/$1/done.json" "$PYTHON" training/train_ctc.py --data "$DATA" --out "$RUN/$1" \
        --config "$CONFIG" --init "$2" --threads "$THREADS" --device "$DEVICE" --epochs "${CTC_EPOCHS:-10}" \
        --lr 1.5e-3 --warmup 300 --max-frames "$MAX_FRAMES" --time-budget-min "${CTC_MIN:-105}" --stats-skip-silence \
        --speed-perturb 0.9,1.0,1.1
}
adapter() {  # adapter DOMAIN BASE OUT BUDGET_MIN [OPTION...]: DOMAIN's adapter on the base model BASE
    domain=$1; base=$2; out=$3; budget=$4; shift 4
    stage "adapter $domain in $out" "$out/done.json" "$PYTHON" training/train_adapter.py \
        --domain "$domain" --data "$DATA" --config "$CONFIG" --base "$base" --out "$out" \
        --threads "$THREADS" --device "$DEVICE" --epochs "${ADAPTER_EPOCHS:-30}" --lr 3e-3 --warmup 30 \
        --time-budget-min "$budget" "$@"
}
low_resource_adapters() {  # the pretraining ablation where it matters most: adapters on little domain audio
    for domain in telephony far-field accent; do
        [ -e "$DATA/$domain/train.jsonl" ] || continue
        for minutes in ${LOW_RESOURCE_MINUTES:-15 5}; do
            pids=""
            for base in ctc ctc-scratch; do  # side by side: the same budget, threads and machine load
                adapter "$domain" "$RUN/$base/best.safetensors" "$RUN/low-resource/$domain-${minutes}min/$base" \
                    "${LOW_RESOURCE_MIN:-6}" --train-minutes "$minutes" --test &
                pids="$pids $!"
            done
            for pid in $pids; do wait "$pid" || exit 1; done
        done
    done
}

probe() {  # probe NAME INIT: the frozen-encoder probe, how much of the transcript a linear layer reads from each block
    stage "probe $1" "$RUN/probe/$1.json" "$PYTHON" training/probe_ctc.py --data "$DATA" --config "$CONFIG" --init "$2" --limit 600 \
        --steps "${PROBE_STEPS:-1500}" --lr 1e-2 --threads "$THREADS" --json "$RUN/probe/$1.json"
}

scratch=""
if [ "$ABLATION" = 1 ]; then
    ctc ctc-scratch none &
    scratch=$!
fi
stage pretrain "$RUN/pretrain/done.json" "$PYTHON" training/pretrain_bestrq.py --data "$DATA" --config "$CONFIG" \
    --out "$RUN/pretrain" --threads "$THREADS" --device "$DEVICE" --epochs "${PRETRAIN_EPOCHS:-8}" --lr 1.5e-3 \
    --warmup 300 --codebook-size "${CODEBOOK:-1024}" --time-budget-min "${PRETRAIN_MIN:-100}" \
    --mask-prob 0.12 --mask-span 3 --stats-skip-silence
if [ "${UNTIL:-}" = pretrain ] && [ -n "$scratch" ]; then wait "$scratch" || exit 1; fi
stop_after pretrain
ctc ctc "$RUN/pretrain/encoder.safetensors"
if [ -n "$scratch" ]; then wait "$scratch" || exit 1; fi
stage "select base model" "$RUN/base.json" "$PYTHON" training/select_base.py --run-dir "$RUN" \
    --out "$RUN/clean-base.safetensors"
stop_after base
if [ "$ABLATION" = 1 ]; then
    low_resource_adapters
    mkdir -p "$RUN/probe"
    probe pretrained "$RUN/pretrain/encoder.safetensors"
    probe random none
    probe ctc "$RUN/ctc/best.safetensors"
fi
stop_after ablation
stage "multi-condition base" "$RUN/ctc-mc/done.json" "$PYTHON" training/train_ctc.py --data "$DATA" \
    --out "$RUN/ctc-mc" --config "$CONFIG" --init "$RUN/clean-base.safetensors" --multi-condition 0.5 \
    --threads "${MC_THREADS:-2}" --device "$DEVICE" --epochs "${MC_EPOCHS:-10}" --lr 1e-3 --warmup 150 \
    --max-frames "$MAX_FRAMES" --time-budget-min "${MC_MIN:-100}" --speed-perturb 0.9,1.0,1.1
cp "$RUN/ctc-mc/best.safetensors" "$RUN/base.safetensors"
stop_after mc

DOMAINS=""
PIDS=""
for domain in telephony far-field accent; do  # side by side
    [ -e "$DATA/$domain/train.jsonl" ] || { say "no $domain/train in $DATA: no $domain adapter"; continue; }
    DOMAINS="$DOMAINS $domain"
    adapter "$domain" "$RUN/base.safetensors" "$RUN/adapters/$domain" "${ADAPTER_MIN:-35}" &
    PIDS="$PIDS $!"
done
for pid in $PIDS; do wait "$pid" || exit 1; done
stop_after adapters
# shellcheck disable=SC2086  # DOMAINS is a list of names
final_stages wide 45 "${MC_THREADS:-2}" $DOMAINS
