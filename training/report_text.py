"""The fixed sections of the model report (commands, outputs, recipe details, limitations) that
``evaluate.py --doc`` writes after the measured ones: one variant per pipeline, the reference
(``run_all.sh`` on the reference corpus) and the wide (``run_wide.sh`` on the wide corpus). Only the
export command depends on the run: its checkpoint, its language model and the decoder settings chosen
on the dev sets."""

REFERENCE_COMMANDS = """## Commands

Everything from the repository root, with Debian's interpreter (`/usr/bin/python3`, PyTorch 1.13 CPU).
Data, then the whole pipeline, resumable (finished stages are skipped, an interrupted stage continues
from its last periodic checkpoint):

```sh
/usr/bin/python3 training/data/synthesize.py                # 11.8 h of audio in about 2.5 min
DATA=training/data/generated training/run_all.sh          # log: training/runs/reference/run_all.log
```

It runs these stages, one process per core (`training/run_all.sh` holds the exact options):

```sh
# beside pretraining and CTC: the ablation, CTC from random initialisation
/usr/bin/python3 training/train_ctc.py --data DATA --out RUN/ctc-scratch --init none --threads 1 --epochs 16 \\
    --lr 1.5e-3 --warmup 200 --max-frames 6000 --time-budget-min 62
/usr/bin/python3 training/pretrain_bestrq.py --data DATA --threads 1 --epochs 10 --lr 1.5e-3 --warmup 150 \\
    --time-budget-min 14
/usr/bin/python3 training/train_ctc.py --data DATA --out RUN/ctc --init RUN/pretrain/encoder.safetensors \\
    --threads 1 --epochs 16 --lr 1.5e-3 --warmup 200 --max-frames 6000 --time-budget-min 62
/usr/bin/python3 training/select_base.py --out RUN/clean-base.safetensors     # the lower general/dev WER
# the chosen base fine-tuned on a multi-condition copy of general/train
/usr/bin/python3 training/train_ctc.py --data DATA --out RUN/ctc-mc --init RUN/clean-base.safetensors \\
    --multi-condition 0.5 --threads 2 --epochs 16 --lr 1e-3 --warmup 100 --max-frames 6000 --time-budget-min 45
# then on general/train and the open-text general/extra, same corruption; its best epoch -> RUN/base.safetensors
/usr/bin/python3 training/train_ctc.py --data DATA --out RUN/ctc-open --init RUN/ctc-mc/best.safetensors \\
    --also-train-on extra --multi-condition 0.5 --threads 2 --epochs 8 --lr 5e-4 --warmup 100 --max-frames 6000 \\
    --time-budget-min 42
cp RUN/ctc-open/best.safetensors RUN/base.safetensors
for d in telephony far-field accent; do   # all three at once
  /usr/bin/python3 training/train_adapter.py --domain $d --data DATA --base RUN/base.safetensors --threads 1 \\
      --epochs 30 --lr 3e-3 --warmup 30 --time-budget-min 12 &
done; wait
/usr/bin/python3 training/assemble_checkpoint.py --base RUN/base.safetensors \\
    --adapter RUN/adapters/telephony/adapter.safetensors --adapter RUN/adapters/far-field/adapter.safetensors \\
    --adapter RUN/adapters/accent/adapter.safetensors --torchsharp RUN/reference.ckpt \\
    --safetensors RUN/reference.safetensors
/usr/bin/python3 training/build_lm.py --data DATA --out RUN/lm.arpa   # word trigram model of the training text
# only for the translation domains whose data exists (synthesize.py --domains ...,translate-de,translate-es)
/usr/bin/python3 training/train_translation.py --language de --data DATA --base RUN/base.safetensors --threads 1 \\
    --epochs 60 --time-budget-min 20 &                                # and --language es beside it
/usr/bin/python3 training/evaluate_translation.py --data DATA --languages de,es --threads 1
/usr/bin/python3 training/evaluate.py --data DATA --threads 1 --doc docs/models.md
```

`RUN` is `training/runs/reference`. The shipped model is then exported with the C# exporter, with the
language model and the decoder settings `evaluate.py` chose on the dev sets:
"""

