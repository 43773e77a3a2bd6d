#!/usr/bin/python3
"""Low-resource fine-tuning of the whole base model, dense or pruned (PARP, arXiv 2106.05933; CPU or ``--device cuda``).

Loads the base model (``--base``) and fine-tunes every base parameter (encoder and ``ctc`` head, no adapters)
with CTC on the first ``--train-minutes`` of ``<domain>/train``, with the data, schedule, time budget, dev
selection and ``--test`` conventions of ``train_adapter.py``. ``--mode``:

* ``dense``: plain fine-tuning, the baseline (``--sparsity`` ignored).
* ``prune-then-finetune``: one-shot magnitude pruning to ``--sparsity``, then fine-tuning with the mask fixed
  (pruned weights get no gradient and stay zero).
* ``parp`` (prune-adjust-reprune): the same one-shot pruning, then fine-tuning with every weight free, so pruned
  weights start at zero and may revive; every ``--reprune-every`` steps the weights are pruned again to
  ``--sparsity`` by their current magnitudes. The model evaluated on dev after each epoch, and kept, is pruned
  once more, so the output has exactly that sparsity.

Pruning is unstructured and per layer over the encoder's matrix weights (``speechfm/pruning.py``: Linear and
convolution weights of the subsampling and the Conformer blocks; not norms, biases, the frontend statistics or
the CTC head). ``--sparsity`` is the share of each such weight that is zero.

Output in the run directory: ``best.safetensors`` (the full base checkpoint of the best dev epoch, pruned zeros
included; ``export`` reads it, ``--sparse-initializers`` stores its zeros compactly), ``state.pt``,
``history.json``, ``done.json`` (mode, target and measured sparsity, steps, dev and test WER and CER, the base
model's WER), ``log.txt``. A pruned model is a new base model: adapters trained on the original base do not
apply to it.
"""

import argparse
import contextlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speechfm import pruning, recipe, text  # noqa: E402
from speechfm.checkpoint import read_state_dict, write_state_dict  # noqa: E402
from speechfm.config import REFERENCE_CONFIG_PATH, ModelConfig  # noqa: E402
from speechfm.model import StreamingConformer  # noqa: E402
from train_ctc import batch_ctc_loss, evaluate_wer  # noqa: E402

MODES = ("dense", "prune-then-finetune", "parp")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--domain", required=True, help="telephony, far-field or accent (data directory name)")
    p.add_argument("--mode", choices=MODES, required=True)
    p.add_argument("--sparsity", type=float, default=0.5,
                   help="share of each encoder matrix weight pruned (0 to below 1; ignored with --mode dense)")
    p.add_argument("--reprune-every", type=int, default=50, metavar="N",
                   help="--mode parp: prune again to --sparsity every N steps")
    p.add_argument("--data", default=recipe.DEFAULT_DATA, help="generated data directory")
    p.add_argument("--base", default=f"{recipe.DEFAULT_RUN}/ctc/best.safetensors", help="base model checkpoint")
    p.add_argument("--out", required=True, help="run directory")
    p.add_argument("--config", default=str(REFERENCE_CONFIG_PATH))
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--threads", type=int, default=2)
    recipe.add_device_argument(p)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--time-budget-min", type=float, default=None,
                   help="stop (with a fully decayed learning rate) after this much training time")
    p.add_argument("--lr", type=float, default=3e-4)
    p.add_argument("--warmup", type=int, default=30)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--max-frames", type=int, default=8000, help="padded feature frames per batch")
    p.add_argument("--max-batch", type=int, default=48)
    p.add_argument("--no-specaugment", action="store_true")
    p.add_argument("--limit", type=int, default=None, help="use only the first N utterances (smoke tests)")
    p.add_argument("--train-minutes", type=float, default=None,
                   help="train on the first utterances of <domain>/train adding up to this many minutes")
    p.add_argument("--test", action="store_true",
                   help="WER and CER of the base model and of the model kept on <domain>/test (in done.json)")
    p.add_argument("--log-every", type=int, default=10)
    args = p.parse_args(argv)
    if not 0.0 <= args.sparsity < 1.0:
        p.error(f"--sparsity must be at least 0 and below 1, not {args.sparsity}")
    if args.reprune_every < 1:
        p.error("--reprune-every must be at least 1")
    return args


def error_rates(model, utterances):
    """Greedy WER and CER of the base path (no adapter) on ``utterances``."""
    wer, hyps = evaluate_wer(model, utterances)
    return wer, text.cer([u.text for u in utterances], hyps), hyps


