"""BLEU and chrF against values worked out by hand."""

import math
import unittest

from speechfm.mt_metrics import corpus_bleu, corpus_chrf


class BleuTest(unittest.TestCase):
    def test_identical_is_100(self):
        self.assertAlmostEqual(corpus_bleu(["the cat sat on the mat"], ["the cat sat on the mat"]).score, 100.0)

    def test_one_sentence_with_brevity_penalty(self):
        # Precisions 4/5, 3/4, 2/3, 1/2; c = 5 < r = 6.
        result = corpus_bleu(["a b c d e"], ["a b c d f g"])
        self.assertEqual(result.precisions, [4 / 5, 3 / 4, 2 / 3, 1 / 2])
        self.assertAlmostEqual(result.brevity_penalty, math.exp(1 - 6 / 5))
        self.assertAlmostEqual(result.score, 100 * (0.2 ** 0.25) * math.exp(-0.2), places=9)
        self.assertAlmostEqual(result.score, 54.752, places=3)

    def test_counts_are_pooled_over_the_corpus(self):
        # Matches 8/9, 6/7, 4/5, 2/3 summed over both sentences; c = 9, r = 10.
        result = corpus_bleu(["a b c d e", "x y z w"], ["a b c d f g", "x y z w"])
        self.assertAlmostEqual(result.score, 100 * (384 / 945) ** 0.25 * math.exp(1 - 10 / 9), places=9)

    def test_clipping_and_no_four_gram_match(self):
        result = corpus_bleu(["the the the the"], ["the cat is here"])
        self.assertEqual(result.precisions[0], 1 / 4)  # "the" counted at most once
        self.assertEqual(result.score, 0.0)

    def test_longer_hypothesis_has_no_penalty(self):
        result = corpus_bleu(["a b c d e f"], ["a b c d e"])
        self.assertEqual(result.brevity_penalty, 1.0)
        self.assertAlmostEqual(result.score, 100 * (5 / 6 * 4 / 5 * 3 / 4 * 2 / 3) ** 0.25, places=9)

    def test_empty_hypotheses(self):
        self.assertEqual(corpus_bleu([""], ["a b c d"]).score, 0.0)


class ChrfTest(unittest.TestCase):
    def test_identical_and_disjoint(self):
        self.assertAlmostEqual(corpus_chrf(["the dog sleeps"], ["the dog sleeps"]), 100.0)
        self.assertEqual(corpus_chrf(["xyz"], ["abc"]), 0.0)

    def test_recall_weighs_more_than_precision(self):
        # "ab" vs "abc": P = (1 + 1) / 2, R = (2/3 + 1/2) / 2 = 7/12 -> F2 = 5 * 7/12 / (4 + 7/12) = 35/55.
        self.assertAlmostEqual(corpus_chrf(["ab"], ["abc"]), 100 * 35 / 55, places=9)
        # Swapped: P = 7/12, R = 1 -> F2 = 5 * 7/12 / (4 * 7/12 + 1) = 35/40.
        self.assertAlmostEqual(corpus_chrf(["abc"], ["ab"]), 100 * 35 / 40, places=9)

    def test_whitespace_is_ignored(self):
        self.assertAlmostEqual(corpus_chrf(["a b c"], ["abc"]), 100.0)

    def test_six_orders_pooled_over_the_corpus(self):
        # "abcdefg" vs "abcdefh": per order n both sides have 8 - n n-grams, the 7 - n inside "abcdef"
        # match. Second pair identical ("zzzzzz": 7 - n n-grams each, all match). P = R per order.
        orders = range(1, 7)
        p = sum(((7 - n) + (7 - n)) / ((8 - n) + (7 - n)) for n in orders) / 6
        expected = 100 * 5 * p * p / (4 * p + p)
        self.assertAlmostEqual(corpus_chrf(["abcdefg", "zzzzzz"], ["abcdefh", "zzzzzz"]), expected, places=9)


if __name__ == "__main__":
    unittest.main()
