"""The wide corpus (``synthesize.py --corpus wide``): text of several Debian sources read by every
English espeak-ng voice and variant and by Festival, with in-domain, open and new-voice dev/test sets.

    /usr/bin/python3 training/data/synthesize.py --corpus wide      # output in training/data/generated-wide

Sets (README.md, "Wide corpus"):

    pretrain/train       untranscribed, training voices, train sentences from the end of their order
    general/train        training voices, train sentences in their order (a weighted mix of the sources)
    general/dev, test    training voices, held-out sentences of the same sources
    general/open-dev, open-test    training voices, everyday sentences (everyday.txt) of no source
    general/voice-dev, voice-test  held-out voices (voices.py) reading the dev (test) sentences in the
                         same order as general/dev (test)
    telephony/, far-field/, accent/ {train,dev,test}    the adapters' sets (``--domains``): the reference
                         corpus's voices and processing reading the train sentences, and the dev (test)
                         sentences in the order of general/dev (test)
    translate-de/, translate-es/    only when ``--domains`` names them: the reference corpus's translation sets
    translate-en-de/, translate-en-es/    likewise, but read by the training voices of general/train

Deterministic and resumable as the reference corpus (the same worker, budgets and state checks).
"""

import collections
import hashlib
import json
import multiprocessing
import os
import sys
import time

from . import corpus, domains, synthesize, textnorm, voices

# (set name, sentence split, held-out voices, budget option)
SETS = [
    ("pretrain/train", "train", False, "pretrain"),
    ("general/train", "train", False, "general"),
    ("general/dev", "dev", False, "eval"),
    ("general/test", "test", False, "eval"),
    ("general/open-dev", "open-dev", False, "eval"),
    ("general/open-test", "open-test", False, "eval"),
    ("general/voice-dev", "dev", True, "eval"),
    ("general/voice-test", "test", True, "eval"),
]


def load_pool(args):
    """(pool, source_of, source names): the installed sources, or ``--text`` files as one source ``text``."""
    if args.text:
        by_source = {"text": textnorm.load_sentences(args.text, args.min_words, args.max_words)}
        weights = {"text": 1.0}
    else:
        names = [n.strip() for n in (args.sources or ",".join(corpus.SOURCE_WEIGHTS)).split(",") if n.strip()]
        unknown = [n for n in names if n not in corpus.SOURCE_WEIGHTS]
        if unknown:
            raise SystemExit(f"unknown text source(s) {unknown}; choose from {list(corpus.SOURCE_WEIGHTS)}")
        missing = corpus.missing_sources()
        if missing:
            raise SystemExit(f"text sources not installed: apt-get install {' '.join(missing)} (scripts/setup.sh)")
        by_source = corpus.load_sources(names, args.min_words, args.max_words)
        weights = {n: corpus.SOURCE_WEIGHTS[n] for n in names}
    everyday = corpus.read_everyday(min_words=args.min_words, max_words=args.max_words)
    pool, source_of = corpus.build_pool(by_source, everyday, args.seed, args.dev_sentences, args.test_sentences,
                                        weights)
    return pool, source_of, list(weights)


def voices_fingerprint():
    """What the voice draws depend on: the voice lists, shares and ranges of voices.py."""
    settings = [voices.training_voices(), voices.held_out_voices(), voices.FESTIVAL_SHARE,
                voices.HELD_OUT_FESTIVAL_SHARE, voices.ESPEAK_RATE, voices.ESPEAK_PITCH, voices.FESTIVAL_STRETCH,
                voices.FESTIVAL_F0_MEAN, voices.FESTIVAL_F0_STD, domains.PEAK_DB_RANGE, domains.LEAD_RANGE]
    return hashlib.sha256(json.dumps(settings).encode()).hexdigest()


