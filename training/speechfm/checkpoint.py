"""Checkpoint helpers shared by the scripts: format detection, saving, and loading into a model.

Two on-disk formats hold the same state dict (docs/model.md, "Checkpoint layout"):
``torchsharp`` (:mod:`speechfm.checkpoint_torchsharp`) and ``safetensors``
(:mod:`speechfm.checkpoint_safetensors`). A base checkpoint holds the encoder and optionally
``adapters.{domain}.*`` entries; an adapter checkpoint holds only ``adapters.{domain}.*``.
"""

import struct
from collections import OrderedDict
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Union

import torch

from . import checkpoint_safetensors, checkpoint_torchsharp
from .config import ModelConfig
from .model import StreamingConformer

FORMATS = ("torchsharp", "safetensors")
ADAPTER_PREFIX = "adapters."

PathLike = Union[str, Path]


def detect_format(path: PathLike) -> str:
    """``"safetensors"`` or ``"torchsharp"``, by extension first, then by content.

    A safetensors file starts with a u64 header size followed by ``{``; TorchSharp files have no
    magic, so anything that does not look like safetensors is taken as TorchSharp.
    """
    path = Path(path)
    if path.suffix == ".safetensors":
        return "safetensors"
    with open(path, "rb") as handle:
        head = handle.read(9)
    size = path.stat().st_size
    if len(head) == 9 and head[8:9] == b"{":
        (header_size,) = struct.unpack("<Q", head[:8])
        if 8 + header_size <= size:
            return "safetensors"
    return "torchsharp"


def read_state_dict(path: PathLike, fmt: Optional[str] = None) -> "OrderedDict[str, torch.Tensor]":
    """Read a checkpoint in either format (auto-detected unless ``fmt`` is given)."""
    fmt = fmt or detect_format(path)
    if fmt == "safetensors":
        return checkpoint_safetensors.read(path)
    if fmt == "torchsharp":
        return checkpoint_torchsharp.read(path)
    raise ValueError(f"unknown checkpoint format {fmt!r}")


def write_state_dict(
    state_dict: Mapping[str, torch.Tensor],
    path: PathLike,
    fmt: str,
    metadata: Optional[Mapping[str, str]] = None,
) -> None:
    """Write a state dict; ``metadata`` is kept only by safetensors (TorchSharp has no place for it)."""
    tensors = OrderedDict((name, t.detach().cpu().contiguous()) for name, t in state_dict.items())
    if fmt == "safetensors":
        checkpoint_safetensors.write(tensors, path, metadata)
    elif fmt == "torchsharp":
        checkpoint_torchsharp.write(tensors, path)
    else:
        raise ValueError(f"unknown checkpoint format {fmt!r}")


def domains_in(names: Iterable[str]) -> List[str]:
    """Domains named by ``adapters.{domain}.*`` entries, in order of first appearance."""
    domains: List[str] = []
    for name in names:
        if name.startswith(ADAPTER_PREFIX):
            domain = name[len(ADAPTER_PREFIX):].split(".", 1)[0]
            if domain not in domains:
                domains.append(domain)
    return domains


def adapter_state_dict(state_dict: Mapping[str, torch.Tensor], domain: str) -> "OrderedDict[str, torch.Tensor]":
    """Only the ``adapters.{domain}.*`` entries: the content of an adapter checkpoint."""
    prefix = f"{ADAPTER_PREFIX}{domain}."
    selected = OrderedDict((n, t) for n, t in state_dict.items() if n.startswith(prefix))
    if not selected:
        raise KeyError(f"no entries for domain {domain!r}")
    return selected


def load_model(
    config: ModelConfig,
    checkpoint: PathLike,
    adapter_checkpoints: Iterable[PathLike] = (),
    dtype: torch.dtype = torch.float32,
) -> StreamingConformer:
    """Build a model holding every domain found in the checkpoint and the adapter checkpoints.

    Loading is strict: every expected tensor must be present with the expected shape.
    """
    state: Dict[str, torch.Tensor] = OrderedDict(read_state_dict(checkpoint))
    for extra in adapter_checkpoints:
        adapter_entries = read_state_dict(extra)
        non_adapter = [n for n in adapter_entries if not n.startswith(ADAPTER_PREFIX)]
        if non_adapter:
            raise ValueError(f"{extra}: adapter checkpoint has non-adapter entries, e.g. {non_adapter[0]}")
        state.update(adapter_entries)
    model = StreamingConformer(config, domains_in(state))
    model.load_state_dict(state, strict=True)
    return model.to(dtype).eval()
