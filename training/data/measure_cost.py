#!/usr/bin/python3
"""Synthesis cost per hour of audio of each engine of the wide corpus, in one process.

    nice -n 19 /usr/bin/python3 training/data/measure_cost.py --utterances 60

Renders the everyday sentences (everyday.txt) with the wide corpus's training voice draws, kept to one
engine at a time, and prints wall and CPU seconds (this process and its espeak-ng, Festival and sox
children) per hour of rendered audio. Nothing is written.
"""

import argparse
import os
import sys
import time

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    __package__ = "data"  # noqa: A001

from . import audio, corpus, domains  # noqa: E402


def cpu_seconds():
    """CPU time of this process, its finished children and the (still running) Festival session."""
    t = os.times()
    total = t.user + t.system + t.children_user + t.children_system
    session = audio._SESSIONS.get(os.getpid())
    if session is not None:
        with open(f"/proc/{session._proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def measure_text2wave(specs):
    """(audio seconds, wall seconds) of one text2wave process per utterance (for comparison)."""
    import subprocess
    import tempfile
    wall, seconds = time.time(), 0.0
    with tempfile.TemporaryDirectory() as d:
        for spec in specs:
            path = os.path.join(d, "utt.wav")
            subprocess.run(["text2wave", "-eval", f"(voice_{spec['voice']})", "-o", path],
                           input=spec["speak"].encode(), check=True, capture_output=True)
            seconds += audio.wav_info(path)["duration"]
    return seconds, time.time() - wall


def measure(engine, sentences, count, seed):
    """(audio seconds, wall seconds, CPU seconds) of `count` utterances rendered by `engine`."""
    specs, i = [], 0
    while len(specs) < count:
        text, speak = sentences[i % len(sentences)]
        spec = domains.make_wide_spec(seed, "cost", i, text, speak)
        i += 1
        if spec["engine"] == engine:
            specs.append(spec)
    if engine == "festival":
        audio.festival_session()  # started once per worker in a run; not part of the per-utterance cost
    wall, cpu, seconds = time.time(), cpu_seconds(), 0.0
    for spec in specs:
        x, rate = domains.render(spec, None)
        seconds += len(x) / rate
    return seconds, time.time() - wall, cpu_seconds() - cpu, specs


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--utterances", type=int, default=60, help="utterances per engine")
    p.add_argument("--seed", type=int, default=20240607)
    args = p.parse_args(argv)
    sentences = corpus.read_everyday()
    for engine in ("espeak-ng", "festival"):
        seconds, wall, cpu, specs = measure(engine, sentences, args.utterances, args.seed)
        print(f"{engine:<10} {args.utterances} utterances, {seconds / 60:.2f} min of audio: "
              f"{wall:.1f} s wall, {cpu:.1f} s CPU -> {wall / seconds * 3600:.0f} s wall and "
              f"{cpu / seconds * 3600:.0f} s CPU per hour of audio (one process)")
    seconds, wall = measure_text2wave(specs[:20])
    print(f"text2wave  20 utterances, one process each, {seconds / 60:.2f} min of audio (untrimmed): {wall:.1f} s wall "
          f"-> {wall / seconds * 3600:.0f} s per hour of audio")


if __name__ == "__main__":
    main()
