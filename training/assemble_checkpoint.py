#!/usr/bin/python3
"""Merge a base checkpoint and adapter-only checkpoints into one checkpoint, in both formats.

The result holds the base model (contract names, ``ctc`` = base head) and every
``adapters.<domain>.*`` entry of the given adapter files, in the order given. It is checked by
loading it strictly into a ``StreamingConformer`` before anything is written. Written: the
TorchSharp ``Module.save`` file (``--torchsharp``, e.g. ``reference.ckpt``) and the safetensors
file (``--safetensors``), whose metadata records the architecture and the domains.
"""

import argparse
import json
import sys
from collections import OrderedDict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speechfm import recipe  # noqa: E402
from speechfm.checkpoint import ADAPTER_PREFIX, domains_in, read_state_dict, write_state_dict  # noqa: E402
from speechfm.config import REFERENCE_CONFIG_PATH, ModelConfig  # noqa: E402
from speechfm.model import StreamingConformer  # noqa: E402


def assemble(base_path, adapter_paths):
    state = OrderedDict((n, t) for n, t in read_state_dict(base_path).items() if not n.startswith(ADAPTER_PREFIX))
    for path in adapter_paths:
        entries = read_state_dict(path)
        bad = [n for n in entries if not n.startswith(ADAPTER_PREFIX)]
        if bad:
            raise ValueError(f"{path}: not an adapter-only checkpoint ({bad[0]})")
        clash = [n for n in entries if n in state]
        if clash:
            raise ValueError(f"{path}: duplicate entry {clash[0]}")
        state.update(entries)
    return state


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--base", default=f"{recipe.DEFAULT_RUN}/ctc/best.safetensors")
    p.add_argument("--adapter", action="append", default=[], help="adapter-only checkpoint (repeatable)")
    p.add_argument("--config", default=str(REFERENCE_CONFIG_PATH))
    p.add_argument("--torchsharp", default=f"{recipe.DEFAULT_RUN}/reference.ckpt")
    p.add_argument("--safetensors", default=f"{recipe.DEFAULT_RUN}/reference.safetensors")
    args = p.parse_args(argv)
    config = ModelConfig.load(args.config)
    state = assemble(args.base, args.adapter)
    domains = domains_in(state)
    model = StreamingConformer(config, domains)
    model.load_state_dict(state, strict=True)  # every expected tensor, right shapes
    metadata = {"architecture": json.dumps(config.architecture_dict()), "domains": ",".join(domains)}
    for path, fmt in ((args.torchsharp, "torchsharp"), (args.safetensors, "safetensors")):
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            write_state_dict(state, path, fmt, metadata)
            print(f"wrote {path} ({fmt}): {len(state)} tensors, domains: {', '.join(domains) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
