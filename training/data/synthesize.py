#!/usr/bin/python3
"""Generate the synthetic speech corpus of the reference model (see training/data/README.md).

    /usr/bin/python3 training/data/synthesize.py            # defaults, output in training/data/generated

Deterministic (seeded), parallel (one worker per core), resumable (valid files are kept).
"""

import argparse
import json
import multiprocessing
import os
import shutil
import sys
import time

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    __package__ = "data"  # noqa: A001  (lets the relative imports below work as a script)

from . import audio, domains, textnorm, translation_grammar  # noqa: E402

PIPELINE_VERSION = 1
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "generated")
# Sentence triples drawn from the translation grammar: train, dev, test (dev/test lose a few to the
# closed-vocabulary rule). Far more train sentences than the audio budgets use, so none repeats.
TRANSLATION_POOL = (4000, 300, 300)


ALL_DOMAINS = domains.DOMAINS + list(domains.TRANSLATION_DOMAINS)


# Defaults that differ between the corpora: the reference model's (closed vocabulary, fortunes, a few
# hours) and the wide corpus's (several text sources, many voices, tens of hours; see wide.py).
CORPUS_DEFAULTS = {
    "reference": {"out": DEFAULT_OUT, "dev_sentences": 200, "test_sentences": 200, "pretrain_hours": 1.5,
                  "general_hours": 3.0, "eval_minutes": 4.0, "adapter_minutes": 15.0},
    "wide": {"out": os.path.join(HERE, "generated-wide"), "dev_sentences": 500, "test_sentences": 500,
             "pretrain_hours": 40.0, "general_hours": 20.0, "eval_minutes": 15.0, "adapter_minutes": 30.0},
}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--corpus", choices=sorted(CORPUS_DEFAULTS), default="reference",
                   help="reference: the reference model's corpus (default); wide: several text sources, "
                        "espeak-ng and Festival voices, in-domain, open and new-voice dev/test sets (README.md)")
    p.add_argument("--out", default=None,
                   help="output directory (default: training/data/generated, or generated-wide for --corpus wide)")
    p.add_argument("--seed", type=int, default=20240607)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    p.add_argument("--text", action="append", default=None,
                   help="text file(s) to take sentences from (fortune format or plain text); "
                        "default: the English fortune files of the Debian package `fortunes` (reference corpus only)")
    p.add_argument("--min-words", type=int, default=3)
    p.add_argument("--max-words", type=int, default=20)
    p.add_argument("--vocabulary", type=int, default=1500,
                   help="keep sentences made of the N most frequent words of the text (0: all sentences; "
                        "reference corpus only)")
    p.add_argument("--dev-sentences", type=int, default=None, help="sentences held out for dev (200; wide: 500)")
    p.add_argument("--test-sentences", type=int, default=None, help="sentences held out for test (200; wide: 500)")
    p.add_argument("--pretrain-hours", type=float, default=None,
                   help="untranscribed pretraining audio (1.5; wide: 10)")
    p.add_argument("--general-hours", type=float, default=None, help="general (base) training audio (3; wide: 20)")
    p.add_argument("--extra-hours", type=float, default=6.0,
                   help="general audio of open-text sentences outside the vocabulary (general/extra; reference only)")
    p.add_argument("--adapter-minutes", type=float, default=None,
                   help="cap on each adapter domain's training audio (telephony, far-field, accent; 15; wide: 30)")
    p.add_argument("--translation-minutes", type=float, default=40.0,
                   help="each translation domain's training audio")
    p.add_argument("--eval-minutes", type=float, default=None,
                   help="each dev and test set (4; wide: 15 for each of its six held-out sets)")
    p.add_argument("--domains", default=",".join(domains.DOMAINS),
                   help="comma-separated subset of " + ",".join(ALL_DOMAINS) + " (default: the recognition "
                        "domains; the translation domains are generated only when named; the wide corpus always "
                        "writes its general sets and takes the other domains from this list)")
    p.add_argument("--sources", default=None,
                   help="wide corpus: comma-separated text sources (default: all of them, see README.md)")
    p.add_argument("--noise-seconds", type=float, default=120.0, help="length of each noise bank")
    p.add_argument("--babble-utterances", type=int, default=96, help="utterances mixed into the babble bank")
    p.add_argument("--batch", type=int, default=0, help="utterances per scheduling batch (default 16 x jobs)")
    p.add_argument("--no-progress", action="store_true", help="no live progress line on stderr")
    p.add_argument("--overwrite", action="store_true",
                   help="delete output made with a different seed/sentence pool instead of stopping")
    args = p.parse_args(argv)
    for key, value in CORPUS_DEFAULTS[args.corpus].items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    return args


