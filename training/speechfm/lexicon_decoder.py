"""Lexicon-constrained CTC prefix beam search with a word n-gram language model (ARPA).

The algorithm of docs/decoding.md, which the server implements too (``src/Runtime/Decoding``); a test
there decodes golden cases written from this module (``training/dump_lexicon_golden.py``) and expects
the same text. Keep the two in step.
"""

import gzip
import math
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from . import text

LN10 = math.log(10.0)
NEG_INF = float("-inf")
TOKEN_PRUNE = 20.0
SENTENCE_START, SENTENCE_END, UNKNOWN = "<s>", "</s>", "<unk>"


class ArpaModel:
    """A word n-gram model read from an ARPA file; scores are natural logarithms."""

    def __init__(self, ngrams: Dict[Tuple[str, ...], Tuple[float, float]], order: int) -> None:
        self.ngrams = ngrams  # words -> (ln probability, ln back-off weight)
        self.order = order

    @classmethod
    def read(cls, path) -> "ArpaModel":
        """Reads ARPA text, gzip-compressed when ``path`` ends in ``.gz``."""
        ngrams: Dict[Tuple[str, ...], Tuple[float, float]] = {}
        order = 0
        section = None
        opener = gzip.open if str(path).endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, raw in enumerate(handle, 1):
                line = raw.strip()
                if not line or line == "\\data\\" or line.startswith("ngram "):
                    continue
                if line == "\\end\\":
                    break
                if line.startswith("\\") and line.endswith("-grams:"):
                    section = int(line[1:line.index("-")])
                    order = max(order, section)
                    continue
                if section is None:
                    raise ValueError(f"{path}:{number}: n-gram line before any \\N-grams: section")
                fields = line.split()
                if len(fields) not in (section + 1, section + 2):
                    raise ValueError(f"{path}:{number}: expected {section} words, a probability and an optional back-off")
                backoff = float(fields[section + 1]) * LN10 if len(fields) == section + 2 else 0.0
                ngrams[tuple(fields[1:section + 1])] = (float(fields[0]) * LN10, backoff)
        return cls(ngrams, order)

    def words(self) -> List[str]:
        return sorted(k[0] for k in self.ngrams if len(k) == 1 and k[0] not in (SENTENCE_START, SENTENCE_END, UNKNOWN))

    def score(self, context: Tuple[str, ...], word: str) -> float:
        """ln P(word | context) with back-off."""
        context = context[-(self.order - 1):] if self.order > 1 else ()
        backoff = 0.0
        while True:
            entry = self.ngrams.get(context + (word,))
            if entry is not None:
                return backoff + entry[0]
            if not context:
                raise KeyError(f"{word!r} is not in the language model")
            context_entry = self.ngrams.get(context)
            backoff += context_entry[1] if context_entry is not None else 0.0
            context = context[1:]

    def perplexity(self, sentences: Sequence[str]) -> float:
        """exp of the mean negative ln probability per word and sentence end over ``sentences``."""
        total, count = 0.0, 0
        for sentence in sentences:
            context: Tuple[str, ...] = (SENTENCE_START,)
            for word in sentence.split() + [SENTENCE_END]:
                total += self.score(context, word)
                count += 1
                context += (word,)
        return math.exp(-total / count)


DEFAULT_UNKNOWN_LOG10_PROB = -7.0


