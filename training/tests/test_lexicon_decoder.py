"""The word language model (training/build_lm.py) and the lexicon-constrained beam search."""

import contextlib
import io
import math
import tempfile
import unittest
from pathlib import Path

import numpy as np

import build_lm
from build_lm import ngram_arpa, training_vocabulary
from speechfm import text
from speechfm.lexicon_decoder import ArpaModel, LexiconDecoder

SENTENCES = ["the cat sat", "the cat ran", "a dog sat", "the dog ran away"]


def model_of(sentences, order=2, **options):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lm.arpa"
        path.write_text(ngram_arpa(sentences, order, **options)[0], encoding="utf-8")
        return ArpaModel.read(path)


def peaky(token_sequence, frames_per_token=2, floor=-9.0):
    """Log-probs where each token (then a blank) dominates its frames, with blank the runner-up;
    `(id, id2, share)` entries split a frame between two tokens."""
    rows = []
    for item in token_sequence:
        row = np.full(len(text.TOKENS), floor)
        row[text.BLANK] = -3.0
        if isinstance(item, tuple):
            first, second, share = item
            row[first], row[second] = math.log(share), math.log(1 - share)
        else:
            row[item] = 0.0
        rows += [row] * frames_per_token
        blank = np.full(len(text.TOKENS), floor)
        blank[text.BLANK] = 0.0
        rows.append(blank)
    return np.array(rows)


def ids(word_text):
    return text.encode(word_text)


