"""Log-mel frontend, exactly as ``docs/model.md`` ("Features").

Waveform (mono, 16 kHz, [-1, 1]) -> frames of 400 samples every 160 samples without padding ->
periodic Hann window -> 512-point FFT power spectrum (257 bins) -> 80 HTK-mel triangular filters
(0-8000 Hz, built like ``torchaudio.functional.melscale_fbanks(..., norm=None, mel_scale="htk")``)
-> ``ln(max(energy, 1e-10))``.

The computation runs in the dtype of the input waveform: float32 for training, float64 for golden
vectors. Feature normalisation is not done here: it belongs to the encoder (``frontend_norm``).
"""

import math

import torch

SAMPLE_RATE = 16000
WINDOW_LENGTH = 400
HOP_LENGTH = 160
FFT_SIZE = 512
NUM_BINS = FFT_SIZE // 2 + 1
NUM_MELS = 80
F_MIN = 0.0
F_MAX = 8000.0
LOG_FLOOR = 1e-10


def num_frames(num_samples: int) -> int:
    """Frames produced for ``num_samples`` samples: ``max(0, 1 + (N - 400) // 160)``."""
    return max(0, 1 + (num_samples - WINDOW_LENGTH) // HOP_LENGTH)


def hann_window(dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Periodic Hann window ``w[n] = 0.5 - 0.5 cos(2 pi n / 400)``, computed in float64."""
    n = torch.arange(WINDOW_LENGTH, dtype=torch.float64)
    return (0.5 - 0.5 * torch.cos(2.0 * math.pi * n / WINDOW_LENGTH)).to(dtype)


def hz_to_mel(freq_hz: torch.Tensor) -> torch.Tensor:
    """HTK mel scale: ``2595 log10(1 + f / 700)``."""
    return 2595.0 * torch.log10(1.0 + freq_hz / 700.0)


def mel_to_hz(mel: torch.Tensor) -> torch.Tensor:
    """Inverse of :func:`hz_to_mel`: ``700 (10^(m / 2595) - 1)``."""
    return 700.0 * (torch.pow(10.0, mel / 2595.0) - 1.0)


def mel_filterbank(dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Triangular HTK mel filterbank ``[257, 80]`` (bins x filters), computed in float64.

    Same construction as ``torchaudio.functional.melscale_fbanks(257, 0, 8000, 80, 16000,
    norm=None, mel_scale="htk")``: 82 points equally spaced in mel between ``mel(0)`` and
    ``mel(8000)``, converted to Hz; filter ``m`` rises linearly from point ``m`` to ``m+1`` and falls
    to zero at ``m+2``, evaluated at the bin frequencies ``k * 8000 / 256``, clipped at 0.
    """
    bin_freqs = torch.linspace(0.0, SAMPLE_RATE / 2, NUM_BINS, dtype=torch.float64)
    mel_points = torch.linspace(
        hz_to_mel(torch.tensor(F_MIN, dtype=torch.float64)).item(),
        hz_to_mel(torch.tensor(F_MAX, dtype=torch.float64)).item(),
        NUM_MELS + 2,
        dtype=torch.float64,
    )
    hz_points = mel_to_hz(mel_points)
    widths = hz_points[1:] - hz_points[:-1]  # [81]
    offsets = hz_points.unsqueeze(0) - bin_freqs.unsqueeze(1)  # [257, 82]: point - bin
    rising = -offsets[:, :-2] / widths[:-1]  # (bin - left) / (centre - left)
    falling = offsets[:, 2:] / widths[1:]  # (right - bin) / (right - centre)
    filters = torch.clamp(torch.minimum(rising, falling), min=0.0)
    return filters.to(dtype)


def frame_signal(waveform: torch.Tensor) -> torch.Tensor:
    """Split a 1-D waveform into ``[frames, 400]`` overlapping frames (``center=False``)."""
    if waveform.dim() != 1:
        raise ValueError("expected a 1-D mono waveform")
    frames = num_frames(waveform.shape[0])
    if frames == 0:
        return waveform.new_zeros((0, WINDOW_LENGTH))
    return waveform[: (frames - 1) * HOP_LENGTH + WINDOW_LENGTH].unfold(0, WINDOW_LENGTH, HOP_LENGTH)


def power_spectrum(frames: torch.Tensor) -> torch.Tensor:
    """``|FFT_512(frame * window)|^2`` per frame: ``[frames, 257]``."""
    windowed = frames * hann_window(frames.dtype)
    spectrum = torch.fft.rfft(windowed, n=FFT_SIZE, dim=-1)
    return spectrum.real.square() + spectrum.imag.square()


def log_mel(waveform: torch.Tensor) -> torch.Tensor:
    """Log-mel features ``[frames, 80]`` of a mono 16 kHz waveform, in the waveform's dtype."""
    if not waveform.is_floating_point():
        raise TypeError("waveform must be a floating-point tensor")
    frames = frame_signal(waveform)
    if frames.shape[0] == 0:
        return waveform.new_zeros((0, NUM_MELS))
    power = power_spectrum(frames)
    energies = power @ mel_filterbank(waveform.dtype)
    return torch.log(torch.clamp(energies, min=LOG_FLOOR))