def plan_sets(args, open_text):
    """The sets to generate: (domain, split, sentence split, budget in seconds); ``general/extra`` only
    when there are ``open_text`` sentences."""
    wanted = [d.strip() for d in args.domains.split(",") if d.strip()]
    for d in wanted:
        if d not in ALL_DOMAINS:
            raise SystemExit(f"unknown domain {d!r}; choose from {ALL_DOMAINS}")
    sets = []
    if "general" in wanted and args.pretrain_hours > 0:
        sets.append(("pretrain", "train", "train", args.pretrain_hours * 3600))
    for d in wanted:
        if d == "general":
            train = args.general_hours * 3600
        elif d in domains.TRANSLATION_DOMAINS:
            train = args.translation_minutes * 60
        else:
            train = args.adapter_minutes * 60
        if train > 0:
            sets.append((d, "train", "train", train))
        if d == "general" and args.extra_hours > 0 and open_text:
            sets.append((d, "extra", "extra", args.extra_hours * 3600))
        if args.eval_minutes > 0:
            sets.append((d, "dev", "dev", args.eval_minutes * 60))
            sets.append((d, "test", "test", args.eval_minutes * 60))
    return sets


def select_prefix(durations, budget):
    """Length of the longest prefix of `durations` whose sum does not exceed `budget` (seconds)."""
    total, n = 0.0, 0
    for d in durations:
        if total + d > budget:
            break
        total += d
        n += 1
    return n


# ---------------------------------------------------------------------------------------------
# Worker


def _work(job):
    """Render one utterance unless a valid file already exists. Returns (index, duration, reused)."""
    index, spec, path, noise_dir, _ = job
    dur = domains.existing_duration(path, spec["domain"])
    if dur is not None:
        return index, dur, True
    samples, rate = domains.render(spec, noise_dir)
    domains.write(path, samples, rate, spec["domain"])
    return index, len(samples) / rate, False


def _clean(job):
    spec = job
    return domains.clean_speech(spec)


# ---------------------------------------------------------------------------------------------
# Progress


class Progress:
    """A live line on a terminal; on a log file (not a tty), one line every `log_every` seconds."""

    def __init__(self, enabled, tty, log_every=15.0):
        self.enabled, self.tty, self.log_every = enabled, tty, log_every
        self.start = time.time()
        self.last = 0.0

    def update(self, label, seconds, budget, count, rendered):
        if not self.enabled:
            return
        now = time.time()
        if now - self.last < (0.2 if self.tty else self.log_every):
            return
        self.last = now
        frac = min(1.0, seconds / budget) if budget else 1.0
        bar = "#" * int(frac * 24) + "." * (24 - int(frac * 24))
        line = (f"{label:<16} [{bar}] {seconds / 60:6.1f}/{budget / 60:.1f} min "
                f"{count:5d} utts ({rendered} new)  {now - self.start:6.0f}s elapsed")
        sys.stderr.write(("\r" + line + " ") if self.tty else (line + "\n"))
        sys.stderr.flush()

    def done(self, msg):
        if self.enabled and self.tty:
            sys.stderr.write("\r" + " " * 100 + "\r")
        sys.stderr.write(msg + "\n")
        sys.stderr.flush()


# ---------------------------------------------------------------------------------------------
# Main


def _previous_sets(summary_path, seed):
    """The sets an earlier run with the same seed and pipeline wrote, so a run of some domains keeps the others."""
    if not os.path.exists(summary_path):
        return {}
    with open(summary_path, encoding="utf-8") as f:
        previous = json.load(f)
    same = previous.get("seed") == seed and previous.get("pipeline_version") == PIPELINE_VERSION
    return {name: entry for name, entry in previous.get("sets", {}).items()
            if same and os.path.exists(os.path.join(os.path.dirname(summary_path), entry["manifest"]))}


