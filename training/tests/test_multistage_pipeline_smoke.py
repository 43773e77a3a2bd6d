"""Smoke test of the multi-stage pretraining ablation (run_multistage.sh) on tiny data and a tiny model: every arm's
outputs, the equal training-time budgets, the low-resource option, the mid-trained encoder as the start of its arm's
recogniser, the table, and a rerun that skips every stage."""

import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import torch

from speechfm.checkpoint import read_state_dict, write_state_dict
from speechfm.config import ModelConfig
from speechfm.model import StreamingConformer
from tests.test_recipes_smoke import TINY, make_set, read_json

SCRIPT = Path(__file__).resolve().parents[1] / "run_multistage.sh"
ARMS = ("none", "ssl", "ssl-st-de", "ssl-st-es")


def make_multistage_data(root):
    for split, texts in (("train", ["a cat", "the dog"]), ("dev", ["a cat"]), ("test", ["a dog"])):
        make_set(root, "general", split, texts)
    for split, texts in (("train", ["der hund schläft", "eine katze läuft"]), ("dev", ["die katze schläft"])):
        make_set(root, "translate-en-de", split, texts)
    for split, texts in (("train", ["el perro duerme", "un gato corre"]), ("dev", ["el gato duerme"])):
        make_set(root, "translate-en-es", split, texts)
    for language, text in (("de", "ein hund läuft"), ("es", "un perro corre")):
        make_set(root, f"translate-en-{language}", "test", [text])


class MultistagePipelineSmokeTest(unittest.TestCase):
    def test_arms_table_and_rerun(self):
        with tempfile.TemporaryDirectory() as tmp:
            data, run = os.path.join(tmp, "data"), os.path.join(tmp, "run")
            config, pretrained = os.path.join(tmp, "tiny.json"), os.path.join(tmp, "bestrq.safetensors")
            with open(config, "w") as handle:
                json.dump(TINY, handle)
            torch.manual_seed(0)
            write_state_dict(StreamingConformer(ModelConfig.load(config)).state_dict(), pretrained, "safetensors")
            make_multistage_data(data)
            env = dict(os.environ, DATA=data, RUN=run, CONFIG=config, PRETRAINED=pretrained, PYTHON=sys.executable,
                       MID_MIN="0.5", ASR_MIN="1", MID_EPOCHS="1", ASR_EPOCHS="1", MAX_FRAMES="100",
                       TRAIN_MINUTES="0.01")
            result = subprocess.run(["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=600)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

            for arm in ARMS:
                done = read_json(os.path.join(run, arm, "asr", "done.json"))
                self.assertTrue(os.path.exists(os.path.join(run, arm, "asr", "best.safetensors")), arm)
                self.assertIn("test_wer", done)
                self.assertEqual(done["utterances"], 1)  # the first 0.01 minutes of general/train: one utterance
                self.assertEqual(done["args"]["time_budget_min"], 1.5 if arm in ("none", "ssl") else 1.0, arm)
            self.assertEqual(read_json(os.path.join(run, "none", "asr", "done.json"))["args"]["init"], "none")
            self.assertEqual(read_json(os.path.join(run, "ssl", "asr", "done.json"))["args"]["init"], pretrained)
            start = read_state_dict(pretrained)
            for arm, language in (("ssl-st-de", "en-de"), ("ssl-st-es", "en-es")):
                encoder_path = os.path.join(run, arm, "mid", "encoder.safetensors")
                mid = read_json(os.path.join(run, arm, "mid", "done.json"))
                self.assertEqual((mid["domain"], mid["args"]["time_budget_min"]), (f"translate-{language}", 0.5))
                encoder = read_state_dict(encoder_path)
                self.assertFalse(torch.equal(encoder["layers.0.attn.q.weight"], start["layers.0.attn.q.weight"]))
                self.assertEqual(read_json(os.path.join(run, arm, "asr", "done.json"))["args"]["init"], encoder_path)

            with open(os.path.join(run, "table.md"), encoding="utf-8") as handle:
                table = handle.read()
            self.assertIn(table, result.stdout)
            rows = [line for line in table.splitlines() if line.startswith("| `")]
            self.assertEqual([row.split("`")[1] for row in rows], list(ARMS))
            self.assertNotIn("not run yet", table)
            # one mid-training step: both utterances fit one batch
            self.assertRegex(rows[2], r"^\| `ssl-st-de` \| BEST-RQ -> ST en->de -> ASR \| [\d.]+, 1, [\d.]+ / [\d.]+ ")

            rerun = subprocess.run(["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=600)
            self.assertEqual(rerun.returncode, 0, rerun.stdout + rerun.stderr)
            self.assertNotIn(" start ", rerun.stdout)
            for stage in [f"asr {arm}" for arm in ARMS] + ["mid-training ssl-st-de", "mid-training ssl-st-es", "table"]:
                self.assertIn(f"skip {stage} (", rerun.stdout)


if __name__ == "__main__":
    unittest.main()