class LexiconDecoder:
    """The search of docs/decoding.md over ``[T, V]`` log-probabilities (token 0 blank, 1 boundary).

    ``oov_penalty`` None keeps the search to lexicon words; a number turns the unknown-word path on: any
    spelling is a word, and one outside the lexicon is scored as ``<unk>`` (or ``unknown_log10_prob`` when the
    model has no ``<unk>``) less ``oov_penalty``, with the character that leaves the lexicon or, for the
    beginning of a lexicon word, when it is finished."""

    def __init__(self, lm: ArpaModel, weight: float, word_bonus: float, beam_width: int,
                 tokens: Sequence[str] = text.TOKENS, oov_penalty: Optional[float] = None,
                 unknown_log10_prob: float = DEFAULT_UNKNOWN_LOG10_PROB) -> None:
        self.lm, self.weight, self.word_bonus, self.beam_width = lm, weight, word_bonus, beam_width
        self.tokens = list(tokens)
        known = set(self.tokens[2:])
        self.lexicon = {w for w in lm.words() if all(ch in known for ch in w)}
        self.prefixes = {w[:i] for w in self.lexicon for i in range(1, len(w) + 1)}
        self.oov_penalty = oov_penalty
        self.has_unknown = (UNKNOWN,) in lm.ngrams
        self.unknown_log_prob = unknown_log10_prob * LN10

    def _word_score(self, context: Tuple[str, ...], word: str) -> float:
        """What finishing ``word`` adds to ``lm``: nothing for an unknown word already scored."""
        if word in self.lexicon:
            return self.weight * self.lm.score(context, word) + self.word_bonus
        return self._unknown_score(context) if word in self.prefixes else 0.0

    def _unknown_score(self, context: Tuple[str, ...]) -> float:
        unknown = self.lm.score(context, UNKNOWN) if self.has_unknown else self.unknown_log_prob
        return self.weight * unknown + self.word_bonus - self.oov_penalty

    def _context_after(self, context: Tuple[str, ...], word: str) -> Tuple[str, ...]:
        if word not in self.lexicon:
            # An unknown word: the context takes <unk>, or starts afresh when the model has none.
            if not self.has_unknown:
                return ()
            word = UNKNOWN
        return (context + (word,))[-max(self.lm.order - 1, 1):]

    def _can_finish(self, partial: str) -> bool:
        return partial in self.lexicon or (self.oov_penalty is not None and partial != "")

    def _extend(self, state, token: int):
        """The word state after ``token``, or None when the token is not allowed."""
        context, partial, lm = state
        if token == text.BOUNDARY:
            if not self._can_finish(partial):
                return None
            return self._context_after(context, partial), "", lm + self._word_score(context, partial)
        extended = partial + self.tokens[token]
        if extended in self.prefixes:
            return context, extended, lm
        if self.oov_penalty is None:
            return None
        # The character that leaves the lexicon makes the word unknown: it is scored now, once.
        left_lexicon = partial == "" or partial in self.prefixes
        return context, extended, lm + self._unknown_score(context) if left_lexicon else lm

    def _finish(self, state) -> Optional[float]:
        context, partial, lm = state
        if partial:
            if not self._can_finish(partial):
                return None
            lm += self._word_score(context, partial)
            context = self._context_after(context, partial)
        return lm + self.weight * self.lm.score(context, SENTENCE_END)

    def decode(self, log_probs: np.ndarray) -> str:
        root: Tuple[int, ...] = ()
        states = {root: ((SENTENCE_START,), "", 0.0)}
        beam: List[Tuple[Tuple[int, ...], float, float]] = [(root, 0.0, NEG_INF)]  # prefix, blank, nonblank
        for row in np.asarray(log_probs, dtype=np.float64):
            floor = float(np.max(row[1:])) - TOKEN_PRUNE
            blank_lp = float(row[0])
            scores: Dict[Tuple[int, ...], List[float]] = {}
            for prefix, blank, nonblank in beam:
                total = _logadd(blank, nonblank)
                last = prefix[-1] if prefix else -1
                same = scores.setdefault(prefix, [NEG_INF, NEG_INF])
                same[0] = _logadd(same[0], total + blank_lp)
                if last > 0:
                    same[1] = _logadd(same[1], nonblank + float(row[last]))
                for c in range(1, len(row)):
                    p = float(row[c])
                    if p < floor:
                        continue
                    child = prefix + (c,)
                    if child not in states:
                        state = self._extend(states[prefix], c)
                        if state is None:
                            continue
                        states[child] = state
                    extended = scores.setdefault(child, [NEG_INF, NEG_INF])
                    extended[1] = _logadd(extended[1], (blank if c == last else total) + p)
            ranked = sorted(scores.items(), key=lambda kv: _logadd(*kv[1]) + states[kv[0]][2], reverse=True)
            beam = [(prefix, b, nb) for prefix, (b, nb) in ranked[: self.beam_width]]
        best, best_score = None, NEG_INF
        for prefix, blank, nonblank in beam:
            lm = self._finish(states[prefix])
            if lm is not None and _logadd(blank, nonblank) + lm > best_score:
                best, best_score = prefix, _logadd(blank, nonblank) + lm
        if best is None:
            best = beam[0][0]
        return text.decode_ids(best)


def _logadd(a: float, b: float) -> float:
    if a == NEG_INF:
        return b
    if b == NEG_INF:
        return a
    # As the server computes it (CtcLogProbs.LogAdd), so both rank near-ties alike.
    return a + math.log(1 + math.exp(b - a)) if a > b else b + math.log(1 + math.exp(a - b))
