"""Streaming Conformer encoder with per-domain adapters and CTC heads (docs/model.md, "Encoder").

Module and parameter names match the checkpoint table of ``docs/model.md`` one to one, so
``StreamingConformer.state_dict()`` *is* the checkpoint layout.

:meth:`StreamingConformer.forward` has the signature of the ONNX graph ``encoder.onnx``: features,
lengths, the three streaming caches and the per-batch-element adapter/head weights go in; log
probabilities, encoder output, output lengths and the updated caches come out. Convenience
helpers build the per-element adapter tensors for a list of domains (``None`` = base model), run a
full utterance (:meth:`StreamingConformer.full_pass`) or a chunk-by-chunk stream
(:meth:`StreamingConformer.stream`).
"""

import dataclasses
import math
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .config import ModelConfig

#: Score given to masked attention keys. Finite (not -inf) so that a query row with every key
#: masked (possible only for padded queries) yields a uniform distribution instead of NaN.
MASKED_SCORE = -1e9

#: Names of the per-element adapter/head inputs, in ONNX graph order.
ADAPTER_INPUT_NAMES = (
    "adapter_down",
    "adapter_down_bias",
    "adapter_up",
    "adapter_up_bias",
    "head_weight",
    "head_bias",
)


class FrontendNorm(nn.Module):
    """Per-mel-bin feature normalisation ``(x - mean) / std``; statistics are buffers."""

    def __init__(self, n_mels: int) -> None:
        super().__init__()
        self.register_buffer("mean", torch.zeros(n_mels))
        self.register_buffer("std", torch.ones(n_mels))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return (features - self.mean) / self.std


