#!/usr/bin/env python3
"""Write golden vectors that pin the exported translation decoder graphs to the reference decoder.

Usage (from the repository root)::

    /usr/bin/python3 training/dump_decoder_golden.py --make-random --decoder /tmp/decoder.safetensors \\
        --output /tmp/decoder_golden.safetensors

With ``--make-random`` a seeded random :class:`TranslationDecoder` (default sizes but ``--d-model``, a
vocabulary of ``--vocab-size`` tokens, LayerNorms perturbed so their weights matter) is first written to ``--decoder``
with the metadata ``train_translation.py`` writes; without it ``--decoder`` is read, e.g. a trained one.
All outputs are computed in float64 (``decoder.double()``) and stored as float32, like
``dump_golden.py``, so a float32 implementation should match within about 1e-4.

Tensors (names after the graph inputs and outputs of docs/model.md, "Two graphs"; L layers, H heads,
dh head width, Vt vocabulary):

* ``encoder_out`` [2, T, D] F32 (seeded normal, T = 20), ``encoder_lengths`` [2] I64 (``[20, 13]``).
* ``cross.cross_key``, ``cross.cross_value`` [L, 2, H, T, dh]: :meth:`TranslationDecoder.cross_kv`.
* ``prefix.tokens`` [2, S] I64 (S = 6, ``<s>`` then seeded word ids): one step with an empty cache;
  ``prefix.logits`` [2, S, Vt], ``prefix.present_key``, ``prefix.present_value`` [L, 2, H, S, dh].
* ``steps.logits`` [S, 2, Vt]: the same tokens fed one per step on the cache (step ``s`` has P = s);
  ``steps.present_key``, ``steps.present_value`` [L, 2, H, S, dh] after the last step.
* ``greedy.ids`` [2, N] I64: :meth:`TranslationDecoder.greedy` with ``max_tokens`` = N (metadata
  ``greedy_max_tokens``), each row up to, without, ``</s>``, padded with -1;
  ``greedy.min_margin`` [] F32: the smallest gap between the best and second-best logit along the greedy
  path, which says how safely a float32 implementation can be expected to pick the same ids.

Metadata: ``compute_dtype`` (float64), ``greedy_max_tokens``, ``decoder_config``.
"""

import argparse
import sys
from collections import OrderedDict
from typing import Dict, List

import torch

from speechfm import checkpoint_safetensors
from speechfm.checkpoint import write_state_dict
from speechfm.translation import BOS, EOS, SPECIAL_TOKENS, DecoderConfig, TranslationDecoder, Vocabulary, \
    decoder_metadata, load_decoder

FRAMES = 20
ENCODER_LENGTHS = (20, 13)
PREFIX_TOKENS = 6
GREEDY_MAX_TOKENS = 24
INPUT_SEED = 2026


def random_decoder(vocab_size: int, d_model: int, seed: int) -> TranslationDecoder:
    """Seeded decoder of default sizes but ``d_model``; LayerNorm gains and offsets moved away from 1 and 0."""
    torch.manual_seed(seed)
    decoder = TranslationDecoder(DecoderConfig(vocab_size=vocab_size, d_model=d_model))
    with torch.no_grad():
        for name, parameter in decoder.named_parameters():
            if "norm" in name:
                parameter.add_(0.1 * torch.randn_like(parameter))
    return decoder.eval()


def random_vocabulary(size: int) -> Vocabulary:
    return Vocabulary(list(SPECIAL_TOKENS) + [f"word{i:02d}" for i in range(size - len(SPECIAL_TOKENS))])


def write_random(path: str, vocab_size: int, d_model: int, seed: int) -> None:
    decoder = random_decoder(vocab_size, d_model, seed)
    metadata = {"stage": "translation", "domain": "translate-de", "epoch": "0",
                **decoder_metadata(decoder.config, random_vocabulary(vocab_size), "translate-de")}
    write_state_dict(decoder.state_dict(), path, "safetensors", metadata)


def greedy_margin(decoder: TranslationDecoder, encoder_out, lengths, steps: int) -> float:
    """Smallest best-minus-second logit over every element and step of lockstep greedy decoding."""
    cross_key, cross_value = decoder.cross_kv(encoder_out)
    past_key, past_value = decoder.empty_cache(encoder_out.shape[0])
    tokens = torch.full((encoder_out.shape[0], 1), BOS, dtype=torch.int64)
    margin = float("inf")
    for _ in range(steps):
        result = decoder.step(tokens, past_key, past_value, cross_key, cross_value, lengths)
        top = result.logits[:, -1].topk(2, dim=-1).values
        margin = min(margin, float((top[:, 0] - top[:, 1]).min()))
        past_key, past_value = result.present_key, result.present_value
        tokens = result.logits[:, -1].argmax(dim=-1, keepdim=True)
    return margin


