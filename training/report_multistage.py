#!/usr/bin/python3
"""The table of the multi-stage pretraining ablation (``run_multistage.sh``): per arm, the training minutes and
steps of each stage, the mid-training's dev BLEU and chrF, and the recogniser's ``general/dev`` WER (best epoch)
and ``general/test`` WER (that epoch), with the relative test WER reduction over the arm without pretraining; read
from the arms' ``done.json``, printed as markdown (and written to ``--out``).

    /usr/bin/python3 training/report_multistage.py --run-dir training/runs/multistage
"""

import argparse
import json
import os
import sys
from pathlib import Path

# (run directory under --run-dir, what the arm trains, whether it has a mid-training stage), in the table's order;
# the first is the baseline.
ARMS = [
    ("none", "no pretraining -> ASR", False),
    ("ssl", "BEST-RQ -> ASR", False),
    ("ssl-st-de", "BEST-RQ -> ST en->de -> ASR", True),
    ("ssl-st-es", "BEST-RQ -> ST en->es -> ASR", True),
]
HEADER = ("| arm | stages | mid-training: min, steps, dev BLEU / chrF | ASR: min, steps | `general/dev` WER "
          "| `general/test` WER | test WER reduction vs. none |\n| --- | --- | --- | --- | ---: | ---: | ---: |")


def read_done(path: Path):
    """A stage's ``done.json``, or None when the stage has not finished."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def stage_cell(done) -> str:
    return f"{done['train_seconds'] / 60:.1f}, {done['steps']:,}"


def arm_row(run_dir: Path, arm: str, stages: str, mid_trained: bool, baseline_test_wer) -> str:
    """One arm's row; "not run yet" cells for a stage without ``done.json``."""
    asr, mid = read_done(run_dir / arm / "asr" / "done.json"), read_done(run_dir / arm / "mid" / "done.json")
    mid_cell = "-" if not mid_trained else "not run yet"
    if mid is not None:
        mid_cell = f"{stage_cell(mid)}, {mid['dev']['bleu']:.1f} / {mid['dev']['chrf']:.1f}"
    if asr is None:
        return f"| `{arm}` | {stages} | {mid_cell} | not run yet | | | |"
    reduction = "-"
    if arm != ARMS[0][0] and baseline_test_wer:
        reduction = f"{100 * (baseline_test_wer - asr['test_wer']) / baseline_test_wer:.1f} %"
    return (f"| `{arm}` | {stages} | {mid_cell} | {stage_cell(asr)} | {100 * asr['best_dev_wer']:.1f} % "
            f"| {100 * asr['test_wer']:.1f} % | {reduction} |")


def table(run_dir: Path) -> str:
    baseline = read_done(run_dir / ARMS[0][0] / "asr" / "done.json")
    baseline_test_wer = baseline["test_wer"] if baseline else None
    return "\n".join([HEADER] + [arm_row(run_dir, *arm, baseline_test_wer) for arm in ARMS]) + "\n"


def publish(text: str, out) -> None:
    """Print a table and, when ``out`` is given, write it to that file (whole or not at all)."""
    sys.stdout.write(text)
    if out:
        tmp = out + ".part"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--run-dir", default="training/runs/multistage", help="run_multistage.sh's RUN")
    p.add_argument("--out", default=None, help="also write the table to this file")
    args = p.parse_args(argv)
    publish(table(Path(args.run_dir)), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
