#!/usr/bin/python3
"""Golden cases for the server's lexicon decoder: log-probabilities of real utterances and the text
:mod:`speechfm.lexicon_decoder` decodes from them (the server's test expects the same text).

    /usr/bin/python3 training/dump_lexicon_golden.py --checkpoint training/runs/reference/reference.safetensors \
        --lm models/speechfm-en-small/lm.arpa --word-bonus 1.0 \
        --out tests/Runtime.Tests/Decoding/LexiconGolden/cases.json
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from speechfm import recipe, text  # noqa: E402
from speechfm.checkpoint import read_state_dict  # noqa: E402
from speechfm.config import REFERENCE_CONFIG_PATH, ModelConfig  # noqa: E402
from speechfm.lexicon_decoder import ArpaModel, LexiconDecoder  # noqa: E402
from speechfm.model import StreamingConformer  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--checkpoint", required=True, help="checkpoint with the base model and adapters")
    p.add_argument("--lm", required=True, help="ARPA file inside the repository")
    p.add_argument("--data", default=recipe.DEFAULT_DATA)
    p.add_argument("--out", required=True)
    p.add_argument("--weight", type=float, default=0.8)
    p.add_argument("--word-bonus", type=float, default=0.0)
    p.add_argument("--beam-width", type=int, default=32)
    p.add_argument("--per-set", type=int, default=3, help="utterances per (domain, adapter) set")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(1)
    model = StreamingConformer(ModelConfig.load(str(REFERENCE_CONFIG_PATH)))
    state = read_state_dict(args.checkpoint)
    for domain in sorted({n.split(".")[1] for n in state if n.startswith("adapters.")}):
        model.add_domain(domain)
    model.load_state_dict(state, strict=True)
    model.eval()
    decoder = LexiconDecoder(ArpaModel.read(args.lm), args.weight, args.word_bonus, args.beam_width)
    cases = []
    # Clean speech through the base model, and noisy speech through the base model and its adapter:
    # the latter have flat posteriors, where the beam and the language model decide most.
    for domain, adapter in (("general", None), ("telephony", None), ("telephony", "telephony")):
        for u in recipe.load_utterances(args.data, domain, "dev")[: args.per_set]:
            features, lengths = recipe.collate([u])
            with torch.no_grad():
                result = model.full_pass(features, lengths, [adapter])
            frames = int(result.output_lengths[0])
            # Four decimals keep the file small; both sides decode these exact float32 values.
            log_probs = np.round(result.log_probs[0, :frames].numpy().astype(np.float64), 4).astype(np.float32)
            cases.append({
                "name": f"{domain}/{u.id}" + (f" ({adapter} adapter)" if adapter else ""),
                "reference": u.text,
                "greedy": text.greedy_decode(log_probs.argmax(-1).tolist()),
                "expected": decoder.decode(log_probs),
                "frames": frames,
                "log_probs": [float(f"{v:.4f}") for v in log_probs.reshape(-1).tolist()],
            })
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    golden = {
        "lm": Path(args.lm).resolve().relative_to(REPO).as_posix(),
        "weight": args.weight, "word_bonus": args.word_bonus, "beam_width": args.beam_width,
        "vocabulary": text.TOKENS, "cases": cases,
    }
    out.write_text(json.dumps(golden, separators=(",", ":")) + "\n", encoding="utf-8")
    for case in cases:
        print(f"{case['name']}: greedy '{case['greedy']}' -> '{case['expected']}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
