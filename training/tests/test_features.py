"""Log-mel frontend against an independent numpy DFT reference."""

import math
import unittest

import numpy as np
import torch

from speechfm import features
from speechfm.synthetic import chirp_with_noise


def reference_filterbank() -> np.ndarray:
    """Mel filters written directly from the docs/model.md wording, with loops."""
    mel = lambda f: 2595.0 * math.log10(1.0 + f / 700.0)
    points_mel = np.linspace(mel(0.0), mel(8000.0), 82)
    points_hz = 700.0 * (10.0 ** (points_mel / 2595.0) - 1.0)
    bank = np.zeros((257, 80))
    for m in range(80):
        left, centre, right = points_hz[m], points_hz[m + 1], points_hz[m + 2]
        for k in range(257):
            f = k * 8000.0 / 256.0
            rising = (f - left) / (centre - left)
            falling = (right - f) / (right - centre)
            bank[k, m] = max(0.0, min(rising, falling))
    return bank


def reference_log_mel(waveform: np.ndarray) -> np.ndarray:
    count = max(0, 1 + (len(waveform) - 400) // 160)
    n = np.arange(400)
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * n / 400.0)
    k = np.arange(257)[:, None]
    dft = np.exp(-2j * np.pi * k * n[None, :] / 512.0)  # zero padding to 512 = truncated sum
    out = np.zeros((count, 80))
    bank = reference_filterbank()
    for t in range(count):
        frame = waveform[t * 160:t * 160 + 400] * window
        power = np.abs(dft @ frame) ** 2
        out[t] = np.log(np.maximum(power @ bank, 1e-10))
    return out


class FeaturesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.waveform = chirp_with_noise(8000).to(torch.float32)
        cls.reference = reference_log_mel(cls.waveform.double().numpy())

    def test_frame_count(self):
        for samples, frames in [(0, 0), (399, 0), (400, 1), (559, 1), (560, 2), (20800, 128)]:
            self.assertEqual(features.num_frames(samples), frames)
            self.assertEqual(features.log_mel(torch.zeros(samples)).shape, (frames, 80))

    def test_filterbank_matches_reference(self):
        np.testing.assert_allclose(features.mel_filterbank(torch.float64).numpy(), reference_filterbank(),
                                   rtol=0, atol=1e-12)

    def test_float64_matches_numpy_dft(self):
        ours = features.log_mel(self.waveform.double()).numpy()
        self.assertEqual(ours.shape, self.reference.shape)
        np.testing.assert_allclose(ours, self.reference, rtol=0, atol=1e-9)

    def test_float32_close_to_reference(self):
        ours = features.log_mel(self.waveform)
        self.assertEqual(ours.dtype, torch.float32)
        np.testing.assert_allclose(ours.double().numpy(), self.reference, rtol=0, atol=1e-3)

    def test_silence_hits_log_floor(self):
        silent = features.log_mel(torch.zeros(800, dtype=torch.float64))
        self.assertTrue(torch.all(silent == math.log(1e-10)))


if __name__ == "__main__":
    unittest.main()
