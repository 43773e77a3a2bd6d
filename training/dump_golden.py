#!/usr/bin/env python3
"""Write golden vectors that pin the C# exporter and runtime to this reference implementation.

Usage (from the repository root)::

    /usr/bin/python3 training/dump_golden.py --checkpoint training/runs/random.safetensors \\
        --output training/runs/golden.safetensors

The checkpoint may be TorchSharp or safetensors (detected by extension, then by content);
``--adapter FILE`` adds adapter-only checkpoints. It must provide at least one domain adapter.
All outputs are computed in float64 (``model.double()`` on the float32 weights, float32 inputs
widened) and stored as float32, so a float32 implementation should match within about 1e-4.

The output is a safetensors file. Real-valued tensors are F32, lengths are I64. Shapes below are
for the reference config (N=6 layers, d=192, L=32, k=15, r=16, V=29):

Frontend (docs/model.md "Features"):

* ``frontend.waveform`` [20800] F32: 1.3 s at 16 kHz, chirp + harmonic tone + noise, computed in
  float64 then rounded to float32.
* ``frontend.features`` [128, 80] F32: log-mel of the float32 waveform, computed in float64.

Encoder, one full-utterance call, batch 2 (docs/model.md "ONNX graph"; input names = graph inputs):

* ``encoder.features`` [2, 256, 80] F32: seeded random features; element 1 is zero beyond its length.
* ``encoder.feature_lengths`` [2] I64: ``[256, 196]``.
* ``encoder.attn_cache`` [N, 2, L, d], ``encoder.cache_len`` [2] I64, ``encoder.conv_cache``
  [N, 2, d, k-1]: empty (all zero) initial state.
* ``encoder.adapter_down`` [2, N, d, r], ``encoder.adapter_down_bias`` [2, N, r],
  ``encoder.adapter_up`` [2, N, r, d], ``encoder.adapter_up_bias`` [2, N, d],
  ``encoder.head_weight`` [2, d, V], ``encoder.head_bias`` [2, V]: element 0 is the base model
  (zero adapters, ``ctc`` head), element 1 the domain adapter named in metadata ``encoder_domains``.
* Outputs: ``encoder.log_probs`` [2, 64, V], ``encoder.encoder_out`` [2, 64, d],
  ``encoder.output_lengths`` [2] I64 (``[64, 49]``), ``encoder.attn_cache_out`` [N, 2, L, d],
  ``encoder.cache_len_out`` [2] I64, ``encoder.conv_cache_out`` [N, 2, d, k-1].

Streaming, one utterance fed in calls of ``C*4`` = 32 feature frames (docs/model.md "Streaming state"):

* ``streaming.features`` [1, 288, 80] F32: 9 whole chunks, every frame valid.
* ``streaming.chunk_feature_frames`` [] I64: feature frames per call (32).
* ``streaming.adapter_down`` ... ``streaming.head_bias``: as above with batch 1, for the domain
  named in metadata ``streaming_domain``.
* ``streaming.log_probs`` [1, 72, V], ``streaming.encoder_out`` [1, 72, d]: per-call outputs
  concatenated over time (each call's ``feature_lengths`` is 32, caches start empty).
* ``streaming.attn_cache_out`` [N, 1, L, d], ``streaming.cache_len_out`` [1] I64,
  ``streaming.conv_cache_out`` [N, 1, d, k-1]: the state after the last call.

Metadata (string values): ``architecture`` (config JSON), ``checkpoint_sha256``,
``encoder_domains`` (e.g. ``base,medical``), ``streaming_domain``, ``compute_dtype`` (float64).

Padded frames (element 1 beyond 49 encoder frames) are deterministic under the contract too: in
this setup every padded query still sees at least one valid key, so no attention row is fully
masked and whole tensors can be compared. Frames within ``output_lengths`` are what matters.
"""

import argparse
import hashlib
import json
import sys
from collections import OrderedDict
from typing import Dict, Optional

import torch

