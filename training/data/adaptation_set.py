#!/usr/bin/python3
"""Writes a dataset for the exporter's ``adapt`` command in a domain the shipped adapters do not cover:
espeak-ng's Klatt voices (held out of all training, ``voices.ESPEAK_KLATT_VARIANTS``) sent through the
Codec2 vocoder at 1300 bit/s (digital radio), stored as 8 kHz FLAC.

Output: ``DIR/metadata.csv`` (``file_name,transcription``, the Hugging Face audiofolder layout) and
``DIR/audio/NNNNN.flac``. Sentences come from the ``fortunes`` package, shuffled with a fixed seed; ``--part
train`` reads them from the front of that order and ``--part test`` from the back, so the two never share a
sentence. A sentence read too fast for CTC (fewer encoder frames, 25 per second, than characters) is skipped,
as ``adapt`` would refuse it. Voice, rate and pitch of utterance ``i`` depend only on ``(--seed, --part, i)``.
"""

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from data import audio, corpus, voices  # noqa: E402

SAMPLE_RATE = 8000


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True, help="dataset directory to write")
    p.add_argument("--minutes", type=float, required=True, help="audio to write")
    p.add_argument("--part", choices=("train", "test"), default="train")
    p.add_argument("--seed", type=int, default=20)
    p.add_argument("--codec2-mode", default="3200", help="Codec2 bit rate; 'none': clean 16 kHz WAV (the same voices)")
    return p.parse_args(argv)


def through_codec2(samples, path, mode):
    """Encode float32 16 kHz samples with Codec2 and write the decoded speech to ``path`` (FLAC, 8 kHz)."""
    with tempfile.TemporaryDirectory() as tmp:
        raw, coded = os.path.join(tmp, "in.f32"), os.path.join(tmp, "speech.c2")
        samples.astype("<f4").tofile(raw)
        ffmpeg = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y"]
        subprocess.run(ffmpeg + ["-f", "f32le", "-ar", str(audio.SAMPLE_RATE), "-ac", "1", "-i", raw,
                                 "-ar", str(SAMPLE_RATE), "-c:a", "libcodec2", "-mode", mode, coded], check=True)
        subprocess.run(ffmpeg + ["-i", coded, "-ar", str(SAMPLE_RATE), path], check=True)


def main(argv=None):
    args = parse_args(argv)
    sentences = corpus.load_sources(["fortunes"])["fortunes"]
    random.Random(args.seed).shuffle(sentences)
    if args.part == "test":
        sentences.reverse()
    os.makedirs(os.path.join(args.out, "audio"), exist_ok=True)
    rows, seconds = [], 0.0
    for i, (text, speak) in enumerate(sentences):
        if seconds >= args.minutes * 60:
            break
        rng = random.Random(f"{args.seed}-{args.part}-{i}")
        voice = rng.choice(voices.ESPEAK_ENGLISH) + "+" + rng.choice(voices.ESPEAK_TRAIN_VARIANTS[1:])
        samples = audio.trim_silence(audio.espeak(speak, voice, rng.randint(140, 200), rng.randint(20, 80)),
                                     audio.SAMPLE_RATE)
        if len(samples) / audio.SAMPLE_RATE * 25 < len(text) + 4:
            continue
        samples = audio.peak_normalise(samples, -3.0)
        if args.codec2_mode == "none":
            name = f"audio/{i:05d}.wav"
            audio.write_pcm16(os.path.join(args.out, name), samples, audio.SAMPLE_RATE)
        else:
            name = f"audio/{i:05d}.flac"
            through_codec2(samples, os.path.join(args.out, name), args.codec2_mode)
        rows.append((name, text))
        seconds += len(samples) / audio.SAMPLE_RATE
    with open(os.path.join(args.out, "metadata.csv"), "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file_name", "transcription"])
        writer.writerows(rows)
    print(f"{len(rows)} utterances, {seconds / 60:.1f} min in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
