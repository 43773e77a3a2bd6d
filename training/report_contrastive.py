#!/usr/bin/python3
"""The table of the contrastive speech-text pretraining ablation (``run_contrastive.sh``): per arm, the pretraining's
minutes, steps and dev score (the ASR stage's best ``general/dev`` WER, the contrastive stage's in-batch retrieval
accuracy beside chance), then, at each share of the task data, the ASR adapter's test WER and the translation
adapter's test BLEU / chrF (their kept epochs); read from the stages' ``done.json``, printed as markdown (and written
to ``--out``).

    /usr/bin/python3 training/report_contrastive.py --run-dir training/runs/contrastive
"""

import argparse
import sys
from pathlib import Path

from report_multistage import publish, read_done, stage_cell

# (run directory under --run-dir, what the arm's encoder is), in the table's order.
ARMS = [
    ("none", "no pretraining"),
    ("asr", "ASR (CTC) pretraining"),
    ("contrastive", "contrastive speech-text pretraining"),
]
NOT_RUN = "not run yet"


def pretraining_cell(run_dir: Path, arm: str) -> str:
    done = read_done(run_dir / arm / "pretrain" / "done.json")
    if arm == "none":
        return "-"
    if done is None:
        return NOT_RUN
    if arm == "asr":
        return f"{stage_cell(done)}, dev WER {100 * done['best_dev_wer']:.1f} %"
    return (f"{stage_cell(done)}, dev retrieval {100 * done['dev_retrieval_accuracy']:.1f} % "
            f"(chance {100 * done['dev_retrieval_chance']:.1f} %)")


def asr_cell(done) -> str:
    return NOT_RUN if done is None else f"{100 * done['test_wer']:.1f} %"


def translation_cell(done) -> str:
    return NOT_RUN if done is None else f"{done['test']['bleu']:.1f} / {done['test']['chrf']:.1f}"


def table(run_dir: Path, domain: str, language: str, percents) -> str:
    columns = ([f"`{domain}/test` WER, {p} %" for p in percents]
               + [f"`translate-{language}/test` BLEU / chrF, {p} %" for p in percents])
    lines = ["| arm | encoder | pretraining: min, steps, dev score | " + " | ".join(columns) + " |",
             "| --- | --- | --- |" + " ---: |" * len(columns)]
    for arm, encoder in ARMS:
        cells = ([asr_cell(read_done(run_dir / arm / f"{domain}-{p}pct" / "done.json")) for p in percents]
                 + [translation_cell(read_done(run_dir / arm / f"translate-{language}-{p}pct" / "done.json"))
                    for p in percents])
        lines.append(f"| `{arm}` | {encoder} | {pretraining_cell(run_dir, arm)} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--run-dir", default="training/runs/contrastive", help="run_contrastive.sh's RUN")
    p.add_argument("--domain", default="telephony", help="the ASR adapter's domain (DOMAIN)")
    p.add_argument("--language", default="de", help="the translation adapter's language (LANGUAGE)")
    p.add_argument("--percents", nargs="+", default=["10", "100"], help="shares of the task data (PERCENTS)")
    p.add_argument("--out", default=None, help="also write the table to this file")
    args = p.parse_args(argv)
    publish(table(Path(args.run_dir), args.domain, args.language, args.percents), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