class Subsampling(nn.Module):
    """Two ``Conv1d(kernel 2, stride 2) -> ReLU`` over time: ``[B, T, 80] -> [B, T/4, d]``.

    Kernel equals stride, so chunks starting on a multiple of 4 feature frames need no state.
    """

    def __init__(self, n_mels: int, d_model: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv1d(n_mels, d_model, kernel_size=2, stride=2)
        self.conv2 = nn.Conv1d(d_model, d_model, kernel_size=2, stride=2)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        x = F.relu(self.conv1(features.transpose(1, 2)))
        x = F.relu(self.conv2(x))
        return x.transpose(1, 2)


class FeedForward(nn.Module):
    """``Linear2(SiLU(Linear1(LayerNorm(x))))``; the 0.5 residual weight is applied by the block."""

    def __init__(self, d_model: int, ff_dim: int) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(d_model)
        self.linear1 = nn.Linear(d_model, ff_dim)
        self.linear2 = nn.Linear(ff_dim, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear2(F.silu(self.linear1(self.norm(x))))


class ChunkedSelfAttention(nn.Module):
    """Multi-head attention whose keys/values are ``concat(attn_cache, y)`` and queries ``y``.

    No positional encoding (the causal convolution provides position information). The
    pre-attention LayerNorm lives in the block (``attn_norm``) because its output ``y`` is what the
    attention cache stores.
    """

    def __init__(self, d_model: int, num_heads: int) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = d_model // num_heads
        self.q = nn.Linear(d_model, d_model)
        self.k = nn.Linear(d_model, d_model)
        self.v = nn.Linear(d_model, d_model)
        self.out = nn.Linear(d_model, d_model)

    def _split_heads(self, x: torch.Tensor) -> torch.Tensor:
        batch, frames, _ = x.shape
        return x.view(batch, frames, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, queries: torch.Tensor, keys: torch.Tensor, visible: torch.Tensor) -> torch.Tensor:
        """``queries [B, Tq, d]``, ``keys [B, Tk, d]``, ``visible [B, Tq, Tk]`` (bool)."""
        q = self._split_heads(self.q(queries))
        k = self._split_heads(self.k(keys))
        v = self._split_heads(self.v(keys))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        scores = scores.masked_fill(~visible.unsqueeze(1), MASKED_SCORE)
        weights = torch.softmax(scores, dim=-1)
        context = torch.matmul(weights, v).transpose(1, 2).reshape(queries.shape)
        return self.out(context)


class ConvolutionModule(nn.Module):
    """LayerNorm -> pointwise (d -> 2d) -> GLU -> causal depthwise conv -> LayerNorm -> SiLU -> pointwise.

    GLU follows ``torch.nn.functional.glu`` over channels: ``first_half * sigmoid(second_half)``.
    The depthwise convolution has no padding: its ``k - 1`` left frames come from ``conv_cache``.
    ``depth_norm`` is a LayerNorm over channels (applied with time as the batch axis).
    """

    def __init__(self, d_model: int, kernel_size: int) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.norm = nn.LayerNorm(d_model)
        self.pointwise1 = nn.Conv1d(d_model, 2 * d_model, kernel_size=1)
        self.depthwise = nn.Conv1d(d_model, d_model, kernel_size=kernel_size, groups=d_model)
        self.depth_norm = nn.LayerNorm(d_model)
        self.pointwise2 = nn.Conv1d(d_model, d_model, kernel_size=1)

    def forward(self, x: torch.Tensor, conv_cache: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """``x [B, T, d]``, ``conv_cache [B, d, k-1]`` -> output ``[B, T, d]``, new cache."""
        z = self.pointwise1(self.norm(x).transpose(1, 2))  # [B, 2d, T]
        z = F.glu(z, dim=1)  # [B, d, T]
        history = torch.cat([conv_cache, z], dim=2)  # [B, d, k-1+T]
        new_cache = history[:, :, history.shape[2] - (self.kernel_size - 1):]
        z = self.depthwise(history)  # [B, d, T]
        z = self.depth_norm(z.transpose(1, 2))  # LayerNorm over channels, [B, T, d]
        z = F.silu(z)
        z = self.pointwise2(z.transpose(1, 2)).transpose(1, 2)
        return z, new_cache


class ConformerBlock(nn.Module):
    """One Conformer block (without its adapter, which is applied per batch element)."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        d = config.d_model
        self.left_context = config.left_context_frames
        self.ff1 = FeedForward(d, config.ff_dim)
        self.attn_norm = nn.LayerNorm(d)
        self.attn = ChunkedSelfAttention(d, config.num_heads)
        self.conv = ConvolutionModule(d, config.conv_kernel)
        self.ff2 = FeedForward(d, config.ff_dim)
        self.final_norm = nn.LayerNorm(d)
        self.dropout = nn.Dropout(config.dropout)

    def forward(
        self,
        x: torch.Tensor,
        visible: torch.Tensor,
        attn_cache: torch.Tensor,
        conv_cache: torch.Tensor,
    ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """``x [B, T, d]``, ``attn_cache [B, L, d]``, ``conv_cache [B, d, k-1]``.

        Returns the block output and the updated attention and convolution caches.
        """
        x = x + 0.5 * self.dropout(self.ff1(x))
        y = self.attn_norm(x)
        keys = torch.cat([attn_cache, y], dim=1)  # [B, L+T, d]
        new_attn_cache = keys[:, keys.shape[1] - self.left_context:]
        x = x + self.dropout(self.attn(y, keys, visible))
        conv_out, new_conv_cache = self.conv(x, conv_cache)
        x = x + self.dropout(conv_out)
        x = x + 0.5 * self.dropout(self.ff2(x))
        return self.final_norm(x), new_attn_cache, new_conv_cache


class Adapter(nn.Module):
    """Bottleneck adapter of one layer: ``x + up(ReLU(down(x)))``. Weights only; see ``apply_adapter``."""

    def __init__(self, d_model: int, adapter_dim: int) -> None:
        super().__init__()
        self.down = nn.Linear(d_model, adapter_dim)
        self.up = nn.Linear(adapter_dim, d_model)
        nn.init.zeros_(self.up.weight)  # a fresh adapter is the identity
        nn.init.zeros_(self.up.bias)


class DomainAdapter(nn.Module):
    """All weights of one domain: an adapter per layer and its own CTC head."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.layers = nn.ModuleList(
            Adapter(config.d_model, config.adapter_dim) for _ in range(config.num_layers)
        )
        self.ctc = nn.Linear(config.d_model, config.vocab_size)


def chunk_attention_mask(
    num_queries: int,
    left_context: int,
    chunk: int,
    lengths: torch.Tensor,
    cache_len: torch.Tensor,
) -> torch.Tensor:
    """Visibility ``[B, num_queries, L + num_queries]`` (True = attend) per docs/model.md "Chunk mask".

    Query ``i`` lies in chunk ``c = i // C``; key ``j`` over ``concat(cache, current)`` has relative
    position ``r = j - L``. Visible iff ``c*C - L <= r < (c+1)*C`` and the key is valid
    (``-cache_len[b] <= r < 0`` for cache keys, ``0 <= r < lengths[b]`` for current keys).
    """
    device = lengths.device
    query_chunk = torch.arange(num_queries, device=device) // chunk  # [Tq]
    rel = torch.arange(left_context + num_queries, device=device) - left_context  # [Tk]
    in_window = (rel.unsqueeze(0) < ((query_chunk + 1) * chunk).unsqueeze(1)) & (
        rel.unsqueeze(0) >= (query_chunk * chunk - left_context).unsqueeze(1)
    )  # [Tq, Tk]
    valid_cache = (rel.unsqueeze(0) < 0) & (rel.unsqueeze(0) >= -cache_len.unsqueeze(1))
    valid_current = (rel.unsqueeze(0) >= 0) & (rel.unsqueeze(0) < lengths.unsqueeze(1))
    valid = valid_cache | valid_current  # [B, Tk]
    return in_window.unsqueeze(0) & valid.unsqueeze(1)


def apply_adapter(
    x: torch.Tensor,
    down: torch.Tensor,
    down_bias: torch.Tensor,
    up: torch.Tensor,
    up_bias: torch.Tensor,
) -> torch.Tensor:
    """Per-element adapter ``x + ReLU(x @ Wd[b] + bd[b]) @ Wu[b] + bu[b]``.

    ``x [B, T, d]``, ``down [B, d, r]``, ``down_bias [B, r]``, ``up [B, r, d]``, ``up_bias [B, d]``.
    """
    hidden = F.relu(torch.bmm(x, down) + down_bias.unsqueeze(1))
    return x + torch.bmm(hidden, up) + up_bias.unsqueeze(1)


@dataclasses.dataclass
class EncoderOutput:
    """Outputs of one encoder call, named like the ONNX graph outputs."""

    log_probs: torch.Tensor  # [B, T/4, V]
    encoder_out: torch.Tensor  # [B, T/4, d]
    output_lengths: torch.Tensor  # [B] int64
    attn_cache: torch.Tensor  # [N, B, L, d]
    cache_len: torch.Tensor  # [B] int64
    conv_cache: torch.Tensor  # [N, B, d, k-1]


class StreamingConformer(nn.Module):
    """The reference encoder: frontend norm, subsampling, Conformer blocks, adapters, CTC heads."""

    def __init__(self, config: ModelConfig, domains: Sequence[str] = ()) -> None:
        super().__init__()
        self.config = config
        self.frontend_norm = FrontendNorm(config.n_mels)
        self.subsample = Subsampling(config.n_mels, config.d_model)
        self.layers = nn.ModuleList(ConformerBlock(config) for _ in range(config.num_layers))
        self.ctc = nn.Linear(config.d_model, config.vocab_size)
        self.adapters = nn.ModuleDict()
        for domain in domains:
            self.add_domain(domain)

    # ------------------------------------------------------------------ domains and parameters

    @property
    def domains(self) -> List[str]:
        return list(self.adapters.keys())

    def add_domain(self, domain: str) -> DomainAdapter:
        """Add an identity adapter for ``domain`` whose head starts as a copy of the base head."""
        if not domain or "." in domain:
            raise ValueError(f"invalid domain name {domain!r}")
        if domain in self.adapters:
            raise ValueError(f"domain {domain!r} already exists")
        adapter = DomainAdapter(self.config).to(self.ctc.weight)
        with torch.no_grad():
            adapter.ctc.weight.copy_(self.ctc.weight)
            adapter.ctc.bias.copy_(self.ctc.bias)
        self.adapters[domain] = adapter
        return adapter

    def train_only(self, prefix: str) -> List[nn.Parameter]:
        """Freeze every parameter whose name does not start with ``prefix``; return the others, to train."""
        for name, param in self.named_parameters():
            param.requires_grad = name.startswith(prefix)
        return [p for p in self.parameters() if p.requires_grad]

    def encoder_parameter_count(self) -> int:
        """Trainable parameters of the base model (everything except ``adapters.*``)."""
        return sum(p.numel() for name, p in self.named_parameters() if not name.startswith("adapters."))

    def domain_parameter_count(self, domain: str) -> int:
        """Parameters of one domain adapter including its CTC head."""
        return sum(p.numel() for p in self.adapters[domain].parameters())

    # ------------------------------------------------------------------ graph inputs

    def initial_state(self, batch_size: int) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Empty caches ``(attn_cache, cache_len, conv_cache)`` for the start of a stream."""
        c = self.config
        like = self.ctc.weight
        attn_cache = like.new_zeros((c.num_layers, batch_size, c.left_context_frames, c.d_model))
        cache_len = torch.zeros(batch_size, dtype=torch.int64, device=like.device)
        conv_cache = like.new_zeros((c.num_layers, batch_size, c.d_model, c.conv_kernel - 1))
        return attn_cache, cache_len, conv_cache

    def domain_tensors(self, domain: Optional[str]) -> Dict[str, torch.Tensor]:
        """One element's adapter/head inputs (without the batch axis); ``None`` = base model.

        ``adapter_down [N, d, r]`` is ``down.weight`` transposed, ``adapter_up [N, r, d]`` is
        ``up.weight`` transposed and ``head_weight [d, V]`` is ``ctc.weight`` transposed. The base
        model uses all-zero adapters (identity) and the base ``ctc`` head.
        """
        c = self.config
        like = self.ctc.weight.detach()
        if domain is None:
            return {
                "adapter_down": like.new_zeros((c.num_layers, c.d_model, c.adapter_dim)),
                "adapter_down_bias": like.new_zeros((c.num_layers, c.adapter_dim)),
                "adapter_up": like.new_zeros((c.num_layers, c.adapter_dim, c.d_model)),
                "adapter_up_bias": like.new_zeros((c.num_layers, c.d_model)),
                "head_weight": self.ctc.weight.detach().t().contiguous(),
                "head_bias": self.ctc.bias.detach().clone(),
            }
        adapter = self.adapters[domain]
        layers = list(adapter.layers)
        return {
            "adapter_down": torch.stack([a.down.weight.detach().t() for a in layers]),
            "adapter_down_bias": torch.stack([a.down.bias.detach() for a in layers]),
            "adapter_up": torch.stack([a.up.weight.detach().t() for a in layers]),
            "adapter_up_bias": torch.stack([a.up.bias.detach() for a in layers]),
            "head_weight": adapter.ctc.weight.detach().t().contiguous(),
            "head_bias": adapter.ctc.bias.detach().clone(),
        }

    def batch_domain_tensors(self, domains: Sequence[Optional[str]]) -> Dict[str, torch.Tensor]:
        """Per-element adapter/head inputs for a batch, e.g. ``[None, "medical"]``."""
        per_element = [self.domain_tensors(domain) for domain in domains]
        return {name: torch.stack([e[name] for e in per_element]) for name in ADAPTER_INPUT_NAMES}

    def training_domain_tensors(self, domains: Sequence[Optional[str]]) -> Dict[str, torch.Tensor]:
        """Like :meth:`batch_domain_tensors` but differentiable w.r.t. the adapter parameters and, for the
        base model (``None``), the base CTC head; training must use it, or the head stays at its initial
        values."""
        result: Dict[str, List[torch.Tensor]] = {name: [] for name in ADAPTER_INPUT_NAMES}
        for domain in domains:
            if domain is None:
                zeros = self.domain_tensors(None)
                for name in ADAPTER_INPUT_NAMES[:4]:
                    result[name].append(zeros[name])
                result["head_weight"].append(self.ctc.weight.t())
                result["head_bias"].append(self.ctc.bias)
                continue
            adapter = self.adapters[domain]
            result["adapter_down"].append(torch.stack([a.down.weight.t() for a in adapter.layers]))
            result["adapter_down_bias"].append(torch.stack([a.down.bias for a in adapter.layers]))
            result["adapter_up"].append(torch.stack([a.up.weight.t() for a in adapter.layers]))
            result["adapter_up_bias"].append(torch.stack([a.up.bias for a in adapter.layers]))
            result["head_weight"].append(adapter.ctc.weight.t())
            result["head_bias"].append(adapter.ctc.bias)
        return {name: torch.stack(values) for name, values in result.items()}

    # ------------------------------------------------------------------ forward

    def forward(
        self,
        features: torch.Tensor,
        feature_lengths: torch.Tensor,
        attn_cache: torch.Tensor,
        cache_len: torch.Tensor,
        conv_cache: torch.Tensor,
        adapter_down: torch.Tensor,
        adapter_down_bias: torch.Tensor,
        adapter_up: torch.Tensor,
        adapter_up_bias: torch.Tensor,
        head_weight: torch.Tensor,
        head_bias: torch.Tensor,
    ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """One encoder call with the inputs and outputs of ``encoder.onnx``.

        Inputs: ``features [B, T, 80]`` (T a multiple of 4), ``feature_lengths [B]`` int64,
        ``attn_cache [N, B, L, d]``, ``cache_len [B]`` int64, ``conv_cache [N, B, d, k-1]``,
        ``adapter_down [B, N, d, r]``, ``adapter_down_bias [B, N, r]``, ``adapter_up [B, N, r, d]``,
        ``adapter_up_bias [B, N, d]``, ``head_weight [B, d, V]``, ``head_bias [B, V]``.

        Returns ``(log_probs [B, T/4, V], encoder_out [B, T/4, d], output_lengths [B],
        attn_cache_out, cache_len_out, conv_cache_out)``.
        """
        c = self.config
        if features.shape[1] % c.subsampling != 0:
            raise ValueError(f"feature frames ({features.shape[1]}) must be a multiple of 4")
        x = self.subsample(self.frontend_norm(features))
        output_lengths = torch.div(feature_lengths, c.subsampling, rounding_mode="floor")
        visible = chunk_attention_mask(
            x.shape[1], c.left_context_frames, c.chunk_frames, output_lengths, cache_len
        )
        new_attn_caches = []
        new_conv_caches = []
        for index, layer in enumerate(self.layers):
            x, layer_attn_cache, layer_conv_cache = layer(x, visible, attn_cache[index], conv_cache[index])
            x = apply_adapter(
                x,
                adapter_down[:, index],
                adapter_down_bias[:, index],
                adapter_up[:, index],
                adapter_up_bias[:, index],
            )
            new_attn_caches.append(layer_attn_cache)
            new_conv_caches.append(layer_conv_cache)
        logits = torch.bmm(x, head_weight) + head_bias.unsqueeze(1)
        log_probs = F.log_softmax(logits, dim=-1)
        cache_len_out = torch.clamp(cache_len + output_lengths, max=c.left_context_frames)
        return (
            log_probs,
            x,
            output_lengths,
            torch.stack(new_attn_caches),
            cache_len_out,
            torch.stack(new_conv_caches),
        )

    def call(
        self,
        features: torch.Tensor,
        feature_lengths: torch.Tensor,
        state: Tuple[torch.Tensor, torch.Tensor, torch.Tensor],
        adapter_inputs: Dict[str, torch.Tensor],
    ) -> EncoderOutput:
        """:meth:`forward` with the caches as a tuple and named outputs."""
        outputs = self(features, feature_lengths, *state, *(adapter_inputs[n] for n in ADAPTER_INPUT_NAMES))
        return EncoderOutput(*outputs)

    def full_pass(
        self,
        features: torch.Tensor,
        feature_lengths: torch.Tensor,
        domains: Optional[Sequence[Optional[str]]] = None,
        adapter_inputs: Optional[Dict[str, torch.Tensor]] = None,
    ) -> EncoderOutput:
        """Whole utterances in one call with empty caches (padded batch allowed).

        Give either ``domains`` (one entry per element, ``None`` = base model; default all base) or
        explicit ``adapter_inputs``.
        """
        batch = features.shape[0]
        if adapter_inputs is None:
            adapter_inputs = self.batch_domain_tensors(domains if domains is not None else [None] * batch)
        return self.call(features, feature_lengths, self.initial_state(batch), adapter_inputs)

    def stream(
        self,
        features: torch.Tensor,
        domains: Optional[Sequence[Optional[str]]] = None,
        adapter_inputs: Optional[Dict[str, torch.Tensor]] = None,
        chunks_per_call: int = 1,
    ) -> EncoderOutput:
        """Chunk-by-chunk pass over unpadded utterances ``[B, T, 80]`` (all elements T frames long).

        Each call gets ``chunks_per_call * C * 4`` feature frames; the last call may be shorter
        (still a multiple of 4) and ends the stream. Returns the concatenated ``log_probs`` and
        ``encoder_out``, the total output lengths and the caches after the last call.
        """
        batch, total_frames, _ = features.shape
        if adapter_inputs is None:
            adapter_inputs = self.batch_domain_tensors(domains if domains is not None else [None] * batch)
        step = chunks_per_call * self.config.chunk_feature_frames
        state = self.initial_state(batch)
        log_probs, encoder_out = [], []
        for start in range(0, total_frames, step):
            piece = features[:, start:start + step]
            lengths = torch.full((batch,), piece.shape[1], dtype=torch.int64, device=features.device)
            result = self.call(piece, lengths, state, adapter_inputs)
            state = (result.attn_cache, result.cache_len, result.conv_cache)
            log_probs.append(result.log_probs)
            encoder_out.append(result.encoder_out)
        total = torch.full((batch,), total_frames // self.config.subsampling, dtype=torch.int64)
        return EncoderOutput(
            torch.cat(log_probs, dim=1), torch.cat(encoder_out, dim=1), total, *state
        )
