#!/usr/bin/python3
"""BLEU and chrF of a running server's translations of a translation domain's test set.

Posts every utterance of ``<data>/translate-<language>/<split>.jsonl`` to ``POST /v1/audio/translations``
(``response_format=text``) and scores the answers as ``evaluate_translation.py`` scores the reference
implementation, so the two can be compared:

    dotnet run --project src/Serving -- --urls http://127.0.0.1:8093 &
    /usr/bin/python3 training/score_served_translation.py --url http://127.0.0.1:8093 --language de --beam-width 4 \
        --out training/runs/reference/translation/served.json

With ``--out``, the scores are added to that JSON file (``{domain: {split: {beam width: scores}}}``), which
``evaluate.py`` reads to compare the served figures with its own in the report.
"""

import argparse
import json
import sys
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speechfm import recipe  # noqa: E402
from speechfm.mt_metrics import corpus_bleu, corpus_chrf  # noqa: E402


def multipart(fields, file_name, file_bytes):
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
                 f"Content-Type: audio/wav\r\n\r\n".encode() + file_bytes + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def translate(url, audio: Path, fields):
    body, content_type = multipart(fields, audio.name, audio.read_bytes())
    request = urllib.request.Request(f"{url}/v1/audio/translations", data=body, headers={"Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read().decode("utf-8").strip()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8093")
    p.add_argument("--language", required=True, choices=["de", "es"])
    p.add_argument("--split", default="test")
    p.add_argument("--data", default=recipe.DEFAULT_DATA)
    p.add_argument("--beam-width", type=int, default=4)
    p.add_argument("--out", default=None, help="JSON file to add the scores to (evaluate.py reads it)")
    args = p.parse_args(argv)
    domain = f"translate-{args.language}"
    manifest = Path(args.data) / domain / f"{args.split}.jsonl"
    entries = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip()]
    fields = {"model": domain, "response_format": "text", "beam_width": str(args.beam_width)}
    hypotheses = [translate(args.url, manifest.parent / e["audio"], fields) for e in entries]
    references = [e["text"] for e in entries]
    scores = {"bleu": corpus_bleu(hypotheses, references).score, "chrf": corpus_chrf(hypotheses, references),
              "utterances": len(entries)}
    print(f"{domain}/{args.split} served, beam width {args.beam_width}: BLEU {scores['bleu']:.2f} "
          f"chrF {scores['chrf']:.2f} ({len(entries)} utterances)")
    if args.out:
        out = Path(args.out)
        served = json.loads(out.read_text()) if out.exists() else {}
        served.setdefault(domain, {}).setdefault(args.split, {})[str(args.beam_width)] = scores
        recipe.write_json(out, served)
    return 0


if __name__ == "__main__":
    sys.exit(main())