def _write_json(path, obj):
    tmp = path + ".part"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)


def _write_lines(path, lines):
    tmp = path + ".part"
    with open(tmp, "w") as f:
        for line in lines:
            f.write(line + "\n")
    os.replace(tmp, path)


def load_pool(args):
    files = args.text or textnorm.fortune_files()
    if not files:
        raise SystemExit(f"no text source: install the Debian package `fortunes` ({textnorm.FORTUNE_DIR}) "
                         "or pass --text FILE")
    all_sentences = textnorm.load_sentences(files, args.min_words, args.max_words)
    sentences = textnorm.restrict_vocabulary(all_sentences, args.vocabulary) if args.vocabulary else all_sentences
    pool = textnorm.split_pool(sentences, args.seed, args.dev_sentences, args.test_sentences)
    if args.vocabulary:
        pool = textnorm.drop_unseen_words(pool)
    pool["extra"] = textnorm.extra_sentences(all_sentences, pool)
    source = "fortunes" if not args.text else "files:" + ",".join(os.path.basename(f) for f in files)
    return pool, source


def load_translation_pool(args, out):
    """The grammar's sentence triples, or None when no translation domain is wanted.

    Their fingerprint is kept in ``translation_state.json`` (apart from ``state.json``, so that the
    recognition sets' state does not depend on whether translation sets were ever generated).
    """
    wanted = [d.strip() for d in args.domains.split(",")]
    if not any(d in domains.TRANSLATION_DOMAINS for d in wanted):
        return None
    pool = translation_grammar.generate_pool(args.seed, *TRANSLATION_POOL)
    state = {"grammar_version": translation_grammar.GRAMMAR_VERSION, "seed": args.seed,
             "pool_sizes": list(TRANSLATION_POOL), "pool_sha256": translation_grammar.pool_fingerprint(pool)}
    check_set_state(args, out, "translation_state.json", state, "translation sets made from different sentences",
                    list(domains.TRANSLATION_DOMAINS) + [os.path.join("sentences", "translation")])
    sent_dir = os.path.join(out, "sentences", "translation")
    os.makedirs(sent_dir, exist_ok=True)
    for split in ("train", "dev", "test"):
        _write_lines(os.path.join(sent_dir, f"{split}.tsv"), [f"{t.en}\t{t.de}\t{t.es}" for t in pool[split]])
    sys.stderr.write(f"translation sentences: {len(pool['train'])} train, {len(pool['dev'])} dev, "
                     f"{len(pool['test'])} test (grammar version {translation_grammar.GRAMMAR_VERSION})\n")
    return pool


def build_noise(pool_exec, args, out, train_sentences):
    """The noise banks of the telephony and far-field sets in ``out/noise`` (babble read from the first
    ``--babble-utterances`` of ``train_sentences`` by the general voices); returns that directory."""
    noise_dir = os.path.join(out, "noise")
    domains.build_noise_banks(noise_dir, args.noise_seconds)
    if not os.path.exists(os.path.join(noise_dir, domains.NOISE_FILES["babble"])):
        specs = [domains.make_spec(args.seed, "babble", "general", i, *train_sentences[i % len(train_sentences)])
                 for i in range(args.babble_utterances)]
        clean = pool_exec.map(_clean, specs) if pool_exec else list(map(_clean, specs))
        domains.build_babble(noise_dir, clean, args.noise_seconds, args.seed)
    return noise_dir


def check_set_state(args, out, filename, state, what, paths):
    """Record ``state`` in ``out/filename``; when an earlier run recorded another, ``--overwrite`` removes
    ``paths`` (files or directories under ``out``), what was made under the old state."""
    path = os.path.join(out, filename)
    if os.path.exists(path):
        with open(path) as f:
            old = json.load(f)
        if old != state:
            if not args.overwrite:
                raise SystemExit(f"{out} holds {what} ({path}); use --overwrite to replace it or choose another --out")
            for name in paths:
                target = os.path.join(out, name)
                if os.path.isdir(target):
                    shutil.rmtree(target)
                elif os.path.exists(target):
                    os.remove(target)
    _write_json(path, state)


