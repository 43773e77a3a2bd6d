"""Voices, per-utterance parameters and the rendering of each acoustic domain.

Every utterance is described by a spec (a plain dict) drawn from a random generator seeded with
(global seed, set name, utterance index), so a spec never depends on the order in which work is
done, on the number of workers, or on which utterances already exist.
"""

import os
import random

import numpy as np

from . import audio, voices

# espeak-ng voices of the base ("general") data: pretraining, general, telephony and far-field.
GENERAL_VOICES = ["en-us", "en-gb", "en-gb-x-rp", "en-029", "en-gb-scotland"]
# Accent adapter: English text read by the German and Dutch espeak-ng voices (L2-accented English:
# w -> v, voiced s, final devoicing, German/Dutch vowels). espeak-ng switches to its English rules
# for a few very common English words, which keeps the speech intelligible. The MBROLA voices
# (mb-de1-en ...) would be the natural choice but need the non-free mbrola package, which Debian
# main does not ship.
ACCENT_VOICES = ["de", "nl"]
# Translation corpus: the speech language's own voices (English speech: the general voices).
TRANSLATION_VOICES = {"de": ["de"], "es": ["es", "es-419"], "en": GENERAL_VOICES}
# espeak-ng voice variants (timbre / pitch contour), "" = the voice's default.
VARIANTS = [""] + [f"m{i}" for i in range(1, 8)] + [f"f{i}" for i in range(1, 6)]

RATE_RANGE = (130, 195)   # words per minute (espeak-ng -s)
PITCH_RANGE = (25, 75)    # espeak-ng -p, 0..99
PEAK_DB_RANGE = (-12.0, -1.0)
LEAD_RANGE = (0.05, 0.30)  # seconds of silence before/after the speech
FAR_FIELD_SNR = (5.0, 15.0)
FAR_FIELD_NOISES = ["brownnoise", "pinknoise", "babble"]
TELEPHONY_HUM_SNR = (25.0, 40.0)
TELEPHONY_HISS_SNR = (30.0, 45.0)

DOMAINS = ["general", "telephony", "far-field", "accent"]
# Speech translation sets (opt-in: not part of the default run), domain -> (speech language, text language):
# German or Spanish speech with English text (the translation adapters), and English speech with German or
# Spanish text (the mid-training stage of training/README.md, "Multi-stage pretraining").
TRANSLATION_DOMAINS = {"translate-de": ("de", "en"), "translate-es": ("es", "en"),
                       "translate-en-de": ("en", "de"), "translate-en-es": ("en", "es")}

NOISE_FILES = {
    "brownnoise": "brownnoise.wav",
    "pinknoise": "pinknoise.wav",
    "whitenoise8k": "whitenoise8k.wav",
    "babble": "babble.wav",
}


def spec_rng(seed, set_name, index):
    return random.Random(f"{seed}:{set_name}:{index}")


def voices_for(domain):
    if domain in TRANSLATION_DOMAINS:
        return TRANSLATION_VOICES[TRANSLATION_DOMAINS[domain][0]]
    return ACCENT_VOICES if domain == "accent" else GENERAL_VOICES


