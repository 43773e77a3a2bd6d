#!/usr/bin/python3
"""Choose the base model for the adapters: the CTC run with the lower ``general/dev`` WER.

The candidates are the CTC runs of ``run_all.sh`` (``ctc``: from the BEST-RQ encoder;
``ctc-scratch``: from random initialisation), each judged by the best dev WER of its
``history.json``, so a run stopped early still competes with what it reached. The test sets are
not looked at. The winner's ``best.safetensors`` is copied to ``--out`` (default ``<run>/base.safetensors``)
and the choice recorded in ``<run>/base.json``.
"""

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speechfm import recipe  # noqa: E402

CANDIDATES = ("ctc", "ctc-scratch")


def best_dev_wer(run_dir: Path):
    """Best dev WER of a CTC run and its epoch, or None when it has not finished an epoch."""
    history_path = run_dir / "history.json"
    if not history_path.exists() or not (run_dir / "best.safetensors").exists():
        return None
    history = json.loads(history_path.read_text())
    if not history:
        return None
    best = min(history, key=lambda h: h["dev_wer"])
    return {"dev_wer": best["dev_wer"], "epoch": best["epoch"], "epochs_evaluated": len(history),
            "finished": (run_dir / "done.json").exists()}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--run-dir", default=recipe.DEFAULT_RUN)
    p.add_argument("--out", default=None, help="where the chosen checkpoint goes (default <run-dir>/base.safetensors)")
    args = p.parse_args(argv)
    run_dir = Path(args.run_dir)
    scores = {name: best_dev_wer(run_dir / name) for name in CANDIDATES}
    scores = {name: score for name, score in scores.items() if score is not None}
    if not scores:
        raise SystemExit(f"no CTC run with an evaluated epoch under {run_dir} ({', '.join(CANDIDATES)})")
    chosen = min(scores, key=lambda name: scores[name]["dev_wer"])
    out = Path(args.out) if args.out else run_dir / "base.safetensors"
    shutil.copyfile(run_dir / chosen / "best.safetensors", out)
    recipe.write_json(run_dir / "base.json", {"chosen": chosen, "candidates": scores, "checkpoint": out.name})
    print(f"base model: {chosen} (general/dev WER {100 * scores[chosen]['dev_wer']:.2f}%); candidates: "
          + ", ".join(f"{n} {100 * s['dev_wer']:.2f}%" for n, s in scores.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