WIDE_COMMANDS = """## Commands

Everything from the repository root, with Debian's interpreter (`/usr/bin/python3`, PyTorch 1.13 CPU).
Data, then the pipeline, resumable (finished stages are skipped, an interrupted stage continues from its last
periodic checkpoint; `UNTIL=pretrain|base|ablation|mc|adapters` stops after a stage, so it runs a stage or two
at a time):

```sh
/usr/bin/python3 training/data/synthesize.py --corpus wide \\
    --domains general,telephony,far-field,accent,translate-de,translate-es     # 66.5 h of audio in about 19 min
training/run_wide.sh                                       # log: training/runs/wide/run_all.log
```

It runs these stages, one process per core (`training/run_wide.sh` holds the exact options and budgets):

```sh
# beside pretraining and CTC: the ablation, CTC from random initialisation
/usr/bin/python3 training/train_ctc.py --data DATA --out RUN/ctc-scratch --init none --threads 1 --epochs 10 \\
    --lr 1.5e-3 --warmup 300 --max-frames 6000 --time-budget-min 105 --stats-skip-silence --speed-perturb 0.9,1.0,1.1
/usr/bin/python3 training/pretrain_bestrq.py --data DATA --out RUN/pretrain --threads 1 --epochs 8 --lr 1.5e-3 \\
    --warmup 300 --codebook-size 1024 --time-budget-min 100 --mask-prob 0.12 --mask-span 3 --stats-skip-silence
/usr/bin/python3 training/train_ctc.py --data DATA --out RUN/ctc --init RUN/pretrain/encoder.safetensors \\
    --threads 1 --epochs 10 --lr 1.5e-3 --warmup 300 --max-frames 6000 --time-budget-min 105 --stats-skip-silence \\
    --speed-perturb 0.9,1.0,1.1
/usr/bin/python3 training/select_base.py --run-dir RUN --out RUN/clean-base.safetensors   # the lower general/dev WER
# the low-resource ablation: per domain and M in 15, 5, from RUN/ctc and RUN/ctc-scratch side by side
/usr/bin/python3 training/train_adapter.py --domain D --base RUN/ctc/best.safetensors \\
    --out RUN/low-resource/D-Mmin/ctc --threads 1 --epochs 30 --lr 3e-3 --warmup 30 --time-budget-min 6 \\
    --train-minutes M --test
# the chosen base fine-tuned on a multi-condition copy of general/train; its best epoch -> RUN/base.safetensors
/usr/bin/python3 training/train_ctc.py --data DATA --out RUN/ctc-mc --init RUN/clean-base.safetensors \\
    --multi-condition 0.5 --threads 2 --epochs 10 --lr 1e-3 --warmup 150 --max-frames 6000 --time-budget-min 100 \\
    --speed-perturb 0.9,1.0,1.1
cp RUN/ctc-mc/best.safetensors RUN/base.safetensors
for d in telephony far-field accent; do   # all three at once
  /usr/bin/python3 training/train_adapter.py --domain $d --data DATA --base RUN/base.safetensors \\
      --out RUN/adapters/$d --threads 1 --epochs 30 --lr 3e-3 --warmup 30 --time-budget-min 35 &
done; wait
/usr/bin/python3 training/assemble_checkpoint.py --base RUN/base.safetensors \\
    --adapter RUN/adapters/telephony/adapter.safetensors --adapter RUN/adapters/far-field/adapter.safetensors \\
    --adapter RUN/adapters/accent/adapter.safetensors --torchsharp RUN/wide.ckpt --safetensors RUN/wide.safetensors
# word bigram model of the training text less GCIDE's, gzip-compressed
/usr/bin/python3 training/build_lm.py --data DATA --out RUN/lm.arpa.gz --order 2 --bigram-min-count 2 --decimals 4 \\
    --exclude-sources gcide-quotation,gcide-definition,gcide-note
/usr/bin/python3 training/train_translation.py --language de --data DATA --base RUN/base.safetensors --threads 1 \\
    --epochs 60 --time-budget-min 45 &                                # and --language es beside it
/usr/bin/python3 training/evaluate_translation.py --data DATA --run-dir RUN --languages de,es --threads 1
/usr/bin/python3 training/evaluate.py --data DATA --run-dir RUN --checkpoint RUN/wide.safetensors \\
    --lm RUN/lm.arpa.gz --threads 2 --oov-penalties off,2,4,8 --doc docs/models.md
```

`DATA` is `training/data/generated-wide`, `RUN` is `training/runs/wide`. The shipped model is then exported with
the C# exporter, with the language model and the decoder settings `evaluate.py` chose on the dev sets:
"""

