"""The translation sets of the synthesis pipeline (a few utterances each)."""

import os
import shutil
import tempfile
import unittest

from data import audio, domains, synthesize
from data.tests.test_pipeline import SENTENCES, read_manifest, run, tree_bytes

TINY = ["--vocabulary", "0", "--dev-sentences", "4", "--test-sentences", "4", "--pretrain-hours", "0",
        "--general-hours", "0.001", "--eval-minutes", "0.05", "--translation-minutes", "0.1",
        "--noise-seconds", "4", "--babble-utterances", "3", "--jobs", "2", "--no-progress"]


class TranslationCorpusTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="translation-test-")
        cls.text = os.path.join(cls.tmp, "text.txt")
        with open(cls.text, "w") as f:
            f.write("\n%\n".join(SENTENCES) + "\n")
        cls.plain = os.path.join(cls.tmp, "plain")
        cls.from_english = os.path.join(cls.tmp, "without-english-speech")
        cls.out = os.path.join(cls.tmp, "with-translation")
        run(["--out", cls.plain, "--text", cls.text, "--domains", "general"] + TINY)
        run(["--out", cls.from_english, "--text", cls.text, "--domains", "general,translate-de,translate-es"] + TINY)
        cls.summary = run(["--out", cls.out, "--text", cls.text, "--domains",
                           "general,translate-de,translate-es,translate-en-de,translate-en-es"] + TINY)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_recognition_sets_are_unchanged(self):
        """Every file of a run without translation sets is byte-identical in a run with them."""
        plain, with_translation = tree_bytes(self.plain), tree_bytes(self.out)
        self.assertIn("general/test.jsonl", plain)
        for name, content in plain.items():
            self.assertEqual(with_translation[name], content, name)
        extra = {name.split(os.sep)[0] for name in with_translation.keys() - plain.keys()}
        self.assertEqual(extra, {"translate-de", "translate-es", "translate-en-de", "translate-en-es", "sentences",
                                 "translation_state.json"})

    def test_english_speech_sets_leave_the_other_translation_sets_unchanged(self):
        without, with_english = tree_bytes(self.from_english), tree_bytes(self.out)
        self.assertIn(os.path.join("translate-de", "dev.jsonl"), without)
        for name, content in without.items():
            self.assertEqual(with_english[name], content, name)

    def test_manifests(self):
        for domain, (source, target) in domains.TRANSLATION_DOMAINS.items():
            for split in ("train", "dev", "test"):
                manifest = os.path.join(self.out, domain, f"{split}.jsonl")
                entries = read_manifest(manifest)
                self.assertGreater(len(entries), 0, manifest)
                for e in entries:
                    letters = "a-z" if target == "en" else r"^\W\d_"  # German and Spanish letters too
                    self.assertRegex(e["text"], rf"^[{letters}]+( [{letters}]+)*$")
                    self.assertEqual(e["text"], e["text"].lower())
                    self.assertEqual(e["source_language"], source)
                    self.assertIn(e["voice"].split("+")[0], domains.TRANSLATION_VOICES[source])
                    self.assertNotEqual(e["source_text"], e["text"])
                    info = audio.wav_info(os.path.join(self.out, domain, e["audio"]))
                    self.assertEqual((info["sample_rate"], info["format"], info["channels"]),
                                     (16000, audio.WAVE_FORMAT_PCM, 1))
                    self.assertAlmostEqual(info["duration"], e["duration"], places=3)
            total = sum(e["duration"] for e in read_manifest(os.path.join(self.out, domain, "train.jsonl")))
            self.assertLessEqual(total, 0.1 * 60)

    def test_languages_share_the_english_of_dev_and_test(self):
        for split in ("dev", "test"):
            de = read_manifest(os.path.join(self.out, "translate-de", f"{split}.jsonl"))
            es = read_manifest(os.path.join(self.out, "translate-es", f"{split}.jsonl"))
            n = min(len(de), len(es))
            self.assertEqual([e["text"] for e in de[:n]], [e["text"] for e in es[:n]])

    def test_english_speech_reads_the_english_of_the_german_sets(self):
        for split in ("dev", "test"):
            de = read_manifest(os.path.join(self.out, "translate-de", f"{split}.jsonl"))
            en_de = read_manifest(os.path.join(self.out, "translate-en-de", f"{split}.jsonl"))
            n = min(len(de), len(en_de))
            self.assertEqual([(e["source_text"], e["text"]) for e in en_de[:n]],
                             [(e["text"], e["source_text"]) for e in de[:n]])

    def test_splits_are_disjoint(self):
        sources = {}
        for split in ("train", "dev", "test"):
            with open(os.path.join(self.out, "sentences", "translation", f"{split}.tsv")) as f:
                sources[split] = {column for line in f for column in line.rstrip("\n").split("\t")}
        self.assertFalse(sources["train"] & sources["dev"])
        self.assertFalse(sources["train"] & sources["test"])
        self.assertFalse(sources["dev"] & sources["test"])
        for domain in domains.TRANSLATION_DOMAINS:
            for split in ("train", "dev", "test"):
                for e in read_manifest(os.path.join(self.out, domain, f"{split}.jsonl")):
                    self.assertIn(e["source_text"], sources[split])
                    self.assertIn(e["text"], sources[split])

    def test_default_domains_exclude_translation(self):
        self.assertEqual(synthesize.parse_args([]).domains, ",".join(domains.DOMAINS))


if __name__ == "__main__":
    unittest.main()
