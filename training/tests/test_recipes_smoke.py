"""End-to-end smoke test of the recipes on a few tiny synthetic utterances and a tiny model:
pretraining, CTC (with resume), an adapter on 8 kHz mu-law audio, assembly, evaluation."""

import contextlib
import io
import json
import os
import tempfile
import unittest

import numpy as np
import torch

import assemble_checkpoint
import build_lm
import evaluate
import pretrain_bestrq
import select_base
import train_adapter
import train_ctc
from data.audio import write_mulaw, write_pcm16
from speechfm import recipe
from speechfm.checkpoint import load_model, read_state_dict
from speechfm.config import ModelConfig

TINY = {"n_mels": 80, "d_model": 16, "num_layers": 2, "num_heads": 2, "ff_dim": 32, "conv_kernel": 3,
        "chunk_frames": 2, "left_context_frames": 4, "adapter_dim": 4, "vocab_size": 29}


def make_set(root, domain, split, texts, rate=16000, mulaw=False):
    os.makedirs(os.path.join(root, domain, split), exist_ok=True)
    rng = np.random.default_rng(len(texts) + rate)
    with open(os.path.join(root, domain, f"{split}.jsonl"), "w") as manifest:
        for i, sentence in enumerate(texts):
            seconds = 0.6 + 0.1 * i
            t = np.arange(int(seconds * rate)) / rate
            x = (0.3 * np.sin(2 * np.pi * (300 + 200 * i) * t) + 0.01 * rng.standard_normal(t.size)).astype(np.float32)
            rel = f"{split}/{domain}-{split}-{i:06d}.wav"
            (write_mulaw if mulaw else write_pcm16)(os.path.join(root, domain, rel), x, rate)
            manifest.write(json.dumps({"id": f"{domain}-{split}-{i}", "audio": rel, "text": sentence,
                                       "duration": seconds}) + "\n")