OUTPUTS = """The translation adapters are packed with `export-adapter --decoder` (models/README.md). The test suite runs
the same pipeline at smoke scale (a few seconds of audio per set, German translation included, one epoch per
stage, export, serve, transcribe, translate): `tests/Serving.Tests/Pipeline/TrainingPipelineSmokeTests.cs`.

Outputs (under `{run}/`, git-ignored but for what later stages need):
`pretrain/encoder.safetensors`, `ctc/best.safetensors`, `ctc-scratch/best.safetensors` (ablation),
`ctc-mc/best.safetensors`, {base_line},
`adapters/<domain>/adapter.safetensors` (adapter-only), and the final checkpoint with the base model and all three
adapters: **`{final}.ckpt`** (TorchSharp `Module.save` format) and `{final}.safetensors`; `eval/results.json` holds
the error rates and the transcripts. Every stage writes `log.txt`,
`state.pt` (resume state) and `done.json`.
"""

RECIPE_FEATURES = """## Recipe details

- **Features**: the contract's log-mel frontend; `frontend_norm.mean/std` are computed on the pretraining
  audio before pretraining and carried through every later stage."""

REFERENCE_BESTRQ_MASK = """Spans of 10 encoder frames (400 ms) start at each encoder frame with probability 0.05
  (about 40 % of the frames masked; at least one span per utterance)"""

WIDE_BESTRQ_MASK = """Spans of 3 encoder frames (120 ms) start at each encoder frame with probability 0.12
  (about 31 % of the frames masked; at least one span per utterance; short spans leave most masked frames an
  unmasked neighbour within the streaming chunk, `training/bestrq_targets.py`)"""

RECIPE_BESTRQ = """\
- **BEST-RQ**: a frozen random-projection quantizer: 4 stacked normalised feature frames (one encoder
  frame, 320 values) x a Xavier-random 320x16 matrix, L2-normalised, nearest of 1024 random unit
  vectors. {mask}; masked frames are replaced by
  N(0, 0.1^2) noise in the normalised domain. A linear layer over `encoder_out` predicts the codes of
  masked frames (cross-entropy). The encoder runs exactly as in serving (`full_pass`: chunk mask,
  identity adapters). The prediction head is discarded afterwards."""

RECIPE_CTC = """\
- **CTC**: all base parameters, CTC (blank 0) on `general/train`; word boundaries `▁` are placed
  between words only; SpecAugment-lite (2 frequency masks up to 12 bins, 2 time masks up to
  min(20 frames, 5 % of the utterance), masked values = feature mean); the best epoch by
  `general/dev` WER is kept. Of the two base models (with and without pretraining) the one with the
  lower `general/dev` WER goes on to the multi-condition stage."""

WIDE_SPEED_PERTURBATION = """\
- **Speed perturbation** (CTC and multi-condition stages): each training utterance is played at 0.9, 1.0 or
  1.1 times its speed, drawn per step, by resampling its features in time (`recipe.speed_perturb`: the features
  of the audio played faster or slower, pitch and tempo together)."""

WIDE_LOW_RESOURCE = """\
- **Low-resource ablation**: an adapter per domain trained as below on the first 15 or 5 minutes of the
  domain's training audio, from each of the two CTC base models (before the multi-condition stage), the two of
  a pair side by side with one thread each, the same budget and epoch cap; test WER of the best dev epoch."""

