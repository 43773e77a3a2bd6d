"""Magnitude pruning (speechfm/pruning.py) and the PARP recipe (parp.py) in its three modes on tiny data."""

import contextlib
import io
import json
import os
import tempfile
import unittest
from pathlib import Path

import torch

import parp
from speechfm import pruning, recipe
from speechfm.checkpoint import read_state_dict, write_state_dict
from speechfm.config import ModelConfig
from speechfm.model import StreamingConformer
from tests.test_recipes_smoke import TINY, make_set, quiet, read_json


def tiny_model(seed=0):
    torch.manual_seed(seed)
    return StreamingConformer(ModelConfig(**TINY))


def zeros(tensor):
    return int((tensor == 0).sum())


class PruningTest(unittest.TestCase):
    def test_prunes_the_encoder_matrices_only(self):
        model = tiny_model()
        names = sorted(pruning.encoder_matrix_weights(model))
        per_block = ["attn.k", "attn.out", "attn.q", "attn.v", "conv.depthwise", "conv.pointwise1",
                     "conv.pointwise2", "ff1.linear1", "ff1.linear2", "ff2.linear1", "ff2.linear2"]
        expected = [f"layers.{i}.{m}.weight" for i in range(2) for m in per_block]
        self.assertEqual(names, sorted(expected + ["subsample.conv1.weight", "subsample.conv2.weight"]))

    def test_every_layer_loses_exactly_its_share_of_smallest_magnitudes(self):
        model = tiny_model()
        weights = pruning.encoder_matrix_weights(model)
        before = {n: w.detach().clone() for n, w in weights.items()}
        untouched = {n: t.clone() for n, t in model.state_dict().items() if n not in weights}
        masks = pruning.prune(weights, 0.3)
        for name, weight in weights.items():
            count = round(0.3 * weight.numel())
            self.assertEqual(zeros(weight), count, name)
            self.assertFalse(bool(torch.signbit(weight[~masks[name]]).any()), name)  # +0.0, never -0.0
            self.assertEqual(int((~masks[name]).sum()), count, name)
            self.assertTrue(torch.equal(weight[masks[name]], before[name][masks[name]]), name)
            self.assertLessEqual(float(before[name][~masks[name]].abs().max()),
                                 float(before[name][masks[name]].abs().min()), name)
        for name, tensor in model.state_dict().items():  # norms, biases, statistics, head
            if name in untouched:
                self.assertTrue(torch.equal(tensor, untouched[name]), name)

    def test_prune_then_finetune_keeps_the_mask(self):
        model = tiny_model()
        weights = pruning.encoder_matrix_weights(model)
        masks = pruning.prune(weights, 0.5)
        pruning.hold_pruned_at_zero(weights, masks)
        trained = self.train_steps(model, 5)
        for name, weight in weights.items():
            self.assertTrue(torch.equal(weight != 0, masks[name]), name)
            self.assertFalse(torch.equal(weight, trained[name]), name)  # the kept weights did train

    def test_parp_revives_pruned_weights_then_reprunes_to_the_target(self):
        model = tiny_model()
        weights = pruning.encoder_matrix_weights(model)
        masks = pruning.prune(weights, 0.5)
        self.train_steps(model, 3)
        revived = sum(int(((w != 0) & ~masks[n]).sum()) for n, w in weights.items())
        self.assertGreater(revived, 0)
        pruning.prune(weights, 0.5)
        for name, weight in weights.items():
            self.assertEqual(zeros(weight), round(0.5 * weight.numel()), name)
        self.assertAlmostEqual(pruning.zero_share(weights), 0.5, delta=0.01)

    def test_pruned_restores_the_weights_after_the_block(self):
        model = tiny_model()
        weights = pruning.encoder_matrix_weights(model)
        before = {n: w.detach().clone() for n, w in weights.items()}
        with pruning.pruned(weights, 0.7):
            self.assertAlmostEqual(pruning.zero_share(weights), 0.7, delta=0.01)
        for name, weight in weights.items():
            self.assertTrue(torch.equal(weight, before[name]), name)

    def test_sparsity_out_of_range_is_refused(self):
        with self.assertRaises(ValueError):
            pruning.magnitude_mask(torch.ones(4), 1.0)

    @staticmethod
    def train_steps(model, steps):
        """A few AdamW steps on a CTC-like loss of random features; returns the weights before them."""
        before = {n: w.detach().clone() for n, w in pruning.encoder_matrix_weights(model).items()}
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.01)
        features = torch.randn(2, 16, 80)
        lengths = torch.tensor([16, 12])
        for _ in range(steps):
            result = model.call(features, lengths, model.initial_state(2), model.training_domain_tensors([None, None]))
            optimizer.zero_grad()
            result.log_probs[..., 1].mean().neg().backward()
            optimizer.step()
        return before