def heard_figures(pool, train_entries):
    """OOV rates of the held-out sentence sets against the words that general/train's audio reads."""
    heard = corpus.vocabulary(e["text"] for e in train_entries)
    out = {"distinct_words": len(heard)}
    for split in ("dev", "test", "open-dev", "open-test"):
        tokens, types = corpus.oov_rate(pool[split], heard)
        out[split] = {"oov_token_rate": round(tokens, 4), "oov_type_rate": round(types, 4)}
    return out


# Domains whose rendering mixes in the noise banks.
NOISY_DOMAINS = ("telephony", "far-field")


def domain_sets(args):
    """The adapters' sets of the wide corpus: for each domain of ``--domains`` but ``general``, (domain,
    split, sentence split, budget in seconds) as in the reference corpus. Recognition domains read the wide
    pool (train sentences, and the in-domain dev and test sentences, none of them in the training text) with
    the reference corpus's voices and processing (``domains.make_spec``); translation domains read the
    translation grammar's sentences."""
    sets = []
    for domain, split, sentence_split, budget in synthesize.plan_sets(args, open_text=False):
        if domain not in ("general", "pretrain"):
            sets.append((domain, split, sentence_split, budget))
    return sets


def spec_maker(args, domain):
    """``generate_set``'s ``make_spec`` for a set of ``domain``: the training voices of general/train for English
    speech (``translate-en-*``, so the mid-training stage hears the voices the recogniser is trained on), None
    (the reference corpus's voices) for the other domains."""
    if domain not in domains.TRANSLATION_DOMAINS or domains.TRANSLATION_DOMAINS[domain][0] != "en":
        return None

    def make_spec(set_name, i, text, speak):
        return domains.make_wide_spec(args.seed, set_name, i, text, speak)
    return make_spec


def set_summary(name, entries, total, budget):
    domain = name.split("/")[0]
    engines = [e.get("engine", "espeak-ng") for e in entries]
    return {
        "manifest": f"{name}.jsonl", "utterances": len(entries), "seconds": round(total, 2),
        "minutes": round(total / 60, 2), "hours": round(total / 3600, 4), "budget_seconds": budget,
        "sample_rate": domains.output_format("general" if domain == "pretrain" else domain)[0],
        "voices": sorted({e["voice"].split("+")[0] for e in entries}),
        "voice_variants": len({e["voice"] for e in entries}),
        "engines": dict(sorted(collections.Counter(engines).items())),
        "engine_seconds": {k: round(sum(e["duration"] for e, g in zip(entries, engines) if g == k), 1)
                           for k in sorted(set(engines))},
    }


