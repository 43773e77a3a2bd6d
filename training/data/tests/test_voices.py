"""The wide corpus's voice inventory and the refusal of reserved voices."""

import os
import random
import re
import unittest

from data import voices


class VoicesTest(unittest.TestCase):
    def test_arctic_voices_are_refused(self):
        for voice in ("cmu_us_slt_arctic_hts", "cmu_us_awb_arctic_clunits", "us-slt-hts", "festvox-us-slt-hts",
                      "cmu_us_rms_cg", "bdl", "CMU_US_CLB_ARCTIC", "jmk_diphone", "ksp", "cmu_us_arctic_slt"):
            with self.subTest(voice=voice):
                self.assertTrue(voices.is_reserved(voice))
                with self.assertRaises(voices.ReservedVoiceError):
                    voices.check_allowed(voice)
        for voice in ("kal_diphone", "ked_diphone", "en-us+m3", "en-gb-scotland+klatt2", "en-us+Storm"):
            self.assertEqual(voices.check_allowed(voice), voice)

    def test_rendering_refuses_a_reserved_voice_before_starting_anything(self):
        from data import audio, domains
        spec = {"domain": "general", "engine": "festival", "speak": "hello there friend.",
                "voice": "cmu_us_slt_arctic_hts", "rate": 1.0, "pitch": [100, 10], "peak_db": -3, "lead": 0, "tail": 0}
        with self.assertRaises(voices.ReservedVoiceError):
            domains.render(spec, None)
        with self.assertRaises(voices.ReservedVoiceError):
            audio.FestivalSession.synthesize(None, "hello there friend.", "cmu_us_slt_arctic_hts", 1.0, 100, 10)
        with self.assertRaises(voices.ReservedVoiceError):
            domains.render({**spec, "engine": "espeak-ng", "voice": "us-slt"}, None)

    def test_held_out_voices_are_in_no_training_set(self):
        training, held = set(voices.training_voices()), set(voices.held_out_voices())
        self.assertFalse(training & held)
        self.assertIn("ked_diphone", held)
        self.assertIn("kal_diphone", training)
        self.assertEqual(len(training), len(voices.ESPEAK_ENGLISH) * len(voices.ESPEAK_TRAIN_VARIANTS) + 1)
        rng = random.Random(0)
        for _ in range(500):
            self.assertIn(voices.draw_voice(rng)[1], training)
            self.assertIn(voices.draw_voice(rng, held_out=True)[1], held)

    @unittest.skipUnless(os.path.isdir(voices.ESPEAK_VARIANT_DIR), "espeak-ng-data not installed")
    def test_klatt_variants_are_the_files_that_select_the_klatt_synthesiser(self):
        klatt = []
        for name in sorted(os.listdir(voices.ESPEAK_VARIANT_DIR)):
            with open(os.path.join(voices.ESPEAK_VARIANT_DIR, name), encoding="utf-8", errors="replace") as f:
                if any(re.match(r"^\s*klatt\b", line) for line in f):
                    klatt.append(name)
        self.assertEqual(sorted(klatt), sorted(voices.ESPEAK_KLATT_VARIANTS))
        self.assertEqual(sorted(os.listdir(voices.ESPEAK_VARIANT_DIR)), sorted(voices.ESPEAK_VARIANTS_ALL))


if __name__ == "__main__":
    unittest.main()
