"""Multimodal attention merging: the merge formula (speechfm/attention_merge.py), learnable per-layer factors, and the
recipes train_text_attention.py, merge_attention.py and train_adapter.py --merge-text-attention on tiny data."""

import json
import os
import tempfile
import unittest
from pathlib import Path

import numpy as np
import torch

import merge_attention
import train_adapter
import train_text_attention
from speechfm import attention_merge
from speechfm.checkpoint import read_state_dict, write_state_dict
from speechfm.config import ModelConfig
from speechfm.model import StreamingConformer
from tests.test_recipes_smoke import TINY, make_set, quiet, read_json

#: ``merge_tensor(SPEECH, TEXT, 1/3)`` as float32 bit patterns; the exporter's merge-attention tests pin the same.
SPEECH, TEXT = [0.3, -1.7, -0.0, 1e-3], [2.5, 0.25, 0.75, -3.0]
MERGED_BITS = [0x3F844445, 0xBF866667, 0x3E800000, 0xBF7FD44F]


def tiny_state(seed):
    torch.manual_seed(seed)
    return StreamingConformer(ModelConfig(**TINY)).state_dict()


def bits(tensor):
    return tensor.numpy().view(np.uint32).tolist()


class MergeFormulaTest(unittest.TestCase):
    def test_merge_tensor_rounds_both_factors_to_float32_once(self):
        merged = attention_merge.merge_tensor(torch.tensor(SPEECH), torch.tensor(TEXT), 1 / 3)
        self.assertEqual(bits(merged), MERGED_BITS)
        keep, share = np.float32(1 - 1 / 3), np.float32(1 / 3)
        self.assertEqual(bits(merged), (keep * np.float32(SPEECH) + share * np.float32(TEXT)).view(np.uint32).tolist())

    def test_merge_changes_exactly_the_qkv_tensors_of_the_layers(self):
        base, text = tiny_state(0), tiny_state(1)
        merged = attention_merge.merge(base, text, 0.2, [1])
        changed = sorted(n for n in base if not torch.equal(base[n], merged[n]))
        self.assertEqual(changed, sorted(f"layers.1.attn.{p}.{part}" for p in "qkv" for part in ("weight", "bias")))
        name = "layers.1.attn.k.weight"
        self.assertTrue(torch.equal(merged[name], np.float32(0.8) * base[name] + np.float32(0.2) * text[name]))

    def test_factor_zero_leaves_the_base_bit_for_bit(self):
        base = tiny_state(0)
        base["layers.0.attn.q.bias"][0] = -0.0
        merged = attention_merge.merge(base, tiny_state(1), 0.0, [0, 1])
        self.assertEqual([bits(t) for t in merged.values()], [bits(t) for t in base.values()])

    def test_mismatched_or_missing_text_tensor_is_refused_by_name(self):
        base, text = tiny_state(0), tiny_state(1)
        text["layers.1.attn.v.weight"] = torch.zeros(3, 3)
        with self.assertRaisesRegex(ValueError, r"'layers\.1\.attn\.v\.weight'.*\[3, 3\].*\[16, 16\]"):
            attention_merge.merge(base, text, 0.1, [0, 1])
        del text["layers.1.attn.v.weight"]
        with self.assertRaisesRegex(ValueError, r"no tensor 'layers\.1\.attn\.v\.weight'"):
            attention_merge.merge(base, text, 0.1, [1])

    def test_parse_layers(self):
        self.assertEqual(attention_merge.parse_layers("all", 3), [0, 1, 2])
        self.assertEqual(attention_merge.parse_layers("2,0", 3), [0, 2])
        for bad in ("3", "-1", "a", ""):
            with self.assertRaises(ValueError):
                attention_merge.parse_layers(bad, 3)


class LearnableMergeTest(unittest.TestCase):
    def test_forward_uses_the_merged_weights_and_trains_only_the_factors(self):
        torch.manual_seed(0)
        model = StreamingConformer(ModelConfig(**TINY))
        base = {n: t.clone() for n, t in model.state_dict().items()}
        for param in model.parameters():
            param.requires_grad = False
        merge = attention_merge.LearnableAttentionMerge(tiny_state(1), [1], 0.05)
        merge.attach(model)
        self.assertAlmostEqual(float(merge.factors()[0]), 0.05, places=6)
        expected = attention_merge.merge_tensor(base["layers.1.attn.q.weight"], merge.text["layers.1.attn.q.weight"],
                                                merge.factors()[0])
        self.assertTrue(torch.equal(model.layers[1].attn.q.weight, expected))
        self.assertTrue(torch.equal(model.layers[0].attn.q.weight, base["layers.0.attn.q.weight"]))

        result = model.full_pass(torch.randn(1, 16, 80), torch.tensor([16]))
        result.log_probs[..., 1].mean().backward()
        self.assertNotEqual(float(merge.logits.grad[0]), 0.0)
        with torch.no_grad():
            merge.logits.fill_(0.0)
        self.assertTrue(torch.equal(merge.merged_base(base)["layers.1.attn.v.bias"], model.layers[1].attn.v.bias))
        self.assertEqual(merge.factor_values(), {"1": 0.5})


