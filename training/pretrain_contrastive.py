#!/usr/bin/python3
"""Contrastive speech-text pretraining of the streaming Conformer encoder (arXiv 2412.15712; CPU, or ``--device cuda``).

Starts from ``--init`` (an encoder checkpoint in either format, its ``frontend_norm`` kept) or, with ``--init none``,
from random initialisation with the statistics of the training set (``--stats-skip-silence``: frames of digital
silence left out). Each ``general/train`` utterance (``--train-minutes`` or ``--train-fraction``: the first ones) is
a pair: its speech, run through the encoder as served (``full_pass``, identity adapters, the chunk mask; SpecAugment-
style masks on the input), its encoder output mean-pooled over the valid frames; and its transcript, run through a
small text encoder, the character transformer of ``train_text_attention.py`` with ``--text-layers`` blocks of the
encoder's width and bidirectional attention, mean-pooled over the characters. A linear projection per side maps the
two into a shared space of ``--projection-dim``; the loss is the symmetric InfoNCE of their cosine similarities over a
learnable temperature (from ``--temperature``, not below 0.01), the other utterances of the batch being the
negatives (``speechfm/contrastive.py``). Every encoder weight but the unused CTC head trains with the text side.

``--text-init`` starts the text encoder from a ``text_model.safetensors`` of ``train_text_attention.py`` (trained on
the training sentences): its embeddings, final LayerNorm and first ``--text-layers`` blocks, when ``--config``
and ``--max-chars`` are the ones it was trained with; its next-character layer is left out. That model's attention is
causal and the text encoder's is not: the weights are a start, not the same function.

After every epoch and at the end: in-batch retrieval on ``general/dev``, batched as the training set is: the share of
utterances whose own transcript is the most similar of their batch, beside the share a random choice would get.
Output in the run directory: ``encoder.safetensors`` (the whole base model, its CTC head as it started: the
``--init`` of ``train_ctc.py``, the ``--base`` of ``train_adapter.py`` and ``train_translation.py``), ``state.pt``
(resume state, the text side included), ``history.json``, ``done.json`` (steps, final loss: the mean of the last 50
steps, temperature, dev retrieval accuracy and chance), ``log.txt``.
"""

import argparse
import dataclasses
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402
from torch import nn  # noqa: E402

from speechfm import contrastive, recipe  # noqa: E402
from speechfm.checkpoint import read_state_dict, write_state_dict  # noqa: E402
from speechfm.config import REFERENCE_CONFIG_PATH, ModelConfig  # noqa: E402
from speechfm.model import StreamingConformer  # noqa: E402
from train_text_attention import CharacterTransformer, collate, sentence_tokens  # noqa: E402

MIN_TEMPERATURE = 0.01


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default=recipe.DEFAULT_DATA, help="generated data directory")
    p.add_argument("--out", default=f"{recipe.DEFAULT_RUN}/contrastive", help="run directory")
    p.add_argument("--init", default="none", help="encoder checkpoint to start from ('none': random initialisation)")
    p.add_argument("--config", default=str(REFERENCE_CONFIG_PATH))
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--threads", type=int, default=2)
    recipe.add_device_argument(p)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--time-budget-min", type=float, default=None,
                   help="stop (with a fully decayed learning rate) after this much training time")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--weight-decay", type=float, default=0.01, help="of every weight but the temperature")
    p.add_argument("--max-frames", type=int, default=8000, help="padded feature frames per batch")
    p.add_argument("--max-batch", type=int, default=48, help="utterances per batch: the negatives of each")
    p.add_argument("--no-specaugment", action="store_true")
    p.add_argument("--stats-skip-silence", action=argparse.BooleanOptionalAction, default=False,
                   help="with --init none: feature statistics over the frames that are not digital silence")
    recipe.add_train_subset_arguments(p)
    p.add_argument("--text-layers", type=int, default=2, help="blocks of the text encoder")
    p.add_argument("--max-chars", type=int, default=200, help="longest transcript in characters (longer ones are cut)")
    p.add_argument("--projection-dim", type=int, default=128, help="dimension of the shared space")
    p.add_argument("--temperature", type=float, default=0.07, help="the learnable temperature's initial value")
    p.add_argument("--text-init", default=None, metavar="PATH",
                   help="text_model.safetensors of train_text_attention.py: the text encoder's start")
    p.add_argument("--limit", type=int, default=None, help="use only the first N utterances (smoke tests)")
    p.add_argument("--log-every", type=int, default=20)
    return p.parse_args(argv)


