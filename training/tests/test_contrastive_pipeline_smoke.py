"""Smoke test of the contrastive speech-text pretraining ablation (run_contrastive.sh) on tiny data and a tiny model:
both pretraining stages at equal budgets, every arm's ASR and translation adapters at 10 and 100 % of their data on
the arm's encoder, the table, and a rerun that starts no stage."""

import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from tests.test_recipes_smoke import TINY, make_set, read_json

SCRIPT = Path(__file__).resolve().parents[1] / "run_contrastive.sh"
ARMS = ("none", "asr", "contrastive")


def make_contrastive_data(root):
    for split, texts in (("train", ["a cat", "the dog", "my hat"]), ("dev", ["a cat", "a dog"])):
        make_set(root, "general", split, texts)
    for split, texts in (("train", ["hi there", "oh no"]), ("dev", ["hi"]), ("test", ["no"])):
        make_set(root, "telephony", split, texts, rate=8000, mulaw=True)
    for split, texts in (("train", ["the dog sleeps", "a cat runs"]), ("dev", ["the cat sleeps"]),
                         ("test", ["a dog runs"])):
        make_set(root, "translate-de", split, texts)


class ContrastivePipelineSmokeTest(unittest.TestCase):
    def test_arms_shares_table_and_rerun(self):
        with tempfile.TemporaryDirectory() as tmp:
            data, run, config = os.path.join(tmp, "data"), os.path.join(tmp, "run"), os.path.join(tmp, "tiny.json")
            with open(config, "w") as handle:
                json.dump(TINY, handle)
            make_contrastive_data(data)
            env = dict(os.environ, DATA=data, RUN=run, CONFIG=config, PYTHON=sys.executable, PRETRAIN_MIN="0.5",
                       TASK_MIN="0.25", PRETRAIN_EPOCHS="1", TASK_EPOCHS="1", MAX_FRAMES="400")
            result = subprocess.run(["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=600)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

            bases = {"none": "none", "asr": os.path.join(run, "asr", "pretrain", "best.safetensors"),
                     "contrastive": os.path.join(run, "contrastive", "pretrain", "encoder.safetensors")}
            for arm in ("asr", "contrastive"):
                done = read_json(os.path.join(run, arm, "pretrain", "done.json"))
                self.assertEqual((done["args"]["init"], done["args"]["time_budget_min"]), ("none", 0.5), arm)
                self.assertTrue(os.path.exists(bases[arm]), arm)
            contrastive = read_json(os.path.join(run, "contrastive", "pretrain", "done.json"))
            self.assertEqual((contrastive["steps"], contrastive["dev_retrieval_chance"]), (1, 0.5))
            for arm in ARMS:
                for percent, fraction, utterances in (("10", 0.1, 1), ("100", 1.0, 2)):
                    for task in (f"telephony-{percent}pct", f"translate-de-{percent}pct"):
                        done = read_json(os.path.join(run, arm, task, "done.json"))
                        self.assertEqual((done["args"]["base"], done["args"]["train_fraction"], done["utterances"],
                                          done["args"]["time_budget_min"]), (bases[arm], fraction, utterances, 0.25),
                                         (arm, task))
                    self.assertIn("test_wer", read_json(os.path.join(run, arm, f"telephony-{percent}pct", "done.json")))

            with open(os.path.join(run, "table.md"), encoding="utf-8") as handle:
                table = handle.read()
            self.assertIn(table, result.stdout)
            rows = [line for line in table.splitlines() if line.startswith("| `")]
            self.assertEqual([row.split("`")[1] for row in rows], list(ARMS))
            self.assertNotIn("not run yet", table)
            self.assertIn("`telephony/test` WER, 10 %", table)
            self.assertIn("`translate-de/test` BLEU / chrF, 100 %", table)
            self.assertRegex(rows[2], r"dev retrieval [\d.]+ % \(chance 50.0 %\)")

            rerun = subprocess.run(["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=600)
            self.assertEqual(rerun.returncode, 0, rerun.stdout + rerun.stderr)
            self.assertNotIn(" start ", rerun.stdout)
            stages = ["contrastive pretraining", "asr pretraining", "table"] + [
                f"{task} {arm} {percent}%" for arm in ARMS for task in ("telephony adapter", "translation")
                for percent in ("10", "100")]
            for stage in stages:
                self.assertIn(f"skip {stage} (", rerun.stdout)


if __name__ == "__main__":
    unittest.main()