from speechfm import checkpoint_safetensors
from speechfm.checkpoint import load_model
from speechfm.config import REFERENCE_CONFIG_PATH, ModelConfig
from speechfm.features import log_mel
from speechfm.model import ADAPTER_INPUT_NAMES, StreamingConformer, chunk_attention_mask
from speechfm.synthetic import chirp_with_noise, random_features

WAVEFORM_SAMPLES = 20800  # 1.3 s
ENCODER_FRAMES = 256
ENCODER_LENGTHS = (256, 196)
STREAMING_CHUNKS = 9
FEATURE_SEED = 2024
STREAMING_SEED = 2025


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def frontend_vectors() -> Dict[str, torch.Tensor]:
    """Test waveform (float32) and its features computed in float64."""
    waveform = chirp_with_noise(WAVEFORM_SAMPLES).to(torch.float32)
    features = log_mel(waveform.to(torch.float64))
    return OrderedDict(
        [("frontend.waveform", waveform), ("frontend.features", features.to(torch.float32))]
    )


def outputs_to_dict(prefix: str, result) -> Dict[str, torch.Tensor]:
    return OrderedDict(
        [
            (f"{prefix}.log_probs", result.log_probs.to(torch.float32)),
            (f"{prefix}.encoder_out", result.encoder_out.to(torch.float32)),
            (f"{prefix}.output_lengths", result.output_lengths.to(torch.int64)),
            (f"{prefix}.attn_cache_out", result.attn_cache.to(torch.float32)),
            (f"{prefix}.cache_len_out", result.cache_len.to(torch.int64)),
            (f"{prefix}.conv_cache_out", result.conv_cache.to(torch.float32)),
        ]
    )


