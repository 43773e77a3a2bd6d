"""End-to-end run of the wide corpus on a tiny text (a few utterances per set, espeak-ng and Festival)."""

import json
import os
import shutil
import tempfile
import unittest

import numpy as np

from data import audio, corpus, voices
from data.tests.test_pipeline import SENTENCES, read_manifest, run, tree_bytes

TINY = ["--corpus", "wide", "--dev-sentences", "3", "--test-sentences", "3", "--pretrain-hours", "0.002",
        "--general-hours", "0.005", "--eval-minutes", "0.1", "--adapter-minutes", "0.15", "--translation-minutes", "0.1",
        "--noise-seconds", "4", "--babble-utterances", "4", "--domains",
        "general,telephony,far-field,accent,translate-de,translate-en-de", "--no-progress"]
SETS = ["pretrain/train", "general/train", "general/dev", "general/test", "general/open-dev", "general/open-test",
        "general/voice-dev", "general/voice-test"]
# The adapters' sets (the reference corpus's voices and processing over the wide sentence pool), the translation sets.
DOMAIN_SETS = [f"{d}/{s}" for d in ("telephony", "far-field", "accent", "translate-de", "translate-en-de")
               for s in ("train", "dev", "test")]


@unittest.skipIf(voices.check_installed(), "espeak-ng or the Festival voices are not installed (scripts/setup.sh)")
class FestivalSessionTest(unittest.TestCase):
    def test_an_utterance_does_not_depend_on_what_the_session_read_before(self):
        fresh = audio.FestivalSession()
        try:
            first = fresh.synthesize("the quick brown fox jumps over the lazy dog.", "kal_diphone", 1.0, 105, 14)
        finally:
            fresh.close()
        session = audio.FestivalSession()
        try:
            session.synthesize("something else, read slowly and high.", "ked_diphone", 1.3, 160, 30)
            again = session.synthesize("the quick brown fox jumps over the lazy dog.", "kal_diphone", 1.0, 105, 14)
            slow = session.synthesize("the quick brown fox jumps over the lazy dog.", "kal_diphone", 1.3, 105, 14)
        finally:
            session.close()
        self.assertEqual(first[1], 16000)
        self.assertTrue(np.array_equal(first[0], again[0]))
        self.assertGreater(len(slow[0]), 1.2 * len(first[0]))


