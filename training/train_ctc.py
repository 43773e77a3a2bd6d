#!/usr/bin/python3
"""Supervised CTC training of the base model on the `general` domain (CPU, or a GPU with ``--device cuda``).

Starts from the BEST-RQ encoder (``--init``, a checkpoint in either format; its ``frontend_norm``
statistics are kept) or, without ``--init``, from scratch with statistics computed on the
training set (with ``--stats-skip-silence``, which ``run_wide.sh`` passes, frames of digital silence left out).
Trains every base parameter (``adapters.*`` are absent: the base model runs with identity adapters
and the base ``ctc`` head) with CTC on ``general/train``, SpecAugment-style time and frequency masks,
AdamW with warm-up and cosine decay; with ``--speed-perturb 0.9,1.0,1.1`` each training utterance is played at one of
those speeds, drawn per step (``recipe.speed_perturb``). With ``--multi-condition P`` each training utterance is, with
probability P per step, replaced by a reverberated, noisy copy made once at load
(``speechfm/augment.py``). ``--also-train-on extra`` adds the open-text set ``general/extra`` to the
training data (the k-th added split's copies are seeded with seed + k). After every epoch: greedy-decoding
WER (and CER) on ``general/dev`` (clean); the best model by WER is kept.

Output in the run directory: ``best.safetensors`` (best dev WER), ``last.safetensors``,
``state.pt`` (resume state), ``history.json`` (per-epoch dev WER), ``done.json`` (with ``--test``, the best
epoch's test WER and CER too), ``log.txt``. ``--train-minutes`` (``--train-fraction``) trains on the first minutes
(share) of the training data only.
"""

import argparse
import dataclasses
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from speechfm import recipe, text  # noqa: E402
from speechfm.checkpoint import read_state_dict, write_state_dict  # noqa: E402
from speechfm.config import REFERENCE_CONFIG_PATH, ModelConfig  # noqa: E402
from speechfm.model import StreamingConformer  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default=recipe.DEFAULT_DATA, help="generated data directory")
    p.add_argument("--out", default=f"{recipe.DEFAULT_RUN}/ctc", help="run directory")
    p.add_argument("--init", default=f"{recipe.DEFAULT_RUN}/pretrain/encoder.safetensors",
                   help="pretrained encoder checkpoint ('' or 'none' = from scratch)")
    p.add_argument("--config", default=str(REFERENCE_CONFIG_PATH))
    p.add_argument("--domain", default="general", help="training domain (its train and dev sets)")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--threads", type=int, default=2)
    recipe.add_device_argument(p)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--time-budget-min", type=float, default=None,
                   help="stop (with a fully decayed learning rate) after this much training time")
    p.add_argument("--lr", type=float, default=1.5e-3)
    p.add_argument("--encoder-lr-scale", type=float, default=1.0,
                   help="peak learning rate of everything but the CTC head (ctc.*), relative to --lr "
                        "(below 1: a pretrained encoder moves more slowly than its new head)")
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--max-frames", type=int, default=8000, help="padded feature frames per batch")
    p.add_argument("--max-batch", type=int, default=48)
    p.add_argument("--no-specaugment", action="store_true")
    p.add_argument("--speed-perturb", default="", metavar="FACTORS",
                   help="comma-separated speeds (e.g. 0.9,1.0,1.1), one drawn per training utterance and step; "
                        "empty: none")
    p.add_argument("--multi-condition", type=float, default=0.0, metavar="P",
                   help="probability that a training utterance is replaced by its reverberated, noisy copy "
                        "(speechfm/augment.py) in a step; 0: clean audio only")
    p.add_argument("--also-train-on", action="append", default=[], metavar="SPLIT",
                   help="another split of the domain to train on as well (e.g. extra: open-text sentences)")
    p.add_argument("--stats-skip-silence", action=argparse.BooleanOptionalAction, default=False,
                   help="from scratch: frontend_norm statistics over the frames that are not digital silence "
                        "(as pretrain_bestrq.py --stats-skip-silence); the default counts every frame")
    recipe.add_train_subset_arguments(p)
    p.add_argument("--test", action="store_true",
                   help="at the end, WER and CER of the best dev epoch on <domain>/test (in done.json)")
    p.add_argument("--limit", type=int, default=None, help="use only the first N utterances (smoke tests)")
    p.add_argument("--log-every", type=int, default=20)
    return p.parse_args(argv)


def speed_factors(option):
    """The speeds of ``--speed-perturb`` (empty: none)."""
    speeds = [float(f) for f in option.split(",") if f.strip()]
    if any(not 0.5 <= f <= 2.0 for f in speeds):
        raise SystemExit(f"--speed-perturb {option}: every speed must be between 0.5 and 2")
    return speeds


def ctc_loss(log_probs, out_lens, utterances):
    targets = [torch.tensor(text.encode(u.text), dtype=torch.int64) for u in utterances]
    target_lens = torch.tensor([len(t) for t in targets], dtype=torch.int64)
    return F.ctc_loss(log_probs.transpose(0, 1), torch.cat(targets).to(log_probs.device), out_lens, target_lens,
                      blank=text.BLANK, reduction="mean", zero_infinity=True)


def batch_ctc_loss(model, batch, domain, device, generator, specaugment=True):
    """CTC loss of one training batch through ``domain``'s adapter (None: the base model and its head), with
    SpecAugment-style masks unless ``specaugment`` is off."""
    feats_, lens = recipe.collate(batch, device)
    if specaugment:
        feats_ = recipe.spec_augment(feats_, lens, model.frontend_norm.mean, generator)
    # training_domain_tensors keeps the base head differentiable; full_pass would use a detached copy.
    inputs = model.training_domain_tensors([domain] * len(batch))
    result = model.call(feats_, lens, model.initial_state(len(batch)), inputs)
    return ctc_loss(result.log_probs, result.output_lengths, batch)


