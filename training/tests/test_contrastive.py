"""Contrastive speech-text pretraining: pooling over valid frames, the symmetric InfoNCE loss and its temperature,
retrieval, the share-of-data option, and pretrain_contrastive.py on tiny data (with a text model's warm start)."""

import argparse
import json
import os
import tempfile
import unittest
import unittest.mock

import torch

import pretrain_contrastive
import train_text_attention
from speechfm import contrastive, recipe
from speechfm.checkpoint import read_state_dict
from speechfm.config import ModelConfig
from speechfm.model import StreamingConformer
from tests.test_recipes_smoke import TINY, make_set, quiet, read_json


def aligned_batch(size=6, dim=8, seed=0):
    generator = torch.Generator().manual_seed(seed)
    speech = torch.randn(size, dim, generator=generator)
    return speech, speech + 0.1 * torch.randn(size, dim, generator=generator)


class PoolingTest(unittest.TestCase):
    def test_pool_valid_averages_only_the_valid_frames(self):
        frames = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [100.0, 100.0]],
                               [[5.0, 6.0], [-50.0, 7.0], [9.0, 9.0]]])
        pooled = contrastive.pool_valid(frames, torch.tensor([2, 1]))
        self.assertTrue(torch.equal(pooled, torch.tensor([[2.0, 3.0], [5.0, 6.0]])))

    def test_padding_values_never_change_the_pooled_vector(self):
        frames = torch.randn(2, 5, 3)
        padded = frames.clone()
        padded[0, 3:] = 1e6
        lengths = torch.tensor([3, 5])
        self.assertTrue(torch.allclose(contrastive.pool_valid(frames, lengths),
                                       contrastive.pool_valid(padded, lengths)))

    def test_empty_sequence_pools_to_zeros(self):
        self.assertTrue(torch.equal(contrastive.pool_valid(torch.ones(1, 4, 2), torch.tensor([0])), torch.zeros(1, 2)))


class InfoNceTest(unittest.TestCase):
    def test_loss_is_symmetric_in_speech_and_text(self):
        speech, text = aligned_batch()
        same = contrastive.same_text([str(i) for i in range(6)])
        temperature = torch.tensor(0.1)
        forward = contrastive.info_nce(contrastive.similarity_logits(speech, text, temperature), same)
        swapped = contrastive.info_nce(contrastive.similarity_logits(text, speech, temperature), same)
        self.assertAlmostEqual(float(forward), float(swapped), places=5)
        logits = torch.randn(4, 4)
        same = contrastive.same_text(list("abcd"))
        self.assertAlmostEqual(float(contrastive.info_nce(logits, same)), float(contrastive.info_nce(logits.t(), same)),
                               places=6)

    def test_matches_the_mean_of_both_cross_entropies(self):
        logits = torch.randn(3, 3)
        targets = torch.arange(3)
        expected = 0.5 * (torch.nn.functional.cross_entropy(logits, targets)
                          + torch.nn.functional.cross_entropy(logits.t(), targets))
        self.assertAlmostEqual(float(contrastive.info_nce(logits, contrastive.same_text(list("abc")))),
                               float(expected), places=6)

    def test_aligned_batch_scores_better_than_a_shuffled_one(self):
        speech, text = aligned_batch()
        same = contrastive.same_text([str(i) for i in range(6)])
        temperature = torch.tensor(0.07)
        aligned = contrastive.info_nce(contrastive.similarity_logits(speech, text, temperature), same)
        shuffled = contrastive.info_nce(contrastive.similarity_logits(speech, text[torch.tensor([1, 2, 3, 4, 5, 0])],
                                                                      temperature), same)
        self.assertLess(float(aligned), float(shuffled))
        self.assertLess(float(aligned), 0.1)

    def test_temperature_divides_the_cosine_similarities(self):
        speech, text = aligned_batch()
        cosine = contrastive.similarity_logits(speech, text, torch.tensor(1.0))
        self.assertLessEqual(float(cosine.abs().max()), 1.0 + 1e-6)
        self.assertTrue(torch.allclose(contrastive.similarity_logits(speech, text, torch.tensor(0.05)), cosine / 0.05))
        same = contrastive.same_text([str(i) for i in range(6)])
        sharp, flat = (contrastive.info_nce(contrastive.similarity_logits(speech, text, torch.tensor(t)), same)
                       for t in (0.05, 1.0))
        self.assertLess(float(sharp), float(flat))  # a sharper softmax rewards an aligned batch more

    def test_learnable_temperature_gets_a_gradient(self):
        heads = pretrain_contrastive.SpeechTextHeads(ModelConfig(**TINY), 1, 10, 4, 0.07)
        self.assertAlmostEqual(float(heads.temperature()), 0.07, places=6)
        speech, text = aligned_batch(4, 4)
        loss = contrastive.info_nce(contrastive.similarity_logits(speech, text, heads.temperature()),
                                    contrastive.same_text(list("abcd")))
        loss.backward()
        self.assertNotEqual(float(heads.log_temperature.grad), 0.0)
        with torch.no_grad():
            heads.log_temperature.fill_(-10.0)
        self.assertAlmostEqual(float(heads.temperature()), pretrain_contrastive.MIN_TEMPERATURE, places=6)

    def test_a_repeated_transcript_is_not_a_negative(self):
        logits = torch.tensor([[5.0, 5.0, 0.0], [5.0, 5.0, 0.0], [0.0, 0.0, 5.0]])
        same = contrastive.same_text(["a cat", "a cat", "the dog"])
        self.assertTrue(torch.equal(same, torch.tensor([[True, True, False], [True, True, False],
                                                        [False, False, True]])))
        distinct = contrastive.same_text(["a cat", "a dog", "the dog"])
        self.assertLess(float(contrastive.info_nce(logits, same)), float(contrastive.info_nce(logits, distinct)))

    def test_retrieval_hits_count_an_equal_transcript_as_a_hit(self):
        logits = torch.tensor([[1.0, 2.0, 0.0], [0.0, 3.0, 1.0], [0.0, 4.0, 1.0]])
        self.assertEqual(contrastive.retrieval_hits(logits, contrastive.same_text(["a", "b", "c"])), 1)
        self.assertEqual(contrastive.retrieval_hits(logits, contrastive.same_text(["a", "a", "c"])), 2)


