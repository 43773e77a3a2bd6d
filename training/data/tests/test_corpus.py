"""The wide corpus's sentence rules, splits and OOV rates."""

import random
import unittest

from data import corpus


def pairs(*texts):
    return [(t, t + ".") for t in texts]


class SentenceRulesTest(unittest.TestCase):
    def test_definitions_become_sentences(self):
        self.assertEqual(corpus.unit_sentences("definition", "a smooth lustrous round structure (Bot.)"),
                         [("a smooth lustrous round structure", "a smooth lustrous round structure.")])
        self.assertEqual(corpus.unit_sentences("example", "he talked big all evening"),
                         [("he talked big all evening", "he talked big all evening.")])

    def test_unreadable_sentences_are_dropped(self):
        for unit in ("used esp. of persons in authority", "a tax of 20 percent on imports",
                     "hmm that is a good question", "the NATO summit was held there",
                     "adj. not able to be drawn", "the central and western U.S. states",
                     "he fell to earth on a cold day in Jan. last year"):
            with self.subTest(unit=unit):
                self.assertEqual(corpus.unit_sentences("definition", unit), [])

    def test_prose_is_split_at_sentence_ends(self):
        got = [t for t, _ in corpus.unit_sentences("prose", "He smiled at me. Then he left the room quietly!")]
        self.assertEqual(got, ["he smiled at me", "then he left the room quietly"])

    def test_first_source_keeps_a_shared_sentence(self):
        units = {"fortunes": [("prose", "The cat sat on the mat.")],
                 "wordnet-example": [("example", "the cat sat on the mat"), ("example", "a dog ran home")]}
        got = corpus.load_sources(["fortunes", "wordnet-example"], units=units)
        self.assertEqual(got, {"fortunes": [("the cat sat on the mat", "the cat sat on the mat.")],
                               "wordnet-example": [("a dog ran home", "a dog ran home.")]})


class EverydayFileTest(unittest.TestCase):
    def test_every_line_is_readable_and_distinct(self):
        sentences = corpus.read_everyday()
        texts = [t for t, _ in sentences]
        self.assertEqual(len(texts), len(set(texts)))
        self.assertGreaterEqual(len(texts[0::2]), 150)
        self.assertGreaterEqual(len(texts[1::2]), 150)
        for t in texts:
            self.assertRegex(t, r"^[a-z']+( [a-z']+)*$")


class SplitTest(unittest.TestCase):
    def setUp(self):
        rng = random.Random(5)
        words = [f"w{chr(97 + i)}{chr(97 + j)}" for i in range(20) for j in range(20)]
        self.by_source = {
            "fortunes": sorted({(" ".join(rng.choice(words) for _ in range(8)),) * 2 for _ in range(300)}),
            "wordnet-example": sorted({(" ".join(rng.choice(words) for _ in range(5)),) * 2 for _ in range(300)}),
        }
        self.weights = {"fortunes": 0.75, "wordnet-example": 0.25}
        self.everyday = pairs("the first everyday sentence is here", "the second everyday sentence is here",
                              "a third everyday one", "and a fourth one")

    def test_weighted_order_is_deterministic_and_follows_the_weights(self):
        a = corpus.weighted_order(self.by_source, self.weights, random.Random(1))
        b = corpus.weighted_order(self.by_source, self.weights, random.Random(1))
        self.assertEqual(a, b)
        self.assertEqual(sorted(a), sorted(self.by_source["fortunes"] + self.by_source["wordnet-example"]))
        first = {t for t, _ in a[:200]}
        share = len(first & {t for t, _ in self.by_source["fortunes"]}) / 200
        self.assertTrue(0.65 < share < 0.85, share)

    def test_held_out_sets_share_nothing_with_the_training_text(self):
        train_text = self.by_source["fortunes"][0][0]
        # an open sentence that repeats six words of a source sentence, so that sentence must leave train
        everyday = self.everyday + pairs(" ".join(train_text.split()[:6]) + " again and again")
        pool, source_of = corpus.build_pool(self.by_source, everyday, 3, 40, 30, self.weights)
        self.assertEqual((len(pool["dev"]), len(pool["test"])), (40, 30))
        self.assertEqual(len(pool["open-dev"]) + len(pool["open-test"]), 5)
        held = [t for split in ("dev", "test", "open-dev", "open-test") for t, _ in pool[split]]
        self.assertEqual(len(held), len(set(held)))
        runs = {tuple(t.split()[i:i + 6]) for t in held for i in range(len(t.split()) - 5)}
        for text, _ in pool["train"]:
            self.assertNotIn(text, held)
            words = text.split()
            self.assertFalse(runs & {tuple(words[i:i + 6]) for i in range(len(words) - 5)}, text)
        self.assertNotIn(train_text, [t for t, _ in pool["train"]])
        total = sum(len(v) for v in self.by_source.values())
        self.assertGreater(len(pool["train"]), total - 70 - 40)  # dev/test and what they give away only
        self.assertEqual(pool, corpus.build_pool(self.by_source, everyday, 3, 40, 30, self.weights)[0])
        self.assertEqual(source_of[pool["dev"][0][0]] in self.weights, True)

    def test_gives_away_catches_containment_and_six_word_runs(self):
        test = corpus.gives_away(["i said nothing", "where is my old red hat today"])
        self.assertTrue(test("i said nothing"))
        self.assertTrue(test("and then i said nothing at all"))
        self.assertTrue(test("he asked where is my old red hat"))
        self.assertFalse(test("where is my old hat today"))
        self.assertFalse(test("we said nothing more"))
        self.assertFalse(test("zebras never said anything"))

    def test_an_open_sentence_found_in_a_source_is_not_held_out(self):
        everyday = self.everyday + [self.by_source["fortunes"][3]]
        pool, _ = corpus.build_pool(self.by_source, everyday, 3, 10, 10, self.weights)
        self.assertNotIn(self.by_source["fortunes"][3], pool["open-dev"] + pool["open-test"])


class OovTest(unittest.TestCase):
    def test_token_and_type_rates(self):
        known = corpus.vocabulary(pairs("the cat sat", "on the mat"))
        self.assertEqual(known, {"the", "cat", "sat", "on", "mat"})
        tokens, types = corpus.oov_rate(pairs("the dog sat on the dog"), known)
        self.assertAlmostEqual(tokens, 2 / 6)
        self.assertAlmostEqual(types, 1 / 4)
        self.assertEqual(corpus.oov_rate(["the cat"], known), (0.0, 0.0))
        self.assertEqual(corpus.oov_rate([], known), (0.0, 0.0))

    def test_pool_figures(self):
        pool = {"train": pairs("the cat sat", "on the mat"), "dev": pairs("the dog sat"), "test": pairs("a cat")}
        figures = corpus.pool_figures(pool, {"the cat sat": "fortunes"})
        self.assertEqual(figures["train"]["distinct_words"], 5)
        self.assertAlmostEqual(figures["dev"]["oov_token_rate"], round(1 / 3, 4))
        self.assertEqual(figures["test"]["oov_type_rate"], 0.5)
        self.assertEqual(figures["train"]["sources"], {"everyday": 1, "fortunes": 1})


if __name__ == "__main__":
    unittest.main()