@torch.no_grad()
def transcribe(model, utterances, domain=None, max_frames=16000, max_batch=64):
    """Greedy CTC transcripts (base model when ``domain`` is None), in input order."""
    model.eval()
    hyps = [""] * len(utterances)
    batches = recipe.make_batches([u.features.shape[0] for u in utterances], max_frames, max_batch)
    for indices in batches:
        feats_, lens = recipe.collate([utterances[i] for i in indices], model.ctc.weight.device)
        result = model.full_pass(feats_, lens, [domain] * len(indices))
        best = result.log_probs.argmax(-1)
        for row, i in enumerate(indices):
            hyps[i] = text.greedy_decode(best[row, : int(result.output_lengths[row])].tolist())
    return hyps


def evaluate_wer(model, utterances, domain=None):
    hyps = transcribe(model, utterances, domain)
    return text.wer([u.text for u in utterances], hyps), hyps


def test_error_rates(model, best_path, args, log):
    """WER and CER on <domain>/test of the model kept (the best dev epoch), loaded into ``model``."""
    model.load_state_dict(read_state_dict(best_path))
    test = recipe.load_utterances(args.data, args.domain, "test", log, args.limit)
    wer, hyps = evaluate_wer(model, test)
    cer = text.cer([u.text for u in test], hyps)
    log(f"best dev epoch: {args.domain}/test WER {100 * wer:.2f}%, CER {100 * cer:.2f}%")
    return {"test_wer": wer, "test_cer": cer, "test_utterances": len(test)}


def main(argv=None):
    args = parse_args(argv)
    run = recipe.start_run(args.out, "CTC training", args)
    if run is None:
        return 0
    out, log, device = run.out, run.log, run.device
    config = ModelConfig.load(args.config)
    train = []
    for k, split in enumerate(["train"] + args.also_train_on):
        train += recipe.load_utterances(args.data, args.domain, split, log, args.limit,
                                        corruption_seed=args.seed + k if args.multi_condition > 0 else None,
                                        minutes=args.train_minutes, fraction=args.train_fraction)
    dev = recipe.load_utterances(args.data, args.domain, "dev", log, args.limit)
    model = StreamingConformer(config)
    recipe.initialise_base(model, args.init, train, args.stats_skip_silence, log)
    model.to(device)
    params = [{"params": [p for n, p in model.named_parameters() if not n.startswith("ctc.")],
               "lr_scale": args.encoder_lr_scale},
              {"params": list(model.ctc.parameters()), "lr_scale": 1.0}]
    lengths = [u.features.shape[0] for u in train]
    batches = recipe.make_batches(lengths, args.max_frames, args.max_batch)
    speeds = speed_factors(args.speed_perturb)
    trainer = recipe.Trainer(out, model, params, log, args.lr, args.warmup, args.weight_decay, args.seed,
                             time_budget=args.time_budget_min * 60 if args.time_budget_min else None)
    trainer.resume()
    trainer.extra.setdefault("history", [])
    trainer.extra.setdefault("best_wer", None)

    def step(indices, generator):
        batch = [train[i] for i in indices]
        if args.multi_condition > 0:
            draws = torch.rand(len(indices), generator=generator)
            batch = [dataclasses.replace(u, features=u.corrupted) if draw < args.multi_condition else u
                     for u, draw in zip(batch, draws)]
        if speeds:
            draws = torch.randint(0, len(speeds), (len(batch),), generator=generator)
            batch = [dataclasses.replace(u, features=recipe.speed_perturb(u.features, speeds[int(d)]))
                     for u, d in zip(batch, draws)]
        return batch_ctc_loss(model, batch, None, device, generator, not args.no_specaugment), {}

    def epoch_end(epoch):
        start = time.time()
        wer, hyps = evaluate_wer(model, dev)
        entry = {"epoch": epoch, "step": trainer.step, "dev_wer": wer, "dev_cer": text.cer([u.text for u in dev], hyps),
                 "train_minutes": trainer.elapsed / 60}
        trainer.extra["history"].append(entry)
        best = trainer.extra["best_wer"]
        if best is None or wer < best:
            trainer.extra["best_wer"] = wer
            write_state_dict(model.state_dict(), out / "best.safetensors", "safetensors",
                             {"stage": "ctc", "domain": args.domain, "epoch": str(epoch), "dev_wer": f"{wer:.4f}"})
        log(f"epoch {epoch}: dev WER {100 * wer:.2f}% (best {100 * trainer.extra['best_wer']:.2f}%), "
            f"CER {100 * entry['dev_cer']:.2f}%, "
            f"eval {time.time() - start:.1f} s; e.g. ref '{dev[0].text}' hyp '{hyps[0]}'")
        recipe.write_json(out / "history.json", trainer.extra["history"])

    trainer.train(args.epochs, batches, step, epoch_end, args.log_every)
    write_state_dict(model.state_dict(), out / "last.safetensors", "safetensors", {"stage": "ctc"})
    test = test_error_rates(model, out / "best.safetensors", args, log) if args.test else {}
    recipe.write_json(out / "done.json", {
        "stage": "ctc", "domain": args.domain, "steps": trainer.step, "epochs_completed": trainer.epoch,
        "train_seconds": round(trainer.elapsed, 1), "last_process_wall_seconds": run.wall_seconds(),
        "best_dev_wer": trainer.extra["best_wer"], "history": trainer.extra["history"],
        "utterances": len(train), "hours": sum(lengths) / 100 / 3600, "batches_per_epoch": len(batches),
        **test, "args": vars(args),
    })
    log(f"best dev WER {100 * trainer.extra['best_wer']:.2f}%: {out / 'best.safetensors'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
