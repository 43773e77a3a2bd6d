"""Unstructured magnitude pruning of the encoder for ``training/parp.py`` (PARP, Lai et al. 2021, arXiv 2106.05933).

The pruned weights are the encoder's matrices: every ``Linear`` and ``Conv1d`` weight of the subsampling and
the Conformer blocks (feed-forward, attention projections, the convolution module's pointwise and depthwise
kernels). Norms, biases, the frontend statistics, the CTC head and adapters are never pruned. Pruning is per
layer: each weight tensor loses exactly ``round(sparsity * numel)`` of its elements, those of smallest
magnitude (ties in index order), so every layer has the same sparsity. Pruned weights are +0.0, the zero that
the exporter's ``--sparse-initializers`` leaves out of ``encoder.onnx``.
"""

import contextlib
from typing import Dict, Iterator, Mapping

import torch
from torch import nn


def encoder_matrix_weights(model: nn.Module) -> Dict[str, nn.Parameter]:
    """The prunable weights of a ``StreamingConformer``, by checkpoint name."""
    return {f"{prefix}.{name}.weight": module.weight
            for prefix, root in (("subsample", model.subsample), ("layers", model.layers))
            for name, module in root.named_modules() if isinstance(module, (nn.Linear, nn.Conv1d))}


def magnitude_mask(weight: torch.Tensor, sparsity: float) -> torch.Tensor:
    """Boolean mask of ``weight``'s shape, False for the ``round(sparsity * numel)`` smallest magnitudes."""
    if not 0.0 <= sparsity < 1.0:
        raise ValueError(f"sparsity must be in [0, 1), not {sparsity}")
    keep = torch.ones(weight.numel(), dtype=torch.bool, device=weight.device)
    order = torch.sort(weight.detach().abs().flatten(), stable=True).indices
    keep[order[: round(sparsity * weight.numel())]] = False
    return keep.view_as(weight)


@torch.no_grad()
def prune(weights: Mapping[str, torch.Tensor], sparsity: float) -> Dict[str, torch.Tensor]:
    """Zero the smallest-magnitude share ``sparsity`` of each weight, in place; returns the masks (True = kept)."""
    masks = {name: magnitude_mask(weight, sparsity) for name, weight in weights.items()}
    for name, weight in weights.items():
        weight.masked_fill_(~masks[name], 0.0)  # +0.0, where multiplying by the mask leaves -0.0 for negative weights
    return masks


def hold_pruned_at_zero(weights: Mapping[str, nn.Parameter], masks: Mapping[str, torch.Tensor]) -> None:
    """Mask the gradients of pruned weights: AdamW then never moves them from zero (no gradient, no moments,
    and decay of zero is zero), and gradient clipping counts only the weights that train."""
    for name, weight in weights.items():
        weight.register_hook(lambda grad, mask=masks[name]: grad * mask)


@contextlib.contextmanager
def pruned(weights: Mapping[str, torch.Tensor], sparsity: float) -> Iterator[None]:
    """Within the block the weights are pruned to ``sparsity``; afterwards they are as before."""
    saved = {name: weight.detach().clone() for name, weight in weights.items()}
    prune(weights, sparsity)
    try:
        yield
    finally:
        with torch.no_grad():
            for name, weight in weights.items():
                weight.copy_(saved[name])


def zero_share(tensors: Mapping[str, torch.Tensor]) -> float:
    """Share of exact zeros over all elements of ``tensors``."""
    total = sum(t.numel() for t in tensors.values())
    return sum(int((t == 0).sum()) for t in tensors.values()) / max(total, 1)
