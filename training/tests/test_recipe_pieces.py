"""Recipe building blocks: resampler, vocabulary/WER, BEST-RQ quantizer and masking, batching, base choice."""

import contextlib
import io
import json
import math
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch

import bestrq_targets
import pretrain_bestrq
import select_base
from speechfm import features, recipe, text
from speechfm.resample import resample


class ResampleTest(unittest.TestCase):
    def test_sine_8k_to_16k(self):
        t = np.arange(8000) / 8000.0
        for freq in (300.0, 1000.0, 3000.0):
            x = np.sin(2 * math.pi * freq * t).astype(np.float32)
            y = resample(x, 8000, 16000)
            self.assertEqual(y.shape, (16000,))
            self.assertEqual(y.dtype, np.float32)
            ref = np.sin(2 * math.pi * freq * np.arange(16000) / 16000.0)
            self.assertLess(np.abs(y - ref)[300:-300].max(), 1e-3, freq)

    def test_keeps_input_samples_of_band_limited_signal_and_tensor_input(self):
        t = np.arange(4000) / 8000.0
        x = (0.5 * np.sin(2 * math.pi * 440 * t) + 0.3 * np.sin(2 * math.pi * 2000 * t)).astype(np.float32)
        y = resample(torch.from_numpy(x), 8000, 16000)
        self.assertIsInstance(y, torch.Tensor)
        np.testing.assert_allclose(y.numpy()[::2][200:-200], x[200:-200], atol=1e-3)

    def test_downsampling_rejects_above_new_nyquist(self):
        t = np.arange(16000) / 16000.0
        y = resample(np.sin(2 * math.pi * 6000 * t).astype(np.float32), 16000, 8000)
        self.assertEqual(len(y), 8000)
        self.assertLess(np.abs(y[200:-200]).max(), 1e-3)  # 6 kHz is above the 4 kHz Nyquist

    def test_same_rate_is_identity(self):
        x = np.random.default_rng(0).standard_normal(100).astype(np.float32)
        self.assertIs(resample(x, 16000, 16000), x)


class SpeedPerturbTest(unittest.TestCase):
    @staticmethod
    def tone_features(hz, seconds):
        t = torch.arange(int(16000 * seconds), dtype=torch.float64) / 16000
        return features.log_mel((0.3 * torch.sin(2 * math.pi * hz * t)).float())

    def test_matches_the_features_of_the_audio_played_faster_or_slower(self):
        original = self.tone_features(1000, 2.0)
        for factor in (0.9, 1.1):
            perturbed = recipe.speed_perturb(original, factor)
            played = self.tone_features(1000 * factor, 2.0 / factor)  # x(factor t): frequencies times factor
            self.assertLessEqual(abs(perturbed.shape[0] - played.shape[0]), 1, factor)
            peak, expected = int(perturbed.mean(0).argmax()), int(played.mean(0).argmax())
            self.assertLessEqual(abs(peak - expected), 1, factor)
            self.assertNotEqual(peak, int(original.mean(0).argmax()), factor)

    def test_speed_one_is_the_identity(self):
        original = self.tone_features(500, 0.5)
        self.assertIs(recipe.speed_perturb(original, 1.0), original)


class TextTest(unittest.TestCase):
    def test_vocabulary_matches_contract(self):
        self.assertEqual(len(text.TOKENS), 29)
        self.assertEqual(text.TOKENS[:3], ["<blank>", "\u2581", "a"])
        self.assertEqual(text.TOKENS[-1], "'")

    def test_encode_decode(self):
        ids = text.encode("it's a dog")
        self.assertEqual(ids[:4], [text.TOKENS.index(c) for c in "it's"])
        self.assertEqual(ids.count(text.BOUNDARY), 2)
        self.assertEqual(text.decode_ids(ids), "it's a dog")
        with self.assertRaises(ValueError):
            text.encode("Dog")

    def test_greedy_decode_collapses_repeats_and_blanks(self):
        a, b, sp = text.TOKENS.index("a"), text.TOKENS.index("b"), text.BOUNDARY
        self.assertEqual(text.greedy_decode([0, a, a, 0, a, sp, sp, b, 0, sp]), "aa b")
        self.assertEqual(text.greedy_decode([sp, a, sp]), "a")

    def test_wer(self):
        self.assertEqual(text.edit_distance("a b c".split(), "a x c d".split()), 2)
        self.assertAlmostEqual(text.wer(["a b c", "d e"], ["a x c d", "d e"]), 2 / 5)
        self.assertEqual(text.wer(["a b"], [""]), 1.0)
        self.assertEqual(text.wer(["a b"], ["a b"]), 0.0)