class SpeechTextHeads(nn.Module):
    """What contrastive pretraining adds to the encoder: the text encoder (a :class:`CharacterTransformer` of
    ``text_layers`` blocks), a projection of each side into the shared space, and the temperature's logarithm."""

    def __init__(self, config: ModelConfig, text_layers: int, max_chars: int, dim: int, temperature: float) -> None:
        super().__init__()
        self.max_chars = max_chars
        self.text = CharacterTransformer(dataclasses.replace(config, num_layers=text_layers), max_chars)
        self.speech_projection = nn.Linear(config.d_model, dim)
        self.text_projection = nn.Linear(config.d_model, dim)
        self.log_temperature = nn.Parameter(torch.tensor(math.log(temperature)))

    def temperature(self) -> torch.Tensor:
        return self.log_temperature.exp().clamp(min=MIN_TEMPERATURE)

    def embed_speech(self, encoded) -> torch.Tensor:
        """``[B, dim]``: an ``EncoderOutput``'s frames pooled over the valid ones, projected."""
        return self.speech_projection(contrastive.pool_valid(encoded.encoder_out, encoded.output_lengths))

    def embed_text(self, texts, device) -> torch.Tensor:
        """``[B, dim]``: the transcripts' characters encoded, pooled over the valid ones, projected."""
        tokens, _, lengths = collate([sentence_tokens(t, self.max_chars) for t in texts], device)
        return self.text_projection(contrastive.pool_valid(self.text.hidden(tokens, lengths, causal=False), lengths))


def warm_start_text(heads: SpeechTextHeads, path, log) -> None:
    """Load the text encoder's tensors from a ``text_model.safetensors``; refuse one that lacks any or has another
    shape (another ``--config`` or ``--max-chars``)."""
    state = read_state_dict(path)
    own = heads.text.state_dict()
    missing = [n for n in own if n not in state]
    mismatched = [n for n in own if n in state and state[n].shape != own[n].shape]
    if missing or mismatched:
        raise SystemExit(f"--text-init {path}: tensors missing {missing[:3]}, of another shape {mismatched[:3]} "
                         f"(the text model must have at least --text-layers blocks, this --config and --max-chars)")
    heads.text.load_state_dict({n: state[n] for n in own})
    log(f"text encoder initialised from {path} ({len(own)} tensors)")


def batch_logits(model, heads, batch, device, generator=None):
    """Similarity logits of a batch's speech (rows) against its transcripts (columns); with ``generator``,
    SpecAugment-style masks on the speech."""
    features, lengths = recipe.collate(batch, device)
    if generator is not None:
        features = recipe.spec_augment(features, lengths, model.frontend_norm.mean, generator)
    speech = heads.embed_speech(model.full_pass(features, lengths))
    return contrastive.similarity_logits(speech, heads.embed_text([u.text for u in batch], device),
                                         heads.temperature())


@torch.no_grad()
def dev_retrieval(model, heads, utterances, device, max_frames, max_batch):
    """In-batch speech-to-text retrieval in batches of the training batches' shape: the share of utterances whose
    own transcript (or an equal one) is the most similar of their batch, and the share a random choice would get."""
    model.eval()
    heads.eval()
    hits, chance = 0, 0.0
    for indices in recipe.make_batches([u.features.shape[0] for u in utterances], max_frames, max_batch):
        batch = [utterances[i] for i in indices]
        same = contrastive.same_text([u.text for u in batch])
        hits += contrastive.retrieval_hits(batch_logits(model, heads, batch, device), same)
        chance += float(same.float().mean(1).sum())
    return hits / len(utterances), chance / len(utterances)


