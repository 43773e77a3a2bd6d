"""The decoder golden dump: a loadable random decoder, and vectors consistent with its reference."""

import contextlib
import io
import os
import tempfile
import unittest

import torch

import dump_decoder_golden
from speechfm import checkpoint_safetensors
from speechfm.translation import load_decoder


class DumpDecoderGoldenTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.decoder_path = os.path.join(cls.tmp.name, "decoder.safetensors")
        golden_path = os.path.join(cls.tmp.name, "golden.safetensors")
        with contextlib.redirect_stdout(io.StringIO()):
            dump_decoder_golden.main(["--make-random", "--decoder", cls.decoder_path, "--output", golden_path])
        cls.golden, cls.metadata = checkpoint_safetensors.read_with_metadata(golden_path)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_random_decoder_loads_with_training_metadata(self):
        state, metadata = checkpoint_safetensors.read_with_metadata(self.decoder_path)
        decoder, vocabulary = load_decoder(state, metadata)
        self.assertEqual((len(vocabulary), decoder.config.vocab_size, metadata["domain"]), (40, 40, "translate-de"))
        self.assertFalse(torch.equal(state["layers.0.self_norm.weight"], torch.ones(192)))

    def test_cached_steps_match_the_full_prefix_pass(self):
        steps = self.golden["steps.logits"].transpose(0, 1)
        self.assertLess(float((steps - self.golden["prefix.logits"]).abs().max()), 1e-5)
        self.assertLess(float((self.golden["steps.present_key"] - self.golden["prefix.present_key"]).abs().max()), 1e-6)

    def test_shapes_and_greedy_ids(self):
        self.assertEqual(list(self.golden["cross.cross_key"].shape), [2, 2, 4, 20, 48])
        self.assertEqual(list(self.golden["prefix.logits"].shape), [2, 6, 40])
        ids = self.golden["greedy.ids"]
        self.assertEqual(ids.shape[1], int(self.metadata["greedy_max_tokens"]))
        self.assertTrue(bool(((ids >= 0) & (ids < 40) | (ids == -1)).all()))


if __name__ == "__main__":
    unittest.main()
