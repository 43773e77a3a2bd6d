#!/usr/bin/python3
"""Scores a GenAiBench run: BLEU and chrF of each hypothesis file (training/speechfm/mt_metrics.py, as
evaluate_translation.py scores), tokens per second from the timings; prints a markdown table.

    /usr/bin/python3 bench/Translation/GenAiBench/score.py OUT
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "training"))

from speechfm.mt_metrics import corpus_bleu, corpus_chrf  # noqa: E402


def lines(path: Path):
    return path.read_text(encoding="utf-8").split("\n")[:-1]


def main(argv):
    out = Path(argv[1])
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    print("| set | search | batch | decoder | BLEU | chrF | tokens | median ms | tokens/s | tokens/CPU-s | GenAI vs own: tokens/s, per CPU-s | same ids |")
    print("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for t in run["timings"]:
        domain, search, batch = t["domain"], t["search"], t["batch"]
        references = lines(out / f"{domain}.ref.txt")
        speed = {p: t[f"{p}_tokens"] / (t[f"{p}_ms"] / 1000) for p in ("own", "genai")}
        cpu_speed = {p: t[f"{p}_tokens"] / (t[f"{p}_cpu_ms"] / 1000) for p in ("own", "genai")}
        for path, name in (("own", "own loop"), ("genai", "GenAI")):
            hypotheses = lines(out / f"{domain}.{search}.b{batch}.{path}.txt")
            assert len(hypotheses) == len(references), (domain, search, batch, path)
            ratio = (f"{speed['genai'] / speed['own']:.2f}x, {cpu_speed['genai'] / cpu_speed['own']:.2f}x"
                     if path == "genai" else "")
            same = f"{t['same_ids']}/{t['utterances']}" if path == "genai" else ""
            print(f"| `{domain}/test` | {search} | {batch} | {name} | {corpus_bleu(hypotheses, references).score:.2f} | "
                  f"{corpus_chrf(hypotheses, references):.2f} | {t[f'{path}_tokens']} | {t[f'{path}_ms']:.1f} | "
                  f"{speed[path]:.0f} | {cpu_speed[path]:.0f} | {ratio} | {same} |")
    print()
    print(f"ONNX Runtime {run['onnxruntime']}, GenAI model type `{run['genai_model_type']}`, intra-op threads "
          f"{run['threads']}, GenAI beam search early_stopping {str(run['early_stopping']).lower()}, median wall and process CPU time of {run['iterations']} interleaved runs after one warm-up each; ONNX Runtime "
          f"libraries mapped into the process: {', '.join('`' + Path(p).name + '`' for p in run['mapped_libraries'])}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
