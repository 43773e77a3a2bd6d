#!/usr/bin/python3
"""Golden cases for the server's lexicon decoder: log-probabilities of real utterances and the text that
:mod:`speechfm.lexicon_decoder` decodes from them (the server's test expects the same text).

    /usr/bin/python3 training/dump_lexicon_golden.py --checkpoint training/runs/reference/reference.safetensors \
        --lm models/speechfm-en-small/lm.arpa --word-bonus 1.0 \
        --out tests/Runtime.Tests/Decoding/LexiconGolden/cases.json

With ``--oov-penalty`` the decoder's unknown-word path is on, and a case is added whose audio (synthetic,
peaked log-probabilities) spells a word outside the lexicon. ``--log-probs-from`` takes the utterances'
log-probabilities from a golden file written before instead of running a checkpoint:

    /usr/bin/python3 training/dump_lexicon_golden.py --log-probs-from tests/Runtime.Tests/Decoding/LexiconGolden/cases.json \
        --lm models/speechfm-en-small/lm.arpa --word-bonus 1.0 --oov-penalty 2 --unknown-log10-prob -4 \
        --out tests/Runtime.Tests/Decoding/LexiconGolden/unknown_words.json
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

from speechfm import recipe, text  # noqa: E402
from speechfm.lexicon_decoder import DEFAULT_UNKNOWN_LOG10_PROB, ArpaModel, LexiconDecoder  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SPELLED = "i know where kubernetes is"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--checkpoint", help="checkpoint with the base model and adapters")
    source.add_argument("--log-probs-from", help="golden file whose cases' log-probabilities to decode again")
    p.add_argument("--lm", required=True, help="ARPA file inside the repository")
    p.add_argument("--data", default=recipe.DEFAULT_DATA)
    p.add_argument("--out", required=True)
    p.add_argument("--weight", type=float, default=0.8)
    p.add_argument("--word-bonus", type=float, default=0.0)
    p.add_argument("--beam-width", type=int, default=32)
    p.add_argument("--per-set", type=int, default=3, help="utterances per (domain, adapter) set")
    p.add_argument("--oov-penalty", type=float, default=None, help="turns the unknown-word path on")
    p.add_argument("--unknown-log10-prob", type=float, default=DEFAULT_UNKNOWN_LOG10_PROB,
                   help="log10 probability of an unknown word when the language model has no <unk>")
    p.add_argument("--spelled", default=SPELLED,
                   help="with --oov-penalty: the sentence of the synthetic case, with a word outside the lexicon")
    return p.parse_args(argv)


def utterance_cases(args):
    """Name, reference text and ``[T, V]`` log-probabilities of each utterance, from the model or a golden file."""
    if args.log_probs_from:
        golden = json.loads(Path(args.log_probs_from).read_text(encoding="utf-8"))
        width = len(golden["vocabulary"])
        return [(c["name"], c["reference"], np.array(c["log_probs"], dtype=np.float32).reshape(c["frames"], width))
                for c in golden["cases"]]
    import torch

    from speechfm.checkpoint import read_state_dict
    from speechfm.config import REFERENCE_CONFIG_PATH, ModelConfig
    from speechfm.model import StreamingConformer

    torch.set_num_threads(1)
    model = StreamingConformer(ModelConfig.load(str(REFERENCE_CONFIG_PATH)))
    state = read_state_dict(args.checkpoint)
    for domain in sorted({n.split(".")[1] for n in state if n.startswith("adapters.")}):
        model.add_domain(domain)
    model.load_state_dict(state, strict=True)
    model.eval()
    cases = []
    # Clean speech through the base model, and noisy speech through the base model and its adapter:
    # the latter have flat posteriors, where the beam and the language model decide most.
    for domain, adapter in (("general", None), ("telephony", None), ("telephony", "telephony")):
        for u in recipe.load_utterances(args.data, domain, "dev")[: args.per_set]:
            features, lengths = recipe.collate([u])
            with torch.no_grad():
                result = model.full_pass(features, lengths, [adapter])
            frames = int(result.output_lengths[0])
            cases.append((f"{domain}/{u.id}" + (f" ({adapter} adapter)" if adapter else ""), u.text,
                          result.log_probs[0, :frames].numpy()))
    return cases


def spelled_log_probs(sentence, seed=0):
    """Peaked log-probabilities of audio that spells ``sentence``: per token two frames where it holds most
    of the mass, then a blank frame; the other tokens get noisy small shares."""
    rng = np.random.default_rng(seed)
    rows = []
    for token in text.encode(sentence):
        for dominant in (token, token, text.BLANK):
            logits = rng.normal(0.0, 1.0, len(text.TOKENS))
            logits[dominant] = 8.0
            rows.append(logits - np.log(np.sum(np.exp(logits))))
    return np.array(rows)


def main(argv=None):
    args = parse_args(argv)
    decoder = LexiconDecoder(ArpaModel.read(args.lm), args.weight, args.word_bonus, args.beam_width,
                             oov_penalty=args.oov_penalty, unknown_log10_prob=args.unknown_log10_prob)
    utterances = utterance_cases(args)
    if args.oov_penalty is not None:
        unknown = [w for w in args.spelled.split() if w not in decoder.lexicon]
        if not unknown:
            raise SystemExit(f"--spelled '{args.spelled}' has no word outside the lexicon")
        utterances.append((f"spelled/{'+'.join(unknown)}", args.spelled, spelled_log_probs(args.spelled)))
    cases = []
    for name, reference, raw in utterances:
        # Four decimals keep the file small; both sides decode these exact float32 values.
        log_probs = np.round(np.asarray(raw, dtype=np.float64), 4).astype(np.float32)
        cases.append({
            "name": name,
            "reference": reference,
            "greedy": text.greedy_decode(log_probs.argmax(-1).tolist()),
            "expected": decoder.decode(log_probs),
            "frames": int(log_probs.shape[0]),
            "log_probs": [float(f"{v:.4f}") for v in log_probs.reshape(-1).tolist()],
        })
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    golden = {
        "lm": Path(args.lm).resolve().relative_to(REPO).as_posix(),
        "weight": args.weight, "word_bonus": args.word_bonus, "beam_width": args.beam_width,
    }
    if args.oov_penalty is not None:
        golden.update(oov_penalty=args.oov_penalty, unknown_log10_prob=args.unknown_log10_prob)
    golden.update(vocabulary=text.TOKENS, cases=cases)
    out.write_text(json.dumps(golden, separators=(",", ":")) + "\n", encoding="utf-8")
    for case in cases:
        print(f"{case['name']}: greedy '{case['greedy']}' -> '{case['expected']}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
