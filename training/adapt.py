#!/usr/bin/python3
"""Trains one domain adapter on features prepared by the exporter's ``adapt`` command (docs/adapters.md).

The exporter decodes the user's audio with the server's decoder, computes the server's log-mel features,
recovers the base weights from the model repository and writes them into ``--work``:

- ``base.safetensors``: the base model in the checkpoint layout (docs/model.md);
- ``utterances.safetensors``: ``train.features`` / ``dev.features`` (``[frames, 80]`` float32, utterances
  concatenated) and ``train.lengths`` / ``dev.lengths`` (int64 frames per utterance);
- ``transcripts.json``: ``{"train": [...], "dev": [...]}``, normalised text in utterance order;
- ``architecture.json``: ``model.json``'s ``architecture``.

The recipe is ``train_adapter.py``'s: the encoder frozen in eval mode, an identity adapter of
``--bottleneck`` units per layer and a copy of the base CTC head trained with CTC and SpecAugment. Dev WER
(greedy) after every epoch; the best epoch is kept; training stops after ``--patience`` epochs without a
better dev WER, after ``--max-epochs``, or when the ``--time-budget-s`` is spent. A bottleneck narrower than
the model's is padded with zero units (exactly the same function) so the package fits the served encoder.

Output: ``adapter.safetensors`` (``adapters.<name>.*``). Progress goes to standard output as one JSON object
per line (``event``: ``base``, ``step``, ``eval``, ``done``); the human-readable log goes to standard error.
"""

import argparse
import dataclasses
import json
import sys
import time
from collections import OrderedDict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from speechfm import recipe  # noqa: E402
from speechfm.checkpoint import adapter_state_dict, read_state_dict, write_state_dict  # noqa: E402
from speechfm.config import ModelConfig  # noqa: E402
from speechfm.model import StreamingConformer  # noqa: E402
from train_ctc import ctc_loss, evaluate_wer  # noqa: E402


class EarlyStop(Exception):
    """Dev WER has not improved for ``--patience`` epochs."""


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--work", required=True, help="directory prepared by the exporter's adapt command")
    p.add_argument("--name", required=True, help="adapter name")
    p.add_argument("--bottleneck", type=int, default=None, help="adapter units per layer (default: the model's)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device", default="auto", help="auto (a CUDA GPU when there is one), cpu or cuda")
    p.add_argument("--time-budget-s", type=float, default=600.0, help="training time, dev evaluations excluded")
    p.add_argument("--max-epochs", type=int, default=40)
    p.add_argument("--patience", type=int, default=5, help="epochs without a better dev WER before stopping")
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--warmup", type=int, default=30)
    p.add_argument("--max-frames", type=int, default=8000, help="padded feature frames per batch")
    p.add_argument("--max-batch", type=int, default=48)
    p.add_argument("--seed", type=int, default=1234)
    return p.parse_args(argv)


def emit(event: str, **values) -> None:
    print(json.dumps({"event": event, **values}), flush=True)


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def load_split(tensors, transcripts, split: str):
    lengths = tensors[f"{split}.lengths"].tolist()
    chunks = torch.split(tensors[f"{split}.features"], lengths)
    return [recipe.Utterance(f"{split}-{i}", chunk, text, length / 100)
            for i, (chunk, text, length) in enumerate(zip(chunks, transcripts[split], lengths))]


def padded_adapter(state, name: str, width: int) -> "OrderedDict[str, torch.Tensor]":
    """The adapter's tensors with zero units added up to ``width`` (ReLU(0) times a zero column adds nothing)."""
    out = OrderedDict()
    for key, tensor in adapter_state_dict(state, name).items():
        if key.endswith(".down.weight"):  # [r, d]: rows are units
            tensor = F.pad(tensor, (0, 0, 0, width - tensor.shape[0]))
        elif key.endswith(".down.bias"):  # [r]
            tensor = F.pad(tensor, (0, width - tensor.shape[0]))
        elif key.endswith(".up.weight"):  # [d, r]: columns are units
            tensor = F.pad(tensor, (0, width - tensor.shape[1]))
        out[key] = tensor
    return out


def resolve_device(name: str) -> str:
    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return name


def main(argv=None):
    args = parse_args(argv)
    work = Path(args.work)
    device = recipe.setup_torch(args.threads, args.seed, resolve_device(args.device))
    config = ModelConfig.from_dict(json.loads((work / "architecture.json").read_text(encoding="utf-8")))
    served_width = config.adapter_dim
    bottleneck = args.bottleneck or served_width
    if not 1 <= bottleneck <= served_width:
        raise SystemExit(f"--bottleneck must be between 1 and the model's {served_width}")
    config = dataclasses.replace(config, adapter_dim=bottleneck)

    tensors = read_state_dict(work / "utterances.safetensors")
    transcripts = json.loads((work / "transcripts.json").read_text(encoding="utf-8"))
    train = load_split(tensors, transcripts, "train")
    dev = load_split(tensors, transcripts, "dev")
    model = StreamingConformer(config)
    model.load_state_dict(read_state_dict(work / "base.safetensors"), strict=True)
    model.add_domain(args.name)
    model.to(device)
    trainable = model.train_only(f"adapters.{args.name}.")
    log(f"{len(train)} training and {len(dev)} dev utterances on {device}, {args.threads} threads, "
        f"{sum(p.numel() for p in trainable):,} trainable parameters")

    base_wer, _ = evaluate_wer(model, dev, None)
    emit("base", dev_wer=base_wer)
    batches = recipe.make_batches([u.features.shape[0] for u in train], args.max_frames, args.max_batch)
    trainer = recipe.Trainer(work / "run", model, trainable, log, args.lr, args.warmup, 0.0, args.seed,
                             time_budget=args.time_budget_s)
    best = {"wer": None, "epoch": None}

    def step(indices, generator):
        batch = [train[i] for i in indices]
        feats_, lens = recipe.collate(batch, device)
        feats_ = recipe.spec_augment(feats_, lens, model.frontend_norm.mean, generator)
        inputs = model.training_domain_tensors([args.name] * len(indices))
        result = model.call(feats_, lens, model.initial_state(len(indices)), inputs)
        loss = ctc_loss(result.log_probs, result.output_lengths, batch)
        emit("step", step=trainer.step + 1, epoch=trainer.epoch, loss=float(loss), elapsed_s=trainer.elapsed,
             budget_s=args.time_budget_s)
        return loss, {}

    def epoch_end(epoch):
        wer, _ = evaluate_wer(model, dev, args.name)
        if best["wer"] is None or wer < best["wer"]:
            best.update(wer=wer, epoch=epoch)
            write_state_dict(padded_adapter(model.state_dict(), args.name, served_width),
                             work / "adapter.safetensors", "safetensors",
                             {"domain": args.name, "epoch": str(epoch), "dev_wer": f"{wer:.4f}"})
        emit("eval", epoch=epoch, step=trainer.step, dev_wer=wer, best_dev_wer=best["wer"], elapsed_s=trainer.elapsed)
        if epoch - best["epoch"] >= args.patience:
            raise EarlyStop()

    try:
        trainer.train(args.max_epochs, batches, step, epoch_end, log_every=10, train_mode=model.eval)
    except EarlyStop:
        log(f"no better dev WER for {args.patience} epochs: stopped")
    emit("done", base_dev_wer=base_wer, dev_wer=best["wer"], best_epoch=best["epoch"], steps=trainer.step,
         epochs=trainer.epoch, train_seconds=trainer.elapsed, device=str(device))
    return 0


if __name__ == "__main__":
    sys.exit(main())
