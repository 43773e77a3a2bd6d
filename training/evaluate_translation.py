#!/usr/bin/python3
"""Speech translation evaluation: corpus BLEU and chrF of each translation domain, greedy and beam search.

For each ``<run-dir>/translation/<language>`` that holds a trained ``adapter.safetensors`` and
``decoder.safetensors`` (``train_translation.py``), the base model plus that adapter encodes the domain's
dev and test sets, and the decoder translates them greedily and with beam search (both with the key/value
cache). Results go to ``<run-dir>/translation/eval.json``; ``evaluate.py --reuse-results --doc`` puts them
in ``docs/models.md``.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402

from speechfm import checkpoint_safetensors, recipe  # noqa: E402
from speechfm.checkpoint import read_state_dict  # noqa: E402
from speechfm.config import REFERENCE_CONFIG_PATH, ModelConfig  # noqa: E402
from speechfm.model import StreamingConformer  # noqa: E402
from speechfm.mt_metrics import corpus_bleu, corpus_chrf  # noqa: E402
from speechfm.translation import load_decoder, translate_utterances  # noqa: E402


def load_domain(config, base_path, run: Path, domain):
    """The base model with the domain's adapter, and its decoder and vocabulary."""
    model = StreamingConformer(config)
    base = {n: t for n, t in read_state_dict(base_path).items() if not n.startswith("adapters.")}
    model.load_state_dict(base, strict=True)
    model.add_domain(domain)
    model.load_state_dict({**model.state_dict(), **read_state_dict(run / "adapter.safetensors")}, strict=True)
    state, metadata = checkpoint_safetensors.read_with_metadata(run / "decoder.safetensors")
    decoder, vocabulary = load_decoder(state, metadata)
    return model.eval(), decoder, vocabulary


def evaluate(model, decoder, vocabulary, utterances, domain, searches):
    refs = [u.text for u in utterances]
    entry = {"utterances": len(utterances)}
    for name, search in searches.items():
        start = time.time()
        hyps = translate_utterances(model, decoder, vocabulary, utterances, domain, search)
        entry[name] = {"bleu": corpus_bleu(hyps, refs).score, "chrf": corpus_chrf(hyps, refs),
                       "seconds": round(time.time() - start, 1),
                       "examples": [{"reference": r, "hypothesis": h} for r, h in list(zip(refs, hyps))[:3]]}
    return entry


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default=recipe.DEFAULT_DATA)
    p.add_argument("--run-dir", default=recipe.DEFAULT_RUN)
    p.add_argument("--base", default=None, help="base model checkpoint (default <run-dir>/base.safetensors)")
    p.add_argument("--config", default=str(REFERENCE_CONFIG_PATH))
    p.add_argument("--languages", default="de,es")
    p.add_argument("--beam-width", type=int, default=4)
    p.add_argument("--length-penalty", type=float, default=1.0)
    p.add_argument("--max-tokens", type=int, default=40)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--limit", type=int, default=None)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    run_dir = Path(args.run_dir)
    out = run_dir / "translation"
    log = recipe.Log(out / "eval.log")
    config = ModelConfig.load(args.config)
    searches = {
        "greedy": lambda d, enc, lengths: d.greedy(enc, lengths, args.max_tokens),
        "beam": lambda d, enc, lengths: d.beam_search(enc, lengths, args.beam_width, args.length_penalty,
                                                      args.max_tokens),
    }
    results = {"beam_width": args.beam_width, "length_penalty": args.length_penalty, "max_tokens": args.max_tokens,
               "domains": {}}
    for language in args.languages.split(","):
        run, domain = out / language, f"translate-{language}"
        if not (run / "decoder.safetensors").exists():
            log(f"no trained decoder in {run}, skipped")
            continue
        model, decoder, vocabulary = load_domain(config, args.base or run_dir / "base.safetensors", run, domain)
        results["domains"][domain] = {}
        for split in ("dev", "test"):
            utterances = recipe.load_utterances(args.data, domain, split, log, args.limit)
            entry = evaluate(model, decoder, vocabulary, utterances, domain, searches)
            results["domains"][domain][split] = entry
            log(f"{domain}/{split}: " + ", ".join(
                f"{name} BLEU {entry[name]['bleu']:.2f} chrF {entry[name]['chrf']:.2f} ({entry[name]['seconds']} s)"
                for name in searches))
    recipe.write_json(out / "eval.json", results)
    log(f"wrote {out / 'eval.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
