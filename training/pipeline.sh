# Shared by run_all.sh and run_wide.sh, sourced once DATA, RUN, CONFIG, PYTHON, THREADS, DEVICE, DOC and LOG are set
# (LM_FILE and LM_OPTIONS, the language model's file name under RUN and its build_lm.py options, and EVAL_OPTIONS,
# more evaluate.py options, are optional).

say() { echo "$(date '+%Y-%m-%d %H:%M:%S') $*" | tee -a "$LOG"; }
stage() {  # stage NAME DONE_FILE COMMAND...
    name=$1; done_file=$2; shift 2
    if [ -e "$done_file" ]; then say "skip $name ($done_file exists)"; return 0; fi
    say "start $name: $*"
    start=$(date +%s)
    "$@" >> "$LOG" 2>&1 || { say "FAILED $name (rerun this script to resume)"; exit 1; }
    say "end $name: $(( $(date +%s) - start )) s"
}

# final_stages NAME TRANSLATION_MIN EVAL_THREADS DOMAIN...: after $RUN/base.safetensors and the domains'
# adapters: the final checkpoint $RUN/NAME.ckpt (TorchSharp) and NAME.safetensors, the language model, a
# translation adapter per translation domain whose data exists (side by side; TRANSLATION_MIN is the default
# budget) and the evaluation.
final_stages() {
    final=$1; translation_min=$2; eval_threads=$3; shift 3
    adapters=""
    for domain in "$@"; do
        adapters="$adapters --adapter $RUN/adapters/$domain/adapter.safetensors"
    done
    say "assemble final checkpoint"
    # shellcheck disable=SC2086  # adapters is a list of options
    "$PYTHON" training/assemble_checkpoint.py --base "$RUN/base.safetensors" --config "$CONFIG" $adapters \
        --torchsharp "$RUN/$final.ckpt" --safetensors "$RUN/$final.safetensors" >> "$LOG" 2>&1

    lm="$RUN/${LM_FILE:-lm.arpa}"
    # shellcheck disable=SC2086  # LM_OPTIONS is a list of options
    stage "language model" "$lm" "$PYTHON" training/build_lm.py --data "$DATA" --out "$lm" ${LM_OPTIONS:-}

    languages=""
    translations=""
    for language in de es; do  # side by side
        [ -e "$DATA/translate-$language/train.jsonl" ] || continue
        languages="$languages${languages:+,}$language"
        stage "translation $language" "$RUN/translation/$language/done.json" "$PYTHON" training/train_translation.py \
            --language "$language" --data "$DATA" --config "$CONFIG" --base "$RUN/base.safetensors" \
            --out "$RUN/translation/$language" --threads "$THREADS" --device "$DEVICE" \
            --epochs "${TRANSLATION_EPOCHS:-60}" --time-budget-min "${TRANSLATION_MIN:-$translation_min}" &
        translations="$translations $!"
    done
    for pid in $translations; do wait "$pid" || exit 1; done
    if [ -n "$languages" ]; then
        stage "translation evaluation" "$RUN/translation/eval.json" "$PYTHON" training/evaluate_translation.py \
            --data "$DATA" --run-dir "$RUN" --config "$CONFIG" --languages "$languages" --threads "$THREADS"
    fi

    if [ -n "$DOC" ]; then doc_option="--doc $DOC"; else doc_option=""; fi
    # shellcheck disable=SC2086
    stage evaluate "$RUN/eval/done" "$PYTHON" training/evaluate.py --data "$DATA" --run-dir "$RUN" --config "$CONFIG" \
        --checkpoint "$RUN/$final.safetensors" --lm "$lm" --threads "$eval_threads" $doc_option ${EVAL_OPTIONS:-}
    touch "$RUN/eval/done"
    say "pipeline done: $RUN/$final.ckpt"
}
