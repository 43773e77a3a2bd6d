"""Contrastive speech-text alignment (arXiv 2412.15712): sequences pooled over their valid frames, the symmetric
InfoNCE loss with in-batch negatives and a temperature, and in-batch retrieval accuracy (``pretrain_contrastive.py``).

A batch of ``B`` utterances gives ``B`` speech and ``B`` text embeddings; the similarity logits ``[B, B]`` are the
cosine similarities divided by the temperature, row ``i`` being utterance ``i``'s speech against every transcript of
the batch. Utterance ``i``'s own transcript is the positive of row ``i`` (and its speech the positive of column
``i``); the other transcripts are its negatives, except those equal to its own (:func:`same_text`).
"""

from typing import Sequence

import torch
import torch.nn.functional as F

#: Logit of a pair left out of the softmax (finite, as ``speechfm.model.MASKED_SCORE``).
EXCLUDED = -1e9


def pool_valid(frames: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Mean of ``frames [B, T, d]`` over each sequence's first ``lengths[b]`` frames -> ``[B, d]`` (zeros for an
    empty sequence); padding never contributes."""
    valid = (torch.arange(frames.shape[1], device=frames.device).unsqueeze(0) < lengths.unsqueeze(1))
    total = (frames * valid.unsqueeze(-1).to(frames.dtype)).sum(1)
    return total / lengths.clamp(min=1).unsqueeze(1).to(frames.dtype)


def similarity_logits(speech: torch.Tensor, text: torch.Tensor, temperature: torch.Tensor) -> torch.Tensor:
    """Cosine similarities of ``speech [B, e]`` (rows) and ``text [B, e]`` (columns) over ``temperature``."""
    return F.normalize(speech, dim=-1) @ F.normalize(text, dim=-1).t() / temperature


def same_text(texts: Sequence[str]) -> torch.Tensor:
    """``[B, B]`` bool: the pairs of utterances with the same transcript (the diagonal included)."""
    ids = {t: i for i, t in enumerate(dict.fromkeys(texts))}
    codes = torch.tensor([ids[t] for t in texts])
    return codes.unsqueeze(0) == codes.unsqueeze(1)


def info_nce(logits: torch.Tensor, same: torch.Tensor) -> torch.Tensor:
    """Symmetric InfoNCE: the mean of the cross-entropy of each speech row against its transcript and of each text
    column against its speech. Off-diagonal pairs of ``same`` are left out of both softmaxes: a transcript read
    twice in a batch is not a negative of its other reading."""
    excluded = same.to(logits.device) & ~torch.eye(len(logits), dtype=torch.bool, device=logits.device)
    logits = logits.masked_fill(excluded, EXCLUDED)
    targets = torch.arange(len(logits), device=logits.device)
    return 0.5 * (F.cross_entropy(logits, targets) + F.cross_entropy(logits.t(), targets))


def retrieval_hits(logits: torch.Tensor, same: torch.Tensor) -> int:
    """Speech rows whose most similar transcript in the batch is their own (or equal to it)."""
    best = logits.argmax(1).cpu()
    return int(same[torch.arange(len(best)), best].sum())
