#!/usr/bin/python3
"""Word error rate of a running server on a dataset in the ``adapt`` layout (``metadata.csv`` or
``metadata.jsonl`` with ``file_name,transcription``), for each model id given: the base model and adapters.

Posts every file to ``POST /v1/audio/transcriptions`` (``response_format=text``), so the figures are what a
client gets, and prints one JSON object: ``{model: {"wer": ..., "utterances": ..., "words": ...}}``.

    /usr/bin/python3 training/score_served_dataset.py --url http://127.0.0.1:8093 --data radio-test \\
        --model speechfm-en-small --model radio
"""

import argparse
import csv
import json
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from score_served_translation import multipart  # noqa: E402
from speechfm import text  # noqa: E402


def read_rows(data: Path):
    if (data / "metadata.csv").exists():
        with open(data / "metadata.csv", newline="", encoding="utf-8") as handle:
            return [(row["file_name"], row["transcription"]) for row in csv.DictReader(handle)]
    lines = (data / "metadata.jsonl").read_text(encoding="utf-8").splitlines()
    return [(row["file_name"], row["transcription"]) for row in map(json.loads, filter(str.strip, lines))]


def transcribe(url, audio: Path, model: str) -> str:
    body, content_type = multipart({"model": model, "response_format": "text"}, audio.name, audio.read_bytes())
    request = urllib.request.Request(f"{url}/v1/audio/transcriptions", data=body, headers={"Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.read().decode("utf-8").strip()


def normalise(sentence: str) -> str:
    return " ".join("".join(c if c.isalpha() or c == "'" else " " for c in sentence.lower()).split())


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8093")
    p.add_argument("--data", required=True, help="dataset directory")
    p.add_argument("--model", action="append", required=True, help="model id (repeatable)")
    args = p.parse_args(argv)
    data = Path(args.data)
    rows = read_rows(data)
    references = [normalise(t) for _, t in rows]
    scores = {}
    for model in args.model:
        hypotheses = [normalise(transcribe(args.url, data / name, model)) for name, _ in rows]
        scores[model] = {"wer": text.wer(references, hypotheses), "utterances": len(rows),
                         "words": sum(len(r.split()) for r in references)}
    print(json.dumps(scores, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