RECIPE_MULTI_CONDITION = """\
- **Multi-condition fine-tuning**: the chosen base, trained on (warm restart, peak learning rate 1e-3) where
  each utterance of `general/train` is, with probability 0.5 per step, replaced by a
  corrupted copy made once per utterance (`training/speechfm/augment.py`): with probability 0.7 convolved with a
  synthetic room impulse response (Gaussian tail, RT60 0.2-0.8 s, direct-to-reverberant ratio -5..10 dB), then
  white, pink or brown noise at 5-25 dB SNR. It differs on purpose from the `far-field` generator (sox reverb,
  babble, low-pass): the base learns generic robustness, the adapter the domain. Model selection stays on clean
  `general/dev`."""

REFERENCE_OPEN_TEXT = """\
- **Open-text fine-tuning**: the multi-condition model's best epoch, trained on for another 8 epochs (peak learning
  rate 5e-4, 42-minute budget) on `general/train` plus `general/extra`: 6 h of the same voices reading sentences of
  the text source outside the closed vocabulary (none of them holds a dev or test sentence or shares six words in a
  row with one; [training/data](../training/data/README.md)), with the same multi-condition corruption. The
  closed pool's 3,404 sentences are read again and again by the earlier stages, and the model learns them
  by heart (training CTC loss about 0.15 at the end of the multi-condition stage, 0.7-0.8 on the first batches
  of this one, a third of them from the closed pool, in the stages' logs); the open text gives it new word
  sequences to spell. Model selection stays on clean `general/dev`; the best epoch is the base for the adapters
  and the shipped model."""

RECIPE_ADAPTERS = """\
- **Adapters**: a fresh identity adapter per domain (zero `up` weights) with the base head copied in;
  only `adapters.<domain>.*` (43,709 parameters) train, the encoder is frozen and runs without
  dropout; the best epoch by the domain's dev WER is kept. Adapter names are the data domain names
  (`telephony`, `far-field`, `accent`; they match `[a-z0-9][a-z0-9_-]{0,63}`)."""

REFERENCE_LANGUAGE_MODEL = """\
- **Language model**: `training/build_lm.py`, a word trigram model (interpolated absolute discounting written
  in ARPA back-off form; trigrams seen once left out) of `sentences/train.txt` and the open-text
  `sentences/extra.txt`, counted within the training vocabulary (an open-text word outside it breaks the n-grams
  around it); its unigrams are the decoder's lexicon."""

WIDE_LANGUAGE_MODEL = """\
- **Language model**: `training/build_lm.py`, a word bigram model (interpolated absolute discounting written
  in ARPA back-off form) of the 179,968 sentences of `sentences/train.txt` that do not come from GCIDE (whose
  GPL would bind the model; training/README.md, "Language model of the wide corpus", has the choice and its
  figures), all their 54,167 words, bigrams seen once left out, scores to 4 decimals, gzip-compressed for the
  40 MB budget of `models/`; its unigrams are the decoder's lexicon, and `<unk>` scores the words outside it on
  the unknown-word path ([decoding.md](decoding.md))."""

RECIPE_DECODER_AND_OPTIMISATION = """
  The weight and word bonus serve every adapter, so they are chosen on all four dev sets together (`general`
  with the base model, each other domain with its adapter); the beam width is fixed at 32.
- **Optimisation**: AdamW (betas 0.9/0.98), linear warm-up then cosine decay to 2 % of the peak,
  gradient clipping at 5, length-sorted batches of at most 6,000 (CTC) or 8,000 padded feature frames in a seeded
  order per epoch. Seeds fix initialisation, batch order, masks and augmentation.
- **Time budgets**: `--time-budget-min` makes schedule progress `max(step / total_steps,
  training_time / budget)` and stops at 1, so a stage ends on time with a fully decayed learning rate
  on a slower or busier machine. Without it the schedule is purely step-based and reproducible;
  with it the number of steps depends on the machine's speed (the logs record it).
- **Threads**: one intra-op thread per process and one process per core. On this 2-core machine a
  forward+backward step of one process took about 1 s with one thread; two threads per process
  gained little once another process held the other core (OpenMP threads waiting for it).
"""