def read_json(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def quiet(main, argv):
    with contextlib.redirect_stdout(io.StringIO()):
        return main(argv)


class RecipeSmokeTest(unittest.TestCase):
    def test_pipeline(self):
        with tempfile.TemporaryDirectory() as tmp:
            data, run = os.path.join(tmp, "data"), os.path.join(tmp, "run")
            config = os.path.join(tmp, "tiny.json")
            with open(config, "w") as handle:
                json.dump(TINY, handle)
            make_set(data, "pretrain", "train", ["", ""])
            make_set(data, "general", "train", ["a cat", "the dog"])
            make_set(data, "general", "dev", ["a cat"])
            make_set(data, "general", "test", ["a dog"])
            make_set(data, "telephony", "train", ["hi there", "oh no"], rate=8000, mulaw=True)
            make_set(data, "telephony", "dev", ["hi"], rate=8000, mulaw=True)
            make_set(data, "telephony", "test", ["no"], rate=8000, mulaw=True)
            common = ["--data", data, "--config", config, "--threads", "1", "--max-frames", "100"]

            self.assertEqual(quiet(pretrain_bestrq.main, common + ["--out", f"{run}/pretrain", "--epochs", "1",
                                                                   "--codebook-size", "32", "--warmup", "1"]), 0)
            encoder = read_state_dict(f"{run}/pretrain/encoder.safetensors")
            self.assertGreater(float(encoder["frontend_norm.std"].min()), 0.0)
            self.assertNotEqual(float(encoder["frontend_norm.mean"].abs().sum()), 0.0)

            # CTC: one epoch, then "resume" to two epochs from the saved state.
            ctc_args = common + ["--out", f"{run}/ctc", "--init", f"{run}/pretrain/encoder.safetensors",
                                 "--warmup", "1", "--multi-condition", "0.5"]
            self.assertEqual(quiet(train_ctc.main, ctc_args + ["--epochs", "1"]), 0)
            with open(f"{run}/ctc/log.txt", encoding="utf-8") as handle:
                self.assertIn("loaded general/train: 2 utterances and a corrupted copy of each", handle.read())
            state = torch.load(f"{run}/ctc/state.pt")
            self.assertEqual((state["epoch"], state["step"]), (1, 2))  # 2 utterances, 1 per batch
            os.remove(f"{run}/ctc/done.json")
            self.assertEqual(quiet(train_ctc.main, ctc_args + ["--epochs", "2"]), 0)
            done = read_json(f"{run}/ctc/done.json")
            self.assertEqual((done["steps"], done["epochs_completed"], len(done["history"])), (4, 2, 2))
            base = read_state_dict(f"{run}/ctc/best.safetensors")
            torch.testing.assert_close(base["frontend_norm.mean"], encoder["frontend_norm.mean"])
            for name in ("ctc.weight", "layers.0.ff1.linear1.weight"):  # the head trains with the encoder
                self.assertFalse(torch.equal(base[name], encoder[name]), name)
            self.assertEqual(quiet(select_base.main, ["--run-dir", run]), 0)
            self.assertEqual(read_json(f"{run}/base.json")["chosen"], "ctc")

            self.assertEqual(quiet(train_adapter.main, common + ["--domain", "telephony", "--base",
                                                                 f"{run}/ctc/best.safetensors", "--out",
                                                                 f"{run}/adapters/telephony", "--epochs", "1"]), 0)
            adapter = read_state_dict(f"{run}/adapters/telephony/adapter.safetensors")
            self.assertTrue(all(n.startswith("adapters.telephony.") for n in adapter))
            self.assertEqual(len(adapter), 2 * 4 + 2)
            self.assertGreater(float(adapter["adapters.telephony.layers.0.up.weight"].abs().sum()), 0.0)
            # low-resource run: the first 0.6 s of telephony/train, then test WERs in done.json
            self.assertEqual(quiet(train_adapter.main, common + ["--domain", "telephony", "--base",
                                                                 f"{run}/ctc/best.safetensors", "--out",
                                                                 f"{run}/adapters-short", "--epochs", "1",
                                                                 "--train-minutes", "0.01", "--test"]), 0)
            short = read_json(f"{run}/adapters-short/done.json")
            self.assertEqual(short["utterances"], 1)
            # the test WERs are those of the base model and of the adapter kept, on telephony/test
            model = load_model(ModelConfig.load(config), f"{run}/ctc/best.safetensors",
                               [f"{run}/adapters-short/adapter.safetensors"])
            test = recipe.load_utterances(data, "telephony", "test")
            self.assertEqual(short["base_test_wer"], train_ctc.evaluate_wer(model, test, None)[0])
            self.assertEqual(short["test_wer"], train_ctc.evaluate_wer(model, test, "telephony")[0])

            ckpt, st = os.path.join(run, "reference.ckpt"), os.path.join(run, "reference.safetensors")
            self.assertEqual(quiet(assemble_checkpoint.main, ["--base", f"{run}/ctc/best.safetensors", "--config",
                                                              config, "--adapter",
                                                              f"{run}/adapters/telephony/adapter.safetensors",
                                                              "--torchsharp", ckpt, "--safetensors", st]), 0)
            merged = read_state_dict(ckpt, "torchsharp")
            for name, tensor in base.items():  # frozen encoder: base weights unchanged
                torch.testing.assert_close(merged[name], tensor, rtol=0, atol=0)
            self.assertIn("adapters.telephony.ctc.weight", merged)

            os.makedirs(f"{data}/sentences")
            with open(f"{data}/sentences/train.txt", "w", encoding="utf-8") as handle:
                handle.write("a cat sat\nhi there\noh no\na dog\n")
            self.assertEqual(quiet(build_lm.main, ["--data", data, "--out", f"{run}/lm.arpa"]), 0)

            doc = os.path.join(tmp, "models.md")
            self.assertEqual(quiet(evaluate.main, ["--data", data, "--run-dir", run, "--config", config,
                                                   "--threads", "1", "--doc", doc]), 0)
            results = read_json(f"{run}/eval/results.json")
            self.assertEqual(quiet(evaluate.main, ["--data", data, "--run-dir", run, "--config", config,
                                                   "--reuse-results", "--doc", doc]), 0)
            self.assertEqual(sorted(results["base"]), ["general", "telephony"])
            self.assertEqual(list(results["adapters"]), ["telephony"])
            self.assertEqual(results["adapter_free"]["max_abs_diff"], 0.0)
            self.assertEqual(len(results["decoder"]["grid"]), 10)  # 5 weights x 2 bonuses, on the dev sets
            self.assertIn("lm", results["adapters"]["telephony"])
            with open(doc, encoding="utf-8") as handle:
                report = handle.read()
            cell = r"[\d.]+ % \| [\d.]+ % \| -?\d+ % \|"  # base, adapter, relative reduction
            self.assertRegex(report, rf"\| telephony \| {cell} {cell}")  # with the language model, greedy
            self.assertIn(f"--language-model {run}/lm.arpa --lm-weight", report)
            self.assertIn("log-probabilities identical to the base model", report)


if __name__ == "__main__":
    unittest.main()