def widen(adapter_inputs: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    return {name: t.to(torch.float64) for name, t in adapter_inputs.items()}


def encoder_vectors(model32: StreamingConformer, model64: StreamingConformer, domain: str):
    """Batch-2 full-utterance call: element 0 base model, element 1 ``domain``."""
    config = model32.config
    features = random_features(2, ENCODER_FRAMES, FEATURE_SEED)
    lengths = torch.tensor(ENCODER_LENGTHS, dtype=torch.int64)
    for b, length in enumerate(ENCODER_LENGTHS):
        features[b, length:] = 0.0
    adapter_inputs = model32.batch_domain_tensors([None, domain])
    attn_cache, cache_len, conv_cache = model32.initial_state(2)

    out_lengths = lengths // config.subsampling
    visible = chunk_attention_mask(
        ENCODER_FRAMES // config.subsampling, config.left_context_frames, config.chunk_frames,
        out_lengths, cache_len,
    )
    if not bool(visible.any(dim=-1).all()):
        print("warning: some padded query rows have every key masked", file=sys.stderr)

    result = model64.full_pass(features.double(), lengths, adapter_inputs=widen(adapter_inputs))
    tensors = OrderedDict(
        [
            ("encoder.features", features),
            ("encoder.feature_lengths", lengths),
            ("encoder.attn_cache", attn_cache),
            ("encoder.cache_len", cache_len),
            ("encoder.conv_cache", conv_cache),
        ]
    )
    tensors.update((f"encoder.{name}", adapter_inputs[name].float()) for name in ADAPTER_INPUT_NAMES)
    tensors.update(outputs_to_dict("encoder", result))
    return tensors, (features, lengths, adapter_inputs)


def streaming_vectors(model32: StreamingConformer, model64: StreamingConformer, domain: str):
    """Single utterance, chunk-by-chunk with C*4 feature frames per call."""
    config = model32.config
    frames = STREAMING_CHUNKS * config.chunk_feature_frames
    features = random_features(1, frames, STREAMING_SEED)
    adapter_inputs = model32.batch_domain_tensors([domain])
    result = model64.stream(features.double(), adapter_inputs=widen(adapter_inputs))

    # Self-check: streaming equals one full-utterance call (same mask, same outputs).
    full = model64.full_pass(
        features.double(), torch.tensor([frames]), adapter_inputs=widen(adapter_inputs)
    )
    difference = (full.log_probs - result.log_probs).abs().max().item()
    if difference > 1e-9:
        raise RuntimeError(f"streaming and full-utterance outputs differ by {difference}")

    tensors = OrderedDict(
        [
            ("streaming.features", features),
            ("streaming.chunk_feature_frames", torch.tensor(config.chunk_feature_frames, dtype=torch.int64)),
        ]
    )
    tensors.update((f"streaming.{name}", adapter_inputs[name].float()) for name in ADAPTER_INPUT_NAMES)
    outputs = outputs_to_dict("streaming", result)
    del outputs["streaming.output_lengths"]
    tensors.update(outputs)
    return tensors


def float32_deviation(model32: StreamingConformer, golden: Dict[str, torch.Tensor], inputs) -> float:
    """Max |float32 model - golden| over the encoder log_probs: how tight 1e-4 is in practice."""
    features, lengths, adapter_inputs = inputs
    result = model32.full_pass(features, lengths, adapter_inputs=adapter_inputs)
    return (result.log_probs - golden["encoder.log_probs"]).abs().max().item()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkpoint", help="TorchSharp or safetensors checkpoint (required unless --frontend-only)")
    parser.add_argument("--frontend-only", action="store_true", help="write only the frontend.* vectors; no checkpoint needed")
    parser.add_argument("--adapter", action="append", default=[], help="extra adapter-only checkpoint")
    parser.add_argument("--config", default=str(REFERENCE_CONFIG_PATH), help="architecture JSON")
    parser.add_argument("--output", required=True, help="golden safetensors file to write")
    parser.add_argument("--domain", help="domain for encoder batch element 1 (default: first)")
    parser.add_argument("--streaming-domain", help="domain for the streaming pass (default: last)")
    args = parser.parse_args(argv)

    if args.frontend_only:
        with torch.no_grad():
            frontend = frontend_vectors()
        checkpoint_safetensors.write(frontend, args.output, {"compute_dtype": "float64"})
        print(f"wrote {len(frontend)} tensors to {args.output}")
        return 0
    if not args.checkpoint:
        parser.error("--checkpoint is required unless --frontend-only is given")

    config = ModelConfig.load(args.config)
    model32 = load_model(config, args.checkpoint, args.adapter, dtype=torch.float32)
    if not model32.domains:
        parser.error("the checkpoint (and --adapter files) must contain at least one domain adapter")
    domain: Optional[str] = args.domain or model32.domains[0]
    streaming_domain: Optional[str] = args.streaming_domain or model32.domains[-1]
    for name in (domain, streaming_domain):
        if name not in model32.domains:
            parser.error(f"unknown domain {name!r}; available: {model32.domains}")
    model64 = load_model(config, args.checkpoint, args.adapter, dtype=torch.float64)

    golden: "OrderedDict[str, torch.Tensor]" = OrderedDict()
    with torch.no_grad():
        golden.update(frontend_vectors())
        encoder, encoder_inputs = encoder_vectors(model32, model64, domain)
        golden.update(encoder)
        golden.update(streaming_vectors(model32, model64, streaming_domain))
        deviation = float32_deviation(model32, golden, encoder_inputs)

    metadata = {
        "architecture": json.dumps(config.architecture_dict()),
        "checkpoint_sha256": sha256_of(args.checkpoint),
        "encoder_domains": f"base,{domain}",
        "streaming_domain": streaming_domain,
        "compute_dtype": "float64",
    }
    checkpoint_safetensors.write(golden, args.output, metadata)
    for name, tensor in golden.items():
        print(f"{name:34s} {str(tensor.dtype).replace('torch.', ''):8s} {list(tensor.shape)}")
    print(f"float32 model vs golden encoder.log_probs: max abs diff {deviation:.3g}")
    print(f"wrote {len(golden)} tensors to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