class TrainFractionTest(unittest.TestCase):
    def test_fraction_keeps_the_first_utterances_with_that_share_of_the_audio(self):
        with tempfile.TemporaryDirectory() as tmp:
            make_set(tmp, "telephony", "train", ["a", "b", "c", "d"])  # 0.6, 0.7, 0.8, 0.9 s: 3.0 s
            for fraction, count in ((0.1, 1), (0.2, 1), (0.43, 2), (1.0, 4)):
                kept = recipe.load_utterances(tmp, "telephony", "train", fraction=fraction)
                self.assertEqual([u.text for u in kept], list("abcd")[:count], fraction)

    def test_minutes_and_fraction_exclude_each_other_and_the_fraction_is_a_share(self):
        parser = argparse.ArgumentParser()
        recipe.add_train_subset_arguments(parser)
        self.assertEqual(parser.parse_args(["--train-fraction", "0.1"]).train_fraction, 0.1)
        for argv in (["--train-fraction", "0.1", "--train-minutes", "3"], ["--train-fraction", "0"],
                     ["--train-fraction", "1.5"]):
            with self.assertRaises(SystemExit), open(os.devnull, "w") as sink:
                with unittest.mock.patch("sys.stderr", sink):
                    parser.parse_args(argv)


class PretrainContrastiveTest(unittest.TestCase):
    def test_tiny_run_writes_a_base_checkpoint_and_retrieval_scores_with_a_text_warm_start(self):
        with tempfile.TemporaryDirectory() as tmp:
            data, config = os.path.join(tmp, "data"), os.path.join(tmp, "tiny.json")
            with open(config, "w") as handle:
                json.dump(TINY, handle)
            make_set(data, "general", "train", ["a cat", "the dog", "a cat"])
            make_set(data, "general", "dev", ["a cat", "the dog"])
            os.makedirs(os.path.join(data, "sentences"))
            with open(os.path.join(data, "sentences", "train.txt"), "w", encoding="utf-8") as handle:
                handle.write("a cat\nthe dog\n")
            common = ["--data", data, "--config", config, "--threads", "1", "--warmup", "1"]
            text_model = os.path.join(tmp, "text")
            self.assertEqual(quiet(train_text_attention.main, common + ["--out", text_model, "--epochs", "1",
                                                                        "--dev-every", "2", "--max-chars", "40"]), 0)
            out = os.path.join(tmp, "contrastive")
            args = common + ["--out", out, "--epochs", "2", "--max-frames", "1000", "--text-layers", "1",
                             "--max-chars", "40", "--text-init", os.path.join(text_model, "text_model.safetensors")]
            self.assertEqual(quiet(pretrain_contrastive.main, args), 0)
            done = read_json(os.path.join(out, "done.json"))
            self.assertEqual((done["steps"], done["epochs_completed"], done["utterances"]), (2, 2, 3))
            self.assertEqual(done["dev_retrieval_chance"], 0.5)
            self.assertIn(done["dev_retrieval_accuracy"], (0.0, 0.5, 1.0))
            self.assertGreater(done["final_loss"], 0.0)
            self.assertNotEqual(done["temperature"], 0.07)
            with open(os.path.join(out, "log.txt"), encoding="utf-8") as handle:
                self.assertIn("text encoder initialised from", handle.read())
            encoder = read_state_dict(os.path.join(out, "encoder.safetensors"))
            model = StreamingConformer(ModelConfig(**TINY))
            self.assertEqual(set(encoder), set(model.state_dict()))
            model.load_state_dict(encoder, strict=True)

            wide = os.path.join(tmp, "wide-text")
            with self.assertRaises(SystemExit):  # positions for 200 characters, not 40
                quiet(pretrain_contrastive.main, common + ["--out", wide, "--text-layers", "1", "--text-init",
                                                           os.path.join(text_model, "text_model.safetensors")])


if __name__ == "__main__":
    unittest.main()
