#!/usr/bin/python3
"""Word error rates of the reference model on every domain's test set, greedy and with the word
language model (lexicon-constrained beam search, docs/decoding.md), and the model report
``docs/models.md``.

Matrix: the base model (identity adapters, base ``ctc`` head) on every domain's test set, and each
domain adapter found in the checkpoint on its own domain's test set (adapter names are the data
domain names). Where the data has them (the wide corpus, ``synthesize.py --corpus wide``), the base model
also on the held-out sets of ``general``: ``open-test`` (everyday sentences of no text source) and
``voice-test`` (voices kept out of all training), each with the out-of-vocabulary rates of its words against
the training text (``sentences/train.txt``, the language model's lexicon) and against the words that the
``general/train`` audio reads. Results go to ``<run>/eval/results.json``; with ``--doc`` the report is
(re)written from the results, ``<run>/notes.md`` when present (what happened in this run that the logs do
not say), the stage logs (wall-clock per stage: for each process run of a
stage, first to last log line, summed over resumed runs), the ``done.json`` files and the data
manifests.

The language model's weight and word bonus are one setting for every adapter of the model (model.json), so
they are chosen on the dev sets of all domains together, each decoded as served (`general` with the base
model, every other domain with its adapter), with ``general``'s held-out dev sets (``open-dev``, ``voice-dev``)
where the data has them: the grid of ``--lm-weights`` x ``--word-bonuses`` with the
fewest word errors over all of them, before any test set is decoded. The choice is in ``results.json``
under ``decoder`` and is what the exporter writes into model.json.
"""

import argparse
import datetime
import itertools
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402

import report_text  # noqa: E402
from speechfm import recipe, text  # noqa: E402
from speechfm.checkpoint import load_model  # noqa: E402
from speechfm.config import REFERENCE_CONFIG_PATH, ModelConfig  # noqa: E402
from speechfm.lexicon_decoder import DEFAULT_UNKNOWN_LOG10_PROB, ArpaModel, LexiconDecoder  # noqa: E402
from data import corpus  # noqa: E402

STAGE_HEADERS = {
    "pretrain": "BEST-RQ pretraining:",
    "ctc": "CTC training:",
    "adapter": "adapter training:",
    "evaluate": "evaluation:",
}


def stage_seconds(log_path: Path, header: str):
    """Wall-clock seconds of a stage from its log: per process run (a header line starts one),
    last line minus first line, summed. ``None`` when the log does not exist."""
    if not log_path.exists():
        return None
    total, start, last, runs = 0.0, None, None, 0
    with open(log_path, encoding="utf-8") as handle:
        for line in handle:
            try:
                stamp = datetime.datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S")
            except ValueError:
                continue
            if header in line:
                if start is not None:
                    total += (last - start).total_seconds()
                start, runs = stamp, runs + 1
            last = stamp
    if start is not None:
        total += (last - start).total_seconds()
    return {"seconds": total, "runs": runs}


# Held-out sets of `general` beside its test set (wide corpus): key -> (split prefix, label in the report).
HELD_OUT_SETS = {"open": ("open-", "open: everyday sentences of no text source"),
                 "voice": ("voice-", "new voices: voices kept out of all training")}


def data_sizes(data_dir):
    rows = []
    for domain in ("pretrain",) + recipe.DOMAINS:
        for split in ("train", "extra", "dev", "test", "open-dev", "open-test", "voice-dev", "voice-test"):
            path = recipe.manifest_path(data_dir, domain, split)
            if path.exists():
                entries = recipe.read_manifest(path)
                rows.append({"set": f"{domain}/{split}", "utterances": len(entries),
                             "minutes": sum(float(e.get("duration", 0)) for e in entries) / 60,
                             "sample_rate": entries[0].get("sample_rate") if entries else None})
    return rows


class Vocabularies:
    """The words a model and its language model know, for OOV rates: the training text (``sentences/train.txt``)
    and the words that the ``general/train`` audio reads (what a character model has heard spelt)."""

    def __init__(self, data_dir):
        self.data_dir = Path(data_dir)
        self._text = self._heard = None

    def text(self):
        if self._text is None:
            path = self.data_dir / "sentences" / "train.txt"
            self._text = corpus.vocabulary(path.read_text(encoding="utf-8").split("\n")) if path.exists() else set()
        return self._text

    def heard(self):
        if self._heard is None:
            path = recipe.manifest_path(self.data_dir, "general", "train")
            self._heard = corpus.vocabulary(e.get("text", "") for e in recipe.read_manifest(path)) if path.exists() \
                else set()
        return self._heard

    def oov(self, utts):
        """OOV rates (tokens, types) of the utterances' reference words against both vocabularies."""
        texts = [u.text for u in utts]
        out = {}
        for name, words in (("training_text", self.text()), ("general_train_audio", self.heard())):
            if words:
                tokens, types = corpus.oov_rate(texts, words)
                out[name] = {"oov_token_rate": tokens, "oov_type_rate": types, "vocabulary": len(words)}
        return out


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    debian = ""
    try:
        debian = "Debian " + Path("/etc/debian_version").read_text().strip()
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "os": debian or platform.platform(),
            "python": platform.python_version(), "torch": torch.__version__}


def pct(value):
    return f"{100 * value:.1f} %"


def fmt_minutes(seconds):
    return "-" if seconds is None else f"{seconds / 60:.1f}"


