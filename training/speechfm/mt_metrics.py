"""Corpus-level translation metrics: BLEU-4 and chrF, one reference per hypothesis, scores 0..100.

* BLEU (Papineni et al., 2002): whitespace tokens; modified (clipped) n-gram precisions for
  n = 1..4 with counts summed over the corpus before dividing; geometric mean times the brevity
  penalty ``exp(1 - r/c)`` when the corpus hypothesis length ``c`` does not exceed the reference
  length ``r``. No smoothing: a corpus without a single matching 4-gram scores 0.
* chrF (Popović, 2015) with beta = 2 and character n-grams n = 1..6: whitespace is removed, n-gram
  matches and totals are summed over the corpus per order, precision and recall are averaged over
  the orders (orders that the hypothesis or the reference side has no n-gram of are left out; this
  only matters for texts shorter than 6 characters), then ``F = (1 + b^2) P R / (b^2 P + R)``.
"""

import collections
import dataclasses
import math
from typing import List, Sequence


def _ngrams(items: Sequence, n: int) -> collections.Counter:
    return collections.Counter(tuple(items[i:i + n]) for i in range(len(items) - n + 1))


@dataclasses.dataclass
class Bleu:
    score: float
    precisions: List[float]          # per order, 0..1
    brevity_penalty: float
    hypothesis_length: int
    reference_length: int


def corpus_bleu(hypotheses: Sequence[str], references: Sequence[str], max_order: int = 4) -> Bleu:
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses for {len(references)} references")
    matches, totals = [0] * max_order, [0] * max_order
    hyp_len = ref_len = 0
    for hypothesis, reference in zip(hypotheses, references):
        hyp, ref = hypothesis.split(), reference.split()
        hyp_len += len(hyp)
        ref_len += len(ref)
        for n in range(1, max_order + 1):
            hyp_counts, ref_counts = _ngrams(hyp, n), _ngrams(ref, n)
            matches[n - 1] += sum(min(c, ref_counts[g]) for g, c in hyp_counts.items())
            totals[n - 1] += max(0, len(hyp) - n + 1)
    precisions = [m / t if t else 0.0 for m, t in zip(matches, totals)]
    if hyp_len == 0:
        return Bleu(0.0, precisions, 0.0, hyp_len, ref_len)
    penalty = 1.0 if hyp_len > ref_len else math.exp(1 - ref_len / hyp_len)
    if min(precisions) == 0:
        return Bleu(0.0, precisions, penalty, hyp_len, ref_len)
    score = penalty * math.exp(sum(math.log(p) for p in precisions) / max_order)
    return Bleu(100 * score, precisions, penalty, hyp_len, ref_len)


def corpus_chrf(hypotheses: Sequence[str], references: Sequence[str], max_order: int = 6, beta: float = 2.0) -> float:
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses for {len(references)} references")
    matches, hyp_totals, ref_totals = [0] * max_order, [0] * max_order, [0] * max_order
    for hypothesis, reference in zip(hypotheses, references):
        hyp, ref = "".join(hypothesis.split()), "".join(reference.split())
        for n in range(1, max_order + 1):
            hyp_counts, ref_counts = _ngrams(hyp, n), _ngrams(ref, n)
            matches[n - 1] += sum(min(c, ref_counts[g]) for g, c in hyp_counts.items())
            hyp_totals[n - 1] += max(0, len(hyp) - n + 1)
            ref_totals[n - 1] += max(0, len(ref) - n + 1)
    orders = [i for i in range(max_order) if hyp_totals[i] and ref_totals[i]]
    if not orders:
        return 0.0
    precision = sum(matches[i] / hyp_totals[i] for i in orders) / len(orders)
    recall = sum(matches[i] / ref_totals[i] for i in orders) / len(orders)
    if precision + recall == 0:
        return 0.0
    factor = beta * beta
    return 100 * (1 + factor) * precision * recall / (factor * precision + recall)
