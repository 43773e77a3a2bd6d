"""End-to-end checks of the synthesis pipeline on a tiny corpus (a few seconds of audio per set)."""

import contextlib
import io
import json
import os
import shutil
import tempfile
import unittest

from data import audio, domains, synthesize

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "A gift of a flower will soon be made to you.",
    "Avoid reality at all costs, and you will be fine.",
    "Are you sure the back door is locked?",
    "Another good night not to sleep in a eucalyptus tree.",
    "All the troubles you have will pass away very quickly.",
    "Among the lucky, you are the chosen one.",
    "Artistic ventures are highlighted this week.",
    "Beware of a tall dark man with one black shoe.",
    "Don't look now, but the man in the moon is laughing.",
    "Everything will be just fine tomorrow morning.",
    "It is a good day to have a good day.",
    "Good news will come to you by mail.",
    "Your lucky number has been disconnected.",
    "You will be reincarnated as a toad.",
    "Keep away from fire arms and sharp knives.",
]

TINY = ["--vocabulary", "0", "--dev-sentences", "4", "--test-sentences", "4", "--pretrain-hours", "0.0012",
        "--general-hours", "0.002", "--adapter-minutes", "0.15", "--eval-minutes", "0.12",
        "--noise-seconds", "4", "--babble-utterances", "3", "--jobs", "2", "--no-progress"]


def run(argv):
    """synthesize.main with its stderr log captured."""
    with contextlib.redirect_stderr(io.StringIO()):
        return synthesize.main(argv)


def tree_bytes(root):
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            if f in ("summary.json",) or f.endswith(".log"):
                continue
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = fh.read()
    return out


