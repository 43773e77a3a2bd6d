"""Smoke test of the wide pipeline (run_wide.sh) end to end on tiny data laid out as the wide corpus and a
tiny model: every stage, the named checkpoints later stages use, the held-out evaluation sets with their OOV
rates, the report, and a rerun that skips every finished stage."""

import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from tests.test_recipes_smoke import TINY, make_set, read_json

SCRIPT = Path(__file__).resolve().parents[1] / "run_wide.sh"


def make_wide_data(root):
    make_set(root, "pretrain", "train", ["", ""])
    make_set(root, "general", "train", ["a cat", "the dog"])
    for split in ("dev", "voice-dev"):
        make_set(root, "general", split, ["a cat"])
    for split in ("test", "voice-test"):
        make_set(root, "general", split, ["a dog"])
    make_set(root, "general", "open-dev", ["the cat"])
    make_set(root, "general", "open-test", ["my dog ran"])  # "my" and "ran": in the text, not heard; one new word
    for split, texts in (("train", ["the dog", "a cat"]), ("dev", ["a cat"]), ("test", ["a dog"])):
        make_set(root, "telephony", split, texts, rate=8000, mulaw=True)
        make_set(root, "translate-de", split, texts)
    os.makedirs(os.path.join(root, "sentences"))
    with open(os.path.join(root, "sentences", "train.txt"), "w", encoding="utf-8") as handle:
        handle.write("a cat sat\nthe dog ran\nmy cat\na dog\n")
    with open(os.path.join(root, "sentences", "train.sources"), "w", encoding="utf-8") as handle:
        handle.write("fortunes\nfortunes\nfortunes\ngcide-definition\n")  # the language model leaves "a dog" out
    with open(os.path.join(root, "summary.json"), "w", encoding="utf-8") as handle:
        json.dump({"corpus": "wide"}, handle)