def padded(rows: List[List[int]]) -> torch.Tensor:
    width = max(1, max(len(r) for r in rows))
    return torch.tensor([r + [-1] * (width - len(r)) for r in rows], dtype=torch.int64)


def golden_vectors(decoder: TranslationDecoder) -> Dict[str, torch.Tensor]:
    generator = torch.Generator().manual_seed(INPUT_SEED)
    vocab_size = decoder.config.vocab_size
    encoder_out = torch.randn(2, FRAMES, decoder.config.d_model, generator=generator)
    lengths = torch.tensor(ENCODER_LENGTHS, dtype=torch.int64)
    words = torch.randint(len(SPECIAL_TOKENS), vocab_size, (2, PREFIX_TOKENS - 1), generator=generator)
    tokens = torch.cat([torch.full((2, 1), BOS, dtype=torch.int64), words], dim=1)

    d = decoder.double()
    wide = encoder_out.double()
    cross_key, cross_value = d.cross_kv(wide)
    empty_key, empty_value = d.empty_cache(2)
    prefix = d.step(tokens, empty_key, empty_value, cross_key, cross_value, lengths)

    past_key, past_value = empty_key, empty_value
    step_logits = []
    for s in range(PREFIX_TOKENS):
        result = d.step(tokens[:, s:s + 1], past_key, past_value, cross_key, cross_value, lengths)
        step_logits.append(result.logits[:, 0])
        past_key, past_value = result.present_key, result.present_value
    difference = (torch.stack(step_logits, dim=1) - prefix.logits).abs().max().item()
    if difference > 1e-9:
        raise RuntimeError(f"cached steps and the full-prefix pass differ by {difference}")

    ids = d.greedy(wide, lengths, max_tokens=GREEDY_MAX_TOKENS)
    margin = greedy_margin(d, wide, lengths, max(len(r) for r in ids) + 1)
    f32 = lambda t: t.to(torch.float32)  # noqa: E731
    return OrderedDict([
        ("encoder_out", encoder_out),
        ("encoder_lengths", lengths),
        ("cross.cross_key", f32(cross_key)),
        ("cross.cross_value", f32(cross_value)),
        ("prefix.tokens", tokens),
        ("prefix.logits", f32(prefix.logits)),
        ("prefix.present_key", f32(prefix.present_key)),
        ("prefix.present_value", f32(prefix.present_value)),
        ("steps.logits", f32(torch.stack(step_logits))),
        ("steps.present_key", f32(past_key)),
        ("steps.present_value", f32(past_value)),
        ("greedy.ids", padded(ids)),
        ("greedy.min_margin", torch.tensor(margin, dtype=torch.float32)),
    ])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decoder", required=True, help="decoder.safetensors to read (written first with --make-random)")
    parser.add_argument("--make-random", action="store_true", help="write a seeded random decoder to --decoder first")
    parser.add_argument("--vocab-size", type=int, default=40, help="vocabulary of the random decoder")
    parser.add_argument("--d-model", type=int, default=192, help="width of the random decoder (the encoder's)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the random decoder")
    parser.add_argument("--output", required=True, help="golden safetensors file to write")
    args = parser.parse_args(argv)

    if args.make_random:
        if args.vocab_size <= len(SPECIAL_TOKENS):
            parser.error(f"--vocab-size must exceed the {len(SPECIAL_TOKENS)} special tokens")
        write_random(args.decoder, args.vocab_size, args.d_model, args.seed)
    state, metadata = checkpoint_safetensors.read_with_metadata(args.decoder)
    decoder, _ = load_decoder(state, metadata)

    with torch.no_grad():
        golden = golden_vectors(decoder)
    checkpoint_safetensors.write(golden, args.output, {
        "compute_dtype": "float64",
        "greedy_max_tokens": str(GREEDY_MAX_TOKENS),
        "decoder_config": decoder.config.to_json(),
    })
    for name, tensor in golden.items():
        print(f"{name:22s} {str(tensor.dtype).replace('torch.', ''):8s} {list(tensor.shape)}")
    print(f"greedy ids: {golden['greedy.ids'].tolist()} (EOS = {EOS}), min margin {float(golden['greedy.min_margin']):.3g}")
    print(f"wrote {len(golden)} tensors to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
