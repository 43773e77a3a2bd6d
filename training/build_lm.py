#!/usr/bin/python3
"""Word n-gram language model (ARPA) of the training text, for lexicon-constrained decoding.

Interpolated absolute discounting (per order n >= 2, discount D = n1 / (n1 + 2 n2) from the n-gram
count-of-counts), written in back-off form: each seen n-gram's probability interpolated with the
next lower order, and per history the back-off weight that gives unseen words the rest of the mass in
proportion to their lower-order probability. Unigrams are maximum-likelihood over the training words
and ``</s>``; the lexicon of the decoder is the unigram list (docs/decoding.md).

Text: the training sentences (``sentences/train.txt``) and the open-text sentences
(``sentences/extra.txt``: the rest of the text source, less anything that holds a dev or test sentence or
shares six words in a row with one; training/data/README.md). The vocabulary is that of the training
sentences: an open-text word outside it is not counted and breaks the n-grams around it, so the open
text adds evidence for the n-grams of the vocabulary without adding words. Dev sentences are read only to
report the model's perplexity on them, test sentences never; by construction of the data every dev/test
word occurs in training. The shipped model uses a
trigram (the default) with trigrams seen once left out (``--min-count 2``), which halves the file.
The 1-gram ``<unk>`` (``--unknown``, the default) holds the probability of a word outside the vocabulary,
estimated from the words seen once (or, with ``--vocabulary-size``, from the running words left outside);
the decoder's unknown-word path scores such words with it.

A model that must fit the repository's size budget keeps the most frequent words (``--vocabulary-size``),
leaves out rare bigrams too (``--bigram-min-count``) and is written gzip-compressed (an ``--out`` ending
in ``.gz``); the server and the exporter read ``.arpa.gz`` files as they are.

    /usr/bin/python3 training/build_lm.py --data training/data/generated --out training/runs/reference/lm.arpa
"""

import argparse
import gzip
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speechfm import recipe  # noqa: E402
from speechfm.lexicon_decoder import SENTENCE_END, SENTENCE_START, UNKNOWN, ArpaModel  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default=recipe.DEFAULT_DATA,
                   help="generated data directory (reads sentences/{train,extra,dev}.txt)")
    p.add_argument("--out", default=f"{recipe.DEFAULT_RUN}/lm.arpa")
    p.add_argument("--order", type=int, default=3, help="highest n-gram order")
    p.add_argument("--min-count", type=int, default=2, help="leave out n-grams of order 3 and above seen fewer times")
    p.add_argument("--bigram-min-count", type=int, default=1, help="leave out bigrams seen fewer times")
    p.add_argument("--vocabulary-size", type=int, default=0,
                   help="keep the N most frequent words of the training sentences (0: all); the others are "
                        "left to the unknown-word path")
    p.add_argument("--decimals", type=int, default=6, help="decimals of the log10 scores written")
    p.add_argument("--open-text", action=argparse.BooleanOptionalAction, default=True,
                   help="count the open-text sentences (sentences/extra.txt) too, within the training vocabulary")
    p.add_argument("--exclude-sources", default="",
                   help="comma-separated text sources whose training sentences are left out (the wide corpus's "
                        "sentences/train.sources names each line's source), e.g. gcide-quotation,gcide-definition,"
                        "gcide-note for a model free of GCIDE's GPL text")
    p.add_argument("--unknown", action=argparse.BooleanOptionalAction, default=True,
                   help="write the 1-gram <unk> with the probability of an unseen word, for decoding with "
                        "the unknown-word path (docs/decoding.md)")
    return p.parse_args(argv)