class BestRqTest(unittest.TestCase):
    def test_quantizer_is_deterministic_and_shaped(self):
        q1 = recipe.RandomProjectionQuantizer(80, 4, 16, 64, seed=7)
        q2 = recipe.RandomProjectionQuantizer(80, 4, 16, 64, seed=7)
        q3 = recipe.RandomProjectionQuantizer(80, 4, 16, 64, seed=8)
        x = torch.randn(3, 40, 80)
        labels = q1(x)
        self.assertEqual(labels.shape, (3, 10))
        self.assertEqual(labels.dtype, torch.int64)
        self.assertTrue(bool((labels >= 0).all() and (labels < 64).all()))
        self.assertTrue(torch.equal(labels, q2(x)))
        self.assertFalse(torch.equal(q1.projection, q3.projection))
        torch.testing.assert_close(q1.codebook.norm(dim=-1), torch.ones(64))
        self.assertEqual(len(list(q1.parameters())), 0)  # frozen: buffers only

    def test_quantizer_uses_stacked_frames(self):
        q = recipe.RandomProjectionQuantizer(80, 4, 16, 256, seed=1)
        x = torch.randn(1, 8, 80)
        y = x.clone()
        y[0, 5] += 3.0  # second encoder frame only
        self.assertEqual(int(q(x)[0, 0]), int(q(y)[0, 0]))

    def test_feature_stats_can_leave_out_digital_silence(self):
        torch.manual_seed(0)
        speech = 2.0 + torch.randn(400, 80)
        floor = torch.full((100, 80), math.log(1e-10))
        utts = [recipe.Utterance("a", torch.cat([floor, speech]), "", 0.0)]
        self.assertEqual(int(recipe.silent_frames(utts[0].features).sum()), 100)
        mean, std = recipe.feature_stats(utts, skip_silence=True)
        self.assertTrue(torch.allclose(mean, speech.mean(0).float(), atol=1e-4))
        self.assertTrue(torch.allclose(std, speech.std(0, unbiased=False).float(), atol=1e-4))
        _, std_all = recipe.feature_stats(utts)
        self.assertGreater(float(std_all.min()), 5.0)  # the floor frames dominate the spread

    def test_short_masks_leave_masked_frames_a_visible_neighbour(self):
        # Streaming chunk mask of the reference config: 8-frame chunks, 32 frames of left context.
        utts = [recipe.Utterance(str(i), torch.zeros(4 * (60 + 7 * i), 80), "", 0.0) for i in range(40)]
        args = pretrain_bestrq.parse_args(["--mask-prob", "0.12", "--mask-span", "3"])
        short_spans = bestrq_targets.masked_context(utts, args.mask_prob, args.mask_span, 8, 32, seed=0)
        self.assertLess(short_spans["nearest_visible_3_or_more"], 0.3)
        self.assertGreater(short_spans["masked_share"], 0.2)
        recipe_spans = bestrq_targets.masked_context(utts, 0.05, 10, 8, 32, seed=0)
        self.assertGreater(recipe_spans["nearest_visible_3_or_more"], 0.6)

    def test_span_mask(self):
        g = torch.Generator().manual_seed(0)
        lengths = torch.tensor([100, 30, 3])
        mask = recipe.span_mask(lengths, 100, 0.05, 10, g)
        self.assertEqual(mask.shape, (3, 100))
        self.assertFalse(bool(mask[1, 30:].any()))
        self.assertFalse(bool(mask[2, 3:].any()))
        for b in range(3):
            self.assertTrue(bool(mask[b].any()))  # at least one span each
        g = torch.Generator().manual_seed(1)
        big = recipe.span_mask(torch.full((200,), 100), 100, 0.05, 10, g)
        self.assertAlmostEqual(float(big.float().mean()), 1 - 0.95 ** 10, delta=0.05)
        # a single forced span has exactly `span` frames
        one = recipe.span_mask(torch.tensor([20]), 20, 0.0, 5, torch.Generator().manual_seed(3))
        self.assertEqual(int(one.sum()), 5)

    def test_feature_mask_replaces_whole_encoder_frames(self):
        g = torch.Generator().manual_seed(0)
        feats = torch.full((1, 16, 80), 5.0)
        mask = torch.tensor([[False, True, False, False]])
        out = recipe.apply_feature_mask(feats, mask, torch.zeros(80), torch.ones(80), g)
        self.assertTrue(torch.equal(out[0, :4], feats[0, :4]))
        self.assertFalse(bool((out[0, 4:8] == 5.0).any()))
        self.assertLess(float(out[0, 4:8].abs().max()), 1.0)  # noise with std 0.1
        self.assertTrue(torch.equal(out[0, 8:], feats[0, 8:]))