def main(argv=None):
    args = parse_args(argv)
    run = recipe.start_run(args.out, f"{args.mode} fine-tuning", args)
    if run is None:
        return 0
    out, log, device = run.out, run.log, run.device
    config = ModelConfig.load(args.config)
    train = recipe.load_utterances(args.data, args.domain, "train", log, args.limit, minutes=args.train_minutes)
    dev = recipe.load_utterances(args.data, args.domain, "dev", log, args.limit)
    test = recipe.load_utterances(args.data, args.domain, "test", log, args.limit) if args.test else None
    model = StreamingConformer(config)
    model.load_state_dict({n: t for n, t in read_state_dict(args.base).items() if not n.startswith("adapters.")},
                          strict=True)
    model.to(device)
    weights = pruning.encoder_matrix_weights(model)
    sparsity = 0.0 if args.mode == "dense" else args.sparsity

    base = {"base_dev_wer": evaluate_wer(model, dev)[0]}
    if test is not None:
        base["base_test_wer"], base["base_test_cer"], _ = error_rates(model, test)
    if sparsity > 0:
        masks = pruning.prune(weights, sparsity)
        base["pruned_dev_wer"] = evaluate_wer(model, dev)[0]
        if args.mode == "prune-then-finetune":
            pruning.hold_pruned_at_zero(weights, masks)
    log(f"{args.domain}/dev before fine-tuning: " + ", ".join(f"{k} {100 * v:.2f}%" for k, v in base.items()))

    lengths = [u.features.shape[0] for u in train]
    batches = recipe.make_batches(lengths, args.max_frames, args.max_batch)
    trainer = recipe.Trainer(out, model, list(model.parameters()), log, args.lr, args.warmup, args.weight_decay,
                             args.seed, time_budget=args.time_budget_min * 60 if args.time_budget_min else None)
    trainer.resume()
    trainer.extra.setdefault("history", [])
    trainer.extra.setdefault("best", None)

    def step(indices, generator):
        batch = [train[i] for i in indices]
        return batch_ctc_loss(model, batch, None, device, generator, not args.no_specaugment), {}

    def reprune(step_count):
        if step_count % args.reprune_every == 0:
            pruning.prune(weights, sparsity)

    def epoch_end(epoch):
        with pruning.pruned(weights, sparsity) if args.mode == "parp" else contextlib.nullcontext():
            wer, cer, hyps = error_rates(model, dev)
            entry = {"epoch": epoch, "step": trainer.step, "dev_wer": wer, "dev_cer": cer,
                     "train_minutes": trainer.elapsed / 60}
            trainer.extra["history"].append(entry)
            if trainer.extra["best"] is None or wer < trainer.extra["best"]["dev_wer"]:
                trainer.extra["best"] = entry
                write_state_dict(model.state_dict(), out / "best.safetensors", "safetensors",
                                 {"stage": "parp", "mode": args.mode, "sparsity": f"{sparsity:.4f}",
                                  "domain": args.domain, "epoch": str(epoch), "dev_wer": f"{wer:.4f}"})
        log(f"epoch {epoch}: {args.domain}/dev WER {100 * wer:.2f}% CER {100 * cer:.2f}% "
            f"(best {100 * trainer.extra['best']['dev_wer']:.2f}%); e.g. hyp '{hyps[0]}'")
        recipe.write_json(out / "history.json", trainer.extra["history"])

    trainer.train(args.epochs, batches, step, epoch_end, args.log_every,
                  after_step=reprune if args.mode == "parp" else None)
    best_state = read_state_dict(out / "best.safetensors")
    results = {"sparsity": pruning.zero_share({n: best_state[n] for n in weights}),
               "best_dev_wer": trainer.extra["best"]["dev_wer"], "best_dev_cer": trainer.extra["best"]["dev_cer"]}
    if test is not None:
        model.load_state_dict(best_state, strict=True)
        results["test_wer"], results["test_cer"], _ = error_rates(model, test)
    recipe.write_json(out / "done.json", {
        "stage": "parp", "mode": args.mode, "domain": args.domain, "target_sparsity": sparsity, **results, **base,
        "steps": trainer.step, "epochs_completed": trainer.epoch, "best_epoch": trainer.extra["best"]["epoch"],
        "train_seconds": round(trainer.elapsed, 1), "last_process_wall_seconds": run.wall_seconds(),
        "history": trainer.extra["history"], "utterances": len(train), "hours": sum(lengths) / 100 / 3600,
        "batches_per_epoch": len(batches), "args": vars(args),
    })
    log(f"{args.mode}: best {args.domain}/dev WER {100 * results['best_dev_wer']:.2f}% "
        f"(base {100 * base['base_dev_wer']:.2f}%), sparsity {100 * results['sparsity']:.2f}%"
        + (f", test WER {100 * results['test_wer']:.2f}% (base {100 * base['base_test_wer']:.2f}%)"
           if test is not None else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
