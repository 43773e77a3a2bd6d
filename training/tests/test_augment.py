"""Multi-condition corruption: impulse responses, coloured noise, SNR, determinism."""

import unittest

import numpy as np

from speechfm.augment import Corruption, coloured_noise, corrupt, room_impulse_response


def low_band_share(noise: np.ndarray) -> float:
    power = np.abs(np.fft.rfft(noise)) ** 2
    return float(power[: len(power) // 10].sum() / power.sum())


class AugmentTest(unittest.TestCase):
    def test_impulse_response_has_direct_path_ratio_and_decay(self):
        response = room_impulse_response(np.random.default_rng(1), rt60_s=0.5, direct_to_reverb_db=6.0)
        self.assertEqual(response[0], 1.0)
        self.assertEqual(len(response), int(1.2 * 0.5 * 16000))
        tail = response[1:]
        self.assertAlmostEqual(10 * np.log10(1.0 / np.sum(tail * tail)), 6.0, places=6)
        tenth = len(tail) // 10
        self.assertGreater(np.sum(tail[:tenth] ** 2), 1e4 * np.sum(tail[-tenth:] ** 2))

    def test_noise_colours_shift_power_to_low_frequencies(self):
        rng = np.random.default_rng(2)
        shares = {c: low_band_share(coloured_noise(rng, 16000, c)) for c in ("white", "pink", "brown")}
        for colour in shares:
            self.assertAlmostEqual(float(np.std(coloured_noise(rng, 16000, colour))), 1.0, places=6)
        self.assertAlmostEqual(shares["white"], 0.1, delta=0.02)
        self.assertGreater(shares["pink"], 2 * shares["white"])
        self.assertGreater(shares["brown"], shares["pink"])

    def test_noise_is_mixed_at_the_drawn_snr_and_the_peak_is_kept(self):
        t = np.arange(32000) / 16000
        wave = (0.3 * np.sin(2 * np.pi * 220 * t) * (1 + np.sin(2 * np.pi * 3 * t))).astype(np.float32)
        out = corrupt(wave, np.random.default_rng(3), Corruption(reverb_probability=0.0, snr_db=(10.0, 10.0)))
        self.assertEqual((out.shape, out.dtype), (wave.shape, np.float32))
        self.assertAlmostEqual(float(np.abs(out).max()), float(np.abs(wave).max()), places=5)
        scale = float(np.dot(out, wave) / np.dot(wave, wave))  # the noise is nearly orthogonal to the tone
        noise = out / scale - wave
        self.assertAlmostEqual(10 * np.log10(np.mean(wave ** 2) / np.mean(noise ** 2)), 10.0, delta=0.3)

    def test_seeded_and_different_per_seed(self):
        wave = np.random.default_rng(4).standard_normal(8000).astype(np.float32) * 0.1
        first = corrupt(wave, np.random.default_rng([7, 0]))
        np.testing.assert_array_equal(first, corrupt(wave, np.random.default_rng([7, 0])))
        self.assertFalse(np.array_equal(first, corrupt(wave, np.random.default_rng([7, 1]))))
        self.assertFalse(np.allclose(first, wave, atol=1e-3))


if __name__ == "__main__":
    unittest.main()
