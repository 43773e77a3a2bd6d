#!/usr/bin/python3
"""Text model for multimodal attention merging (MAM, arXiv 2312.14378): a causal character language model whose
self-attention layers have the encoder's shapes (CPU, or ``--device cuda``).

The model: the characters of ``speechfm.text``'s vocabulary as tokens (``<blank>``, id 0, stands for the sentence
start and end), a learned token embedding plus a learned position embedding, then ``num_layers`` pre-norm blocks
``x + Attention(LayerNorm(x))``, ``x + FeedForward(x)`` with causal attention, a final LayerNorm and a linear
output layer. Its attention is the encoder's own module (``speechfm.model.ChunkedSelfAttention``: ``d_model``,
``num_heads``, the ``q``/``k``/``v``/``out`` projections) and its feed-forward module the encoder's, sized by
``--config``, so layer i's projections can be merged into encoder layer i (``speechfm/attention_merge.py``). It is
trained to predict each next character of the training sentences (``DATA/sentences/train.txt``), with AdamW, warm-up
and cosine decay, within ``--epochs`` or ``--time-budget-min``. Every ``--dev-every``-th line is held out to measure
the model's perplexity per character (the sentence end included); lines with characters outside the vocabulary are
skipped.

Output in the run directory: ``text_attention.safetensors`` (only the merged tensors, named as the encoder tensors
they merge into: ``layers.{i}.attn.{q,k,v}.{weight,bias}``), ``text_model.safetensors`` (the whole model, which
``pretrain_contrastive.py --text-init`` can start its text encoder from), ``state.pt``, ``history.json`` (dev
perplexity per epoch), ``done.json`` (steps, final training loss: the mean of the last 50 steps, dev perplexity,
lines), ``log.txt``.

    /usr/bin/python3 training/train_text_attention.py --data training/data/generated-wide \\
        --out training/runs/wide/mam/text --time-budget-min 20
"""

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

from speechfm import attention_merge, recipe, text  # noqa: E402
from speechfm.checkpoint import write_state_dict  # noqa: E402
from speechfm.config import REFERENCE_CONFIG_PATH, ModelConfig  # noqa: E402
from speechfm.model import ChunkedSelfAttention, FeedForward  # noqa: E402

IGNORED = -100  # target of padding positions (F.cross_entropy's ignore_index)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default=recipe.DEFAULT_DATA, help="generated data directory (reads sentences/train.txt)")
    p.add_argument("--out", required=True, help="run directory")
    p.add_argument("--config", default=str(REFERENCE_CONFIG_PATH), help="the encoder's architecture")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--threads", type=int, default=2)
    recipe.add_device_argument(p)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--time-budget-min", type=float, default=None,
                   help="stop (with a fully decayed learning rate) after this much training time")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--max-chars", type=int, default=200, help="longest line in characters (longer lines are cut)")
    p.add_argument("--max-tokens", type=int, default=8000, help="padded tokens per batch")
    p.add_argument("--max-batch", type=int, default=128)
    p.add_argument("--dev-every", type=int, default=50, help="hold out every N-th line for the dev perplexity")
    p.add_argument("--limit", type=int, default=None, help="use only the first N lines (smoke tests)")
    p.add_argument("--log-every", type=int, default=50)
    return p.parse_args(argv)