def main(argv=None):
    args = parse_args(argv)
    run = recipe.start_run(args.out, "contrastive pretraining", args)
    if run is None:
        return 0
    out, log, device = run.out, run.log, run.device
    config = ModelConfig.load(args.config)
    train = recipe.load_utterances(args.data, "general", "train", log, args.limit, minutes=args.train_minutes,
                                   fraction=args.train_fraction)
    dev = recipe.load_utterances(args.data, "general", "dev", log, args.limit)
    model = StreamingConformer(config)
    recipe.initialise_base(model, args.init, train, args.stats_skip_silence, log)
    heads = SpeechTextHeads(config, args.text_layers, args.max_chars, args.projection_dim, args.temperature)
    if args.text_init:
        warm_start_text(heads, args.text_init, log)
    model.to(device)
    heads.to(device)
    text_parameters = sum(p.numel() for p in heads.parameters())
    log(f"encoder parameters {model.encoder_parameter_count():,}, text encoder, projections and temperature "
        f"{text_parameters:,}")
    groups = [{"params": [p for n, p in model.named_parameters() if not n.startswith("ctc.")]},
              {"params": [p for n, p in heads.named_parameters() if n != "log_temperature"]},
              {"params": [heads.log_temperature], "weight_decay": 0.0}]

    lengths = [u.features.shape[0] for u in train]
    batches = recipe.make_batches(lengths, args.max_frames, args.max_batch)
    trainer = recipe.Trainer(out, model, groups, log, args.lr, args.warmup, args.weight_decay, args.seed,
                             time_budget=args.time_budget_min * 60 if args.time_budget_min else None)
    trainer.add_module_state("heads", heads)
    trainer.resume()
    trainer.extra.setdefault("history", [])
    trainer.extra.setdefault("recent_losses", [])

    def step(indices, generator):
        batch = [train[i] for i in indices]
        logits = batch_logits(model, heads, batch, device, None if args.no_specaugment else generator)
        same = contrastive.same_text([u.text for u in batch])
        loss = contrastive.info_nce(logits, same)
        trainer.extra["recent_losses"] = (trainer.extra["recent_losses"] + [float(loss)])[-50:]
        return loss, {"temperature": float(heads.temperature()),
                      "acc": contrastive.retrieval_hits(logits.detach(), same) / len(batch)}

    def epoch_end(epoch):
        accuracy, chance = dev_retrieval(model, heads, dev, device, args.max_frames, args.max_batch)
        trainer.extra["history"].append({"epoch": epoch, "step": trainer.step, "dev_retrieval_accuracy": accuracy,
                                         "dev_retrieval_chance": chance, "train_minutes": trainer.elapsed / 60})
        log(f"epoch {epoch}: general/dev in-batch retrieval {100 * accuracy:.1f} % (chance {100 * chance:.1f} %), "
            f"temperature {float(heads.temperature()):.4f}")
        recipe.write_json(out / "history.json", trainer.extra["history"])

    def train_mode():
        model.train()
        heads.train()

    trainer.train(args.epochs, batches, step, epoch_end, args.log_every, train_mode)
    accuracy, chance = dev_retrieval(model, heads, dev, device, args.max_frames, args.max_batch)
    write_state_dict(model.state_dict(), out / "encoder.safetensors", "safetensors",
                     {"stage": "contrastive-pretrain", "steps": str(trainer.step)})
    recent = trainer.extra["recent_losses"]
    recipe.write_json(out / "done.json", {
        "stage": "contrastive", "steps": trainer.step, "epochs_completed": trainer.epoch,
        "final_loss": sum(recent) / len(recent) if recent else None, "temperature": float(heads.temperature()),
        "dev_retrieval_accuracy": accuracy, "dev_retrieval_chance": chance, "dev_utterances": len(dev),
        "train_seconds": round(trainer.elapsed, 1), "last_process_wall_seconds": run.wall_seconds(),
        "utterances": len(train), "hours": sum(lengths) / 100 / 3600, "batches_per_epoch": len(batches),
        "text_parameters": text_parameters, "history": trainer.extra["history"], "args": vars(args),
    })
    log(f"general/dev in-batch retrieval {100 * accuracy:.1f} % (chance {100 * chance:.1f} %): "
        f"{out / 'encoder.safetensors'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