def check_state(args, out, state):
    os.makedirs(out, exist_ok=True)
    everything = [name for name in os.listdir(out) if not name.endswith(".log")]
    check_set_state(args, out, "state.json", state, "data made with different settings", everything)


def set_sentences(pool, translation_pool, domain, sentence_split):
    """The sentences a set reads, ``(text, speak)`` or, for a translation set, ``(target text, source speak,
    source text)``, and the key of their dev/test order (shared by the sets of one pool)."""
    if domain not in domains.TRANSLATION_DOMAINS:
        return pool[sentence_split], f"eval:{sentence_split}"
    source, target = domains.TRANSLATION_DOMAINS[domain]
    sentences = [(t.text(target), t.speak(source), t.text(source)) for t in translation_pool[sentence_split]]
    return sentences, f"eval:translation:{sentence_split}"


def generate_set(pool_exec, args, out, noise_dir, sentences, eval_order_key, domain, split, sentence_split, budget,
                 progress, order=None, make_spec=None):
    """Generate one (domain, split) set; returns its manifest entries.

    ``order`` (indices into ``sentences``) replaces the seeded shuffle; ``make_spec(set_name, index, text,
    speak)`` replaces ``domains.make_spec`` (the wide corpus's voices)."""
    render_domain = "general" if domain == "pretrain" else domain
    set_name = f"{domain}/{split}"
    if order is None:
        # Train sets each read the train sentences in their own order; dev/test sets share one order
        # per split, so every domain's dev (test) set reads the same sentences.
        order_key = eval_order_key if sentence_split in ("dev", "test") else set_name
        order = list(range(len(sentences)))
        domains.spec_rng(args.seed, order_key, "order").shuffle(order)
    if make_spec is None:
        def make_spec(name, i, text, speak):
            return domains.make_spec(args.seed, name, render_domain, i, text, speak)
    repeat = sentence_split == "train"

    audio_dir = os.path.join(out, domain, split)
    os.makedirs(audio_dir, exist_ok=True)
    batch = args.batch or 16 * max(1, args.jobs)
    entries, total, index, rendered, stop = [], 0.0, 0, 0, False
    while not stop:
        jobs = []
        for i in range(index, index + batch):
            if i >= len(order) and not repeat:
                break
            text, speak, *source = sentences[order[i % len(order)]]
            spec = make_spec(set_name, i, text, speak)
            jobs.append((i, spec, os.path.join(audio_dir, f"{domain}-{split}-{i:06d}.wav"), noise_dir, source))
        if not jobs:
            sys.stderr.write(f"\nwarning: {set_name}: ran out of {sentence_split} sentences\n")
            break
        results = pool_exec.imap(_work, jobs, chunksize=2) if pool_exec else map(_work, jobs)
        for (i, spec, path, _, source), (_, dur, reused) in zip(jobs, results):
            if stop or total + dur > budget:
                stop = True
                continue
            total += dur
            rendered += 0 if reused else 1
            rate, _ = domains.output_format(render_domain)
            entry = {
                "id": f"{domain}-{split}-{i:06d}",
                "audio": f"{split}/{os.path.basename(path)}",
                "text": "" if domain == "pretrain" else spec["text"],
                "duration": round(dur, 4),
                "voice": spec["voice"],
                "sample_rate": rate,
                "encoding": "mu-law" if render_domain == "telephony" else "pcm_s16le",
                "domain": domain,
                **({"source_text": source[0], "source_language": domains.TRANSLATION_DOMAINS[domain][0]}
                   if source else {}),
                **({"engine": spec["engine"]} if "engine" in spec else {}),
                **({"duration_stretch": spec["rate"], "f0_hz": spec["pitch"]} if spec.get("engine") == "festival"
                   else {"rate_wpm": spec["rate"], "pitch": spec["pitch"]}),
            }
            for k in ("snr_db", "noise", "reverb", "lowpass_hz", "hum_hz", "hum_snr_db", "hiss_snr_db"):
                if k in spec:
                    entry[k] = spec[k]
            entries.append(entry)
            progress.update(set_name, total, budget, len(entries), rendered)
        index += len(jobs)
    # Remove files beyond the selected prefix (rendered in the last batch or by an earlier, larger run).
    keep = {os.path.basename(e["audio"]) for e in entries}
    for name in os.listdir(audio_dir):
        if name not in keep:
            os.remove(os.path.join(audio_dir, name))
    lines = [json.dumps(e, sort_keys=False) for e in entries]
    _write_lines(os.path.join(out, domain, f"{split}.jsonl"), lines)
    progress.done(f"{set_name:<16} {len(entries):5d} utterances  {total / 60:7.2f} min "
                  f"({rendered} rendered, {len(entries) - rendered} reused)")
    return entries, total


