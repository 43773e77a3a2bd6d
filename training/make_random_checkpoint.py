#!/usr/bin/env python3
"""Write a seeded, randomly initialised checkpoint of the reference model.

The checkpoint follows docs/model.md ("Checkpoint layout"): encoder weights with PyTorch's default
initialisation, ``frontend_norm.mean/std`` computed from synthetic speech-like signals, and domain
adapters (default: ``medical`` and ``callcenter``) whose adapter and head weights are all non-zero
random values, so that adapter code paths are really exercised by golden vectors.

Examples (from the repository root)::

    /usr/bin/python3 training/make_random_checkpoint.py --output training/runs/random.safetensors
    /usr/bin/python3 training/make_random_checkpoint.py --format torchsharp --output training/runs/random.bin
    /usr/bin/python3 training/make_random_checkpoint.py --adapter-only medical --output training/runs/medical.safetensors
    /usr/bin/python3 training/make_random_checkpoint.py --sparsity 0.8 --output training/runs/pruned.safetensors

``--sparsity S`` magnitude-prunes each encoder matrix to a share S of zeros (``speechfm/pruning.py``, as
``parp.py`` does), the input of the exporter's sparse-initializer tests.

The same seed always gives the same tensors, so an ``--adapter-only`` file equals the
``adapters.{domain}.*`` entries of the full checkpoint written with the same seed and config.
"""

import argparse
import json
import sys

import torch

from speechfm.checkpoint import FORMATS, adapter_state_dict, write_state_dict
from speechfm.config import REFERENCE_CONFIG_PATH, ModelConfig
from speechfm.model import StreamingConformer
from speechfm.pruning import encoder_matrix_weights, prune
from speechfm.synthetic import feature_statistics

DEFAULT_DOMAINS = ("medical", "callcenter")


def build_random_model(config: ModelConfig, domains, seed: int) -> StreamingConformer:
    """Seeded model with realistic feature statistics and non-zero random domain adapters."""
    torch.manual_seed(seed)
    model = StreamingConformer(config, domains)
    mean, std = feature_statistics()
    generator = torch.Generator().manual_seed(seed + 1)
    d, r = config.d_model, config.adapter_dim
    with torch.no_grad():
        model.frontend_norm.mean.copy_(mean.float())
        model.frontend_norm.std.copy_(std.float())
        for domain in domains:
            adapter = model.adapters[domain]
            for layer in adapter.layers:
                layer.down.weight.copy_(torch.randn(r, d, generator=generator) / d ** 0.5)
                layer.down.bias.copy_(0.1 * torch.randn(r, generator=generator))
                layer.up.weight.copy_(0.5 * torch.randn(d, r, generator=generator) / r ** 0.5)
                layer.up.bias.copy_(0.05 * torch.randn(d, generator=generator))
            adapter.ctc.weight.add_(0.1 * torch.randn(adapter.ctc.weight.shape, generator=generator))
            adapter.ctc.bias.add_(0.1 * torch.randn(adapter.ctc.bias.shape, generator=generator))
    return model.eval()


def describe_parameters(model: StreamingConformer) -> str:
    """Human-readable parameter counts of the encoder and each domain."""
    encoder = model.encoder_parameter_count()
    lines = [f"encoder parameters: {encoder:,}"]
    for domain in model.domains:
        count = model.domain_parameter_count(domain)
        lines.append(f"adapter+head '{domain}': {count:,} ({100.0 * count / encoder:.2f}% of encoder)")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=str(REFERENCE_CONFIG_PATH), help="architecture JSON")
    parser.add_argument("--output", required=True, help="checkpoint file to write")
    parser.add_argument("--format", choices=FORMATS, default="safetensors")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--domains",
        default=",".join(DEFAULT_DOMAINS),
        help="comma-separated domain adapter names (default: %(default)s)",
    )
    parser.add_argument("--adapter-only", metavar="DOMAIN", help="write only adapters.DOMAIN.*")
    parser.add_argument("--sparsity", type=float, default=0.0,
                        help="share of each encoder matrix weight zeroed by magnitude pruning (default: none)")
    args = parser.parse_args(argv)

    config = ModelConfig.load(args.config)
    domains = [d for d in args.domains.split(",") if d]
    if args.adapter_only and args.adapter_only not in domains:
        parser.error(f"--adapter-only {args.adapter_only!r} is not one of --domains {domains}")
    model = build_random_model(config, domains, args.seed)
    prune(encoder_matrix_weights(model), args.sparsity)
    state = model.state_dict()
    if args.adapter_only:
        state = adapter_state_dict(state, args.adapter_only)
    metadata = {
        "architecture": json.dumps(config.architecture_dict()),
        "seed": str(args.seed),
        "content": f"adapter {args.adapter_only}" if args.adapter_only else "encoder+adapters",
    }
    write_state_dict(state, args.output, args.format, metadata)
    print(describe_parameters(model))
    print(f"wrote {len(state)} tensors ({args.format}) to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