class ParpRecipeSmokeTest(unittest.TestCase):
    def test_three_modes(self):
        with tempfile.TemporaryDirectory() as tmp:
            data, run = os.path.join(tmp, "data"), Path(tmp, "run")
            config = os.path.join(tmp, "tiny.json")
            with open(config, "w") as handle:
                json.dump(TINY, handle)
            for split, texts in (("train", ["hi there", "oh no", "a cat"]), ("dev", ["hi"]), ("test", ["no"])):
                make_set(data, "telephony", split, texts, rate=8000, mulaw=True)
            base = os.path.join(tmp, "base.safetensors")
            write_state_dict(tiny_model().state_dict(), base, "safetensors")
            common = ["--data", data, "--config", config, "--base", base, "--domain", "telephony", "--threads", "1",
                      "--max-frames", "100", "--epochs", "2", "--warmup", "1", "--lr", "1e-2", "--test"]
            base_state = read_state_dict(base)
            model = tiny_model()
            names = list(pruning.encoder_matrix_weights(model))

            done = {}
            for mode in parp.MODES:
                argv = common + ["--mode", mode, "--out", str(run / mode), "--sparsity", "0.6", "--reprune-every", "2"]
                self.assertEqual(quiet(parp.main, argv), 0)
                done[mode] = read_json(run / mode / "done.json")
                best = read_state_dict(run / mode / "best.safetensors")
                self.assertEqual(set(best), set(base_state))  # a full base checkpoint, no adapters
                self.assertFalse(torch.equal(best["ctc.weight"], base_state["ctc.weight"]), mode)
                self.assertEqual((done[mode]["mode"], done[mode]["steps"], done[mode]["epochs_completed"]), (mode, 6, 2))
                for key in ("best_dev_wer", "best_dev_cer", "test_wer", "test_cer", "base_test_wer", "base_dev_wer"):
                    self.assertIn(key, done[mode])
                if mode != "dense":
                    for name in names:
                        self.assertEqual(zeros(best[name]), round(0.6 * best[name].numel()), f"{mode} {name}")
            self.assertEqual(done["dense"]["sparsity"], 0.0)
            self.assertAlmostEqual(done["parp"]["sparsity"], 0.6, delta=0.005)
            self.assertEqual(done["parp"]["sparsity"], done["prune-then-finetune"]["sparsity"])
            # the test WERs in done.json are those of best.safetensors and of the base model
            test = recipe.load_utterances(data, "telephony", "test")
            model.load_state_dict(read_state_dict(run / "parp" / "best.safetensors"))
            self.assertEqual(done["parp"]["test_wer"], parp.evaluate_wer(model, test)[0])
            model.load_state_dict(base_state)
            self.assertEqual(done["dense"]["base_test_wer"], parp.evaluate_wer(model, test)[0])

            with contextlib.redirect_stdout(io.StringIO()) as output:  # a finished run is not redone
                parp.main(common + ["--mode", "parp", "--out", str(run / "parp")])
            self.assertIn("already finished", output.getvalue())


if __name__ == "__main__":
    unittest.main()
