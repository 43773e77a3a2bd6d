"""Multimodal attention merging (MAM, Sundar et al. 2023, arXiv 2312.14378): a text model's self-attention
projections interpolated into the speech encoder's.

The merged tensors of a merged layer ``i`` are the weights and biases of its query, key and value projections,
``layers.{i}.attn.{q,k,v}.{weight,bias}``; the output projection (``attn.out``) is not merged, as in the paper,
which merges Q, K and V. A text model for merging (``train_text_attention.py``) stores exactly these tensors under
these names. Each merged tensor becomes ``(1 - a) * W_speech + a * W_text`` in float32, with ``1 - a`` and ``a``
each rounded once to float32 from the decimal factor (the exporter's ``merge-attention`` command computes the same
values); a factor of 0 leaves the speech weights as they are.

:class:`LearnableAttentionMerge` makes the factor of each merged layer a trained scalar ``sigmoid(logit)``, for
merging while an adapter trains (``train_adapter.py --merge-text-attention``).
"""

import math
from collections import OrderedDict
from typing import Dict, List, Mapping, Sequence, Union

import torch
from torch import nn
from torch.nn.utils import parametrize

PROJECTIONS = ("q", "k", "v")
PARTS = ("weight", "bias")


def layer_tensor_names(layer: int) -> List[str]:
    """The merged tensors of encoder layer ``layer``."""
    return [f"layers.{layer}.attn.{projection}.{part}" for projection in PROJECTIONS for part in PARTS]


def merged_names(layers: Sequence[int]) -> List[str]:
    """The merged tensors of ``layers``, layer by layer."""
    return [name for layer in layers for name in layer_tensor_names(layer)]


def parse_layers(option: str, num_layers: int) -> List[int]:
    """The layers of ``--layers``: ``all`` or comma-separated indices (0-based) below ``num_layers``."""
    if option.strip() == "all":
        return list(range(num_layers))
    try:
        layers = sorted({int(part) for part in option.split(",") if part.strip()})
    except ValueError:
        raise ValueError(f"layers {option!r}: give 'all' or comma-separated layer indices") from None
    if not layers or layers[0] < 0 or layers[-1] >= num_layers:
        raise ValueError(f"layers {option!r}: indices must be 0 to {num_layers - 1}")
    return layers


def check_text_attention(text_state: Mapping[str, torch.Tensor], base_state: Mapping[str, torch.Tensor],
                         layers: Sequence[int]) -> None:
    """Refuse a text model that lacks a merged tensor of ``layers`` or whose tensor's shape differs from the
    encoder's; the message names the tensor."""
    for name in merged_names(layers):
        if name not in text_state:
            raise ValueError(f"the text attention model has no tensor '{name}' (it must have the encoder's layers)")
        text, speech = text_state[name], base_state[name]
        if text.shape != speech.shape:
            raise ValueError(f"'{name}': the text attention model's shape {list(text.shape)} differs from the "
                             f"encoder's {list(speech.shape)}")


def merge_tensor(speech: torch.Tensor, text: torch.Tensor, factor: Union[float, torch.Tensor]) -> torch.Tensor:
    """``(1 - factor) * speech + factor * text`` in ``speech``'s dtype; ``factor`` a number or a 0-d tensor."""
    if not torch.is_tensor(factor):
        if factor == 0:
            return speech  # untouched, -0.0 included, so the merged base hashes as the original
        factor = torch.tensor(factor, dtype=torch.float64)
    keep, share = (1 - factor).to(speech.dtype), factor.to(speech.dtype)
    return keep * speech + share * text


def merge(base_state: Mapping[str, torch.Tensor], text_state: Mapping[str, torch.Tensor], factor: float,
          layers: Sequence[int]) -> "OrderedDict[str, torch.Tensor]":
    """A copy of ``base_state`` whose merged tensors of ``layers`` are merged with ``factor`` (0 to 1)."""
    if not 0.0 <= factor <= 1.0:
        raise ValueError(f"merge factor {factor} must be between 0 and 1")
    check_text_attention(text_state, base_state, layers)
    names = set(merged_names(layers))
    return OrderedDict((name, merge_tensor(tensor, text_state[name].to(tensor), factor) if name in names else tensor)
                       for name, tensor in base_state.items())


class _MergedProjection(nn.Module):
    """Parametrization of one merged tensor: the frozen speech tensor merged with the text tensor by a factor
    that is read anew at every forward pass."""

    def __init__(self, text: torch.Tensor, factor) -> None:
        super().__init__()
        self.register_buffer("text", text, persistent=False)
        self.factor = factor

    def forward(self, speech: torch.Tensor) -> torch.Tensor:
        return merge_tensor(speech, self.text, self.factor())


class LearnableAttentionMerge(nn.Module):
    """Per-layer merge factors ``sigmoid(logits[j])`` for ``layers[j]``, trained with the rest of the trainable
    parameters. :meth:`attach` makes the encoder's merged tensors use them in every forward pass; the encoder's
    own tensors stay frozen underneath."""

    def __init__(self, text_state: Mapping[str, torch.Tensor], layers: Sequence[int], initial_factor: float) -> None:
        super().__init__()
        if not 0.0 < initial_factor < 1.0:
            raise ValueError(f"the initial merge factor {initial_factor} must be above 0 and below 1")
        self.layers = list(layers)
        self.text = {name: text_state[name].detach().clone() for name in merged_names(self.layers)}
        logit = math.log(initial_factor / (1 - initial_factor))
        self.logits = nn.Parameter(torch.full((len(self.layers),), logit))

    def factors(self) -> torch.Tensor:
        """The current factor of each merged layer."""
        return torch.sigmoid(self.logits)

    def attach(self, model: nn.Module) -> None:
        """Parametrize ``model``'s merged tensors (a ``StreamingConformer`` whose layers match the text model)."""
        check_text_attention(self.text, model.state_dict(), self.layers)
        for index, layer in enumerate(self.layers):
            attention = model.layers[layer].attn
            for projection in PROJECTIONS:
                for part in PARTS:
                    text = self.text[f"layers.{layer}.attn.{projection}.{part}"].to(self.logits.device)
                    parametrize.register_parametrization(
                        getattr(attention, projection), part,
                        _MergedProjection(text, lambda index=index: self.factors()[index]))

    def merged_base(self, base_state: Mapping[str, torch.Tensor]) -> "OrderedDict[str, torch.Tensor]":
        """``base_state`` merged with the current factors, computed as in the forward pass: the base checkpoint
        that an adapter trained with these factors belongs to."""
        factors = self.factors().detach().cpu()
        merged = OrderedDict(base_state)
        for index, layer in enumerate(self.layers):
            for name in layer_tensor_names(layer):
                merged[name] = merge_tensor(base_state[name], self.text[name].to(base_state[name]), factors[index])
        return merged

    def factor_values(self) -> Dict[str, float]:
        """The factors by layer index, for reports."""
        return {str(layer): float(f) for layer, f in zip(self.layers, self.factors().detach().cpu())}