class BatchingTest(unittest.TestCase):
    def test_batches_cover_everything_within_budget(self):
        lengths = [50, 400, 120, 90, 300, 10, 700]
        batches = recipe.make_batches(lengths, 800, 3)
        self.assertEqual(sorted(i for b in batches for i in b), list(range(len(lengths))))
        for b in batches:
            self.assertLessEqual(len(b), 3)
            if len(b) > 1:
                self.assertLessEqual(max(lengths[i] for i in b) * len(b), 800)
        self.assertEqual(recipe.epoch_batches(batches, 1, 2), recipe.epoch_batches(batches, 1, 2))

    def test_manifest_prefix_holds_the_first_utterances_with_enough_audio(self):
        entries = [{"id": str(i), "duration": d} for i, d in enumerate([2.0, 3.0, 4.0, 1.0])]
        self.assertEqual([e["id"] for e in recipe.manifest_prefix(entries, 5.0)], ["0", "1"])
        self.assertEqual([e["id"] for e in recipe.manifest_prefix(entries, 5.5)], ["0", "1", "2"])
        self.assertEqual(len(recipe.manifest_prefix(entries, 100.0)), 4)

    def test_collate_pads_to_multiple_of_four(self):
        utts = [recipe.Utterance("a", torch.ones(5, 80), "", 0.0), recipe.Utterance("b", torch.ones(9, 80), "", 0.0)]
        feats, lengths = recipe.collate(utts)
        self.assertEqual(feats.shape, (2, 12, 80))
        self.assertEqual(lengths.tolist(), [5, 9])
        self.assertEqual(float(feats[0, 5:].abs().sum()), 0.0)

    def test_lr_schedule(self):
        self.assertAlmostEqual(recipe.lr_at(0.0, 0, 1.0, 10), 0.1)
        self.assertAlmostEqual(recipe.lr_at(0.0, 10, 1.0, 10), 1.0)
        self.assertAlmostEqual(recipe.lr_at(1.0, 100, 1.0, 10), 0.02)

    def test_trainer_scales_each_groups_learning_rate(self):
        torch.manual_seed(0)
        encoder, head = torch.nn.Linear(4, 4), torch.nn.Linear(4, 2)
        model = torch.nn.Sequential(encoder, head)
        frozen = encoder.weight.detach().clone()
        before = head.weight.detach().clone()
        with tempfile.TemporaryDirectory() as tmp:
            trainer = recipe.Trainer(Path(tmp), model, [
                {"params": list(encoder.parameters()), "lr_scale": 0.0},
                {"params": list(head.parameters()), "lr_scale": 1.0}], recipe.Log(None), 0.1, 1, 0.01, 0)
            x = torch.randn(8, 4)
            with contextlib.redirect_stdout(io.StringIO()):
                trainer.train(1, [[0], [1]], lambda _i, _g: (model(x).square().mean(), {}))
            self.assertEqual([g["lr_scale"] for g in trainer.optimizer.param_groups], [0.0, 1.0])
            self.assertEqual(trainer.optimizer.param_groups[0]["lr"], 0.0)
            self.assertGreater(trainer.optimizer.param_groups[1]["lr"], 0.0)
        self.assertTrue(torch.equal(encoder.weight, frozen))
        self.assertFalse(torch.equal(head.weight, before))


if __name__ == "__main__":
    unittest.main()


class SelectBaseTest(unittest.TestCase):
    def test_chooses_the_lower_dev_wer_even_from_a_stopped_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            run = Path(tmp)
            for name, wers, finished in (("ctc", [0.9, 0.5, 0.3], True), ("ctc-scratch", [0.8, 0.25], False)):
                (run / name).mkdir()
                (run / name / "best.safetensors").write_bytes(name.encode())
                history = [{"epoch": e, "step": 10 * (e + 1), "dev_wer": w} for e, w in enumerate(wers)]
                (run / name / "history.json").write_text(json.dumps(history))
                if finished:
                    (run / name / "done.json").write_text("{}")
            with contextlib.redirect_stdout(io.StringIO()):
                self.assertEqual(select_base.main(["--run-dir", tmp]), 0)
            choice = json.loads((run / "base.json").read_text())
            self.assertEqual(choice["chosen"], "ctc-scratch")
            self.assertEqual(choice["candidates"]["ctc-scratch"], {"dev_wer": 0.25, "epoch": 1, "epochs_evaluated": 2,
                                                                   "finished": False})
            self.assertEqual((run / "base.safetensors").read_bytes(), b"ctc-scratch")
            with contextlib.redirect_stdout(io.StringIO()):
                self.assertEqual(select_base.main(["--run-dir", tmp, "--out", str(run / "clean.safetensors")]), 0)
            self.assertEqual((run / "clean.safetensors").read_bytes(), b"ctc-scratch")
            self.assertEqual(json.loads((run / "base.json").read_text())["checkpoint"], "clean.safetensors")

    def test_no_evaluated_run_is_an_error(self):
        with tempfile.TemporaryDirectory() as tmp, self.assertRaises(SystemExit):
            select_base.main(["--run-dir", tmp])
