#!/usr/bin/python3
"""Word bigram language model (ARPA) of the training sentences, for lexicon-constrained decoding.

Interpolated absolute discounting (discount D = n1 / (n1 + 2 n2) from the bigram count-of-counts),
written in back-off form: each seen bigram's interpolated probability, and per history the back-off
weight that gives unseen words the rest of the mass in proportion to their unigram probability.
Unigrams are maximum-likelihood over the training words and ``</s>``; the lexicon of the decoder is
the unigram list (docs/decoding.md). Only the training split is read: dev and test sentences are
never seen, but by construction of the data every dev/test word occurs in training.

    /usr/bin/python3 training/build_lm.py --data training/data/generated --out training/runs/reference/lm.arpa
"""

import argparse
import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speechfm import recipe  # noqa: E402
from speechfm.lexicon_decoder import SENTENCE_END, SENTENCE_START  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default=recipe.DEFAULT_DATA, help="generated data directory (reads sentences/train.txt)")
    p.add_argument("--out", default=f"{recipe.DEFAULT_RUN}/lm.arpa")
    return p.parse_args(argv)


def bigram_arpa(sentences):
    """ARPA text of the bigram model of ``sentences`` (normalised, space-separated words)."""
    unigrams, bigrams = Counter(), Counter()
    for sentence in sentences:
        words = [SENTENCE_START] + sentence.split() + [SENTENCE_END]
        unigrams.update(words[1:])
        bigrams.update(zip(words, words[1:]))
    total = sum(unigrams.values())
    p_uni = {w: c / total for w, c in unigrams.items()}
    count_of_counts = Counter(bigrams.values())
    discount = count_of_counts[1] / (count_of_counts[1] + 2 * count_of_counts[2])
    history_count, followers = Counter(), defaultdict(list)
    for (v, w), c in bigrams.items():
        history_count[v] += c
        followers[v].append(w)
    probability, backoff = {}, {}
    for v, words in followers.items():
        n = history_count[v]
        interpolation = discount * len(words) / n
        seen_mass = seen_unigram_mass = 0.0
        for w in words:
            p = (bigrams[(v, w)] - discount) / n + interpolation * p_uni[w]
            probability[(v, w)] = p
            seen_mass += p
            seen_unigram_mass += p_uni[w]
        backoff[v] = (1 - seen_mass) / (1 - seen_unigram_mass) if seen_unigram_mass < 1 else 1e-12

    def log10(x):
        return math.log10(max(x, 1e-99))

    lines = ["\\data\\", f"ngram 1={len(unigrams) + 1}", f"ngram 2={len(bigrams)}", "", "\\1-grams:"]
    lines.append(f"-99\t{SENTENCE_START}\t{log10(backoff[SENTENCE_START]):.6f}")
    for w in sorted(unigrams):
        bo = f"\t{log10(backoff[w]):.6f}" if w in backoff else ""
        lines.append(f"{log10(p_uni[w]):.6f}\t{w}{bo}")
    lines += ["", "\\2-grams:"]
    lines += [f"{log10(p):.6f}\t{v} {w}" for (v, w), p in sorted(probability.items())]
    lines += ["", "\\end\\", ""]
    return "\n".join(lines), {"words": len(unigrams) - 1, "bigrams": len(bigrams), "discount": discount}


def main(argv=None):
    args = parse_args(argv)
    sentences_path = Path(args.data) / "sentences" / "train.txt"
    sentences = [line.strip() for line in open(sentences_path, encoding="utf-8") if line.strip()]
    arpa, stats = bigram_arpa(sentences)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(arpa, encoding="utf-8")
    print(f"{out}: {stats['words']} words, {stats['bigrams']} bigrams, discount {stats['discount']:.3f}, "
          f"from {len(sentences)} sentences of {sentences_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