@unittest.skipIf(voices.check_installed(), "espeak-ng or the Festival voices are not installed (scripts/setup.sh)")
class WideCorpusTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="wide-test-")
        cls.text = os.path.join(cls.tmp, "text.txt")
        with open(cls.text, "w") as f:
            f.write("\n%\n".join(SENTENCES) + "\n")
        cls.out = os.path.join(cls.tmp, "a")
        cls.summary = run(["--out", cls.out, "--text", cls.text, "--jobs", "2"] + TINY)
        cls.out1 = os.path.join(cls.tmp, "b")
        run(["--out", cls.out1, "--text", cls.text, "--jobs", "1"] + TINY)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def manifest(self, name, root=None):
        return read_manifest(os.path.join(root or self.out, f"{name}.jsonl"))

    def test_every_set_is_written_with_both_engines(self):
        self.assertEqual(sorted(self.summary["sets"]), sorted(SETS + DOMAIN_SETS))
        engines = set()
        for name in SETS:
            entries = self.manifest(name)
            self.assertGreater(len(entries), 0, name)
            self.assertLessEqual(sum(e["duration"] for e in entries), self.summary["sets"][name]["budget_seconds"])
            for e in entries:
                engines.add(e["engine"])
                info = audio.wav_info(os.path.join(self.out, name.split("/")[0], e["audio"]))
                self.assertEqual((info["sample_rate"], info["format"], info["channels"]), (16000, 1, 1))
                self.assertAlmostEqual(info["duration"], e["duration"], places=3)
                x, _ = audio.read_wav(os.path.join(self.out, name.split("/")[0], e["audio"]))
                self.assertGreater(float(np.abs(x).max()), 0.05)
                if name.startswith("pretrain"):
                    self.assertEqual(e["text"], "")
                else:
                    self.assertRegex(e["text"], r"^[a-z']+( [a-z']+)*$")
                self.assertIn("duration_stretch" if e["engine"] == "festival" else "rate_wpm", e)
        self.assertEqual(engines, {"espeak-ng", "festival"})

    def test_voices_of_the_training_and_new_voice_sets(self):
        training, held = set(voices.training_voices()), set(voices.held_out_voices())
        for name in SETS:
            for e in self.manifest(name):
                self.assertIn(e["voice"], held if "voice-" in name else training, name)
                self.assertFalse(voices.is_reserved(e["voice"]))

    def test_english_speech_translation_is_read_by_the_training_voices(self):
        training = set(voices.training_voices())
        for split in ("train", "dev", "test"):
            entries = self.manifest(f"translate-en-de/{split}")
            self.assertGreater(len(entries), 0, split)
            for e in entries:
                self.assertIn(e["voice"], training)
                self.assertEqual(e["source_language"], "en")

    def test_sentence_sets(self):
        sentences = {}
        for split in ("train", "dev", "test", "open-dev", "open-test"):
            with open(os.path.join(self.out, "sentences", f"{split}.txt")) as f:
                sentences[split] = f.read().split("\n")[:-1]
        self.assertEqual(len(sentences["dev"]), 3)
        held = sentences["dev"] + sentences["test"] + sentences["open-dev"] + sentences["open-test"]
        self.assertFalse(set(held) & set(sentences["train"]))
        with open(os.path.join(self.out, "sentences", "train.sources")) as f:
            sources = f.read().split("\n")[:-1]
        self.assertEqual(len(sources), len(sentences["train"]))
        self.assertTrue(set(sources) <= set(self.summary["text"]["pool"]["train"]["sources"]), set(sources))
        everyday = [t for t, _ in corpus.read_everyday()]
        self.assertEqual(sentences["open-dev"], everyday[0::2])
        for name, split in (("general/dev", "dev"), ("general/open-test", "open-test"), ("general/train", "train")):
            self.assertTrue({e["text"] for e in self.manifest(name)} <= set(sentences[split]), name)
        # the new-voice sets read the in-domain sentences in the same order
        voice_dev, dev = ([e["text"] for e in self.manifest(n)] for n in ("general/voice-dev", "general/dev"))
        n = min(len(voice_dev), len(dev))
        self.assertEqual(voice_dev[:n], dev[:n])
        text = self.summary["text"]
        self.assertEqual(text["pool"]["open-dev"]["sentences"], len(everyday[0::2]))
        self.assertIn("oov_token_rate", text["general_train_audio"]["open-test"])

    def test_adapter_sets_read_held_out_sentences_in_the_general_order(self):
        sentences = {}
        for split in ("train", "dev", "test"):
            with open(os.path.join(self.out, "sentences", f"{split}.txt")) as f:
                sentences[split] = set(f.read().split("\n")[:-1])
        for domain, rate, voice_names in (("telephony", 8000, ("en-",)), ("far-field", 16000, ("en-",)),
                                          ("accent", 16000, ("de", "nl"))):
            self.assertEqual(self.summary["sets"][f"{domain}/train"]["sample_rate"], rate)
            for split in ("train", "dev", "test"):
                entries = self.manifest(f"{domain}/{split}")
                self.assertGreater(len(entries), 0, f"{domain}/{split}")
                self.assertTrue({e["text"] for e in entries} <= sentences[split], f"{domain}/{split}")
                self.assertTrue(all(e["voice"].startswith(voice_names) for e in entries), f"{domain}/{split}")
                info = audio.wav_info(os.path.join(self.out, domain, entries[0]["audio"]))
                self.assertEqual(info["sample_rate"], rate)
            general_test = [e["text"] for e in self.manifest("general/test")]
            test = [e["text"] for e in self.manifest(f"{domain}/test")]
            n = min(len(test), len(general_test))
            self.assertEqual(test[:n], general_test[:n])
        far = self.manifest("far-field/dev")[0]
        self.assertIn("snr_db", far)
        de = self.manifest("translate-de/dev")[0]
        self.assertEqual(de["source_language"], "de")

    def test_deterministic_across_worker_counts(self):
        a, b = tree_bytes(self.out), tree_bytes(self.out1)
        self.assertEqual(sorted(a), sorted(b))
        for k in a:
            self.assertEqual(a[k], b[k], k)

    def test_resume_rewrites_only_a_damaged_file(self):
        out = os.path.join(self.tmp, "resume")
        shutil.copytree(self.out, out)
        festival = [e for e in self.manifest("general/voice-dev", out) if e["engine"] == "festival"]
        victim = os.path.join(out, "general", festival[0]["audio"])
        with open(victim, "r+b") as f:
            f.truncate(100)
        keep = os.path.join(out, "general", self.manifest("general/train", out)[0]["audio"])
        mtime = os.stat(keep).st_mtime_ns
        summary = run(["--out", out, "--text", self.text, "--jobs", "2"] + TINY)
        self.assertEqual(os.stat(keep).st_mtime_ns, mtime)
        self.assertEqual(tree_bytes(out), tree_bytes(self.out))
        self.assertEqual(json.dumps(summary["sets"], sort_keys=True), json.dumps(self.summary["sets"], sort_keys=True))

    def test_other_settings_are_refused(self):
        out = os.path.join(self.tmp, "other")
        shutil.copytree(self.out, out)
        with self.assertRaises(SystemExit):
            run(["--out", out, "--text", self.text, "--seed", "5"] + TINY)


if __name__ == "__main__":
    unittest.main()
