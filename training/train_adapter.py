#!/usr/bin/python3
"""Per-domain adapter + CTC head fine-tuning with the encoder frozen (CPU, or a GPU with ``--device cuda``).

Loads the base model (``--base``), adds the domain ``--domain`` as an identity adapter (zero
``up`` projections) whose head is a copy of the base ``ctc`` head, freezes everything else and
trains only ``adapters.<domain>.layers.*`` and ``adapters.<domain>.ctc`` with CTC on the domain's
training set (15 minutes in the reference data; ``--train-minutes`` or ``--train-fraction``: its first utterances).
The frozen encoder runs in eval mode (no dropout); SpecAugment-style masks are applied to the input. ``--base none``
trains on a random encoder (feature statistics of the training set): the baseline without pretraining. After every
epoch: dev WER with the adapter; the best epoch is kept.

Output in the run directory: ``adapter.safetensors`` (adapter-only checkpoint: just the
``adapters.<domain>.*`` entries of the best epoch), ``state.pt``, ``history.json``, ``done.json``,
``log.txt``. ``training/assemble_checkpoint.py`` merges the base model and the adapter files into
one checkpoint.

``--merge-text-attention PATH`` (a ``text_attention.safetensors`` of ``train_text_attention.py``) trains learnable
multimodal attention merging (MAM, arXiv 2312.14378) with the adapter: the query, key and value projections of the
``--merge-layers`` become ``(1 - a_i) * W_speech + a_i * W_text`` in every forward pass, where ``a_i =
sigmoid(logit_i)`` is one trained scalar per layer, starting at ``--merge-init`` (``speechfm/attention_merge.py``).
The adapter then belongs to a base model of its own, not to the shared one: the run directory also gets
``merged_base.safetensors`` (the base merged with the factors of the best epoch; ``export`` it and pack the adapter
against that repository), and ``done.json`` the factors per layer. ``base_dev_wer`` and ``base_test_wer`` stay those
of the unmerged base.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402

from speechfm import attention_merge, recipe  # noqa: E402
from speechfm.checkpoint import adapter_state_dict, read_state_dict, write_state_dict  # noqa: E402
from speechfm.config import REFERENCE_CONFIG_PATH, ModelConfig  # noqa: E402
from speechfm.model import StreamingConformer  # noqa: E402
from train_ctc import batch_ctc_loss, evaluate_wer  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--domain", required=True, help="telephony, far-field or accent (data directory name)")
    p.add_argument("--name", default=None, help="adapter name in the checkpoint (default: the domain)")
    p.add_argument("--data", default=recipe.DEFAULT_DATA, help="generated data directory")
    p.add_argument("--base", default=f"{recipe.DEFAULT_RUN}/ctc/best.safetensors",
                   help="base model checkpoint ('none': a random encoder, the no-pretraining baseline)")
    p.add_argument("--stats-skip-silence", action=argparse.BooleanOptionalAction, default=False,
                   help="with --base none: feature statistics over the frames that are not digital silence")
    p.add_argument("--out", default=None, help=f"run directory (default {recipe.DEFAULT_RUN}/adapters/<name>)")
    p.add_argument("--config", default=str(REFERENCE_CONFIG_PATH))
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--threads", type=int, default=2)
    recipe.add_device_argument(p)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--time-budget-min", type=float, default=None,
                   help="stop (with a fully decayed learning rate) after this much training time")
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--warmup", type=int, default=30)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--max-frames", type=int, default=8000, help="padded feature frames per batch")
    p.add_argument("--max-batch", type=int, default=48)
    p.add_argument("--no-specaugment", action="store_true")
    p.add_argument("--limit", type=int, default=None, help="use only the first N utterances (smoke tests)")
    recipe.add_train_subset_arguments(p)
    p.add_argument("--test", action="store_true",
                   help="at the end, WER of the base model and of the best adapter on <domain>/test (in done.json)")
    p.add_argument("--log-every", type=int, default=10)
    p.add_argument("--merge-text-attention", default=None, metavar="PATH",
                   help="text_attention.safetensors: train per-layer attention merge factors with the adapter")
    p.add_argument("--merge-layers", default="all", help="'all' or comma-separated encoder layers (0-based) to merge")
    p.add_argument("--merge-init", type=float, default=0.05, help="the merge factors' initial value (0 to 1)")
    return p.parse_args(argv)


def test_wer(model, name, adapter_path, test, base, log):
    """WER on <domain>/test of the adapter kept (the best dev epoch), beside the base model's ``base``."""
    model.load_state_dict({**model.state_dict(), **read_state_dict(adapter_path)}, strict=True)
    adapted, _ = evaluate_wer(model, test, name)
    log(f"test WER: base {100 * base:.2f}%, adapter {name} {100 * adapted:.2f}%")
    return {"base_test_wer": base, "test_wer": adapted}