class MergeRecipesSmokeTest(unittest.TestCase):
    def test_text_model_zero_shot_grid_and_learnable_factors(self):
        with tempfile.TemporaryDirectory() as tmp:
            data, run = os.path.join(tmp, "data"), Path(tmp, "run")
            config = os.path.join(tmp, "tiny.json")
            with open(config, "w") as handle:
                json.dump(TINY, handle)
            os.makedirs(os.path.join(data, "sentences"))
            with open(os.path.join(data, "sentences", "train.txt"), "w", encoding="utf-8") as handle:
                handle.write("a cat sat\nthe dog ran\nmy cat\nnaïve\na dog\n")
            for split, texts in (("dev", ["a cat", "the dog"]), ("test", ["a dog"])):
                make_set(data, "general", split, texts)
            for split, texts in (("train", ["hi there", "oh no"]), ("dev", ["hi"]), ("test", ["no"])):
                make_set(data, "telephony", split, texts, rate=8000, mulaw=True)
            base = os.path.join(tmp, "base.safetensors")
            write_state_dict(tiny_state(0), base, "safetensors")
            common = ["--data", data, "--config", config, "--threads", "1"]

            text_args = common + ["--out", str(run / "text"), "--epochs", "2", "--warmup", "1", "--dev-every", "2"]
            self.assertEqual(quiet(train_text_attention.main, text_args), 0)
            done = read_json(run / "text" / "done.json")
            counts = (done["steps"], done["train_lines"], done["dev_lines"], done["skipped_lines"])
            self.assertEqual(counts, (2, 2, 2, 1))
            self.assertGreater(done["dev_perplexity"], 1.0)
            text_path = run / "text" / "text_attention.safetensors"
            text_state = read_state_dict(text_path)
            self.assertEqual(list(text_state), attention_merge.merged_names(range(TINY["num_layers"])))
            base_state = read_state_dict(base)
            self.assertTrue(all(text_state[n].shape == base_state[n].shape for n in text_state))

            grid = common + ["--base", base, "--text-attention", str(text_path), "--factors", "0.1,0.5",
                             "--layers", "1", "--out", str(run / "zero-shot")]
            self.assertEqual(quiet(merge_attention.main, grid), 0)
            results = read_json(run / "zero-shot" / "results.json")
            self.assertEqual([m["factor"] for m in results["merged"]], [0.1, 0.5])
            self.assertEqual(results["layers"], [1])
            merged = read_state_dict(run / "zero-shot" / "merged-0.5.safetensors")
            expected = attention_merge.merge(base_state, text_state, 0.5, [1])
            self.assertTrue(all(torch.equal(merged[n], expected[n]) for n in expected))

            adapter = common + ["--base", base, "--domain", "telephony", "--out", str(run / "adapter"), "--epochs", "2",
                                "--warmup", "1", "--lr", "0.1", "--max-frames", "100", "--test",
                                "--merge-text-attention", str(text_path), "--merge-init", "0.1"]
            self.assertEqual(quiet(train_adapter.main, adapter), 0)
            done = read_json(run / "adapter" / "done.json")
            self.assertEqual(done["merge_layers"], [0, 1])
            factors = [done["merge_factors"][str(layer)] for layer in (0, 1)]
            self.assertTrue(all(0.0 < f < 1.0 and f != 0.1 for f in factors), factors)
            for key in ("base_dev_wer", "best_dev_wer", "base_test_wer", "test_wer"):
                self.assertIn(key, done)
            merged_base = read_state_dict(run / "adapter" / "merged_base.safetensors")
            self.assertEqual(set(merged_base), set(base_state))
            self.assertFalse(torch.equal(merged_base["layers.0.attn.q.weight"], base_state["layers.0.attn.q.weight"]))
            out_projection = "layers.0.attn.out.weight"
            self.assertTrue(torch.equal(merged_base[out_projection], base_state[out_projection]))


if __name__ == "__main__":
    unittest.main()