def make_spec(seed, set_name, domain, index, text, speak):
    """Draw the parameters of one utterance."""
    rng = spec_rng(seed, set_name, index)
    base = rng.choice(voices_for(domain))
    variant = rng.choice(VARIANTS)
    spec = {
        "domain": domain,
        "text": text,
        "speak": speak,
        "voice": base + (f"+{variant}" if variant else ""),
        "rate": rng.randint(*RATE_RANGE),
        "pitch": rng.randint(*PITCH_RANGE),
        "peak_db": round(rng.uniform(*PEAK_DB_RANGE), 2),
        "lead": round(rng.uniform(*LEAD_RANGE), 3),
        "tail": round(rng.uniform(*LEAD_RANGE), 3),
    }
    if domain == "telephony":
        spec.update({
            "hum_hz": rng.choice([50, 60]),
            "hum_snr_db": round(rng.uniform(*TELEPHONY_HUM_SNR), 1),
            "hiss_snr_db": round(rng.uniform(*TELEPHONY_HISS_SNR), 1),
            "noise_offset": rng.randrange(1 << 30),
            "hum_phase": rng.randrange(1 << 30),
        })
    elif domain == "far-field":
        spec.update({
            # sox reverb: reverberance %, HF damping %, room scale %, stereo depth %, pre-delay ms, wet gain dB
            "reverb": [rng.randint(40, 95), rng.randint(20, 80), rng.randint(50, 100), 0,
                       rng.randint(0, 40), round(rng.uniform(-2.0, 4.0), 1)],
            "lowpass_hz": rng.randint(4000, 7000),
            "noise": rng.choice(FAR_FIELD_NOISES),
            "snr_db": round(rng.uniform(*FAR_FIELD_SNR), 1),
            "noise_offset": rng.randrange(1 << 30),
        })
    return spec


def make_wide_spec(seed, set_name, index, text, speak, held_out=False):
    """Draw the parameters of one clean utterance of the wide corpus (README.md, "Wide corpus"): engine,
    voice, rate and pitch from ``voices.draw_voice`` (the held-out voices when ``held_out``), then level
    and silences as for the other sets."""
    rng = spec_rng(seed, set_name, index)
    engine, voice, rate, pitch = voices.draw_voice(rng, held_out)
    return {
        "domain": "general",
        "engine": engine,
        "text": text,
        "speak": speak,
        "voice": voice,
        "rate": rate,
        "pitch": pitch,
        "peak_db": round(rng.uniform(*PEAK_DB_RANGE), 2),
        "lead": round(rng.uniform(*LEAD_RANGE), 3),
        "tail": round(rng.uniform(*LEAD_RANGE), 3),
    }


def output_format(domain):
    """(sample_rate, WAV format tag) of a domain's files."""
    if domain == "telephony":
        return audio.TELEPHONY_RATE, audio.WAVE_FORMAT_MULAW
    return audio.SAMPLE_RATE, audio.WAVE_FORMAT_PCM


# ---------------------------------------------------------------------------------------------
# Noise banks (built once per output directory, loaded lazily by each worker)

_BANKS = {}


def build_noise_banks(noise_dir, seconds):
    """Coloured noise from `sox synth`, written as 16-bit WAV (the babble bank is built separately)."""
    os.makedirs(noise_dir, exist_ok=True)
    for kind, rate in (("brownnoise", audio.SAMPLE_RATE), ("pinknoise", audio.SAMPLE_RATE),
                       ("whitenoise8k", audio.TELEPHONY_RATE)):
        path = os.path.join(noise_dir, NOISE_FILES[kind])
        if _valid(path, rate, seconds):
            continue
        x = audio.sox_noise(kind.replace("8k", ""), seconds, rate)
        audio.write_pcm16(path, 0.9 * x, rate)


def build_babble(noise_dir, clean_utterances, seconds, seed, streams=6):
    """Babble: `streams` simultaneous talkers, each a concatenation of clean utterances."""
    path = os.path.join(noise_dir, NOISE_FILES["babble"])
    if _valid(path, audio.SAMPLE_RATE, seconds):
        return
    n = int(seconds * audio.SAMPLE_RATE)
    rng = random.Random(f"{seed}:babble-mix")
    out = np.zeros(n, dtype=np.float64)
    pool = list(clean_utterances)
    for s in range(streams):
        rng.shuffle(pool)
        stream = np.concatenate(pool) if pool else np.zeros(n)
        reps = int(np.ceil(n / max(1, len(stream))))
        stream = np.tile(stream, reps)
        start = rng.randrange(len(stream) - n + 1)
        seg = stream[start:start + n]
        seg = seg / np.sqrt(np.mean(np.square(seg)) + 1e-12)
        out += seg * 10 ** (rng.uniform(-6, 0) / 20)
    out = out / (np.max(np.abs(out)) + 1e-12) * 0.9
    audio.write_pcm16(path, out, audio.SAMPLE_RATE)