REFERENCE_LIMITATIONS = """## Limitations

- The text is closed-vocabulary (the 1,500 most frequent words of the `fortunes` package, see
  [training/data](../training/data/README.md)): every test word was heard in training, in other
  sentences. With the language model the server can only write words of the training text (its
  lexicon); without it (`Serving:LanguageModel=false`) words outside the vocabulary are spelt by ear.
  The language model is a trigram model of about 18,000 sentences of one text source: on real text it would
  need a far larger corpus."""

WIDE_LIMITATIONS = """## Limitations

- The text comes from a few Debian packages (fortunes, WordNet, GCIDE, The Devil's Dictionary): much of it is
  dictionary definitions and 1913 literary quotations, far from conversational speech; the open set's
  out-of-vocabulary rate beside its WER above shows how far. The language model is a bigram model of the part
  of that text that is not GCIDE's."""

COMMON_LIMITATIONS = """\
- The speech is synthetic (espeak-ng{engines}); absolute error rates say little about real speech. The
  adapter rows show what {adapter_audio} of in-domain audio and a bottleneck adapter of under 1 % of the
  encoder's parameters recover per domain.
- With `--time-budget-min` the step counts depend on the machine's load; the logs and `done.json`
  files record them.
- The translation corpus comes from a small synchronous grammar (about 150 English words; see
  [training/data](../training/data/README.md)): the BLEU figures show the attention decoder and its serving
  path at work, not translation quality on open text.
"""


def export_command(run, final, lm_file, decoder):
    """The exporter command that writes the shipped model from the run's checkpoint and language model."""
    options = ""
    if decoder:
        options = (f" \\\n    --language-model {run}/{lm_file} --lm-weight {decoder['weight']} "
                   f"--word-bonus {decoder['word_bonus']} --lm-beam-width {decoder['beam_width']}")
        if decoder.get("oov_penalty") is not None:
            options += (f" \\\n    --oov-penalty {decoder['oov_penalty']} "
                        f"--unknown-log10-prob {decoder['unknown_log10_prob']}")
    return ["```sh",
            f"dotnet run --project src/Export -- export --checkpoint {run}/{final}.ckpt \\",
            "    --config training/configs/reference.json --output models/speechfm-en-small --id speechfm-en-small \\",
            f"    --quantize int8 --force{options}",
            "```",
            ""]


def static_sections(wide, run, decoder):
    """The report's fixed sections as lines: ``wide`` picks the pipeline, ``run`` is the run directory as the
    commands name it, ``decoder`` the decoder settings chosen on the dev sets (None without a language model)."""
    final, lm_file = ("wide", "lm.arpa.gz") if wide else ("reference", "lm.arpa")
    base_line = ("`base.safetensors` (a copy of the multi-condition stage's best epoch: the base model),\n"
                 "`low-resource/<domain>-<M>min/<model>/` (the low-resource ablation)" if wide else
                 "`ctc-open/best.safetensors` (the base model, also `base.safetensors`)")
    details = [RECIPE_FEATURES,
               RECIPE_BESTRQ.format(mask=WIDE_BESTRQ_MASK if wide else REFERENCE_BESTRQ_MASK),
               RECIPE_CTC]
    details += [WIDE_SPEED_PERTURBATION, WIDE_LOW_RESOURCE] if wide else []
    details.append(RECIPE_MULTI_CONDITION)
    details += [] if wide else [REFERENCE_OPEN_TEXT]
    details += [RECIPE_ADAPTERS, WIDE_LANGUAGE_MODEL if wide else REFERENCE_LANGUAGE_MODEL]
    text = "\n".join([
        WIDE_COMMANDS if wide else REFERENCE_COMMANDS,
        "\n".join(export_command(run, final, lm_file, decoder)),
        OUTPUTS.format(run=run, base_line=base_line, final=final),
        "\n".join(details) + RECIPE_DECODER_AND_OPTIMISATION,
        WIDE_LIMITATIONS if wide else REFERENCE_LIMITATIONS,
        COMMON_LIMITATIONS.format(engines=" and Festival" if wide else "",
                                  adapter_audio="30 minutes" if wide else "15 minutes"),
    ])
    return text.rstrip("\n").split("\n")
