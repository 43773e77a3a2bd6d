"""Multi-condition training audio: synthetic room reverberation and stationary noise.

The base model can learn to ignore generic acoustic damage before any adapter sees a domain. The
corruption here is deliberately generic and differs from the `far-field` domain's generator
(training/data/README.md): its impulse responses are exponentially decaying Gaussian noise rather than
sox's reverberator, its noise is stationary (white, pink or brown) rather than babble, and nothing is
low-passed. What is particular to a domain is left to that domain's adapter.
"""

from dataclasses import dataclass
from typing import Tuple

import numpy as np

from . import features as feats


@dataclass(frozen=True)
class Corruption:
    reverb_probability: float = 0.7
    rt60_s: Tuple[float, float] = (0.2, 0.8)
    direct_to_reverb_db: Tuple[float, float] = (-5.0, 10.0)
    snr_db: Tuple[float, float] = (5.0, 25.0)


def room_impulse_response(rng: np.random.Generator, rt60_s: float, direct_to_reverb_db: float,
                          sample_rate: int = feats.SAMPLE_RATE) -> np.ndarray:
    """A unit direct path followed by a Gaussian tail decaying 60 dB in ``rt60_s``, scaled to the ratio."""
    length = max(2, int(1.2 * rt60_s * sample_rate))
    t = np.arange(1, length) / sample_rate
    tail = rng.standard_normal(length - 1) * np.exp(-6.9078 * t / rt60_s)
    tail *= np.sqrt(10.0 ** (-direct_to_reverb_db / 10.0) / np.sum(tail * tail))
    return np.concatenate([[1.0], tail])


def coloured_noise(rng: np.random.Generator, samples: int, colour: str) -> np.ndarray:
    """Gaussian noise whose power falls as ``1/f^0`` (white), ``1/f`` (pink) or ``1/f^2`` (brown)."""
    exponent = {"white": 0.0, "pink": 0.5, "brown": 1.0}[colour]
    spectrum = np.fft.rfft(rng.standard_normal(samples))
    freqs = np.maximum(np.fft.rfftfreq(samples), 1.0 / samples)
    noise = np.fft.irfft(spectrum / freqs ** exponent, n=samples)
    return noise / (np.std(noise) + 1e-12)


def convolve(signal: np.ndarray, response: np.ndarray) -> np.ndarray:
    """``signal * response`` truncated to the signal's length (FFT convolution)."""
    size = 1 << int(np.ceil(np.log2(len(signal) + len(response) - 1)))
    out = np.fft.irfft(np.fft.rfft(signal, size) * np.fft.rfft(response, size), size)
    return out[: len(signal)]


def corrupt(wave: np.ndarray, rng: np.random.Generator, corruption: Corruption = Corruption()) -> np.ndarray:
    """``wave`` reverberated (with probability ``reverb_probability``) and mixed with noise at a random SNR.

    The SNR is measured against the whole utterance's power; the result keeps the input's peak level
    unless that would clip.
    """
    speech = wave.astype(np.float64)
    if rng.random() < corruption.reverb_probability:
        response = room_impulse_response(rng, rng.uniform(*corruption.rt60_s),
                                         rng.uniform(*corruption.direct_to_reverb_db))
        speech = convolve(speech, response)
    noise = coloured_noise(rng, len(speech), str(rng.choice(["white", "pink", "brown"])))
    power = np.mean(speech * speech) + 1e-12
    mixed = speech + noise * np.sqrt(power / 10.0 ** (rng.uniform(*corruption.snr_db) / 10.0))
    peak = np.max(np.abs(mixed)) + 1e-12
    target = min(np.max(np.abs(wave)), 0.99)
    return (mixed * (target / peak)).astype(np.float32)