def read_manifest(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


class OpenTextSetTest(unittest.TestCase):
    """Sentences outside the vocabulary become the open-text set general/extra, read once each."""

    COMMON = ["The cat sat on the mat.", "The dog sat on the mat.", "The cat saw the dog.", "The dog saw the cat.",
              "A cat sat on a dog.", "A dog sat on a cat.", "The mat saw a cat.", "A mat saw the dog.",
              "The dog sat on a mat.", "The cat saw a mat.", "A cat saw a dog."]
    RARE = ["Zebras dance at midnight.", "My old hat is red today.", "The quick fox jumps high."]

    def test_open_text_sentences_are_read_once_each_and_kept_apart_from_the_pool(self):
        with tempfile.TemporaryDirectory(prefix="open-text-test-") as tmp:
            text = os.path.join(tmp, "text.txt")
            with open(text, "w") as f:
                f.write("\n%\n".join(self.COMMON + self.RARE) + "\n")
            out = os.path.join(tmp, "out")
            options = [o for o in TINY if o not in ("--vocabulary", "0")]
            summary = run(["--out", out, "--text", text, "--vocabulary", "8", "--domains", "general",
                           "--extra-hours", "0.01"] + options)
            sentences = {}
            for split in ("train", "dev", "test", "extra"):
                with open(os.path.join(out, "sentences", f"{split}.txt")) as f:
                    sentences[split] = f.read().split("\n")[:-1]
            self.assertEqual(sorted(sentences["extra"]),
                             ["my old hat is red today", "the quick fox jumps high", "zebras dance at midnight"])
            self.assertFalse(set(sentences["extra"]) & set(sentences["train"] + sentences["dev"] + sentences["test"]))
            read = [e["text"] for e in read_manifest(os.path.join(out, "general", "extra.jsonl"))]
            self.assertEqual(sorted(read), sorted(sentences["extra"]))
            self.assertEqual(summary["sets"]["general/extra"]["utterances"], 3)


class RerunTest(unittest.TestCase):
    def test_other_settings_stop_the_run_unless_overwrite_replaces_the_data(self):
        with tempfile.TemporaryDirectory(prefix="rerun-test-") as tmp:
            text = os.path.join(tmp, "text.txt")
            with open(text, "w") as f:
                f.write("\n%\n".join(SENTENCES) + "\n")
            out = os.path.join(tmp, "out")
            options = ["--out", out, "--text", text, "--domains", "general", "--pretrain-hours", "0"] + TINY
            run(options)
            with self.assertRaisesRegex(SystemExit, "data made with different settings"):
                run(options + ["--seed", "7"])
            run(options + ["--seed", "7", "--overwrite"])
            with open(os.path.join(out, "state.json")) as f:
                self.assertEqual(json.load(f)["seed"], 7)
            texts = {e["text"] for e in read_manifest(os.path.join(out, "general", "train.jsonl"))}
            with open(os.path.join(out, "sentences", "train.txt")) as f:
                self.assertTrue(texts <= set(f.read().split("\n")))


class PipelineTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="synth-test-")
        cls.text = os.path.join(cls.tmp, "text.txt")
        with open(cls.text, "w") as f:
            f.write("\n%\n".join(SENTENCES) + "\n")
        cls.out1 = os.path.join(cls.tmp, "a")
        cls.out2 = os.path.join(cls.tmp, "b")
        cls.summary = run(["--out", cls.out1, "--text", cls.text] + TINY)
        run(["--out", cls.out2, "--text", cls.text, "--jobs", "1"] + TINY[:-3] + ["--no-progress"])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_all_sets_present(self):
        want = {"pretrain/train"} | {f"{d}/{s}" for d in domains.DOMAINS for s in ("train", "dev", "test")}
        self.assertEqual(set(self.summary["sets"]), want)
        for name, s in self.summary["sets"].items():
            self.assertGreater(s["utterances"], 0, name)
            self.assertTrue(os.path.exists(os.path.join(self.out1, s["manifest"])), name)

    def test_deterministic_across_runs_and_workers(self):
        a, b = tree_bytes(self.out1), tree_bytes(self.out2)
        self.assertEqual(sorted(a), sorted(b))
        for k in a:
            self.assertEqual(a[k], b[k], k)

    def test_render_is_byte_identical(self):
        noise = os.path.join(self.out1, "noise")
        for domain in domains.DOMAINS:
            for i in range(3):
                spec = domains.make_spec(7, "unit", domain, i, "x", SENTENCES[i].lower())
                x1, r1 = domains.render(spec, noise)
                x2, r2 = domains.render(spec, noise)
                self.assertEqual(r1, r2)
                self.assertEqual(audio.to_pcm16(x1).tobytes(), audio.to_pcm16(x2).tobytes(), (domain, i))

    def test_split_disjointness(self):
        sets = {}
        for split in ("train", "dev", "test"):
            with open(os.path.join(self.out1, "sentences", f"{split}.txt")) as f:
                sets[split] = set(f.read().split("\n")) - {""}
        self.assertFalse(sets["train"] & sets["dev"])
        self.assertFalse(sets["train"] & sets["test"])
        self.assertFalse(sets["dev"] & sets["test"])
        for domain in domains.DOMAINS:
            for split in ("train", "dev", "test"):
                texts = {e["text"] for e in read_manifest(os.path.join(self.out1, domain, f"{split}.jsonl"))}
                self.assertTrue(texts <= sets[split], (domain, split))

    def test_formats_and_durations(self):
        expect = {"general": (16000, audio.WAVE_FORMAT_PCM, 16), "far-field": (16000, audio.WAVE_FORMAT_PCM, 16),
                  "accent": (16000, audio.WAVE_FORMAT_PCM, 16), "pretrain": (16000, audio.WAVE_FORMAT_PCM, 16),
                  "telephony": (8000, audio.WAVE_FORMAT_MULAW, 8)}
        for name, s in self.summary["sets"].items():
            domain = name.split("/")[0]
            manifest = os.path.join(self.out1, s["manifest"])
            for e in read_manifest(manifest):
                self.assertEqual(set(e) >= {"id", "audio", "text", "duration", "voice", "sample_rate"}, True)
                path = os.path.join(os.path.dirname(manifest), e["audio"])
                info = audio.wav_info(path)
                rate, tag, bits = expect[domain]
                self.assertEqual((info["sample_rate"], info["format"], info["bits"], info["channels"]),
                                 (rate, tag, bits, 1), path)
                self.assertEqual(e["sample_rate"], rate)
                self.assertAlmostEqual(info["duration"], e["duration"], places=3)
                self.assertGreater(e["duration"], 0.5)
                self.assertLess(e["duration"], 20.0)
                x, _ = audio.read_wav(path)
                self.assertLessEqual(float(abs(x).max()), 1.0)
                self.assertGreater(float(abs(x).max()), 0.05, path)
                if domain == "pretrain":
                    self.assertEqual(e["text"], "")
                else:
                    self.assertRegex(e["text"], r"^[a-z']+( [a-z']+)*$")
                if domain == "accent":
                    self.assertIn(e["voice"].split("+")[0], domains.ACCENT_VOICES)
                else:
                    self.assertIn(e["voice"].split("+")[0], domains.GENERAL_VOICES)

    def test_domain_conditions(self):
        """Clean domains start in digital silence; far-field and telephony carry background noise."""
        import numpy as np

        def lead_rms(domain):
            e = read_manifest(os.path.join(self.out1, domain, "dev.jsonl"))[0]
            x, sr = audio.read_wav(os.path.join(self.out1, domain, e["audio"]))
            return float(np.sqrt(np.mean(np.square(x[: int(0.04 * sr)]))))

        self.assertEqual(lead_rms("general"), 0.0)
        self.assertGreater(lead_rms("far-field"), 1e-3)
        self.assertGreater(lead_rms("telephony"), 1e-5)

    def test_adapter_cap(self):
        cap = 0.15 * 60
        for domain in ("telephony", "far-field", "accent"):
            entries = read_manifest(os.path.join(self.out1, domain, "train.jsonl"))
            total = sum(e["duration"] for e in entries)
            self.assertLessEqual(total, cap, domain)
            self.assertGreater(total, cap / 3, domain)
            # no audio beyond the manifest is left on disk
            files = os.listdir(os.path.join(self.out1, domain, "train"))
            self.assertEqual(sorted(files), sorted(os.path.basename(e["audio"]) for e in entries))

    def test_select_prefix(self):
        self.assertEqual(synthesize.select_prefix([3, 4, 5], 7), 2)
        self.assertEqual(synthesize.select_prefix([3, 4, 5], 6.9), 1)
        self.assertEqual(synthesize.select_prefix([3, 4, 1], 7.5), 2)  # a prefix, not a knapsack
        self.assertEqual(synthesize.select_prefix([10], 5), 0)
        self.assertEqual(synthesize.select_prefix([], 5), 0)

    def test_resume(self):
        out = os.path.join(self.tmp, "resume")
        shutil.copytree(self.out1, out)
        victim = os.path.join(out, "general", "dev", "general-dev-000000.wav")
        with open(victim, "r+b") as f:
            f.truncate(100)  # an interrupted write
        keep = os.path.join(out, "accent", "dev", "accent-dev-000000.wav")
        mtime = os.stat(keep).st_mtime_ns
        summary = run(["--out", out, "--text", self.text] + TINY)
        self.assertEqual(os.stat(keep).st_mtime_ns, mtime)
        with open(victim, "rb") as f, open(os.path.join(self.out1, "general", "dev", "general-dev-000000.wav"), "rb") as g:
            self.assertEqual(f.read(), g.read())
        self.assertEqual({k: v["utterances"] for k, v in summary["sets"].items()},
                         {k: v["utterances"] for k, v in self.summary["sets"].items()})

    def test_a_run_of_some_domains_keeps_the_others_in_the_summary(self):
        out = os.path.join(self.tmp, "subset")
        shutil.copytree(self.out1, out)
        summary = run(["--out", out, "--text", self.text, "--domains", "accent"] + TINY)
        self.assertEqual(set(summary["sets"]), set(self.summary["sets"]))

    def test_settings_change_is_refused(self):
        out = os.path.join(self.tmp, "other")
        shutil.copytree(self.out1, out)
        with self.assertRaises(SystemExit):
            synthesize.main(["--out", out, "--text", self.text, "--seed", "5"] + TINY)


if __name__ == "__main__":
    unittest.main()
