"""Deterministic synthetic signals and inputs for random checkpoints, tests and golden vectors."""

import math

import torch

from .features import SAMPLE_RATE, log_mel


def chirp_with_noise(num_samples: int = 20800, seed: int = 1234) -> torch.Tensor:
    """Float64 test waveform: a 100 Hz -> 6 kHz linear chirp with a 220 Hz harmonic tone and noise.

    Amplitude stays within [-1, 1]. The first 50 ms hold noise only and the tones fade in over the
    next 50 ms, so the features cover low-energy frames as well as loud ones.
    """
    generator = torch.Generator().manual_seed(seed)
    t = torch.arange(num_samples, dtype=torch.float64) / SAMPLE_RATE
    duration = num_samples / SAMPLE_RATE
    f0, f1 = 100.0, 6000.0
    phase = 2.0 * math.pi * (f0 * t + 0.5 * (f1 - f0) / duration * t * t)
    chirp = 0.4 * torch.sin(phase)
    tone = sum(0.1 / h * torch.sin(2.0 * math.pi * 220.0 * h * t) for h in range(1, 6))
    noise = 0.02 * torch.randn(num_samples, generator=generator, dtype=torch.float64)
    onset = torch.clamp((t - 0.05) / 0.05, 0.0, 1.0)
    return torch.clamp(onset * (chirp + tone) + noise, -1.0, 1.0)


def speechlike_waveform(seconds: float, generator: torch.Generator) -> torch.Tensor:
    """Float64 crude speech-like signal: gliding harmonic voicing, noise bursts and pauses."""
    n = int(seconds * SAMPLE_RATE)
    t = torch.arange(n, dtype=torch.float64) / SAMPLE_RATE
    pitch = 100.0 + 80.0 * torch.rand((), generator=generator, dtype=torch.float64)
    glide = 1.0 + 0.2 * torch.sin(2.0 * math.pi * 0.7 * t)
    phase = 2.0 * math.pi * torch.cumsum(pitch * glide, dim=0) / SAMPLE_RATE
    voiced = sum(torch.sin(h * phase) / h for h in range(1, 20))
    syllables = torch.clamp(torch.sin(2.0 * math.pi * 3.0 * t + torch.rand((), generator=generator)), min=0.0)
    noise = torch.randn(n, generator=generator, dtype=torch.float64)
    level = 10.0 ** (-torch.rand((), generator=generator, dtype=torch.float64) * 1.5)
    signal = level * (0.1 * voiced * syllables + 0.05 * noise * (1.0 - syllables)) + 1e-3 * noise
    return torch.clamp(signal, -1.0, 1.0)


def feature_statistics(num_signals: int = 8, seed: int = 0):
    """Per-bin mean and std (float64, std > 0) of log-mel features of synthetic speech-like signals."""
    generator = torch.Generator().manual_seed(seed)
    feats = torch.cat([log_mel(speechlike_waveform(2.0, generator)) for _ in range(num_signals)])
    return feats.mean(dim=0), feats.std(dim=0).clamp(min=1e-3)


def random_features(batch: int, frames: int, seed: int) -> torch.Tensor:
    """Seeded float32 log-mel-like features ``[batch, frames, 80]`` (mean around -6, spread ~3)."""
    generator = torch.Generator().manual_seed(seed)
    smooth = torch.randn(batch, frames, 80, generator=generator)
    smooth = 0.5 * (smooth + torch.roll(smooth, 1, dims=1))
    return (-6.0 + 3.0 * smooth).to(torch.float32)
