import unittest

from data import textnorm


class NormaliseTest(unittest.TestCase):
    def test_cases(self):
        cases = {
            "Hello, World!": None,  # two words: below the 3-word minimum
            "Hello there, World!": "hello there world",
            "Don't PANIC, it's only a test.": None,  # acronym-like capitals
            "Don't panic; it's only a test.": "don't panic it's only a test",
            "A long-forgotten loved one will appear soon.": "a long forgotten loved one will appear soon",
            "\u201cIt\u2019s a caf\u00e9,\u201d she said.": "it's a cafe she said",
            "'Tis the season to be jolly.": "tis the season to be jolly",
            "The dogs' bowls are empty.": "the dogs bowls are empty",
            "Bank error in your favor.  Collect $200.": None,  # symbol and digits
            "We met in 1999 and never again.": None,  # digits are dropped, not spelled out
            "See http://example.com for more.": None,
            "Q: What is the answer to this?": None,
            "and then there were none": None,  # no final punctuation: likely a fragment
            "Wait for it...": None,
        }
        for raw, want in cases.items():
            with self.subTest(raw=raw):
                self.assertEqual(textnorm.normalize(raw), want)

    def test_output_vocabulary(self):
        text, speak = textnorm.normalize_with_prosody("Well -- I said, \"Why not?\" and left.")
        self.assertRegex(text, r"^[a-z']+( [a-z']+)*$")
        self.assertEqual(text, "well i said why not and left")
        # espeak-ng reads the same words, with the punctuation that shapes prosody
        self.assertEqual(speak.replace(",", "").replace("?", "").replace(".", ""), text)
        self.assertTrue(speak.endswith("."))

    def test_word_limits(self):
        self.assertIsNone(textnorm.normalize("one two three four five six.", max_words=5))
        self.assertEqual(textnorm.normalize("one two three.", min_words=3), "one two three")

    def test_split_sentences(self):
        parts = textnorm.split_sentences("Mr. Smith went home.  Then he slept! Did he dream? Yes.")
        self.assertEqual(parts, ["Mr. Smith went home.", "Then he slept!", "Did he dream?", "Yes."])


class PoolTest(unittest.TestCase):
    def test_splits_are_disjoint_and_deduplicated(self):
        sentences = [(f"sentence number {w}", f"sentence number {w}.") for w in "abcdefghijklmnopqrst" * 3]
        pool = textnorm.split_pool(sentences, seed=1, n_dev=4, n_test=5)
        sets = {k: [t for t, _ in v] for k, v in pool.items()}
        for k, v in sets.items():
            self.assertEqual(len(v), len(set(v)), k)
        self.assertEqual(len(sets["dev"]), 4)
        self.assertEqual(len(sets["test"]), 5)
        self.assertEqual(len(sets["train"]), 20 - 9)
        self.assertFalse(set(sets["train"]) & set(sets["dev"]))
        self.assertFalse(set(sets["train"]) & set(sets["test"]))
        self.assertFalse(set(sets["dev"]) & set(sets["test"]))
        # deterministic, and independent of input order
        again = textnorm.split_pool(list(reversed(sentences)), seed=1, n_dev=4, n_test=5)
        self.assertEqual(pool, again)

    def test_restrict_vocabulary_keeps_sentences_of_frequent_words(self):
        sentences = [("the cat sat", "The cat sat."), ("the dog sat", "The dog sat."),
                     ("the cat ran", "The cat ran."), ("a zebra sat", "A zebra sat.")]
        # counts: the 3, sat 3, cat 2, then a, dog, ran, zebra once each; ties break alphabetically
        kept = textnorm.restrict_vocabulary(sentences, 5)
        self.assertEqual([t for t, _ in kept], ["the cat sat", "the dog sat"])
        self.assertEqual(textnorm.restrict_vocabulary(sentences, 7), sentences)

    def test_drop_unseen_words_closes_the_vocabulary(self):
        pool = {"train": [("the cat sat", "")], "dev": [("the cat", ""), ("a cat", "")],
                "test": [("sat the cat", ""), ("the dog", "")]}
        closed = textnorm.drop_unseen_words(pool)
        self.assertEqual(closed["train"], pool["train"])
        self.assertEqual([t for t, _ in closed["dev"]], ["the cat"])
        self.assertEqual([t for t, _ in closed["test"]], ["sat the cat"])

    def test_extra_sentences_leave_out_the_pool_and_anything_that_gives_a_held_out_sentence_away(self):
        pool = {"train": [("the cat sat", "")], "dev": [("where is my old red hat today", "")],
                "test": [("i said nothing", "")]}
        sentences = [(t, t + ".") for t in (
            "the cat sat",                                   # a train sentence
            "i said nothing",                                # a test sentence
            "and then i said nothing at all",                # holds the test sentence
            "he asked where is my old red hat",              # six words of the dev sentence in a row
            "where is my old hat today",                     # five in a row: kept
            "i said nothing more",                           # begins with it
            "zebras never said anything",                    # unrelated: kept
        )]
        extra = [t for t, _ in textnorm.extra_sentences(sentences, pool)]
        self.assertEqual(extra, ["where is my old hat today", "zebras never said anything"])

    def test_too_few_sentences(self):
        with self.assertRaises(ValueError):
            textnorm.split_pool([("a b c", "a b c.")], seed=1, n_dev=1, n_test=1)

    def test_fortune_parsing(self):
        import os
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "f")
            with open(path, "w") as f:
                f.write("A banker is a fellow who lends you his umbrella when the sun\n"
                        "is shining and wants it back.\n\t\t-- Mark Twain\n%\n"
                        "Avoid reality at all costs.\n%\nBank error in your favor.  Collect $200.\n")
            got = [t for t, _ in textnorm.load_sentences([path])]
        self.assertEqual(got, [
            "a banker is a fellow who lends you his umbrella when the sun is shining and wants it back",
            "avoid reality at all costs",
            "bank error in your favor",  # "Collect $200." is dropped on its own
        ])


if __name__ == "__main__":
    unittest.main()