def _valid(path, rate, seconds):
    try:
        info = audio.wav_info(path)
    except audio.AudioError:
        return False
    return info["sample_rate"] == rate and abs(info["duration"] - seconds) < 0.01


def _bank(noise_dir, kind):
    key = (noise_dir, kind)
    if key not in _BANKS:
        x, _ = audio.read_wav(os.path.join(noise_dir, NOISE_FILES[kind]))
        _BANKS[key] = x
    return _BANKS[key]


# ---------------------------------------------------------------------------------------------
# Rendering


def clean_speech(spec):
    """espeak-ng (or, for a spec whose engine is ``festival``, Festival) synthesis at 16 kHz, silence
    trimmed and re-padded by the spec's lead/tail."""
    if spec.get("engine") == "festival":
        x = audio.festival(spec["speak"], spec["voice"], spec["rate"], *spec["pitch"])
    else:
        x = audio.espeak(spec["speak"], voices.check_allowed(spec["voice"]), spec["rate"], spec["pitch"])
    x = audio.trim_silence(x, audio.SAMPLE_RATE, keep=0.0)
    sr = audio.SAMPLE_RATE
    return np.concatenate([np.zeros(int(spec["lead"] * sr), np.float32), x,
                           np.zeros(int(spec["tail"] * sr), np.float32)])


def render(spec, noise_dir):
    """Return (samples float32, sample_rate) of the finished utterance for spec['domain']."""
    domain = spec["domain"]
    x = clean_speech(spec)
    if domain in ("general", "accent") or domain in TRANSLATION_DOMAINS:
        return audio.peak_normalise(x, spec["peak_db"]), audio.SAMPLE_RATE
    if domain == "telephony":
        sr = audio.TELEPHONY_RATE
        y = audio.sox_run(x, audio.SAMPLE_RATE, ["sinc", "300-3400", "rate", "-v", str(sr)])
        t = (np.arange(len(y)) + spec["hum_phase"] % sr) / sr
        hum = sum(np.sin(2 * np.pi * spec["hum_hz"] * k * t) / k for k in range(1, 9))
        y = audio.mix_at_snr(y, hum.astype(np.float32), spec["hum_snr_db"], sr)
        hiss = audio.segment(_bank(noise_dir, "whitenoise8k"), spec["noise_offset"], len(y))
        y = audio.mix_at_snr(y, hiss, spec["hiss_snr_db"], sr)
        return audio.peak_normalise(y, spec["peak_db"]), sr
    if domain == "far-field":
        sr = audio.SAMPLE_RATE
        effects = ["pad", "0", "0.6", "reverb"] + [str(v) for v in spec["reverb"]] + \
                  ["lowpass", str(spec["lowpass_hz"])]
        y = audio.sox_run(x, sr, effects)
        noise = audio.segment(_bank(noise_dir, spec["noise"]), spec["noise_offset"], len(y))
        y = audio.mix_at_snr(y, noise, spec["snr_db"], sr)
        return audio.peak_normalise(y, spec["peak_db"]), sr
    raise ValueError(f"unknown domain {domain!r}")


def write(path, samples, sample_rate, domain):
    if domain == "telephony":
        audio.write_mulaw(path, samples, sample_rate)
    else:
        audio.write_pcm16(path, samples, sample_rate)


def existing_duration(path, domain):
    """Duration of an already generated, valid file for `domain`, or None."""
    try:
        info = audio.wav_info(path)
    except audio.AudioError:
        return None
    rate, tag = output_format(domain)
    if info["sample_rate"] != rate or info["format"] != tag or info["channels"] != 1 or info["frames"] == 0:
        return None
    return info["duration"]
