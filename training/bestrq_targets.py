#!/usr/bin/python3
"""Statistics of the BEST-RQ targets on a data set: codebook usage, entropy and perplexity.

Runs the random-projection quantizer of ``pretrain_bestrq.py`` (same seed, codebook and normalisation:
per-mel-bin mean/std over the whole set) on every valid encoder frame of a split and prints how many of
the codebook entries occur, the entropy of the code distribution (bits) and its perplexity, the share of
the most frequent code, the same figures for the frames that are digital silence (every mel bin at the
log floor) and for the rest, and how often neighbouring encoder frames share a code. With ``--mask PROB,SPAN``
it also reports how far each masked frame is from the nearest unmasked frame the streaming encoder lets it
see (left context and its own chunk). ``--json`` writes everything to a file as well.

    /usr/bin/python3 training/bestrq_targets.py --data training/data/generated --split pretrain/train
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch  # noqa: E402

from speechfm import features as feats  # noqa: E402
from speechfm import recipe  # noqa: E402
from speechfm.config import REFERENCE_CONFIG_PATH, ModelConfig  # noqa: E402


def code_statistics(codes: torch.Tensor, codebook_size: int) -> dict:
    """Usage, entropy (bits), perplexity and top share of a 1-D tensor of code indices."""
    if codes.numel() == 0:
        return {"frames": 0}
    counts = torch.bincount(codes, minlength=codebook_size).double()
    p = counts / counts.sum()
    nz = p[p > 0]
    entropy = float(-(nz * torch.log2(nz)).sum())
    return {"frames": int(codes.numel()), "codes_used": int((counts > 0).sum()),
            "codebook_size": codebook_size, "entropy_bits": round(entropy, 3),
            "perplexity": round(2 ** entropy, 1), "top_code_share": round(float(p.max()), 4)}


def masked_context(utterances, mask_prob: float, mask_span: int, chunk: int, left_context: int, seed: int) -> dict:
    """For BEST-RQ's span masks on these utterances: the share of masked encoder frames and, per masked frame,
    the distance (encoder frames) to the nearest unmasked frame its query can see under the chunk mask (the
    left context and the rest of its own chunk)."""
    generator = torch.Generator().manual_seed(seed)
    distances = []
    masked = total = 0
    for u in utterances:
        frames = u.features.shape[0] // 4
        mask = recipe.span_mask(torch.tensor([frames]), frames, mask_prob, mask_span, generator)[0]
        masked += int(mask.sum())
        total += frames
        visible = (~mask).nonzero().flatten()
        for t in mask.nonzero().flatten().tolist():
            end = (t // chunk + 1) * chunk
            seen = visible[(visible >= t - left_context) & (visible < end)]
            distances.append(int((seen - t).abs().min()) if seen.numel() else frames)
    d = torch.tensor(distances, dtype=torch.float64)
    return {"mask_prob": mask_prob, "mask_span": mask_span, "masked_share": round(masked / max(total, 1), 3),
            "nearest_visible_median": float(d.median()), "nearest_visible_3_or_more": round(float((d >= 3).double().mean()), 3),
            "nearest_visible_5_or_more": round(float((d >= 5).double().mean()), 3)}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default=recipe.DEFAULT_DATA)
    p.add_argument("--split", default="pretrain/train", help="DOMAIN/SPLIT")
    p.add_argument("--seed", type=int, default=1234, help="quantizer seed (pretrain_bestrq.py --seed)")
    p.add_argument("--codebook-size", type=int, default=1024)
    p.add_argument("--code-dim", type=int, default=16)
    p.add_argument("--mask", action="append", default=[], metavar="PROB,SPAN",
                   help="also report the visible context of masked frames for these span-mask settings "
                        "(pretrain_bestrq.py --mask-prob, --mask-span; repeatable)")
    p.add_argument("--config", default=str(REFERENCE_CONFIG_PATH))
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--stats-skip-silence", action="store_true",
                   help="normalise with statistics over the frames that are not digital silence")
    p.add_argument("--json", default=None)
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    domain, split = args.split.split("/")
    utterances = recipe.load_utterances(args.data, domain, split, print, args.limit)
    mean, std = recipe.feature_stats(utterances, args.stats_skip_silence)
    quantizer = recipe.RandomProjectionQuantizer(feats.NUM_MELS, 4, args.code_dim, args.codebook_size, args.seed)
    codes, silent = [], []
    for u in utterances:
        frames = u.features.shape[0] // 4 * 4
        x = u.features[:frames]
        codes.append(quantizer(((x - mean) / std).unsqueeze(0))[0])
        silent.append(recipe.silent_frames(x).reshape(-1, 4).all(-1))
    codes, silent = torch.cat(codes), torch.cat(silent)
    all_frames = torch.cat([u.features for u in utterances])
    result = {
        "split": args.split, "utterances": len(utterances),
        "feature_mean": round(float(mean.mean()), 3), "feature_std": round(float(std.mean()), 3),
        "floor_frame_share": round(float(recipe.silent_frames(all_frames).double().mean()), 4),
        "all": code_statistics(codes, args.codebook_size),
        "silent": code_statistics(codes[silent], args.codebook_size),
        "non_silent": code_statistics(codes[~silent], args.codebook_size),
    }
    runs = codes.split([u.features.shape[0] // 4 for u in utterances])
    same = sum(int((c[1:] == c[:-1]).sum()) for c in runs)
    result["adjacent_same_code_share"] = round(same / max(1, sum(len(c) - 1 for c in runs)), 3)
    config = ModelConfig.load(args.config)
    result["masked_context"] = [
        masked_context(utterances, float(m.split(",")[0]), int(m.split(",")[1]), config.chunk_frames,
                       config.left_context_frames, args.seed) for m in args.mask]
    print(json.dumps(result, indent=2))
    if args.json:
        recipe.write_json(Path(args.json), result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
