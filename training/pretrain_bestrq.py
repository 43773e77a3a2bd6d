#!/usr/bin/python3
"""BEST-RQ self-supervised pretraining of the streaming Conformer encoder (CPU, or a GPU with ``--device cuda``).

Targets: a frozen random-projection quantizer (``speechfm.recipe.RandomProjectionQuantizer``)
maps every 4 stacked normalised feature frames (one encoder frame, 320 values) to one of
``--codebook-size`` codes. Input: the features with spans of encoder frames replaced by noise
(``--mask-prob`` start probability per encoder frame, ``--mask-span`` frames per span; the defaults, 0.05
and 10, are the shipped model's recipe; 0.12 and 3, which ``run_wide.sh`` passes, mask about 31 % of the
frames in spans short enough that most masked frames keep an unmasked neighbour within the streaming
encoder's view: training/README.md, "Why BEST-RQ lost"). Loss:
cross-entropy of a linear layer over ``encoder_out`` against the codes, on masked frames only.
The encoder runs as in serving: ``full_pass`` with identity (base) adapters and the chunk mask.

Before training, the per-mel-bin mean/std of the pretraining features (with ``--stats-skip-silence``,
which ``run_wide.sh`` passes, frames of digital silence left out) are computed and stored in
``frontend_norm`` (they stay in the model for every later stage). Output in the run directory:
``encoder.safetensors`` (the full model state dict, contract names; the ``ctc`` head is untrained),
``state.pt`` (resume state), ``done.json`` and ``log.txt``. Rerunning continues where it stopped.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

from speechfm import recipe  # noqa: E402
from speechfm.checkpoint import write_state_dict  # noqa: E402
from speechfm.config import REFERENCE_CONFIG_PATH, ModelConfig  # noqa: E402
from speechfm.model import StreamingConformer  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default=recipe.DEFAULT_DATA, help="generated data directory")
    p.add_argument("--out", default=f"{recipe.DEFAULT_RUN}/pretrain", help="run directory")
    p.add_argument("--config", default=str(REFERENCE_CONFIG_PATH))
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--threads", type=int, default=2)
    recipe.add_device_argument(p)
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--time-budget-min", type=float, default=None,
                   help="stop (with a fully decayed learning rate) after this much training time")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--warmup", type=int, default=150)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--max-frames", type=int, default=8000, help="padded feature frames per batch")
    p.add_argument("--max-batch", type=int, default=48)
    p.add_argument("--codebook-size", type=int, default=1024)
    p.add_argument("--code-dim", type=int, default=16)
    # Short spans: under the chunk mask a masked frame sees no frame to its right beyond its own chunk, so with
    # 10-frame spans 72 % of the masked frames had no visible unmasked frame within 80 ms (bestrq_targets.py).
    p.add_argument("--mask-prob", type=float, default=0.05, help="span start probability per encoder frame")
    p.add_argument("--mask-span", type=int, default=10, help="encoder frames (40 ms each) per masked span")
    p.add_argument("--stats-skip-silence", action=argparse.BooleanOptionalAction, default=False,
                   help="compute frontend_norm over the frames that are not digital silence (log floor); "
                        "the default counts every frame")
    p.add_argument("--limit", type=int, default=None, help="use only the first N utterances (smoke tests)")
    p.add_argument("--log-every", type=int, default=20)
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    run = recipe.start_run(args.out, "BEST-RQ pretraining", args)
    if run is None:
        return 0
    out, log, device = run.out, run.log, run.device
    config = ModelConfig.load(args.config)
    utterances = recipe.load_utterances(args.data, "pretrain", "train", log, args.limit)
    model = StreamingConformer(config)
    mean, std = recipe.feature_stats(utterances, args.stats_skip_silence)
    with torch.no_grad():
        model.frontend_norm.mean.copy_(mean)
        model.frontend_norm.std.copy_(std)
    log(f"feature stats: mean {mean.mean():.3f} (per-bin {mean.min():.2f}..{mean.max():.2f}), "
        f"std {std.mean():.3f} ({std.min():.2f}..{std.max():.2f})")
    quantizer = recipe.RandomProjectionQuantizer(config.n_mels, config.subsampling, args.code_dim,
                                                 args.codebook_size, seed=args.seed)
    head = nn.Linear(config.d_model, args.codebook_size)
    model.to(device)
    head.to(device)
    quantizer.to(device)
    params = [p for n, p in model.named_parameters() if not n.startswith("ctc.")] + list(head.parameters())
    log(f"encoder parameters {model.encoder_parameter_count():,}, prediction head {sum(p.numel() for p in head.parameters()):,}")

    lengths = [u.features.shape[0] for u in utterances]
    batches = recipe.make_batches(lengths, args.max_frames, args.max_batch)
    trainer = recipe.Trainer(out, model, params, log, args.lr, args.warmup, args.weight_decay, args.seed,
                             time_budget=args.time_budget_min * 60 if args.time_budget_min else None)
    trainer.add_module_state("head", head)
    trainer.resume()
    # The statistics are recomputed deterministically; the resumed state holds the same values.

    def train_mode():
        model.train()
        head.train()

    def step(indices, generator):
        feats_, lens = recipe.collate([utterances[i] for i in indices], device)
        normalised = (feats_ - model.frontend_norm.mean) / model.frontend_norm.std
        targets = quantizer(normalised)
        out_lens = torch.div(lens, config.subsampling, rounding_mode="floor")
        mask = recipe.span_mask(out_lens, targets.shape[1], args.mask_prob, args.mask_span, generator)
        masked = recipe.apply_feature_mask(feats_, mask, model.frontend_norm.mean, model.frontend_norm.std,
                                           generator, config.subsampling)
        encoded = model.full_pass(masked, lens).encoder_out
        logits = head(encoded[mask])
        loss = F.cross_entropy(logits, targets[mask])
        accuracy = (logits.argmax(-1) == targets[mask]).float().mean()
        return loss, {"acc": float(accuracy), "masked": float(mask.sum()) / float(out_lens.sum())}

    def epoch_end(epoch):
        log(f"epoch {epoch} done")

    trainer.train(args.epochs, batches, step, epoch_end, args.log_every, train_mode)
    model.eval()
    write_state_dict(model.state_dict(), out / "encoder.safetensors", "safetensors",
                     {"stage": "bestrq-pretrain", "steps": str(trainer.step)})
    recipe.write_json(out / "done.json", {
        "stage": "pretrain", "steps": trainer.step, "epochs_completed": trainer.epoch,
        "train_seconds": round(trainer.elapsed, 1), "last_process_wall_seconds": run.wall_seconds(),
        "utterances": len(utterances), "hours": sum(lengths) / 100 / 3600,
        "batches_per_epoch": len(batches), "args": vars(args),
    })
    log(f"wrote {out / 'encoder.safetensors'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
