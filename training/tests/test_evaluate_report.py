"""The report's comparison of the server's translation scores with the reference implementation's."""

import unittest

from evaluate import render_served_translation

RESULTS = {"beam_width": 4, "domains": {"translate-de": {
    "test": {"greedy": {"bleu": 30.0, "chrf": 50.0}, "beam": {"bleu": 32.0, "chrf": 52.0}}}}}


def render(served):
    lines = []
    render_served_translation(served, RESULTS, lines.append)
    return "\n".join(lines)


class ServedTranslationReportTest(unittest.TestCase):
    def test_without_served_scores_it_says_they_were_not_measured(self):
        report = render(None)
        self.assertIn("was not scored for this report", report)
        self.assertNotIn("same", report)

    def test_served_scores_are_tabled_beside_the_reference_with_the_largest_difference(self):
        served = {"translate-de": {"test": {"1": {"bleu": 30.0, "chrf": 50.0, "utterances": 10},
                                            "4": {"bleu": 31.5, "chrf": 52.25, "utterances": 10}}}}
        report = render(served)
        self.assertIn("| `translate-de/test` | 1 | 30.0 | 30.0 | 50.0 | 50.0 |", report)
        self.assertIn("| `translate-de/test` | 4 | 32.0 | 31.5 | 52.0 | 52.2 |", report)
        self.assertIn("Largest difference: 0.50 points.", report)

    def test_a_beam_width_the_reference_did_not_measure_is_left_out(self):
        self.assertIn("was not scored", render({"translate-de": {"test": {"8": {"bleu": 1.0, "chrf": 1.0}}}}))


if __name__ == "__main__":
    unittest.main()