class TextBlock(nn.Module):
    """Pre-norm block around the encoder's attention module: ``x + Attention(LN(x))``, ``x + FeedForward(x)``."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.attn_norm = nn.LayerNorm(config.d_model)
        self.attn = ChunkedSelfAttention(config.d_model, config.num_heads)
        self.ff = FeedForward(config.d_model, config.ff_dim)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor, visible: torch.Tensor) -> torch.Tensor:
        y = self.attn_norm(x)
        x = x + self.dropout(self.attn(y, y, visible))
        return x + self.dropout(self.ff(x))


class CharacterTransformer(nn.Module):
    """Token and position embeddings, ``config.num_layers`` :class:`TextBlock` s and a final LayerNorm over the
    characters of a sentence; ``layers.{i}.attn.*`` have the names and shapes of the encoder's. Also the text encoder
    of ``pretrain_contrastive.py``."""

    def __init__(self, config: ModelConfig, max_chars: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(len(text.TOKENS), config.d_model)
        self.position = nn.Embedding(max_chars + 1, config.d_model)
        self.layers = nn.ModuleList(TextBlock(config) for _ in range(config.num_layers))
        self.norm = nn.LayerNorm(config.d_model)

    def hidden(self, tokens: torch.Tensor, lengths: torch.Tensor, causal: bool) -> torch.Tensor:
        """``tokens [B, T]`` (padded), ``lengths [B]`` -> the last block's normalised output ``[B, T, d]``; each
        position attends to the valid positions up to itself (``causal``) or to all of them."""
        steps = tokens.shape[1]
        positions = torch.arange(steps, device=tokens.device)
        visible = (positions.unsqueeze(0) < lengths.unsqueeze(1)).unsqueeze(1)  # [B, 1, T]
        if causal:
            visible = visible & (positions.unsqueeze(1) >= positions.unsqueeze(0)).unsqueeze(0)
        x = self.embed(tokens) + self.position(positions)
        for layer in self.layers:
            x = layer(x, visible.expand(-1, steps, -1))
        return self.norm(x)


class TextAttentionModel(CharacterTransformer):
    """Causal character language model: :class:`CharacterTransformer` and a next-character output layer."""

    def __init__(self, config: ModelConfig, max_chars: int) -> None:
        super().__init__(config, max_chars)
        self.head = nn.Linear(config.d_model, len(text.TOKENS))

    def forward(self, tokens: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """``tokens [B, T]`` (padded), ``lengths [B]`` -> next-token logits ``[B, T, vocabulary]``."""
        return self.head(self.hidden(tokens, lengths, causal=True))


def sentence_tokens(sentence, max_chars):
    """Token ids of a normalised sentence: ``<blank>`` (the sentence start), then its characters cut to
    ``max_chars``; ``ValueError`` for a character outside the vocabulary."""
    return [text.BLANK] + text.encode(sentence)[:max_chars]


def read_lines(path, max_chars, limit=None):
    """Token ids of each usable line (:func:`sentence_tokens`); and the lines skipped."""
    sequences, skipped = [], 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if limit is not None and len(sequences) + skipped >= limit:
                break
            if not line.strip():
                continue
            try:
                sequences.append(sentence_tokens(line.strip(), max_chars))
            except ValueError:
                skipped += 1
    return sequences, skipped


def split_dev(sequences, every):
    """``(train, dev)``: every ``every``-th sequence held out (the last one when there are fewer)."""
    dev = [s for i, s in enumerate(sequences) if i % every == every - 1] or sequences[-1:]
    held_out = {id(s) for s in dev}
    return [s for s in sequences if id(s) not in held_out], dev


def collate(sequences, device):
    """Inputs ``[B, T]`` (padded with 0), next-token targets ``[B, T]`` (padding ignored), lengths ``[B]``."""
    longest = max(len(s) for s in sequences)
    inputs = torch.zeros(len(sequences), longest, dtype=torch.int64)
    targets = torch.full((len(sequences), longest), IGNORED, dtype=torch.int64)
    for b, s in enumerate(sequences):
        inputs[b, :len(s)] = torch.tensor(s)
        targets[b, :len(s)] = torch.tensor(s[1:] + [text.BLANK])  # each next character, then the sentence end
    lengths = torch.tensor([len(s) for s in sequences], dtype=torch.int64)
    return inputs.to(device), targets.to(device), lengths.to(device)


def batch_loss(model, sequences, device, reduction="mean"):
    inputs, targets, lengths = collate(sequences, device)
    logits = model(inputs, lengths)
    return F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=IGNORED, reduction=reduction)


@torch.no_grad()
def perplexity(model, sequences, device, max_tokens, max_batch):
    """Perplexity per predicted character (the sentence end included)."""
    model.eval()
    total, count = 0.0, 0
    for indices in recipe.make_batches([len(s) for s in sequences], max_tokens, max_batch):
        batch = [sequences[i] for i in indices]
        total += float(batch_loss(model, batch, device, reduction="sum"))
        count += sum(len(s) for s in batch)
    return math.exp(total / max(count, 1))


def main(argv=None):
    args = parse_args(argv)
    run = recipe.start_run(args.out, "text attention model", args)
    if run is None:
        return 0
    out, log, device = run.out, run.log, run.device
    config = ModelConfig.load(args.config)
    sequences, skipped = read_lines(Path(args.data) / "sentences" / "train.txt", args.max_chars, args.limit)
    train, dev = split_dev(sequences, args.dev_every)
    log(f"{len(train)} training and {len(dev)} dev lines, {skipped} skipped (characters outside the vocabulary)")
    model = TextAttentionModel(config, args.max_chars).to(device)
    batches = recipe.make_batches([len(s) for s in train], args.max_tokens, args.max_batch)
    trainer = recipe.Trainer(out, model, list(model.parameters()), log, args.lr, args.warmup, args.weight_decay,
                             args.seed, time_budget=args.time_budget_min * 60 if args.time_budget_min else None)
    trainer.resume()
    trainer.extra.setdefault("history", [])
    recent_losses = []

    def step(indices, generator):
        loss = batch_loss(model, [train[i] for i in indices], device)
        recent_losses[:] = (recent_losses + [float(loss)])[-50:]
        return loss, {}

    def epoch_end(epoch):
        dev_perplexity = perplexity(model, dev, device, args.max_tokens, args.max_batch)
        trainer.extra["history"].append({"epoch": epoch, "step": trainer.step, "dev_perplexity": dev_perplexity,
                                         "train_minutes": trainer.elapsed / 60})
        log(f"epoch {epoch}: dev perplexity {dev_perplexity:.3f} per character")
        recipe.write_json(out / "history.json", trainer.extra["history"])

    trainer.train(args.epochs, batches, step, epoch_end, args.log_every)
    dev_perplexity = perplexity(model, dev, device, args.max_tokens, args.max_batch)
    names = attention_merge.merged_names(range(config.num_layers))
    state = model.state_dict()
    metadata = {"stage": "text-attention", "d_model": str(config.d_model), "num_heads": str(config.num_heads),
                "num_layers": str(config.num_layers), "max_chars": str(args.max_chars),
                "dev_perplexity": f"{dev_perplexity:.4f}"}
    write_state_dict({name: state[name] for name in names}, out / "text_attention.safetensors", "safetensors",
                     metadata)
    write_state_dict(state, out / "text_model.safetensors", "safetensors", metadata)
    recipe.write_json(out / "done.json", {
        "stage": "text-attention", "steps": trainer.step, "epochs_completed": trainer.epoch,
        "final_loss": sum(recent_losses) / len(recent_losses) if recent_losses else None,
        "dev_perplexity": dev_perplexity, "train_lines": len(train), "dev_lines": len(dev), "skipped_lines": skipped,
        "train_seconds": round(trainer.elapsed, 1), "last_process_wall_seconds": run.wall_seconds(),
        "tensors": names, "history": trainer.extra["history"], "args": vars(args),
    })
    log(f"dev perplexity {dev_perplexity:.3f} per character: {out / 'text_attention.safetensors'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