def ngram_arpa(sentences, order=2, vocabulary=None, min_count=1, unknown=False, bigram_min_count=1,
               decimals=6):
    """ARPA text of the ``order``-gram model of ``sentences`` (normalised, space-separated words).

    With ``vocabulary``, a word outside it is not counted and no n-gram across it is. N-grams of order 3
    and above seen fewer than ``min_count`` times, and bigrams seen fewer than ``bigram_min_count`` times,
    are left out (their mass goes to the back-off). With ``unknown``, the 1-gram ``<unk>`` gets the
    probability of a word outside the model: the Good-Turing estimate of an unseen word (the share of word
    tokens whose word was seen once, at least one token's share) plus the share of word tokens left out by
    ``vocabulary``; the other 1-grams are scaled to make room for it. Scores are written with ``decimals``
    decimals (4 keep them within 0.0001 of log10, well below what changes a decoding, in a smaller file)."""
    counts = [Counter() for _ in range(order + 1)]  # counts[n][n-gram tuple]
    markers = (SENTENCE_START, SENTENCE_END)
    known = (lambda w: True) if vocabulary is None else (lambda w: w in vocabulary or w in markers)
    left_out = 0
    for sentence in sentences:
        words = [SENTENCE_START] + sentence.split() + [SENTENCE_END]
        counted = [(w,) for w in words[1:] if known(w)]
        left_out += len(words) - 1 - len(counted)
        counts[1].update(counted)
        for n in range(2, order + 1):
            counts[n].update(gram for gram in (tuple(words[i:i + n]) for i in range(len(words) - n + 1))
                             if all(known(w) for w in gram))
    total = sum(counts[1].values())
    probability = {gram: c / total for gram, c in counts[1].items()}
    if unknown:
        singletons = sum(1 for gram, c in counts[1].items() if c == 1 and gram[0] != SENTENCE_END)
        unseen = (max(singletons, 1) + left_out) / (total + left_out)
        probability = {gram: p * (1 - unseen) for gram, p in probability.items()}
        probability[(UNKNOWN,)] = unseen
    backoff, discounts = {}, []
    for n in range(2, order + 1):
        count_of_counts = Counter(counts[n].values())
        discount = count_of_counts[1] / (count_of_counts[1] + 2 * count_of_counts[2])
        discounts.append(discount)
        history_count, followers = Counter(), defaultdict(list)
        for gram, c in counts[n].items():
            history_count[gram[:-1]] += c
            followers[gram[:-1]].append(gram)
        for history, grams in followers.items():
            total_history = history_count[history]
            interpolation = discount * len(grams) / total_history
            seen_mass = seen_lower_mass = 0.0
            for gram in grams:
                if counts[n][gram] < (min_count if n >= 3 else bigram_min_count):
                    continue
                lower = probability[gram[1:]]
                p = (counts[n][gram] - discount) / total_history + interpolation * lower
                probability[gram] = p
                seen_mass += p
                seen_lower_mass += lower
            backoff[history] = (1 - seen_mass) / (1 - seen_lower_mass) if seen_lower_mass < 1 else 1e-12

    def log10(x):
        return math.log10(max(x, 1e-99))

    def with_backoff(gram):
        return f"\t{log10(backoff[gram]):.{decimals}f}" if gram in backoff else ""

    start = (SENTENCE_START,)
    kept = [sorted(gram for gram in probability if len(gram) == n) for n in range(order + 1)]
    lines = ["\\data\\", f"ngram 1={len(kept[1]) + 1}"]
    lines += [f"ngram {n}={len(kept[n])}" for n in range(2, order + 1)]
    lines += ["", "\\1-grams:", f"-99\t{SENTENCE_START}{with_backoff(start)}"]
    lines += [f"{log10(probability[gram]):.{decimals}f}\t{gram[0]}{with_backoff(gram)}" for gram in kept[1]]
    for n in range(2, order + 1):
        lines += ["", f"\\{n}-grams:"]
        lines += [f"{log10(probability[gram]):.{decimals}f}\t{' '.join(gram)}{with_backoff(gram)}" for gram in kept[n]]
    lines += ["", "\\end\\", ""]
    return "\n".join(lines), {"words": len(kept[1]) - 1 - unknown, "ngrams": [len(k) for k in kept[1:]],
                               "discounts": discounts}


def main(argv=None):
    args = parse_args(argv)
    sentence_dir = Path(args.data) / "sentences"
    train = read_sentences(sentence_dir / "train.txt")
    if args.exclude_sources:
        train = without_sources(train, sentence_dir / "train.sources", set(args.exclude_sources.split(",")))
    extra_path = sentence_dir / "extra.txt"
    extra = read_sentences(extra_path) if args.open_text and extra_path.exists() else []
    vocabulary = training_vocabulary(train, args.vocabulary_size)
    arpa, stats = ngram_arpa(train + extra, args.order, vocabulary, args.min_count, args.unknown,
                             args.bigram_min_count, args.decimals)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".gz":
        with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as compressed:
            compressed.write(arpa.encode("utf-8"))  # mtime 0: the same text gives the same bytes
    else:
        out.write_text(arpa, encoding="utf-8")
    print(f"{out}: {out.stat().st_size} bytes, {stats['words']} words, n-grams {stats['ngrams']}, discounts "
          f"{', '.join(f'{d:.3f}' for d in stats['discounts'])}, from {len(train)} training sentences"
          + (f" and {len(extra)} open-text sentences" if extra else "") + f" of {sentence_dir}")
    model = None
    for split in ("dev", "open-dev"):  # the in-domain and, in the wide corpus, the open dev sentences
        path = sentence_dir / f"{split}.txt"
        if not path.exists():
            continue
        sentences = read_sentences(path)
        words = [w for s in sentences for w in s.split()]
        covered = [s for s in sentences if set(s.split()) <= vocabulary]
        model = model or ArpaModel.read(out)
        perplexity = f"{model.perplexity(covered):.1f}" if covered else "-"
        print(f"{split}: {100 * sum(w not in vocabulary for w in words) / max(len(words), 1):.2f} % of the running "
              f"words outside its vocabulary; perplexity on the {len(covered)} sentences within it: {perplexity}")
    return 0


def without_sources(sentences, sources_path, excluded):
    """``sentences`` less those whose line of ``sources_path`` (one source name per sentence) is in ``excluded``."""
    if not sources_path.exists():
        raise SystemExit(f"{sources_path} not found: --exclude-sources needs each sentence's source "
                         "(training/data/synthesize.py --corpus wide writes it)")
    sources = read_sentences(sources_path)
    if len(sources) != len(sentences):
        raise SystemExit(f"{sources_path} has {len(sources)} lines for {len(sentences)} sentences")
    absent = excluded - set(sources)
    if absent:  # a corpus may lack a source; a misspelt name shows here
        print(f"--exclude-sources: no sentence comes from {', '.join(sorted(absent))} "
              f"(sources: {', '.join(sorted(set(sources)))})")
    kept = [s for s, source in zip(sentences, sources) if source not in excluded]
    print(f"left out {len(sentences) - len(kept)} training sentences of {', '.join(sorted(excluded))}")
    return kept


def training_vocabulary(sentences, size=0):
    """The words of ``sentences``; with ``size``, the ``size`` most frequent (ties by first occurrence)."""
    counts = Counter(word for sentence in sentences for word in sentence.split())
    return set(word for word, _ in counts.most_common(size or None))


def read_sentences(path):
    with open(path, encoding="utf-8") as handle:
        return [line.strip() for line in handle if line.strip()]


if __name__ == "__main__":
    sys.exit(main())