def main(argv=None):
    args = parse_args(argv)
    name = args.name or args.domain
    run = recipe.start_run(args.out or f"{recipe.DEFAULT_RUN}/adapters/{name}", f"adapter {name} training", args)
    if run is None:
        return 0
    out, log, device = run.out, run.log, run.device
    config = ModelConfig.load(args.config)
    train = recipe.load_utterances(args.data, args.domain, "train", log, args.limit, minutes=args.train_minutes,
                                   fraction=args.train_fraction)
    dev = recipe.load_utterances(args.data, args.domain, "dev", log, args.limit)
    model = StreamingConformer(config)
    recipe.initialise_base(model, args.base, train, args.stats_skip_silence, log)
    base_state = {n: t.clone() for n, t in model.state_dict().items()}
    model.add_domain(name)
    model.to(device)
    trainable = model.train_only(f"adapters.{name}.")
    log(f"trainable parameters: {sum(p.numel() for p in trainable):,} (adapters.{name}.*), "
        f"frozen encoder {model.encoder_parameter_count():,}")

    base_wer, _ = evaluate_wer(model, dev, None)
    log(f"base model on {args.domain}/dev: WER {100 * base_wer:.2f}%")
    test = recipe.load_utterances(args.data, args.domain, "test", log, args.limit) if args.test else None
    base_test_wer = evaluate_wer(model, test, None)[0] if test is not None else None
    merge = None
    if args.merge_text_attention:
        layers = attention_merge.parse_layers(args.merge_layers, config.num_layers)
        merge = attention_merge.LearnableAttentionMerge(read_state_dict(args.merge_text_attention), layers,
                                                        args.merge_init).to(device)
        merge.attach(model)
        trainable.append(merge.logits)
        log(f"merging the text model's attention into layers {layers}, factors from {args.merge_init}")
    lengths = [u.features.shape[0] for u in train]
    batches = recipe.make_batches(lengths, args.max_frames, args.max_batch)
    trainer = recipe.Trainer(out, model, trainable, log, args.lr, args.warmup, args.weight_decay, args.seed,
                             time_budget=args.time_budget_min * 60 if args.time_budget_min else None)
    if merge is not None:
        trainer.add_module_state("merge", merge)
    trainer.resume()
    trainer.extra.setdefault("history", [])
    trainer.extra.setdefault("best_wer", None)
    trainer.extra["base_dev_wer"] = base_wer

    def step(indices, generator):
        batch = [train[i] for i in indices]
        return batch_ctc_loss(model, batch, name, device, generator, not args.no_specaugment), {}

    def epoch_end(epoch):
        wer, hyps = evaluate_wer(model, dev, name)
        trainer.extra["history"].append({"epoch": epoch, "step": trainer.step, "dev_wer": wer,
                                         "train_minutes": trainer.elapsed / 60})
        best = trainer.extra["best_wer"]
        if best is None or wer < best:
            trainer.extra["best_wer"] = wer
            write_state_dict(adapter_state_dict(model.state_dict(), name), out / "adapter.safetensors",
                             "safetensors", {"stage": "adapter", "domain": name, "epoch": str(epoch),
                                             "dev_wer": f"{wer:.4f}"})
            if merge is not None:
                trainer.extra["merge_logits"] = merge.logits.detach().cpu().clone()
                trainer.extra["merge_factors"] = merge.factor_values()
                write_state_dict(merge.merged_base(base_state), out / "merged_base.safetensors", "safetensors",
                                 {"stage": "merge-attention", "adapter": name, "epoch": str(epoch)})
        log(f"epoch {epoch}: {args.domain}/dev WER {100 * wer:.2f}% (base {100 * base_wer:.2f}%, "
            f"best {100 * trainer.extra['best_wer']:.2f}%); e.g. hyp '{hyps[0]}'")
        recipe.write_json(out / "history.json", trainer.extra["history"])

    # Frozen encoder: eval mode (no dropout) while the adapter trains.
    trainer.train(args.epochs, batches, step, epoch_end, args.log_every, train_mode=model.eval)
    merged = {}
    if merge is not None:
        with torch.no_grad():
            merge.logits.copy_(trainer.extra["merge_logits"])  # the factors of the adapter kept
        merged = {"merge_factors": trainer.extra["merge_factors"], "merge_layers": merge.layers,
                  "merge_text_attention": args.merge_text_attention}
    test_wers = test_wer(model, name, out / "adapter.safetensors", test, base_test_wer, log) if args.test else {}
    recipe.write_json(out / "done.json", {
        "stage": "adapter", "domain": args.domain, "name": name, "steps": trainer.step,
        "epochs_completed": trainer.epoch, "train_seconds": round(trainer.elapsed, 1),
        "last_process_wall_seconds": run.wall_seconds(),
        "base_dev_wer": base_wer, "best_dev_wer": trainer.extra["best_wer"], "history": trainer.extra["history"],
        "utterances": len(train), "hours": sum(lengths) / 100 / 3600, "batches_per_epoch": len(batches),
        **merged, **test_wers, "args": vars(args),
    })
    log(f"best {args.domain}/dev WER {100 * trainer.extra['best_wer']:.2f}% (base {100 * base_wer:.2f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
