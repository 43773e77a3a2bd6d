"""CTC vocabulary (docs/model.md, "Vocabulary"), greedy decoding and word error rate.

Token ids: 0 ``<blank>``, 1 ``▁`` (word boundary), 2-27 ``a``-``z``, 28 ``'``. A transcript is
encoded with ``▁`` *between* words only (no leading or trailing boundary), which keeps target
sequences short (the encoder emits 25 frames per second). Decoding maps ``▁`` to a space and
collapses repeated and leading/trailing spaces, so a model that also emits boundaries at the
edges decodes the same way.
"""

from typing import List, Sequence

TOKENS = ["<blank>", "\u2581"] + [chr(c) for c in range(ord("a"), ord("z") + 1)] + ["'"]
BLANK = 0
BOUNDARY = 1
_IDS = {t: i for i, t in enumerate(TOKENS)}


def encode(text: str) -> List[int]:
    """Token ids of a normalised transcript (lower case a-z, apostrophe, single spaces)."""
    ids: List[int] = []
    for word in text.split():
        if ids:
            ids.append(BOUNDARY)
        for ch in word:
            if ch not in _IDS or _IDS[ch] <= BOUNDARY:
                raise ValueError(f"character {ch!r} is not in the vocabulary")
            ids.append(_IDS[ch])
    return ids


def decode_ids(ids: Sequence[int]) -> str:
    """Text of a token id sequence (no CTC collapsing)."""
    chars = [" " if i == BOUNDARY else TOKENS[i] for i in ids if i != BLANK]
    return " ".join("".join(chars).split())


def greedy_decode(frame_ids: Sequence[int]) -> str:
    """CTC best path: collapse repeats, drop blanks, then :func:`decode_ids`."""
    out: List[int] = []
    previous = None
    for i in frame_ids:
        i = int(i)
        if i != previous and i != BLANK:
            out.append(i)
        previous = i
    return decode_ids(out)


def edit_distance(ref: Sequence[str], hyp: Sequence[str]) -> int:
    """Levenshtein distance (substitutions, insertions, deletions all cost 1)."""
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        diagonal, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (r != h))
    return row[-1]


def word_errors(ref: str, hyp: str):
    """``(errors, reference words)`` for one utterance."""
    r, h = ref.split(), hyp.split()
    return edit_distance(r, h), len(r)


def wer(refs: Sequence[str], hyps: Sequence[str]) -> float:
    """Corpus word error rate: total edit distance / total reference words."""
    errors = words = 0
    for ref, hyp in zip(refs, hyps):
        e, n = word_errors(ref, hyp)
        errors += e
        words += n
    return errors / max(words, 1)


def cer(refs: Sequence[str], hyps: Sequence[str]) -> float:
    """Character error rate over a corpus (characters of the references, spaces included)."""
    errors = sum(edit_distance(list(r), list(h)) for r, h in zip(refs, hyps))
    return errors / max(1, sum(len(r) for r in refs))
