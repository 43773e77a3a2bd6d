"""The report's comparison of the server's translation scores with the reference implementation's, and its
fixed sections per pipeline."""

import unittest

import report_text
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


class StaticSectionsTest(unittest.TestCase):
    DECODER = {"weight": 0.7, "word_bonus": 1.5, "beam_width": 32, "oov_penalty": 4.0, "unknown_log10_prob": -7.0}

    def test_the_wide_run_names_its_pipeline_checkpoint_and_compressed_language_model(self):
        text = "\n".join(report_text.static_sections(True, "training/runs/wide", self.DECODER))
        self.assertIn("training/run_wide.sh", text)
        self.assertIn("--checkpoint training/runs/wide/wide.ckpt", text)
        self.assertIn("--language-model training/runs/wide/lm.arpa.gz --lm-weight 0.7 --word-bonus 1.5", text)
        self.assertIn("--oov-penalty 4.0 --unknown-log10-prob -7.0", text)
        self.assertIn("Spans of 3 encoder frames", text)
        self.assertNotIn("Open-text fine-tuning", text)
        self.assertNotIn("run_all.sh", text)

    def test_the_reference_run_keeps_its_own_pipeline_and_no_decoder_options_without_a_language_model(self):
        text = "\n".join(report_text.static_sections(False, "training/runs/reference", None))
        self.assertIn("training/run_all.sh", text)
        self.assertIn("Open-text fine-tuning", text)
        self.assertIn("    --quantize int8 --force\n```", text)
        self.assertNotIn("run_wide.sh", text)


if __name__ == "__main__":
    unittest.main()