def main(args):
    t0 = time.time()
    out = os.path.abspath(args.out)
    problems = voices.check_installed()
    if problems:
        raise SystemExit("cannot render the wide corpus: " + "; ".join(problems) + " (scripts/setup.sh installs them)")
    pool, source_of, names = load_pool(args)
    state = {"pipeline_version": synthesize.PIPELINE_VERSION, "corpus": "wide", "seed": args.seed,
             "text_source": names if not args.text else ["files:" + ",".join(os.path.basename(f) for f in args.text)],
             "sentence_pool_sha256": corpus.pool_fingerprint(pool), "voices_sha256": voices_fingerprint(),
             "min_words": args.min_words, "max_words": args.max_words}
    synthesize.check_state(args, out, state)
    figures = corpus.pool_figures(pool, source_of)
    sys.stderr.write(" ".join(f"{k}: {v['sentences']} sentences ({v['distinct_words']} words, OOV {v['oov_token_rate']:.2%});"
                              for k, v in figures.items()) + f" {args.jobs} workers ({time.time() - t0:.0f}s)\n")
    sent_dir = os.path.join(out, "sentences")
    os.makedirs(sent_dir, exist_ok=True)
    for split, items in pool.items():
        synthesize._write_lines(os.path.join(sent_dir, f"{split}.txt"), [t for t, _ in items])
    # each training sentence's source, line by line, so that a model of the text can leave a source out
    # (build_lm.py --exclude-sources: GCIDE's licence, "Text sources and licences" in training/data/README.md)
    synthesize._write_lines(os.path.join(sent_dir, "train.sources"), [source_of[t] for t, _ in pool["train"]])

    budgets = {"pretrain": args.pretrain_hours * 3600, "general": args.general_hours * 3600,
               "eval": args.eval_minutes * 60}
    progress = synthesize.Progress(not args.no_progress, sys.stderr.isatty())
    pool_exec = multiprocessing.get_context("fork").Pool(args.jobs) if args.jobs > 1 else None
    summary_sets, manifests = {}, {}
    try:
        for name, split, held_out, budget_key in SETS:
            budget = budgets[budget_key]
            if budget <= 0:
                continue
            domain, set_split = name.split("/")
            sentences = pool[split]
            # general/train reads the train sentences from the start of their weighted order, pretraining
            # from the end, so the two hear different sentences until their budgets add up to the pool.
            order = None
            if split == "train":
                order = list(range(len(sentences)))
                if domain == "pretrain":
                    order.reverse()

            def make_spec(set_name, i, text, speak, held_out=held_out):
                return domains.make_wide_spec(args.seed, set_name, i, text, speak, held_out)
            entries, total = synthesize.generate_set(pool_exec, args, out, None, sentences, f"eval:{split}", domain,
                                                     set_split, split, budget, progress, order, make_spec)
            manifests[name] = entries
            summary_sets[name] = set_summary(name, entries, total, budget)
        other = domain_sets(args)
        noise_dir = None
        if any(d in NOISY_DOMAINS for d, _, _, _ in other):
            noise_dir = synthesize.build_noise(pool_exec, args, out, pool["train"])
        translation_pool = synthesize.load_translation_pool(args, out)
        for domain, split, sentence_split, budget in other:
            sentences, eval_order_key = synthesize.set_sentences(pool, translation_pool, domain, sentence_split)
            entries, total = synthesize.generate_set(pool_exec, args, out, noise_dir, sentences, eval_order_key,
                                                     domain, split, sentence_split, budget, progress,
                                                     make_spec=spec_maker(args, domain))
            summary_sets[f"{domain}/{split}"] = set_summary(f"{domain}/{split}", entries, total, budget)
    finally:
        if pool_exec:
            pool_exec.close()
            pool_exec.join()
    elapsed = time.time() - t0
    text = {"pool": figures}
    if "general/train" in manifests:
        text["general_train_audio"] = heard_figures(pool, manifests["general/train"])
    summary = {
        "corpus": "wide",
        "sets": summary_sets,
        "total_hours": round(sum(s["seconds"] for s in summary_sets.values()) / 3600, 4),
        "sentences": {k: len(v) for k, v in pool.items()},
        "text": text,
        "text_source": state["text_source"],
        "voices": {"training": len(voices.training_voices()), "held_out": len(voices.held_out_voices()),
                   "festival_training": voices.FESTIVAL_TRAIN, "festival_held_out": voices.FESTIVAL_HELD_OUT,
                   "espeak_held_out_variants": voices.ESPEAK_KLATT_VARIANTS},
        "seed": args.seed,
        "jobs": args.jobs,
        "wall_seconds": round(elapsed, 1),
        "pipeline_version": synthesize.PIPELINE_VERSION,
    }
    synthesize._write_json(os.path.join(out, "summary.json"), summary)
    heard = text.get("general_train_audio")
    if heard:
        sys.stderr.write(f"general/train audio reads {heard['distinct_words']} distinct words; OOV against them: " +
                         ", ".join(f"{k} {heard[k]['oov_token_rate']:.2%}" for k in ("dev", "test", "open-dev",
                                                                                    "open-test")) + "\n")
    sys.stderr.write(f"done: {summary['total_hours']:.3f} h of audio in {elapsed:.1f}s -> "
                     f"{os.path.join(out, 'summary.json')}\n")
    return summary
