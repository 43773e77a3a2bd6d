#!/usr/bin/python3
"""Linear CTC probe of a frozen encoder: how much of the transcript its features carry.

The encoder (``--init``: a checkpoint in either format, or ``none`` for random initialisation with
training-set feature statistics, digital silence left out unless ``--no-stats-skip-silence``) runs once in eval mode over ``<domain>/train`` and ``<domain>/dev``;
the outputs of every Conformer block are kept. Then one linear CTC layer per block (d -> vocabulary) is
trained on the frozen outputs for ``--steps`` steps (AdamW, batches of utterances) and its greedy dev WER
and CER are reported per block, with the mean cosine similarity between the frames of a dev utterance (near 1:
the block's output hardly depends on the input). Nothing of the encoder is trained.

    /usr/bin/python3 training/probe_ctc.py --init RUN/pretrain/encoder.safetensors --json probe.json
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from speechfm import recipe, text  # noqa: E402
from speechfm.config import REFERENCE_CONFIG_PATH, ModelConfig  # noqa: E402
from speechfm.model import StreamingConformer  # noqa: E402


@torch.no_grad()
def block_outputs(model, utterances, max_frames=16000):
    """Per utterance, a ``[N, T/4, d]`` tensor of every block's output (base model, eval mode)."""
    model.eval()
    captured = []
    hooks = [layer.register_forward_hook(lambda _m, _i, out: captured.append(out[0])) for layer in model.layers]
    result = [None] * len(utterances)
    for indices in recipe.make_batches([u.features.shape[0] for u in utterances], max_frames, 64):
        captured.clear()
        feats_, lens = recipe.collate([utterances[i] for i in indices])
        out_lens = model.full_pass(feats_, lens).output_lengths
        stacked = torch.stack(captured, dim=1)  # [B, N, T/4, d]
        for row, i in enumerate(indices):
            result[i] = stacked[row, :, : int(out_lens[row])].clone()
    for hook in hooks:
        hook.remove()
    return result


def pad(outputs, indices):
    lens = torch.tensor([outputs[i].shape[1] for i in indices], dtype=torch.int64)
    batch = torch.zeros(len(indices), outputs[indices[0]].shape[0], int(lens.max()), outputs[indices[0]].shape[2])
    for row, i in enumerate(indices):
        batch[row, :, : outputs[i].shape[1]] = outputs[i]
    return batch, lens


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default=recipe.DEFAULT_DATA)
    p.add_argument("--domain", default="general")
    p.add_argument("--init", required=True, help="encoder checkpoint, or 'none' (random initialisation)")
    p.add_argument("--config", default=str(REFERENCE_CONFIG_PATH))
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=600)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--batch", type=int, default=32, help="utterances per step")
    p.add_argument("--stats-skip-silence", action=argparse.BooleanOptionalAction, default=True,
                   help="with --init none: statistics over the frames that are not digital silence (as train_ctc.py)")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--json", default=None)
    args = p.parse_args(argv)
    recipe.setup_torch(args.threads, args.seed)
    start = time.time()
    train = recipe.load_utterances(args.data, args.domain, "train", print, args.limit)
    dev = recipe.load_utterances(args.data, args.domain, "dev", print, args.limit)
    model = StreamingConformer(ModelConfig.load(args.config))
    recipe.initialise_base(model, args.init, train, args.stats_skip_silence, print)
    train_out, dev_out = block_outputs(model, train), block_outputs(model, dev)
    print(f"encoder outputs computed in {time.time() - start:.0f} s")
    blocks, d = train_out[0].shape[0], train_out[0].shape[2]
    # Collapse measure: squared norm of the mean unit vector of an utterance's frames = mean pairwise cosine.
    similarity = [float(torch.stack([F.normalize(out[n], dim=-1).mean(0).square().sum() for out in dev_out]).mean())
                  for n in range(blocks)]
    weight = torch.nn.Parameter(torch.zeros(blocks, d, len(text.TOKENS)))
    bias = torch.nn.Parameter(torch.zeros(blocks, weight.shape[2]))
    optimizer = torch.optim.AdamW([weight, bias], lr=args.lr, weight_decay=0.0)
    generator = torch.Generator().manual_seed(args.seed)
    targets = [torch.tensor(text.encode(u.text), dtype=torch.int64) for u in train]
    train_start = time.time()
    for step in range(args.steps):
        indices = torch.randperm(len(train), generator=generator)[: args.batch].tolist()
        x, lens = pad(train_out, indices)  # [B, N, T, d]
        log_probs = F.log_softmax(torch.einsum("bntd,ndv->nbtv", x, weight) + bias[:, None, None], dim=-1)
        tgt = [targets[i] for i in indices]
        tgt_lens = torch.tensor([len(t) for t in tgt], dtype=torch.int64)
        loss = sum(F.ctc_loss(log_probs[n].transpose(0, 1), torch.cat(tgt), lens, tgt_lens, blank=text.BLANK,
                              zero_infinity=True) for n in range(blocks))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if (step + 1) % 100 == 0:
            print(f"step {step + 1}: mean CTC loss per block {float(loss) / blocks:.3f}")
    results = []
    with torch.no_grad():
        for n in range(blocks):
            hyps = []
            for out in dev_out:
                best = (out[n] @ weight[n] + bias[n]).argmax(-1)
                hyps.append(text.greedy_decode(best.tolist()))
            refs = [u.text for u in dev]
            results.append({"block": n + 1, "dev_wer": round(text.wer(refs, hyps), 4),
                            "dev_cer": round(text.cer(refs, hyps), 4), "frame_cosine": round(similarity[n], 3)})
            print(f"block {n + 1}: dev WER {100 * results[-1]['dev_wer']:.1f} %, CER {100 * results[-1]['dev_cer']:.1f} %, "
                  f"mean cosine between frames {similarity[n]:.3f}")
    summary = {"init": args.init, "steps": args.steps, "lr": args.lr, "batch": args.batch,
               "probe_train_seconds": round(time.time() - train_start, 1), "blocks": results}
    if args.json:
        recipe.write_json(Path(args.json), summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
