#!/usr/bin/python3
"""Speech translation head: one encoder adapter plus an attention decoder, encoder frozen (CPU, or ``--device cuda``);
with ``--train-encoder``, the encoder's own weights and the decoder (the mid-training stage of multi-stage pretraining).

Loads the base model (``--base``), adds the domain ``translate-<language>`` as an identity adapter
and a fresh :class:`speechfm.translation.TranslationDecoder` over the adapted encoder output, and
trains only ``adapters.<domain>.layers.*`` and the decoder with label-smoothed cross-entropy
(teacher forcing) on ``translate-<language>/train`` (German or Spanish speech, English text; see
training/data/README.md). The frozen encoder runs in eval mode; SpecAugment-style masks are applied
to the input. After every epoch the dev set is decoded greedily (with the decoder's key/value
cache) and scored with corpus BLEU and chrF; the epoch with the best dev BLEU is kept.

``--train-encoder`` (``--language en-de`` or ``en-es``: English speech, German or Spanish text) adds no adapter:
the base model runs with identity adapters and every encoder weight trains (in train mode, dropout on) together
with the decoder; ``--base none`` starts the encoder from random initialisation with the training set's feature
statistics (without ``--train-encoder``, the adapter then trains on a random frozen encoder: the baseline without
pretraining). ``--train-minutes`` or ``--train-fraction`` trains on the first utterances of the training set only.
The decoder's word vocabulary is the training targets' words, whatever their language.

Output in the run directory: ``adapter.safetensors`` (adapter-only checkpoint of the domain; its
CTC head is the untouched copy of the base head, which translation does not use) or, with ``--train-encoder``,
``encoder.safetensors`` (the whole base model of the kept epoch, its CTC head untouched: the ``--init`` of
``train_ctc.py``), ``decoder.safetensors`` (decoder weights; metadata ``decoder_config``, ``vocabulary``,
``domain``), ``vocab.txt``, ``history.json``, ``done.json`` (dev and test scores of the kept epoch, examples),
``state.pt``, ``log.txt``.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from speechfm import checkpoint_safetensors, recipe  # noqa: E402
from speechfm.checkpoint import adapter_state_dict, read_state_dict, write_state_dict  # noqa: E402
from speechfm.config import REFERENCE_CONFIG_PATH, ModelConfig  # noqa: E402
from speechfm.model import StreamingConformer  # noqa: E402
from speechfm.mt_metrics import corpus_bleu, corpus_chrf  # noqa: E402
from speechfm.translation import (PAD, DecoderConfig, TranslationDecoder, Vocabulary, decoder_metadata,  # noqa: E402
                                  translate_utterances)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--language", required=True, choices=["de", "es", "en-de", "en-es"],
                   help="de, es: German or Spanish speech, English text; en-de, en-es: English speech, German or "
                        "Spanish text (the data set translate-<language>)")
    p.add_argument("--data", default=recipe.DEFAULT_DATA, help="generated data directory")
    p.add_argument("--base", default=f"{recipe.DEFAULT_RUN}/base.safetensors",
                   help="base model checkpoint ('none': random initialisation)")
    p.add_argument("--train-encoder", action="store_true",
                   help="train the encoder's own weights with the decoder, no adapter (mid-training)")
    p.add_argument("--stats-skip-silence", action=argparse.BooleanOptionalAction, default=False,
                   help="with --base none: feature statistics over the frames that are not digital silence")
    p.add_argument("--out", default=None, help=f"run directory (default {recipe.DEFAULT_RUN}/translation/<language>)")
    p.add_argument("--config", default=str(REFERENCE_CONFIG_PATH))
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--threads", type=int, default=2)
    recipe.add_device_argument(p)
    p.add_argument("--epochs", type=int, default=60)
    p.add_argument("--time-budget-min", type=float, default=None,
                   help="stop (with a fully decayed learning rate) after this much training time")
    p.add_argument("--lr", type=float, default=1.5e-3)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--label-smoothing", type=float, default=0.1)
    p.add_argument("--decoder-layers", type=int, default=2)
    p.add_argument("--decoder-heads", type=int, default=4)
    p.add_argument("--decoder-ff", type=int, default=768)
    p.add_argument("--decoder-dropout", type=float, default=0.1)
    p.add_argument("--max-positions", type=int, default=64, help="longest token sequence the decoder accepts")
    p.add_argument("--max-tokens", type=int, default=40, help="greedy decoding stops after this many tokens")
    p.add_argument("--max-frames", type=int, default=4000, help="padded feature frames per batch")
    p.add_argument("--max-batch", type=int, default=48)
    p.add_argument("--no-specaugment", action="store_true")
    recipe.add_train_subset_arguments(p)
    p.add_argument("--limit", type=int, default=None, help="use only the first N utterances (smoke tests)")
    p.add_argument("--log-every", type=int, default=10)
    return p.parse_args(argv)


def trainable_encoder_part(model, domain):
    """What trains of the encoder, and its name: ``domain``'s adapter layers (the rest frozen) or, for ``domain``
    None, every encoder weight but the CTC head, which translation does not use."""
    if domain is None:
        return [p for n, p in model.named_parameters() if not n.startswith("ctc.")], "encoder"
    return model.train_only(f"adapters.{domain}.layers."), "adapter"


def translate(model, decoder, utterances, domain, vocabulary, max_tokens):
    """Greedy translations of ``utterances`` (encoded with ``domain``'s adapter; None: the base model), in order."""
    return translate_utterances(model, decoder, vocabulary, utterances, domain,
                                lambda d, encoder_out, lengths: d.greedy(encoder_out, lengths, max_tokens))


def score(hyps, utterances):
    refs = [u.text for u in utterances]
    return {"bleu": corpus_bleu(hyps, refs).score, "chrf": corpus_chrf(hyps, refs)}


def main(argv=None):
    args = parse_args(argv)
    domain = f"translate-{args.language}"
    run = recipe.start_run(args.out or f"{recipe.DEFAULT_RUN}/translation/{args.language}", f"{domain} training", args)
    if run is None:
        return 0
    out, log, device = run.out, run.log, run.device
    config = ModelConfig.load(args.config)
    train = recipe.load_utterances(args.data, domain, "train", log, args.limit, minutes=args.train_minutes,
                                   fraction=args.train_fraction)
    dev = recipe.load_utterances(args.data, domain, "dev", log, args.limit)
    vocabulary = Vocabulary.from_texts([u.text for u in train])
    vocabulary.save(out / "vocab.txt")

    model = StreamingConformer(config)
    recipe.initialise_base(model, args.base, train, args.stats_skip_silence, log)
    encoder_domain = None if args.train_encoder else domain  # the adapter the encoder runs with; None: identity
    if encoder_domain:
        model.add_domain(domain)
    model.to(device)
    encoder_part, part_name = trainable_encoder_part(model, encoder_domain)
    decoder_config = DecoderConfig(len(vocabulary), config.d_model, args.decoder_layers, args.decoder_heads,
                                   args.decoder_ff, args.max_positions, args.decoder_dropout)
    decoder = TranslationDecoder(decoder_config).to(device)
    trainable = encoder_part + list(decoder.parameters())
    part_params = sum(p.numel() for p in encoder_part)
    log(f"trainable parameters: {part_name} {part_params:,}, decoder {decoder.parameter_count():,}; encoder "
        f"{model.encoder_parameter_count():,} ({'trained' if args.train_encoder else 'frozen'}); "
        f"vocabulary {len(vocabulary)} tokens")
    kept = out / ("encoder.safetensors" if args.train_encoder else "adapter.safetensors")

    lengths = [u.features.shape[0] for u in train]
    batches = recipe.make_batches(lengths, args.max_frames, args.max_batch)
    trainer = recipe.Trainer(out, model, trainable, log, args.lr, args.warmup, args.weight_decay, args.seed,
                             time_budget=args.time_budget_min * 60 if args.time_budget_min else None)
    trainer.add_module_state("decoder", decoder)
    trainer.resume()
    trainer.extra.setdefault("history", [])
    trainer.extra.setdefault("best", None)

    def step(indices, generator):
        batch = [train[i] for i in indices]
        feats, lens = recipe.collate(batch, device)
        if not args.no_specaugment:
            feats = recipe.spec_augment(feats, lens, model.frontend_norm.mean, generator)
        inputs = model.training_domain_tensors([encoder_domain] * len(indices))
        encoded = model.call(feats, lens, model.initial_state(len(indices)), inputs)
        tokens_in, tokens_out = vocabulary.teacher_forcing([u.text for u in batch], device)
        logits = decoder(tokens_in, encoded.encoder_out, encoded.output_lengths)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tokens_out.reshape(-1), ignore_index=PAD,
                               label_smoothing=args.label_smoothing)
        valid = tokens_out != PAD
        accuracy = ((logits.argmax(-1) == tokens_out) & valid).sum() / valid.sum()
        return loss, {"token_acc": float(accuracy)}

    def save_best(epoch, scores):
        metadata = {"stage": "translation", "domain": domain, "epoch": str(epoch),
                    "dev_bleu": f"{scores['bleu']:.2f}", "dev_chrf": f"{scores['chrf']:.2f}"}
        state = model.state_dict() if args.train_encoder else adapter_state_dict(model.state_dict(), domain)
        write_state_dict(state, kept, "safetensors", metadata)
        write_state_dict(decoder.state_dict(), out / "decoder.safetensors", "safetensors",
                         {**metadata, **decoder_metadata(decoder_config, vocabulary, domain)})

    def epoch_end(epoch):
        hyps = translate(model, decoder, dev, encoder_domain, vocabulary, args.max_tokens)
        scores = score(hyps, dev)
        trainer.extra["history"].append({"epoch": epoch, "step": trainer.step, "dev_bleu": scores["bleu"],
                                         "dev_chrf": scores["chrf"], "train_minutes": trainer.elapsed / 60})
        best = trainer.extra["best"]
        if best is None or (scores["bleu"], scores["chrf"]) > (best["dev_bleu"], best["dev_chrf"]):
            trainer.extra["best"] = {"epoch": epoch, "dev_bleu": scores["bleu"], "dev_chrf": scores["chrf"]}
            save_best(epoch, scores)
        best = trainer.extra["best"]
        log(f"epoch {epoch}: {domain}/dev BLEU {scores['bleu']:.2f} chrF {scores['chrf']:.2f} "
            f"(best BLEU {best['dev_bleu']:.2f}, epoch {best['epoch']}); e.g. '{hyps[0]}' for '{dev[0].text}'")
        recipe.write_json(out / "history.json", trainer.extra["history"])

    def train_mode():
        model.train(args.train_encoder)  # a frozen encoder runs without dropout
        decoder.train()

    trainer.train(args.epochs, batches, step, epoch_end, args.log_every, train_mode=train_mode)

    # The kept epoch on dev and test.
    model.load_state_dict({**model.state_dict(), **read_state_dict(kept)})
    decoder.load_state_dict(checkpoint_safetensors.read(out / "decoder.safetensors"))
    test = recipe.load_utterances(args.data, domain, "test", log, args.limit)
    results = {}
    for split, utterances in (("dev", dev), ("test", test)):
        hyps = translate(model, decoder, utterances, encoder_domain, vocabulary, args.max_tokens)
        results[split] = {**score(hyps, utterances), "utterances": len(utterances),
                          "examples": [{"id": u.id, "reference": u.text, "hypothesis": h}
                                       for u, h in list(zip(utterances, hyps))[:8]]}
        log(f"kept epoch {trainer.extra['best']['epoch']}: {domain}/{split} BLEU {results[split]['bleu']:.2f} "
            f"chrF {results[split]['chrf']:.2f}")
    recipe.write_json(out / "done.json", {
        "stage": "translation", "domain": domain, "steps": trainer.step, "epochs_completed": trainer.epoch,
        "train_seconds": round(trainer.elapsed, 1), "last_process_wall_seconds": run.wall_seconds(),
        "best_epoch": trainer.extra["best"]["epoch"], "dev": results["dev"], "test": results["test"],
        "history": trainer.extra["history"], "utterances": len(train), "hours": sum(lengths) / 100 / 3600,
        "batches_per_epoch": len(batches), f"{part_name}_parameters": part_params,
        "decoder_parameters": decoder.parameter_count(), "vocabulary_size": len(vocabulary), "args": vars(args),
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