class WidePipelineSmokeTest(unittest.TestCase):
    def test_pipeline_and_rerun(self):
        with tempfile.TemporaryDirectory() as tmp:
            data, run, doc = os.path.join(tmp, "data"), os.path.join(tmp, "run"), os.path.join(tmp, "models-wide.md")
            config = os.path.join(tmp, "tiny.json")
            with open(config, "w") as handle:
                json.dump(TINY, handle)
            make_wide_data(data)
            env = dict(os.environ, DATA=data, RUN=run, CONFIG=config, DOC=doc, PYTHON=sys.executable,
                       PRETRAIN_EPOCHS="1", CTC_EPOCHS="1", MC_EPOCHS="1", ADAPTER_EPOCHS="1", TRANSLATION_EPOCHS="1",
                       CTC_MAX_FRAMES="100", CODEBOOK="32", MC_THREADS="1", LOW_RESOURCE_MINUTES="0.01 1",
                       PROBE_STEPS="20")
            partial = subprocess.run(["sh", str(SCRIPT)], env=dict(env, UNTIL="base"), capture_output=True, text=True,
                                     timeout=600)
            self.assertEqual(partial.returncode, 0, partial.stdout + partial.stderr)
            self.assertIn("stopping after base (UNTIL=base)", partial.stdout)
            self.assertTrue(os.path.exists(os.path.join(run, "clean-base.safetensors")))
            self.assertFalse(os.path.exists(os.path.join(run, "ctc-mc")))
            self.assertFalse(os.path.exists(os.path.join(run, "low-resource")))

            ablation = subprocess.run(["sh", str(SCRIPT)], env=dict(env, UNTIL="ablation"), capture_output=True,
                                      text=True, timeout=600)
            self.assertEqual(ablation.returncode, 0, ablation.stdout + ablation.stderr)
            for minutes, utterances in (("0.01", 1), ("1", 2)):  # 0.6 s is enough for 0.01 min; 1 min takes all
                for base in ("ctc", "ctc-scratch"):
                    done = read_json(os.path.join(run, "low-resource", f"telephony-{minutes}min", base, "done.json"))
                    self.assertEqual(done["utterances"], utterances)
                    self.assertEqual(done["args"]["base"], os.path.join(run, base, "best.safetensors"))
                    self.assertIn("test_wer", done)
            for encoder in ("pretrained", "random", "ctc"):
                probe = read_json(os.path.join(run, "probe", f"{encoder}.json"))
                self.assertEqual((probe["steps"], len(probe["blocks"])), (20, TINY["num_layers"]))
            self.assertFalse(os.path.exists(os.path.join(run, "ctc-mc")))

            result = subprocess.run(["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=600)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            self.assertIn("skip ctc ctc (", result.stdout)

            for path in ("pretrain/encoder.safetensors", "ctc/best.safetensors", "ctc-scratch/best.safetensors",
                         "clean-base.safetensors", "ctc-mc/best.safetensors", "base.safetensors",
                         "adapters/telephony/adapter.safetensors", "wide.ckpt", "wide.safetensors", "lm.arpa.gz",
                         "translation/de/done.json", "translation/eval.json", "eval/results.json"):
                self.assertTrue(os.path.exists(os.path.join(run, path)), path)
            with open(os.path.join(run, "run_all.log"), encoding="utf-8") as handle:
                self.assertIn("left out 1 training sentences of gcide-definition, gcide-note, gcide-quotation",
                              handle.read())
            results = read_json(os.path.join(run, "eval", "results.json"))
            self.assertEqual(sorted(results["base"]), ["general", "telephony"])
            self.assertEqual(list(results["adapters"]), ["telephony"])
            self.assertEqual(sorted(results["held_out"]), ["open", "voice"])
            opened = results["held_out"]["open"]
            self.assertEqual(opened["set"], "general/open-test")
            self.assertIn("lm", opened)
            self.assertAlmostEqual(opened["oov"]["training_text"]["oov_token_rate"], 0.0)
            self.assertAlmostEqual(opened["oov"]["general_train_audio"]["oov_token_rate"], 2 / 3)
            self.assertEqual(results["base"]["general"]["oov"]["training_text"]["oov_token_rate"], 0.0)
            with open(doc, encoding="utf-8") as handle:
                report = handle.read()
            self.assertIn("wide corpus", report)
            self.assertEqual(len(results["low_resource"]), 4)
            self.assertEqual(sorted(results["decoder"]["grid"][0]["dev_wer_per_domain"]),
                             ["general", "general/open-dev", "general/voice-dev", "telephony"])
            self.assertEqual(len(results["decoder"]["grid"]), 5 * 2 * 4)  # weights x bonuses x OOV penalties
            self.assertIn("dev sets of all domains together and `general/open-dev` and `general/voice-dev`", report)
            self.assertRegex(report, r"\| telephony \| 0\.0 min \(1 utt\.\) \| [\d.]+ % / [\d.]+ % \|")
            self.assertRegex(report, r"\| open \(`general/open-test`\) \| 1 / 3 \| 0\.0 % \| 66\.7 % \| [\d.]+ % \|")
            self.assertRegex(report, r"\| new voices \(`general/voice-test`\) \| 1 / 2 \|")
            self.assertIn("| general/voice-test | 1 |", report)
            self.assertRegex(report, r"## Frozen-encoder probe\n(.*\n)+\| random initialisation \| [\d.]+ % \|")

            rerun = subprocess.run(["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=600)
            self.assertEqual(rerun.returncode, 0, rerun.stdout + rerun.stderr)
            self.assertNotIn(" start ", rerun.stdout)
            for stage in ("pretrain", "ctc ctc", "ctc ctc-scratch", "multi-condition base",
                          f"adapter telephony in {run}/adapters/telephony", "language model", "translation de",
                          "evaluate", f"adapter telephony in {run}/low-resource/telephony-1min/ctc-scratch",
                          "probe random"):
                self.assertIn(f"skip {stage} (", rerun.stdout)

            wrong = subprocess.run(["sh", str(SCRIPT)], env=dict(env, UNTIL="ctc"), capture_output=True, text=True)
            self.assertEqual(wrong.returncode, 2)
            self.assertIn("UNTIL=ctc: expected pretrain, base, ablation, mc or adapters", wrong.stderr)


if __name__ == "__main__":
    unittest.main()