def read_json(path):
    path = Path(path)
    return json.loads(path.read_text()) if path.exists() else None


def render_served_translation(served, results, add):
    """The server's own scores (``score_served_translation.py --out``) beside the reference implementation's,
    for the beam widths that both measured (1 is greedy)."""
    rows = []
    for domain, splits in (served or {}).items():
        for split, widths in splits.items():
            reference = results["domains"].get(domain, {}).get(split)
            for width, scores in sorted(widths.items(), key=lambda item: int(item[0])):
                kind = "greedy" if int(width) == 1 else "beam" if int(width) == results["beam_width"] else None
                if reference and kind:
                    rows.append((f"`{domain}/{split}`", width, reference[kind], scores))
    if not rows:
        add("The server's own decoding (`POST /v1/audio/translations`) was not scored for this report; "
            "`training/score_served_translation.py --out <run>/translation/served.json` against a running server "
            "adds that comparison.")
        add("")
        return
    add("The server's own decoding (`POST /v1/audio/translations`, C#), scored by "
        "`training/score_served_translation.py` against a running server, beside this implementation's:")
    add("")
    add("| set | beam width | BLEU here | BLEU served | chrF here | chrF served |")
    add("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, width, here, there in rows:
        add(f"| {name} | {width} | {here['bleu']:.1f} | {there['bleu']:.1f} | {here['chrf']:.1f} | {there['chrf']:.1f} |")
    add("")
    largest = max(max(abs(here["bleu"] - there["bleu"]), abs(here["chrf"] - there["chrf"])) for _, _, here, there in rows)
    add(f"Largest difference: {largest:.2f} points.")
    add("")


def render_translation(translation_dir: Path, add):
    """The speech translation section, from ``evaluate_translation.py``'s eval.json and the domains' done.json."""
    results = read_json(translation_dir / "eval.json")
    if not results or not results["domains"]:
        return
    add("## Speech translation")
    add("")
    add("Translation adapters (German or Spanish speech to English text): the frozen base encoder with one encoder")
    add("adapter plus an attention decoder per language ([model.md](model.md), \"Translation decoder\"), trained by")
    add("`training/train_translation.py`, scored by `training/evaluate_translation.py` with corpus BLEU-4 and chrF")
    add(f"(greedy, and beam search of width {results['beam_width']} with length penalty {results['length_penalty']}; "
        "both with the key/value cache).")
    add("")
    add("| set | utterances | greedy BLEU | greedy chrF | beam BLEU | beam chrF |")
    add("| --- | ---: | ---: | ---: | ---: | ---: |")
    for domain, splits in results["domains"].items():
        for split in ("test", "dev"):
            entry = splits[split]
            add(f"| `{domain}/{split}` | {entry['utterances']} | {entry['greedy']['bleu']:.1f} | "
                f"{entry['greedy']['chrf']:.1f} | {entry['beam']['bleu']:.1f} | {entry['beam']['chrf']:.1f} |")
    add("")
    for domain in results["domains"]:
        done = read_json(translation_dir / domain.removeprefix("translate-") / "done.json")
        if done:
            add(f"- `{domain}`: {done['utterances']} training utterances ({60 * done['hours']:.0f} min), "
                f"{done['train_seconds'] / 60:.1f} min of training ({done['epochs_completed']} epochs, dev BLEU best "
                f"at epoch {done['best_epoch']}); adapter {done['adapter_parameters']:,} and decoder "
                f"{done['decoder_parameters']:,} parameters, {done['vocabulary_size']} output words.")
    add("")
    render_served_translation(read_json(translation_dir / "served.json"), results, add)
    add("Each run trains for a wall-clock budget (`--time-budget-min`, learning rate schedule fitted to it), so the")
    add("epochs it reaches depend on how busy the machine is; the epoch with the best dev BLEU is kept.")
    add("")
    add("```sh")
    add("/usr/bin/python3 training/data/synthesize.py --domains translate-de,translate-es")
    add("/usr/bin/python3 training/train_translation.py --language de --threads 1 --time-budget-min 20 &")
    add("/usr/bin/python3 training/train_translation.py --language es --threads 1 --time-budget-min 20 &")
    add("wait")
    add(f"/usr/bin/python3 training/evaluate_translation.py --beam-width {results['beam_width']} "
        f"--length-penalty {results['length_penalty']}")
    add("/usr/bin/python3 training/evaluate.py --reuse-results --doc docs/models.md")
    add("```")
    add("")


def render_held_out(results, add):
    """The table of the `general` test sets (in-domain, open, new voices) with their OOV rates, when evaluated."""
    held = results.get("held_out") or {}
    general = results["base"].get("general")
    if not held or general is None:
        return
    add("### Held-out text and voices (`general`, base model)")
    add("")
    add("In-domain: held-out sentences of the training text's sources, training voices. Open: everyday sentences")
    add("of no source, training voices. New voices: the in-domain sentences read by voices no training set uses.")
    add("OOV: share of the reference words (tokens) outside the training text (the language model's lexicon, so")
    add("words the decoder cannot write) and outside the words the `general/train` audio reads.")
    add("")
    add("| test set | utterances / words | OOV: training text | OOV: heard in general/train | WER | greedy WER | "
        "greedy CER |")
    add("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    rows = [("in-domain", results.get("split", "test"), general)]
    rows += [(HELD_OUT_SETS[key][1].split(":")[0], entry["set"].split("/", 1)[1], entry) for key, entry in held.items()]
    for label, split, entry in rows:
        oov = entry.get("oov", {})
        cells = [f"{entry['utterances']} / {entry['words']}"]
        cells += [pct(oov[k]["oov_token_rate"]) if k in oov else "-" for k in ("training_text", "general_train_audio")]
        cells += [pct(entry["lm"]["wer"]) if "lm" in entry else "-", pct(entry["wer"]), pct(entry["cer"])]
        add(f"| {label} (`general/{split}`) | " + " | ".join(cells) + " |")
    add("")
    for key, entry in held.items():
        with_lm = f", LM `{entry['lm']['example_hyp']}`" if "lm" in entry else ""
        add(f"- {key}: ref `{entry['example_ref']}`, greedy `{entry['example_hyp']}`{with_lm}")
    add("")


def held_out_dev(decoder):
    """`` and <held-out dev sets>`` when the decoder's settings were chosen with them too, else nothing."""
    names = [f"`{name}`" for name in (decoder.get("grid") or [{}])[0].get("dev_wer_per_domain", {}) if "/" in name]
    return f" and {' and '.join(names)}" if names else ""


def render_doc(results, run_dir: Path, data_rows, timings, settings):
    run_dir = Path(run_dir)
    domains = list(recipe.DOMAINS)
    lines = []
    add = lines.append
    wide = settings.get("corpus") == "wide"
    pipeline_script = "run_wide.sh" if wide else "run_all.sh"
    add(f"# {'Wide' if wide else 'Reference'} model: training run and results")
    add("")
    add("<!-- Written by training/evaluate.py --doc from the run's logs and results; edit the script, not this file. -->")
    add("")
    add("The reference model (architecture and checkpoint names: [model.md](model.md)) trained by the recipes in")
    add("`training/` on the synthetic data of [`training/data/`](../training/data/README.md), CPU only.")
    add("Stages: BEST-RQ self-supervised pretraining on untranscribed audio -> supervised CTC base model on")
    add("`general`, fine-tuned on multi-condition " + ("audio" if wide else "and then open-text audio")
        + " -> one adapter + CTC head per domain with")
    add("the encoder frozen -> evaluation.")
    add("")
    if wide:
        add("This run's data is the wide corpus (`training/data/synthesize.py --corpus wide`: several Debian text")
        add("sources, espeak-ng and Festival voices, open and new-voice test sets) and its pipeline")
        add("`training/run_wide.sh` (no open-text stage: `general/train` is open text; speed perturbation; the")
        add("low-resource ablation of pretraining).")
        add("")
    decoder = results.get("decoder")
    add("## Test error rates")
    add("")
    if decoder:
        add("As served: lexicon-constrained beam search with the word language model ([decoding.md](decoding.md);")
        oov = decoder.get("oov_penalty")
        add(f"weight {decoder['weight']}, word bonus {decoder['word_bonus']}, "
            + (f"unknown-word path with OOV penalty {oov}, " if oov is not None else "")
            + f"beam {decoder['beam_width']}, chosen on "
            f"the dev sets of all domains together{held_out_dev(decoder)}, each as served: {pct(decoder['dev_wer'])}; "
            "`general/dev` "
            f"{pct(decoder['general_dev_wer'])}).")
        add("Greedy CTC decoding, as the model decodes without a language model, beside it.")
        add("")
    add("| test set | base WER | base + adapter WER | relative WER reduction | greedy: base WER | greedy: base + "
        "adapter WER | greedy: relative reduction | greedy: base CER | greedy: base + adapter CER |")
    add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")

    def wer_cells(base, adapted):
        return [pct(base["wer"]), pct(adapted["wer"]) if adapted else "-",
                f"{100 * (1 - adapted['wer'] / base['wer']):.0f} %" if adapted and base["wer"] else "-"]

    for d in domains:
        base, adapted = results["base"].get(d), results["adapters"].get(d)
        if base is None:
            continue
        lm_cells = wer_cells(base["lm"], adapted["lm"] if adapted else None) if "lm" in base else ["-", "-", "-"]
        cells = lm_cells + wer_cells(base, adapted) + [pct(base["cer"]), pct(adapted["cer"]) if adapted else "-"]
        add(f"| {d} | " + " | ".join(cells) + " |")
    add("")
    add("WER counts word substitutions, deletions and insertions against the reference words; CER the same")
    add("over characters and spaces of the normalised text. The adapter of a domain is named after it.")
    check = results.get("adapter_free")
    if check:
        verdict = "identical" if check["max_abs_diff"] == 0 else f"different (max {check['max_abs_diff']:g})"
        add(f"Adapter-free path: the final checkpoint (base model plus three adapters) with no adapter selected")
        add(f"gives log-probabilities {verdict} to the base model it was built on, on all {check['utterances']}")
        add("`general` test utterances.")
    add("")
    render_held_out(results, add)
    if results.get("held_out"):
        add("Every domain's test set reads held-out sentences (no sentence, nor six words in a row of one, is in the")
        add("training text; OOV rates above: see [training/data](../training/data/README.md)).")
    else:
        add("Every domain's test set reads held-out sentences (about 4 minutes of audio; no sentence is in two")
        add("splits, and every test word occurs in the training text: see [training/data](../training/data/README.md)).")
    add("Test utterances / reference words: " + ", ".join(
        f"{d} {r['utterances']} / {r['words']}" for d, r in results["base"].items()) + ".")
    dev_lines = []
    base_stage = "ctc-open" if (run_dir / "ctc-open").exists() else "ctc-mc"  # the wide pipeline has no ctc-open
    history = read_json(run_dir / base_stage / "history.json")
    if history:
        best = min(history, key=lambda h: h["dev_wer"])
        dev_lines.append(f"base model `general/dev` {pct(best['dev_wer'])} (epoch {best['epoch']} of `{base_stage}`)")
    for name in results["adapters"]:
        done = read_json(run_dir / "adapters" / name / "done.json")
        if done:
            dev_lines.append(f"`{name}` dev: base {100 * done['base_dev_wer']:.1f} % -> adapter "
                             f"{100 * done['best_dev_wer']:.1f} %")
    if dev_lines:
        add("Dev-set WER (used for model selection): " + "; ".join(dev_lines) + ".")
    add("")
    add("Examples (first test utterance of each domain, adapter where there is one; greedy, then with the")
    add("language model):")
    add("")
    for d in domains:
        example = results["adapters"].get(d, results["base"].get(d))
        if example:
            with_lm = f", LM `{example['lm']['example_hyp']}`" if "lm" in example else ""
            add(f"- {d}: ref `{example['example_ref']}`, greedy `{example['example_hyp']}`{with_lm}")
    add("")
    ablation = results.get("ablation") or []
    if ablation:
        add("## Pretraining ablation")
        add("")
        add("The base model fine-tuned with CTC on the same `general` training data with the same schedule,")
        add("from the BEST-RQ encoder and from random initialisation (run side by side, one core each).")
        add("Test rows use each run's best checkpoint by dev WER.")
        add("")
        add("| base model | epochs | CTC steps | best `general` dev WER | `general` test WER | `general` test CER |")
        add("| --- | ---: | ---: | ---: | ---: | ---: |")
        for row in ablation:
            epochs = f"{row['epochs']}" + ("" if row["finished"] else " (stopped)")
            add(f"| {row['label']} | {epochs} | {row['steps']} | {pct(row['dev_wer'])} | {pct(row['wer'])} | "
                f"{pct(row['cer'])} |")
        add("")
        epochs = min(len(row["history"]) for row in ablation)
        add(f"`general` dev WER after each of the first {epochs} epochs (same schedule, so the same data and steps")
        add("per column):")
        add("")
        add("| base model | " + " | ".join(str(e) for e in range(epochs)) + " |")
        add("| --- | " + " | ".join("---:" for _ in range(epochs)) + " |")
        for row in ablation:
            cells = [f"{100 * h['dev_wer']:.0f}" for h in row["history"][:epochs]]
            add(f"| {row['label']} | " + " | ".join(cells) + " |")
        add("")
        chosen = read_json(run_dir / "base.json")
        if chosen:
            then = (" and then the open-text stage (`ctc-open`, see the recipe details) give"
                    if (run_dir / "ctc-open").exists() else " gives")
            add(f"Base model chosen (lower dev WER, `training/select_base.py`): `{chosen['chosen']}`; its "
                f"multi-condition fine-tuning (`ctc-mc`){then} the base of the adapters and of the shipped model.")
            add("")
    render_low_resource(results.get("low_resource") or [], add)
    render_probe(results.get("probe") or {}, add)
    render_translation(run_dir / "translation", add)
    params = results.get("parameters")
    if params:
        add("## Parameters")
        add("")
        add("| part | parameters | % of the encoder |")
        add("| --- | ---: | ---: |")
        add(f"| encoder (base model with its CTC head) | {params['encoder']:,} | 100 % |")
        for name, count in params["adapters"].items():
            add(f"| `{name}` adapter (bottleneck adapters + CTC head) | {count:,} | "
                f"{100 * count / params['encoder']:.2f} % |")
        add("")
    notes = run_dir / "notes.md"
    if notes.exists():
        add("## Notes on this run")
        add("")
        lines.extend(notes.read_text(encoding="utf-8").rstrip().split("\n"))
        add("")
    add("## Stage wall-clock times")
    add("")
    add("Measured from the stage logs (first to last line of each process run, summed over resumed runs).")
    add(f"`{pipeline_script}` runs the from-scratch ablation beside pretraining and CTC, one process per core, and")
    add("the three adapters together, so the pipeline's wall-clock is less than the sum of the stages.")
    add("")
    add("| stage | wall-clock (min) | training steps | epochs | details |")
    add("| --- | ---: | ---: | ---: | --- |")
    for row in timings:
        add(f"| {row['stage']} | {fmt_minutes(row['seconds'])} | {row.get('steps', '')} | "
            f"{row.get('epochs', '')} | {row.get('details', '')} |")
    pipeline = settings.get("pipeline")
    if pipeline and pipeline["runs"] == 1:
        add(f"| **whole pipeline** (`{pipeline_script}`) | **{pipeline['seconds'] / 60:.1f}** | | | |")
    add("")
    if pipeline and pipeline["runs"] > 1:
        add(f"The pipeline ran in {pipeline['runs']} parts (see the notes), so it has no single wall-clock time.")
        add("")
    m = settings["machine"]
    add(f"Machine: {m['cores']} CPU cores ({m['cpu']}), {m['os']}, CPU only, Python {m['python']}, "
        f"PyTorch {m['torch']} with OpenBLAS, {settings['threads']} intra-op thread(s) per process.")
    add("")
    add("## Data")
    add("")
    add("| set | utterances | minutes | sample rate |")
    add("| --- | ---: | ---: | ---: |")
    for row in data_rows:
        add(f"| {row['set']} | {row['utterances']} | {row['minutes']:.1f} | {row['sample_rate']} Hz |")
    add("")
    hours = sum(r["minutes"] for r in data_rows) / 60
    add(f"Total {hours:.2f} h. Telephony audio (8 kHz mu-law) is resampled to 16 kHz on load with a windowed-sinc")
    add("filter (`training/speechfm/resample.py`).")
    add("")
    lines.extend(report_text.static_sections(wide, settings["run"], decoder))
    return "\n".join(lines) + "\n"


@torch.no_grad()
def log_probs_of(model, utts, domain):
    """Per utterance, the ``[frames, V]`` log-probabilities of ``model`` (``domain`` None = base)."""
    model.eval()
    out = [None] * len(utts)
    for indices in recipe.make_batches([u.features.shape[0] for u in utts], 16000, 64):
        feats, lens = recipe.collate([utts[i] for i in indices])
        result = model.full_pass(feats, lens, [domain] * len(indices))
        for row, i in enumerate(indices):
            out[i] = result.log_probs[row, : int(result.output_lengths[row])].numpy()
    return out


def error_rates(utts, hyps):
    refs = [u.text for u in utts]
    errors = sum(text.word_errors(r, h)[0] for r, h in zip(refs, hyps))
    words = sum(len(r.split()) for r in refs)
    char_errors = sum(text.edit_distance(list(r), list(h)) for r, h in zip(refs, hyps))
    chars = sum(len(r) for r in refs)
    return {"wer": errors / max(words, 1), "errors": errors, "words": words, "cer": char_errors / max(chars, 1),
            "utterances": len(utts), "example_ref": refs[0], "example_hyp": hyps[0],
            "hypotheses": dict(zip([u.id for u in utts], hyps))}


def score(model, utts, domain, decoder=None):
    """WER and CER of ``model`` (``domain`` None = base) on ``utts``: greedy, and under ``"lm"`` with
    ``decoder`` when given."""
    start = time.time()
    log_probs = log_probs_of(model, utts, domain)
    entry = error_rates(utts, [text.greedy_decode(lp.argmax(-1).tolist()) for lp in log_probs])
    if decoder is not None:
        entry["lm"] = error_rates(utts, [decoder.decode(lp) for lp in log_probs])
    entry["seconds"] = time.time() - start
    return entry


def tune_decoder(model, dev_sets, lm, weights, bonuses, beam_width, log, oov_penalties=(None,),
                 unknown_log10_prob=DEFAULT_UNKNOWN_LOG10_PROB):
    """The (weight, word bonus, OOV penalty) with the fewest word errors over ``dev_sets`` (``{domain:
    (utterances, adapter or None)}``, each decoded with its adapter), and the whole grid. An OOV penalty of
    None is the search without the unknown-word path."""
    log_probs = {domain: log_probs_of(model, utts, adapter) for domain, (utts, adapter) in dev_sets.items()}
    grid = []
    for weight, bonus, oov_penalty in itertools.product(weights, bonuses, oov_penalties):
        decoder = LexiconDecoder(lm, weight, bonus, beam_width, oov_penalty=oov_penalty,
                                 unknown_log10_prob=unknown_log10_prob)
        rates = {domain: error_rates(utts, [decoder.decode(lp) for lp in log_probs[domain]])
                 for domain, (utts, _) in dev_sets.items()}
        wer = sum(r["errors"] for r in rates.values()) / sum(r["words"] for r in rates.values())
        grid.append({"weight": weight, "word_bonus": bonus, "oov_penalty": oov_penalty, "dev_wer": wer,
                     "dev_wer_per_domain": {domain: r["wer"] for domain, r in rates.items()}})
        log(f"decoder weight {weight} word bonus {bonus} OOV penalty {oov_penalty} beam {beam_width}: dev WER "
            f"{100 * wer:.2f}% (" + ", ".join(f"{domain} {100 * r['wer']:.2f}%" for domain, r in rates.items()) + ")")
    best = min(grid, key=lambda g: g["dev_wer"])
    return {"weight": best["weight"], "word_bonus": best["word_bonus"], "oov_penalty": best["oov_penalty"],
            "unknown_log10_prob": unknown_log10_prob, "beam_width": beam_width,
            "dev_wer": best["dev_wer"], "general_dev_wer": best["dev_wer_per_domain"].get("general"), "grid": grid}


@torch.no_grad()
def adapter_free_check(model, base_checkpoint, utts, args, log):
    """The final checkpoint without an adapter against the chosen base model: log-probabilities
    of every test utterance must be identical (attaching adapters must not change the base path)."""
    if not base_checkpoint.exists():
        return None
    base = load_model(ModelConfig.load(args.config), base_checkpoint)
    max_diff = 0.0
    for indices in recipe.make_batches([u.features.shape[0] for u in utts], 16000, 64):
        feats, lens = recipe.collate([utts[i] for i in indices])
        ours = model.full_pass(feats, lens, [None] * len(indices)).log_probs
        theirs = base.full_pass(feats, lens).log_probs
        max_diff = max(max_diff, (ours - theirs).abs().max().item())
    log(f"adapter-free path vs {base_checkpoint}: max |log-prob difference| {max_diff:g} "
        f"over {len(utts)} utterances")
    return {"checkpoint": str(base_checkpoint), "utterances": len(utts), "max_abs_diff": max_diff}


def pretraining_ablation(run_dir, utts, args, log):
    """The CTC base model trained with and without BEST-RQ pretraining: the dev WER after every epoch
    (both runs share one schedule, so epoch k means the same data and steps) and the test WER of
    each run's best checkpoint."""
    rows = []
    for label, sub in (("with BEST-RQ pretraining", "ctc"), ("without pretraining (random init)", "ctc-scratch")):
        checkpoint = run_dir / sub / "best.safetensors"
        history = read_json(run_dir / sub / "history.json")
        if not checkpoint.exists() or not history:
            continue
        entry = score(load_model(ModelConfig.load(args.config), checkpoint), utts, None)
        del entry["hypotheses"]
        entry.pop("lm", None)
        done = read_json(run_dir / sub / "done.json")
        entry.update(label=label, run=sub, history=history, finished=done is not None,
                     steps=done["steps"] if done else history[-1]["step"],
                     epochs=done["epochs_completed"] if done else len(history),
                     dev_wer=min(h["dev_wer"] for h in history))
        rows.append(entry)
        log(f"ablation {label}: general WER {100 * entry['wer']:.2f}%, CER {100 * entry['cer']:.2f}%")
    return rows


def low_resource_ablation(run_dir):
    """The adapters of the low-resource ablation (run_wide.sh, the stage UNTIL=ablation ends with): per domain
    and amount of domain audio, the test WER of the base model and of the adapter trained from each of the two CTC base models."""
    rows = []
    for done_path in sorted((run_dir / "low-resource").glob("*/*/done.json")):
        done = read_json(done_path)
        if "test_wer" not in done:
            continue
        rows.append({"domain": done["domain"], "minutes": done["args"]["train_minutes"], "base": done_path.parent.name,
                     "audio_minutes": 60 * done["hours"], "utterances": done["utterances"], "steps": done["steps"],
                     "epochs": done["epochs_completed"], "train_seconds": done["train_seconds"],
                     "base_test_wer": done["base_test_wer"], "test_wer": done["test_wer"]})
    return rows


PROBE_ENCODERS = (("random", "random initialisation"), ("pretrained", "BEST-RQ pretraining (`pretrain/encoder.safetensors`)"),
                  ("ctc", "the CTC base trained from the pretrained encoder (`ctc/best.safetensors`), for scale"))


def probe_results(run_dir):
    """The frozen-encoder probes of the ablation stage (run_wide.sh, `RUN/probe/<encoder>.json`, probe_ctc.py)."""
    return {name: read_json(run_dir / "probe" / f"{name}.json") for name, _ in PROBE_ENCODERS
            if (run_dir / "probe" / f"{name}.json").exists()}


def render_probe(probes, add):
    if "random" not in probes or "pretrained" not in probes:
        return
    blocks = len(probes["random"]["blocks"])
    first = probes["random"]
    add("## Frozen-encoder probe")
    add("")
    add(f"One linear CTC layer per Conformer block on the frozen outputs of each encoder ({first['steps']} steps, "
        f"batches of {first['batch']} utterances of 600 from `general/train`, learning rate {first['lr']}; `probe_ctc.py`, the stage after the")
    add("low-resource adapters): how much of the transcript each block's features carry. `general/dev` CER:")
    add("")
    add("| encoder | " + " | ".join(f"block {b + 1}" for b in range(blocks)) + " |")
    add("| --- | " + " | ".join("---:" for _ in range(blocks)) + " |")
    for name, label in PROBE_ENCODERS:
        if name in probes:
            add(f"| {label} | " + " | ".join(pct(b["dev_cer"]) for b in probes[name]["blocks"]) + " |")
    add("")
    gains = [r["dev_cer"] - p["dev_cer"] for r, p in zip(probes["random"]["blocks"], probes["pretrained"]["blocks"])]
    direction = "lower" if min(gains) > 0 else "higher" if max(gains) < 0 else "lower at some blocks and higher at others"
    add(f"The pretrained encoder's features give a CER {direction} than random ones "
        f"({100 * min(gains):+.1f} to {100 * max(gains):+.1f} points, random minus pretrained, by block).")
    add("")


def render_low_resource(rows, add):
    runs = {(r["domain"], r["minutes"], r["base"]): r for r in rows}
    pairs = sorted({(d, m) for d, m, _ in runs}, key=lambda k: (k[0], -k[1]))
    pairs = [k for k in pairs if (*k, "ctc") in runs and (*k, "ctc-scratch") in runs]
    if not pairs:
        return
    add("## Pretraining in the low-resource setting")
    add("")
    add("A domain adapter (bottleneck adapters and CTC head, encoder frozen) trained on the first 15 or 5 minutes of")
    add("the domain's training audio, from the CTC base model fine-tuned from the BEST-RQ encoder and from the one")
    add("trained from random initialisation; both adapters of a row ran side by side with the same budget, epochs")
    add("and threads (`run_wide.sh`, the stage `UNTIL=ablation` ends with). Test WER greedy, each adapter's best")
    add("dev epoch.")
    add("")
    add("| domain | audio | base test WER, pretrained / scratch | adapter test WER, pretrained / scratch | "
        "relative WER reduction from pretraining | steps, pretrained / scratch |")
    add("| --- | ---: | ---: | ---: | ---: | ---: |")
    for domain, minutes in pairs:
        pre, scratch = runs[(domain, minutes, "ctc")], runs[(domain, minutes, "ctc-scratch")]
        gain = (scratch["test_wer"] - pre["test_wer"]) / scratch["test_wer"] if scratch["test_wer"] else 0.0
        add(f"| {domain} | {pre['audio_minutes']:.1f} min ({pre['utterances']} utt.) | {pct(pre['base_test_wer'])} / "
            f"{pct(scratch['base_test_wer'])} | {pct(pre['test_wer'])} / {pct(scratch['test_wer'])} | "
            f"{100 * gain:.1f} % | {pre['steps']} / {scratch['steps']} |")
    add("")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default=recipe.DEFAULT_DATA)
    p.add_argument("--run-dir", default=recipe.DEFAULT_RUN)
    p.add_argument("--checkpoint", default=None, help="default <run-dir>/reference.safetensors")
    p.add_argument("--config", default=str(REFERENCE_CONFIG_PATH))
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--split", default="test")
    p.add_argument("--doc", default=None, help="write the report here (e.g. docs/models.md)")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--lm", default=None, help="word language model (ARPA); default <run-dir>/lm.arpa if present")
    p.add_argument("--lm-weights", default="0.3,0.5,0.8,1.0,1.3", help="language-model weights tried on the dev sets")
    p.add_argument("--word-bonuses", default="0,1", help="word bonuses tried on the dev sets")
    p.add_argument("--lm-beam-width", type=int, default=32)
    p.add_argument("--oov-penalties", default="off",
                   help="unknown-word penalties tried on the dev sets ('off' = without the unknown-word path), "
                        "e.g. off,2,4,8")
    p.add_argument("--unknown-log10-prob", type=float, default=DEFAULT_UNKNOWN_LOG10_PROB,
                   help="log10 probability of an unknown word when the language model has no <unk>")
    p.add_argument("--reuse-results", action="store_true",
                   help="only rewrite the report from an existing <run>/eval/results.json")
    args = p.parse_args(argv)
    run_dir = Path(args.run_dir)
    out = run_dir / "eval"
    out.mkdir(parents=True, exist_ok=True)
    log = recipe.Log(out / "log.txt")
    if args.reuse_results:
        results = read_json(out / "results.json")
        if args.doc:
            write_doc(args, run_dir, results)
        return 0
    log(f"evaluation: {vars(args)}")
    eval_start = time.time()
    torch.set_num_threads(args.threads)
    checkpoint = args.checkpoint or str(run_dir / "reference.safetensors")
    model = load_model(ModelConfig.load(args.config), checkpoint)
    log(f"loaded {checkpoint}: domains {model.domains}")
    results = {"checkpoint": os.path.basename(checkpoint), "split": args.split, "base": {}, "adapters": {}}
    lm_path = Path(args.lm) if args.lm else run_dir / "lm.arpa"
    decoder = None
    if lm_path.exists():
        dev_sets = {domain: (recipe.load_utterances(args.data, domain, "dev", log, args.limit),
                             domain if domain in model.domains else None)
                    for domain in recipe.DOMAINS if recipe.manifest_path(args.data, domain, "dev").exists()}
        # The held-out dev sets (new sentences and words, new voices) predict held-out speech best, so they count
        # in the choice too, decoded by the base model as served.
        for prefix, _ in HELD_OUT_SETS.values():
            if recipe.manifest_path(args.data, "general", f"{prefix}dev").exists():
                dev_sets[f"general/{prefix}dev"] = (
                    recipe.load_utterances(args.data, "general", f"{prefix}dev", log, args.limit), None)
        tuned = tune_decoder(model, dev_sets, ArpaModel.read(lm_path), [float(w) for w in args.lm_weights.split(",")],
                             [float(b) for b in args.word_bonuses.split(",")], args.lm_beam_width, log,
                             [None if p == "off" else float(p) for p in args.oov_penalties.split(",")],
                             args.unknown_log10_prob)
        results["decoder"] = {"lm": lm_path.name, **tuned}
        decoder = LexiconDecoder(ArpaModel.read(lm_path), tuned["weight"], tuned["word_bonus"], args.lm_beam_width,
                                 oov_penalty=tuned["oov_penalty"], unknown_log10_prob=args.unknown_log10_prob)
        log(f"decoder: weight {tuned['weight']}, word bonus {tuned['word_bonus']}, OOV penalty {tuned['oov_penalty']}, "
            f"beam {args.lm_beam_width}")
    else:
        log(f"no language model at {lm_path}: greedy decoding only")
    general = None
    for domain in recipe.DOMAINS:
        if not recipe.manifest_path(args.data, domain, args.split).exists():
            log(f"no {domain}/{args.split} set, skipped")
            continue
        utts = recipe.load_utterances(args.data, domain, args.split, log, args.limit)
        if not utts:
            log(f"{domain}/{args.split} is empty, skipped")
            continue
        general = utts if domain == "general" else general
        for name in [None] + ([domain] if domain in model.domains else []):
            entry = score(model, utts, name, decoder)
            entry["domain"] = domain
            if name is None:
                results["base"][domain] = entry
            else:
                results["adapters"][name] = entry
            lm_wer = f", with LM {100 * entry['lm']['wer']:.2f}%" if "lm" in entry else ""
            log(f"{domain}/{args.split} {'base' if name is None else 'adapter ' + name}: "
                f"WER {100 * entry['wer']:.2f}% ({entry['errors']}/{entry['words']}){lm_wer}, "
                f"CER {100 * entry['cer']:.2f}%, {entry['seconds']:.1f} s")
    vocabularies = Vocabularies(args.data)
    if general is not None:
        results["base"]["general"]["oov"] = vocabularies.oov(general)
    held_out = {}
    for key, (prefix, _) in HELD_OUT_SETS.items():
        split = prefix + args.split
        if not recipe.manifest_path(args.data, "general", split).exists():
            continue
        utts = recipe.load_utterances(args.data, "general", split, log, args.limit)
        if not utts:
            continue
        entry = score(model, utts, None, decoder)
        entry.update(domain="general", set=f"general/{split}", oov=vocabularies.oov(utts))
        held_out[key] = entry
        lm_wer = f", with LM {100 * entry['lm']['wer']:.2f}%" if "lm" in entry else ""
        oov = entry["oov"].get("training_text")
        log(f"general/{split} base: WER {100 * entry['wer']:.2f}% ({entry['errors']}/{entry['words']}){lm_wer}, "
            f"CER {100 * entry['cer']:.2f}%" + (f", OOV {100 * oov['oov_token_rate']:.2f}% of the words against the "
                                               "training text" if oov else "") + f", {entry['seconds']:.1f} s")
    if held_out:
        results["held_out"] = held_out
    results["parameters"] = {"encoder": model.encoder_parameter_count(),
                             "adapters": {d: model.domain_parameter_count(d) for d in model.domains}}
    if general is not None:
        results["adapter_free"] = adapter_free_check(model, run_dir / "base.safetensors", general, args, log)
        results["ablation"] = pretraining_ablation(run_dir, general, args, log)
    results["low_resource"] = low_resource_ablation(run_dir)
    results["probe"] = probe_results(run_dir)
    results["seconds"] = time.time() - eval_start
    recipe.write_json(out / "results.json", results)
    log(f"wrote {out / 'results.json'}")
    if args.doc:
        write_doc(args, run_dir, results)
        log(f"wrote {args.doc}")
    return 0


def repository_path(path):
    """``path`` relative to the repository root when it lies inside it (as the report's commands name it), else
    as given."""
    root = Path(__file__).resolve().parents[1]
    resolved = Path(path).resolve()
    return str(resolved.relative_to(root)) if resolved.is_relative_to(root) else str(path)


def write_doc(args, run_dir, results):
    """Render the report from the results, the stage logs and done.json files, and the manifests."""
    timings = []
    for stage, sub, header in (("BEST-RQ pretraining", "pretrain", "pretrain"), ("CTC (general)", "ctc", "ctc"),
                               ("CTC from scratch (ablation)", "ctc-scratch", "ctc"),
                               ("CTC multi-condition fine-tuning", "ctc-mc", "ctc"),
                               ("CTC open-text fine-tuning", "ctc-open", "ctc")):
        seconds = stage_seconds(run_dir / sub / "log.txt", STAGE_HEADERS[header])
        if seconds is None:
            continue
        row = {"stage": stage, **seconds}
        done = read_json(run_dir / sub / "done.json") or {}
        history = read_json(run_dir / sub / "history.json") or []
        if done:
            row.update(steps=done["steps"], epochs=done["epochs_completed"],
                       details=f"{done['utterances']} utterances, {done['hours']:.2f} h; "
                               f"{done['train_seconds'] / 60:.1f} min in training steps")
        elif history:
            row.update(steps=history[-1]["step"], epochs=len(history), details="stopped before the end of its schedule")
        timings.append(row)
    for name in results["adapters"]:
        sub = f"adapters/{name}"
        row = {"stage": f"adapter {name}",
               **(stage_seconds(run_dir / sub / "log.txt", STAGE_HEADERS["adapter"]) or {"seconds": None})}
        done = read_json(run_dir / sub / "done.json") or {}
        row.update(steps=done.get("steps", ""), epochs=done.get("epochs_completed", ""))
        row["details"] = f"{done.get('utterances', '?')} utterances, {done.get('hours', 0) * 60:.1f} min" if done else ""
        timings.append(row)
    timings.append({"stage": "evaluation", "seconds": results.get("seconds"),
                    "details": f"{args.split} sets, base + adapters (latest run)"})
    pipeline = stage_seconds(run_dir / "run_all.log", "pipeline start:")
    doc = render_doc(results, run_dir, data_sizes(args.data), timings,
                     {"machine": machine(), "threads": args.threads, "run": repository_path(run_dir),
                      "pipeline": pipeline, "corpus": (read_json(Path(args.data) / "summary.json") or {}).get("corpus")})
    Path(args.doc).parent.mkdir(parents=True, exist_ok=True)
    Path(args.doc).write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
