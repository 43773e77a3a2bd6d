#!/usr/bin/python3
"""Zero-shot multimodal attention merging (MAM, arXiv 2312.14378): a grid of merge factors, each merged base model's
greedy WER against the unmerged base's (CPU, or ``--device cuda``).

For each factor ``a`` of ``--factors``, the query, key and value projections (weights and biases; not the output
projection) of the ``--layers`` of the base model (``--base``) become ``(1 - a) * W_speech + a * W_text`` with the
text model's (``--text-attention``, written by ``train_text_attention.py``), as ``speechfm/attention_merge.py``
and the exporter's ``merge-attention`` command compute them. Each merged base is decoded greedily on
``<domain>/<split>`` (default ``general/dev``) with ``train_ctc.evaluate_wer``.

Output in the run directory: ``merged-<factor>.safetensors`` per factor (a full base checkpoint: ``export`` reads
it; adapters are left out, as they belong to the unmerged base), ``results.json`` (the unmerged base's WER, then per
factor its WER and change relative to the base), ``log.txt``.

    /usr/bin/python3 training/merge_attention.py --base training/runs/wide/base.safetensors \\
        --text-attention training/runs/wide/mam/text/text_attention.safetensors --factors 0.05,0.1,0.2 \\
        --data training/data/generated-wide --out training/runs/wide/mam/zero-shot
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speechfm import attention_merge, recipe  # noqa: E402
from speechfm.checkpoint import read_state_dict, write_state_dict  # noqa: E402
from speechfm.config import REFERENCE_CONFIG_PATH, ModelConfig  # noqa: E402
from speechfm.model import StreamingConformer  # noqa: E402
from train_ctc import evaluate_wer  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--base", default=f"{recipe.DEFAULT_RUN}/ctc/best.safetensors", help="base model checkpoint")
    p.add_argument("--text-attention", required=True, help="text_attention.safetensors of train_text_attention.py")
    p.add_argument("--factors", default="0.05,0.1,0.2", help="comma-separated merge factors, each above 0, at most 1")
    p.add_argument("--layers", default="all", help="'all' or comma-separated encoder layers (0-based) to merge")
    p.add_argument("--data", default=recipe.DEFAULT_DATA, help="generated data directory")
    p.add_argument("--domain", default="general", help="the evaluation set's domain")
    p.add_argument("--split", default="dev", help="the evaluation set's split")
    p.add_argument("--out", required=True, help="run directory")
    p.add_argument("--config", default=str(REFERENCE_CONFIG_PATH))
    p.add_argument("--threads", type=int, default=2)
    recipe.add_device_argument(p)
    p.add_argument("--limit", type=int, default=None, help="use only the first N utterances (smoke tests)")
    args = p.parse_args(argv)
    try:
        args.factors = [float(f) for f in args.factors.split(",") if f.strip()]
    except ValueError:
        p.error(f"--factors {args.factors}: give comma-separated numbers")
    if not args.factors or any(not 0.0 < f <= 1.0 for f in args.factors):
        p.error(f"--factors {args.factors}: every factor must be above 0 and at most 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    out = Path(args.out)
    log = recipe.Log(out / "log.txt")
    device = recipe.setup_torch(args.threads, 0, args.device)
    log(f"zero-shot attention merging: {vars(args)}")
    config = ModelConfig.load(args.config)
    layers = attention_merge.parse_layers(args.layers, config.num_layers)
    base = {n: t for n, t in read_state_dict(args.base).items() if not n.startswith("adapters.")}
    text_state = read_state_dict(args.text_attention)
    attention_merge.check_text_attention(text_state, base, layers)
    evaluation = recipe.load_utterances(args.data, args.domain, args.split, log, args.limit)
    model = StreamingConformer(config)
    model.load_state_dict(base, strict=True)
    model.to(device)
    base_wer, _ = evaluate_wer(model, evaluation)
    log(f"unmerged base: {args.domain}/{args.split} WER {100 * base_wer:.2f}%")

    merged_results = []
    for factor in args.factors:
        merged = attention_merge.merge(base, text_state, factor, layers)
        checkpoint = out / f"merged-{factor:g}.safetensors"
        write_state_dict(merged, checkpoint, "safetensors",
                         {"stage": "merge-attention", "factor": f"{factor:g}", "layers": ",".join(map(str, layers))})
        model.load_state_dict(merged, strict=True)
        wer, hyps = evaluate_wer(model, evaluation)
        merged_results.append({"factor": factor, "wer": wer, "relative_change": (wer - base_wer) / base_wer
                               if base_wer else None, "checkpoint": checkpoint.name})
        log(f"factor {factor:g}: {args.domain}/{args.split} WER {100 * wer:.2f}% (base {100 * base_wer:.2f}%); "
            f"e.g. hyp '{hyps[0]}'")
    recipe.write_json(out / "results.json", {
        "stage": "merge-attention", "domain": args.domain, "split": args.split, "utterances": len(evaluation),
        "layers": layers, "tensors": attention_merge.merged_names(layers), "base": args.base,
        "text_attention": args.text_attention, "base_wer": base_wer, "merged": merged_results,
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