class BigramArpaTest(unittest.TestCase):
    def test_every_history_distributes_probability_one(self):
        lm = model_of(SENTENCES)
        for history in ("<s>", "the", "cat", "dog", "ran", "away"):
            total = sum(math.exp(lm.score((history,), w)) for w in lm.words() + ["</s>"])
            self.assertAlmostEqual(total, 1.0, places=6, msg=history)

    def test_seen_bigram_beats_backoff(self):
        lm = model_of(SENTENCES)
        self.assertGreater(lm.score(("the",), "cat"), lm.score(("the",), "sat"))
        self.assertEqual(lm.words(), ["a", "away", "cat", "dog", "ran", "sat", "the"])

    def test_trigram_histories_distribute_probability_one(self):
        lm = model_of(SENTENCES, order=3)
        self.assertEqual(lm.order, 3)
        for history in (("<s>", "the"), ("the", "cat"), ("the", "dog"), ("dog", "ran"), ("cat", "dog"), ("a",)):
            total = sum(math.exp(lm.score(history, w)) for w in lm.words() + ["</s>"])
            self.assertAlmostEqual(total, 1.0, places=5, msg=history)  # ARPA keeps 6 decimals of log10
        self.assertGreater(lm.score(("dog", "ran"), "away"), lm.score(("cat", "ran"), "away"))

    def test_words_outside_the_vocabulary_break_the_ngrams(self):
        vocabulary = {"the", "cat", "sat", "ran", "a", "dog", "away"}
        lm = model_of(SENTENCES + ["the zebra sat", "a cat ran"], vocabulary=vocabulary)
        self.assertEqual(lm.words(), ["a", "away", "cat", "dog", "ran", "sat", "the"])
        self.assertNotIn(("the", "zebra"), lm.ngrams)
        self.assertIn(("a", "cat"), lm.ngrams)
        self.assertGreater(lm.score(("a",), "cat"), model_of(SENTENCES).score(("a",), "cat"))
        for history in ("<s>", "the", "a", "cat"):
            total = sum(math.exp(lm.score((history,), w)) for w in lm.words() + ["</s>"])
            self.assertAlmostEqual(total, 1.0, places=6, msg=history)

    def test_min_count_leaves_out_rare_trigrams_and_keeps_the_distribution(self):
        sentences = SENTENCES + ["the cat sat"]
        pruned = model_of(sentences, order=3, min_count=2)
        self.assertIn(("the", "cat", "sat"), pruned.ngrams)
        self.assertNotIn(("the", "cat", "ran"), pruned.ngrams)
        self.assertIn(("the", "cat", "ran"), model_of(sentences, order=3).ngrams)
        for history in (("<s>", "the"), ("the", "cat"), ("the", "dog")):
            total = sum(math.exp(pruned.score(history, w)) for w in pruned.words() + ["</s>"])
            self.assertAlmostEqual(total, 1.0, places=5, msg=history)

    def test_perplexity_is_the_inverse_geometric_mean_word_probability(self):
        lm = model_of(SENTENCES)
        words = [("<s>", "the"), ("the", "cat"), ("cat", "ran"), ("ran", "</s>")]
        by_hand = math.exp(-sum(lm.score((history,), word) for history, word in words) / len(words))
        self.assertAlmostEqual(lm.perplexity(["the cat ran"]), by_hand, places=9)
        self.assertLess(lm.perplexity(["the cat ran"]), lm.perplexity(["ran the cat"]))

    def test_unknown_gets_the_singleton_share_and_histories_still_sum_to_one(self):
        lm = model_of(SENTENCES, order=3, unknown=True)
        # Seen once: a, away (of 17 tokens with </s>); the other words keep their shares of the rest.
        self.assertAlmostEqual(math.exp(lm.score((), "<unk>")), 2 / 17, places=5)
        self.assertAlmostEqual(math.exp(lm.score((), "the")), 3 / 17 * (1 - 2 / 17), places=5)
        self.assertNotIn("<unk>", lm.words())
        for history in (("<s>",), ("the",), ("cat",), ("<s>", "the"), ("the", "cat")):
            total = sum(math.exp(lm.score(history, w)) for w in lm.words() + ["</s>", "<unk>"])
            self.assertAlmostEqual(total, 1.0, places=5, msg=history)
        self.assertNotIn(("<unk>",), model_of(SENTENCES).ngrams)

    def test_bigram_min_count_leaves_out_rare_bigrams_and_keeps_the_distribution(self):
        pruned = model_of(SENTENCES, bigram_min_count=2)
        self.assertIn(("the", "cat"), pruned.ngrams)
        self.assertNotIn(("dog", "sat"), pruned.ngrams)
        for history in ("<s>", "the", "a", "dog"):
            total = sum(math.exp(pruned.score((history,), w)) for w in pruned.words() + ["</s>"])
            self.assertAlmostEqual(total, 1.0, places=5, msg=history)

    def test_vocabulary_size_keeps_the_most_frequent_words_and_gives_the_rest_to_unk(self):
        vocabulary = training_vocabulary(SENTENCES, 4)
        self.assertEqual(vocabulary, {"the", "cat", "sat", "ran"})
        lm = model_of(SENTENCES, vocabulary=vocabulary, unknown=True)
        # Of 17 running words with </s>, 4 are left out (a, dog, dog, away); seen once: none but the floor of 1.
        self.assertAlmostEqual(math.exp(lm.score((), "<unk>")), (1 + 4) / 17, places=5)
        self.assertEqual(lm.words(), ["cat", "ran", "sat", "the"])

    def test_gz_output_is_gzip_arpa_that_reads_back_the_same(self):
        with tempfile.TemporaryDirectory() as tmp:
            sentences = Path(tmp) / "data" / "sentences"
            sentences.mkdir(parents=True)
            (sentences / "train.txt").write_text("\n".join(SENTENCES) + "\n", encoding="utf-8")
            for name, decimals in (("lm.arpa.gz", "4"), ("lm.arpa", "6")):
                with contextlib.redirect_stdout(io.StringIO()):
                    build_lm.main(["--data", str(sentences.parent), "--out", f"{tmp}/{name}", "--decimals", decimals])
            with open(f"{tmp}/lm.arpa.gz", "rb") as handle:
                self.assertEqual(handle.read(2), b"\x1f\x8b")
            compressed, plain = ArpaModel.read(f"{tmp}/lm.arpa.gz"), ArpaModel.read(f"{tmp}/lm.arpa")
            self.assertEqual(compressed.ngrams.keys(), plain.ngrams.keys())
            for gram, (score, _) in plain.ngrams.items():
                self.assertAlmostEqual(compressed.ngrams[gram][0], score, delta=0.00006 * math.log(10), msg=gram)

    def test_excluded_sources_leave_their_sentences_and_words_out(self):
        with tempfile.TemporaryDirectory() as tmp:
            sentences = Path(tmp) / "data" / "sentences"
            sentences.mkdir(parents=True)
            (sentences / "train.txt").write_text("\n".join(SENTENCES) + "\n", encoding="utf-8")
            (sentences / "train.sources").write_text("fortunes\ngcide-note\nfortunes\ngcide-note\n", encoding="utf-8")
            with contextlib.redirect_stdout(io.StringIO()):
                build_lm.main(["--data", str(sentences.parent), "--out", f"{tmp}/lm.arpa",
                               "--exclude-sources", "gcide-note"])
            self.assertEqual(ArpaModel.read(f"{tmp}/lm.arpa").words(), ["a", "cat", "dog", "sat", "the"])
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                build_lm.main(["--data", str(sentences.parent), "--out", f"{tmp}/lm2.arpa",
                               "--exclude-sources", "gcide"])
            self.assertIn("no sentence comes from gcide (sources: fortunes, gcide-note)", printed.getvalue())
            self.assertEqual(len(ArpaModel.read(f"{tmp}/lm2.arpa").words()), 7)
            (sentences / "train.sources").unlink()
            with self.assertRaisesRegex(SystemExit, "train.sources not found"):
                build_lm.main(["--data", str(sentences.parent), "--out", f"{tmp}/lm2.arpa",
                               "--exclude-sources", "gcide-note"])

    def test_malformed_line_names_its_number(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bad.arpa"
            path.write_text("\\data\\\nngram 1=1\n\n\\1-grams:\n-1.0\n\\end\\\n", encoding="utf-8")
            with self.assertRaisesRegex(ValueError, "bad.arpa:5"):
                ArpaModel.read(path)


class LexiconDecoderTest(unittest.TestCase):
    def setUp(self):
        self.decoder = LexiconDecoder(model_of(SENTENCES), weight=0.8, word_bonus=0.0, beam_width=8)

    def test_clear_speech_of_lexicon_words_decodes_as_greedy(self):
        log_probs = peaky(ids("the cat sat"))
        self.assertEqual(text.greedy_decode(log_probs.argmax(-1)), "the cat sat")
        self.assertEqual(self.decoder.decode(log_probs), "the cat sat")

    def test_misspelling_becomes_the_lexicon_word(self):
        a, o = text.TOKENS.index("a"), text.TOKENS.index("o")
        sequence = ids("the d") + [(a, o, 0.6)] + ids("g")  # greedy spells "dag"
        log_probs = peaky(sequence)
        self.assertEqual(text.greedy_decode(log_probs.argmax(-1)), "the dag")
        self.assertEqual(self.decoder.decode(log_probs), "the dog")

    def test_leading_and_doubled_boundaries_are_not_words(self):
        log_probs = peaky([text.BOUNDARY] + ids("the") + [text.BOUNDARY, text.BOUNDARY] + ids("cat"))
        self.assertEqual(self.decoder.decode(log_probs), "the cat")

    def test_audio_ending_inside_a_non_word_falls_back_to_the_best_prefix(self):
        # A beam of one keeps only "the ca", which no lexicon word finishes as it is.
        decoder = LexiconDecoder(self.decoder.lm, weight=0.8, word_bonus=0.0, beam_width=1)
        self.assertEqual(decoder.decode(peaky(ids("the ca"))), "the ca")


class UnknownWordPathTest(unittest.TestCase):
    """The decoder with the unknown-word path on (``oov_penalty`` set)."""

    def setUp(self):
        self.lm = model_of(SENTENCES, unknown=True)

    def decoder(self, oov_penalty, lm=None, **options):
        return LexiconDecoder(lm or self.lm, weight=0.8, word_bonus=0.0, beam_width=8, oov_penalty=oov_penalty, **options)

    def test_word_outside_the_lexicon_keeps_its_spelling(self):
        log_probs = peaky(ids("the zebra sat"))
        self.assertNotEqual(LexiconDecoder(self.lm, 0.8, 0.0, 8).decode(log_probs), "the zebra sat")
        self.assertEqual(self.decoder(2.0).decode(log_probs), "the zebra sat")

    def test_penalty_decides_between_a_misspelling_and_the_lexicon_word(self):
        a, o = text.TOKENS.index("a"), text.TOKENS.index("o")
        log_probs = peaky(ids("the d") + [(a, o, 0.6)] + ids("g"))  # greedy spells "dag"
        self.assertEqual(self.decoder(0.0).decode(log_probs), "the dag")
        self.assertEqual(self.decoder(5.0).decode(log_probs), "the dog")

    def spell(self, decoder, word):
        state = (("<s>",), "", 0.0)
        for ch in word:
            state = decoder._extend(state, text.TOKENS.index(ch))
        return state

    def test_unknown_word_is_scored_once_as_unk_and_becomes_the_context(self):
        decoder = self.decoder(1.5)
        expected = 0.8 * self.lm.score(("<s>",), "<unk>") - 1.5
        self.assertAlmostEqual(self.spell(decoder, "z")[2], expected, places=12)  # "z" begins no word
        context, partial, lm = decoder._extend(self.spell(decoder, "zebra"), text.BOUNDARY)
        self.assertEqual((context, partial), (("<unk>",), ""))
        self.assertAlmostEqual(lm, expected, places=12)
        self.assertIsNone(decoder._extend((("<s>",), "", 0.0), text.BOUNDARY))

    def test_model_without_unk_uses_the_configured_probability_and_forgets_the_context(self):
        lm = model_of(SENTENCES)
        decoder = self.decoder(1.0, lm=lm, unknown_log10_prob=-4.0)
        context, _, score = decoder._extend(self.spell(decoder, "zebra"), text.BOUNDARY)
        self.assertEqual(context, ())
        self.assertAlmostEqual(score, 0.8 * -4.0 * math.log(10) - 1.0, places=12)
        self.assertEqual(decoder.decode(peaky(ids("the zebra sat"))), "the zebra sat")

    def test_lexicon_prefix_at_the_end_is_finished_as_an_unknown_word(self):
        decoder = LexiconDecoder(self.lm, 0.8, 0.0, beam_width=1, oov_penalty=1.0)
        self.assertEqual(decoder.decode(peaky(ids("the ca"))), "the ca")
        self.assertEqual(self.spell(decoder, "ca")[2], 0.0)  # "ca" begins "cat": scored only when finished
        self.assertIsNotNone(decoder._finish(((("the",), "ca", 0.0))))


if __name__ == "__main__":
    unittest.main()