def main(argv=None):
    args = parse_args(argv)
    if args.corpus == "wide":
        from . import wide
        return wide.main(args)
    t0 = time.time()
    out = os.path.abspath(args.out)
    pool, source = load_pool(args)
    state = {"pipeline_version": PIPELINE_VERSION, "seed": args.seed, "text_source": source,
             "sentence_pool_sha256": textnorm.pool_fingerprint(pool),
             "min_words": args.min_words, "max_words": args.max_words, "vocabulary": args.vocabulary,
             "noise_seconds": args.noise_seconds, "babble_utterances": args.babble_utterances}
    check_state(args, out, state)
    sys.stderr.write(f"sentences: {len(pool['train'])} train, {len(pool['dev'])} dev, "
                     f"{len(pool['test'])} test, {len(pool['extra'])} open-text ({source}); {args.jobs} workers\n")
    sent_dir = os.path.join(out, "sentences")
    os.makedirs(sent_dir, exist_ok=True)
    for split in ("train", "dev", "test", "extra"):
        _write_lines(os.path.join(sent_dir, f"{split}.txt"), [t for t, _ in pool[split]])
    check_set_state(args, out, "extra_state.json", {"sentences_sha256": textnorm.sentences_fingerprint(pool["extra"])},
                    "an open-text set made from different sentences",
                    [os.path.join("general", "extra"), os.path.join("general", "extra.jsonl")])
    translation_pool = load_translation_pool(args, out)

    progress = Progress(not args.no_progress, sys.stderr.isatty())
    ctx = multiprocessing.get_context("fork")
    pool_exec = ctx.Pool(args.jobs) if args.jobs > 1 else None
    try:
        noise_dir = build_noise(pool_exec, args, out, pool["train"])
        sys.stderr.write(f"noise banks ready ({time.time() - t0:.1f}s)\n")

        summary_sets = {}
        for domain, split, sentence_split, budget in plan_sets(args, open_text=bool(pool["extra"])):
            sentences, eval_order_key = set_sentences(pool, translation_pool, domain, sentence_split)
            entries, total = generate_set(pool_exec, args, out, noise_dir, sentences, eval_order_key, domain, split,
                                          sentence_split, budget, progress)
            summary_sets[f"{domain}/{split}"] = {
                "manifest": f"{domain}/{split}.jsonl",
                "utterances": len(entries),
                "seconds": round(total, 2),
                "minutes": round(total / 60, 2),
                "hours": round(total / 3600, 4),
                "budget_seconds": budget,
                "sample_rate": domains.output_format("general" if domain == "pretrain" else domain)[0],
                "voices": sorted({e["voice"].split("+")[0] for e in entries}),
            }
    finally:
        if pool_exec:
            pool_exec.close()
            pool_exec.join()
    elapsed = time.time() - t0
    total = sum(s["seconds"] for s in summary_sets.values())
    all_sets = {**_previous_sets(os.path.join(out, "summary.json"), args.seed), **summary_sets}
    summary = {
        "sets": all_sets,
        "total_hours": round(sum(s["seconds"] for s in all_sets.values()) / 3600, 4),
        "sentences": {k: len(v) for k, v in pool.items()},
        **({"translation_sentences": {k: len(v) for k, v in translation_pool.items()}} if translation_pool else {}),
        "text_source": source,
        "seed": args.seed,
        "jobs": args.jobs,
        "wall_seconds": round(elapsed, 1),
        "pipeline_version": PIPELINE_VERSION,
    }
    _write_json(os.path.join(out, "summary.json"), summary)
    sys.stderr.write(f"done: {total / 3600:.3f} h of audio in {elapsed:.1f}s -> {os.path.join(out, 'summary.json')}\n")
    return summary


if __name__ == "__main__":
    main()
