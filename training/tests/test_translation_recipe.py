"""Smoke tests of train_translation.py on tiny synthetic data and a tiny model: outputs and resume of the adapter
recipe, and the encoder-training (mid-training) variant."""

import json
import os
import tempfile
import unittest

import torch

import train_translation
from speechfm import checkpoint_safetensors
from speechfm.checkpoint import read_state_dict, write_state_dict
from speechfm.config import ModelConfig
from speechfm.model import StreamingConformer
from speechfm.translation import load_decoder
from tests.test_recipes_smoke import TINY, make_set, quiet, read_json


def make_run(tmp, language, texts):
    """A tiny base model and ``translate-<language>`` sets of ``texts`` (train, dev, test) under ``tmp``; returns the
    base model and train_translation.py's options for them (output in ``tmp/run``)."""
    data, config_path = os.path.join(tmp, "data"), os.path.join(tmp, "tiny.json")
    with open(config_path, "w") as handle:
        json.dump(TINY, handle)
    torch.manual_seed(0)
    base = StreamingConformer(ModelConfig.load(config_path))
    write_state_dict(base.state_dict(), os.path.join(tmp, "base.safetensors"), "safetensors")
    for split in ("train", "dev", "test"):
        make_set(data, f"translate-{language}", split, texts[split])
    args = ["--language", language, "--data", data, "--config", config_path, "--base",
            os.path.join(tmp, "base.safetensors"), "--out", os.path.join(tmp, "run"), "--threads", "1",
            "--max-frames", "100", "--warmup", "1", "--decoder-heads", "2", "--decoder-ff", "32", "--max-tokens", "6"]
    return base, args


class TranslationRecipeTest(unittest.TestCase):
    def test_train_resume_and_outputs(self):
        with tempfile.TemporaryDirectory() as tmp:
            run = os.path.join(tmp, "run")
            base, args = make_run(tmp, "de", {"train": ["the dog sleeps", "a cat runs", "the dog runs"],
                                              "dev": ["the cat sleeps"], "test": ["a dog sleeps"]})
            self.assertEqual(quiet(train_translation.main, args + ["--epochs", "1"]), 0)
            os.remove(os.path.join(run, "done.json"))
            self.assertEqual(quiet(train_translation.main, args + ["--epochs", "2"]), 0)
            self.assertEqual(torch.load(os.path.join(run, "state.pt"))["step"], 6)  # 3 utterances, 1 per batch

            done = read_json(os.path.join(run, "done.json"))
            self.assertEqual([h["epoch"] for h in done["history"]], [0, 1])
            for split in ("dev", "test"):
                self.assertTrue(0.0 <= done[split]["bleu"] <= 100.0 and 0.0 <= done[split]["chrf"] <= 100.0)
                self.assertEqual(len(done[split]["examples"]), 1)
            adapter = read_state_dict(os.path.join(run, "adapter.safetensors"))
            self.assertTrue(adapter and all(n.startswith("adapters.translate-de.") for n in adapter))
            # The adapter's CTC head is not trained: still the base head.
            self.assertTrue(torch.equal(adapter["adapters.translate-de.ctc.weight"], base.ctc.weight.detach()))
            decoder, vocabulary = load_decoder(*checkpoint_safetensors.read_with_metadata(
                os.path.join(run, "decoder.safetensors")))
            self.assertEqual(vocabulary.tokens[4:], ["a", "cat", "dog", "runs", "sleeps", "the"])
            with open(os.path.join(run, "vocab.txt")) as handle:
                self.assertEqual(handle.read().split("\n")[:-1], vocabulary.tokens)
            self.assertEqual(decoder.config.d_model, TINY["d_model"])

    def test_train_encoder_writes_a_base_checkpoint_and_german_targets(self):
        with tempfile.TemporaryDirectory() as tmp:
            run = os.path.join(tmp, "run")
            base, args = make_run(tmp, "en-de", {"train": ["der hund schläft", "eine katze läuft", "der hund läuft"],
                                                 "dev": ["die katze schläft"], "test": ["ein hund schläft"]})
            self.assertEqual(quiet(train_translation.main, args + ["--train-encoder", "--epochs", "1"]), 0)
            self.assertFalse(os.path.exists(os.path.join(run, "adapter.safetensors")))
            encoder = read_state_dict(os.path.join(run, "encoder.safetensors"))
            start = base.state_dict()
            self.assertEqual(sorted(encoder), sorted(start))  # a whole base model, no adapter
            self.assertFalse(torch.equal(encoder["layers.0.attn.q.weight"], start["layers.0.attn.q.weight"]))
            self.assertTrue(torch.equal(encoder["ctc.weight"], start["ctc.weight"]))  # translation does not use it
            self.assertTrue(torch.equal(encoder["frontend_norm.mean"], start["frontend_norm.mean"]))
            done = read_json(os.path.join(run, "done.json"))
            ctc_params = start["ctc.weight"].numel() + start["ctc.bias"].numel()
            self.assertEqual(done["encoder_parameters"], base.encoder_parameter_count() - ctc_params)
            self.assertEqual(done["steps"], 3)
            _, vocabulary = load_decoder(*checkpoint_safetensors.read_with_metadata(
                os.path.join(run, "decoder.safetensors")))
            self.assertEqual(vocabulary.tokens[4:], ["der", "eine", "hund", "katze", "läuft", "schläft"])


if __name__ == "__main__":
    unittest.main()
