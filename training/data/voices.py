"""Voice inventory of the wide corpus: espeak-ng voices x variants and Festival voices, the voices
held out of all training (the new-voice sets), and the refusal of reserved voices.

The lists are fixed here (not read from the installed data), so the voices drawn for an utterance
depend only on the seed; ``check_installed`` tells when the machine lacks one of them.

Reserved voices: the Festival and other voices built from the CMU ARCTIC recordings (speakers slt,
awb, rms, bdl, clb, jmk, ksp; Debian ships ``festvox-us-slt-hts``, voice ``cmu_us_slt_arctic_hts``)
are kept for an evaluation outside this corpus. ``check_allowed`` refuses them wherever a voice is
rendered or listed, so no set (training or held out) can contain them.
"""

import glob
import os
import re
import subprocess

# espeak-ng's English voices that speak without MBROLA (the mb-* voices need the non-free mbrola).
ESPEAK_ENGLISH = ["en-us", "en-gb", "en-gb-x-rp", "en-029", "en-gb-scotland", "en-gb-x-gbclan",
                  "en-gb-x-gbcwmd", "en-us-nyc"]
# Where Debian's espeak-ng-data keeps the variant files (for the test that the lists below match them).
ESPEAK_VARIANT_DIR = next(iter(sorted(glob.glob("/usr/lib/*/espeak-ng-data/voices/!v"))),
                          "/usr/share/espeak-ng-data/voices/!v")
# Every variant file of espeak-ng 1.51 (espeak-ng-data/voices/!v), by file name.
ESPEAK_VARIANTS_ALL = [
    "Alex", "Alicia", "Andrea", "Andy", "Annie", "AnxiousAndy", "Demonic", "Denis", "Diogo", "Gene", "Gene2",
    "Henrique", "Hugo", "Jacky", "Lee", "Marco", "Mario", "Michael", "Mike", "Mr serious", "Nguyen",
    "RicishayMax", "RicishayMax2", "RicishayMax3", "Storm", "Tweaky", "UniRobot", "adam", "anika", "anikaRobot",
    "announcer", "antonio", "aunty", "belinda", "benjamin", "boris", "caleb", "croak", "david", "ed", "edward",
    "edward2", "f1", "f2", "f3", "f4", "f5", "fast", "grandma", "grandpa", "gustave", "iven", "iven2", "iven3",
    "iven4", "john", "kaukovalta", "klatt", "klatt2", "klatt3", "klatt4", "klatt5", "klatt6", "linda", "m1", "m2",
    "m3", "m4", "m5", "m6", "m7", "m8", "marcelo", "max", "michel", "miguel", "norbert", "pablo", "paul", "pedro",
    "quincy", "rob", "robert", "robosoft", "robosoft2", "robosoft3", "robosoft4", "robosoft5", "robosoft6",
    "robosoft7", "robosoft8", "sandro", "shelby", "steph", "steph2", "steph3", "travis", "victor", "whisper",
    "whisperf", "zac",
]
# Not used anywhere: whispered speech (no voicing), espeak-ng's unstable speed test, a distortion effect,
# and a file name with a space (awkward in a voice string and a manifest).
ESPEAK_VARIANTS_UNUSED = {"whisper", "whisperf", "fast", "Demonic", "Mr serious"}
# The variants that switch espeak-ng to its Klatt formant synthesiser (a `klatt N` line in the file):
# a different waveform generator, held out of all training as the espeak-ng part of the new-voice sets.
ESPEAK_KLATT_VARIANTS = ["UniRobot", "adam", "announcer", "benjamin", "caleb", "david", "edward", "edward2", "klatt",
                         "klatt2", "klatt3", "klatt4", "klatt5", "klatt6", "robosoft", "robosoft2", "robosoft3"]
ESPEAK_TRAIN_VARIANTS = [""] + [v for v in ESPEAK_VARIANTS_ALL
                                if v not in ESPEAK_VARIANTS_UNUSED and v not in ESPEAK_KLATT_VARIANTS]

# Festival diphone voices of Debian main that are not ARCTIC voices: kal (festvox-kallpc16k) for
# training, ked (festvox-kdlpc16k) held out. (festvox-rablpc16k is not in Debian 12; the 8 kHz
# packages are the same two speakers.)
FESTIVAL_TRAIN = ["kal_diphone"]
FESTIVAL_HELD_OUT = ["ked_diphone"]

# Share of the utterances of a training or in-domain set that Festival renders (the rest: espeak-ng).
FESTIVAL_SHARE = 0.25
# New-voice sets: half Festival's held-out voice, half espeak-ng's Klatt variants.
HELD_OUT_FESTIVAL_SHARE = 0.5

ESPEAK_RATE = (110, 240)      # words per minute
ESPEAK_PITCH = (10, 90)       # espeak-ng -p, 0..99
FESTIVAL_STRETCH = (0.75, 1.35)  # Duration_Stretch: above 1 is slower
FESTIVAL_F0_MEAN = (75, 170)  # Hz, target of the voice's F0 model
FESTIVAL_F0_STD = (8, 30)     # Hz

RESERVED_SPEAKERS = ("slt", "awb", "rms", "bdl", "clb", "jmk", "ksp")


class ReservedVoiceError(ValueError):
    """A voice kept for an evaluation outside this corpus was asked for."""


def is_reserved(voice):
    """True for a voice built from the CMU ARCTIC recordings: its name holds ``arctic`` or one of the
    ARCTIC speakers' names as a word (``cmu_us_slt_arctic_hts``, ``us-slt-hts``, ``festvox-us-awb``)."""
    tokens = set(re.split(r"[^a-z0-9]+", voice.lower()))
    return "arctic" in tokens or any(s in tokens for s in RESERVED_SPEAKERS)


def check_allowed(voice):
    """Raise ReservedVoiceError for a reserved voice; returns the voice otherwise."""
    if is_reserved(voice):
        raise ReservedVoiceError(f"voice {voice!r} is built from CMU ARCTIC recordings, which are reserved for a "
                                 "held-out evaluation and must never be synthesised into this corpus")
    return voice


def espeak_voice(base, variant):
    return check_allowed(base + (f"+{variant}" if variant else ""))


def draw_voice(rng, held_out=False):
    """Draw (engine, voice, rate, pitch) for one utterance of a training/in-domain set or, with
    ``held_out``, of a new-voice set. espeak-ng: rate in words/min and pitch 0-99; Festival: rate is
    the duration stretch and pitch is ``(f0_mean, f0_std)`` in Hz."""
    festival = rng.random() < (HELD_OUT_FESTIVAL_SHARE if held_out else FESTIVAL_SHARE)
    if festival:
        voice = check_allowed(rng.choice(FESTIVAL_HELD_OUT if held_out else FESTIVAL_TRAIN))
        return ("festival", voice, round(rng.uniform(*FESTIVAL_STRETCH), 3),
                [rng.randint(*FESTIVAL_F0_MEAN), rng.randint(*FESTIVAL_F0_STD)])
    variant = rng.choice(ESPEAK_KLATT_VARIANTS if held_out else ESPEAK_TRAIN_VARIANTS)
    return ("espeak-ng", espeak_voice(rng.choice(ESPEAK_ENGLISH), variant),
            rng.randint(*ESPEAK_RATE), rng.randint(*ESPEAK_PITCH))


def training_voices():
    """Every voice string a training or in-domain set may use."""
    return [espeak_voice(b, v) for b in ESPEAK_ENGLISH for v in ESPEAK_TRAIN_VARIANTS] + list(FESTIVAL_TRAIN)


def held_out_voices():
    """Every voice string of the new-voice sets (none is in ``training_voices``)."""
    return [espeak_voice(b, v) for b in ESPEAK_ENGLISH for v in ESPEAK_KLATT_VARIANTS] + list(FESTIVAL_HELD_OUT)


def check_installed():
    """Problems that would stop the wide corpus here: missing programs or voices (empty list: none)."""
    problems = []
    try:
        listed = subprocess.run(["espeak-ng", "--voices=variant"], capture_output=True, text=True).stdout
        files = {m.group(1) for m in re.finditer(r"!v/(\S+(?: serious)?)", listed)}
        missing = [v for v in ESPEAK_VARIANTS_ALL if v not in ESPEAK_VARIANTS_UNUSED and v not in files]
        if missing:
            problems.append(f"espeak-ng variants missing: {missing}")
    except OSError:
        problems.append("espeak-ng is not installed")
    festival_dirs = ["/usr/share/festival/voices/english"]
    for voice in FESTIVAL_TRAIN + FESTIVAL_HELD_OUT:
        if not any(os.path.isdir(os.path.join(d, voice)) for d in festival_dirs):
            problems.append(f"Festival voice {voice} is not installed (Debian packages festival, "
                            "festvox-kallpc16k, festvox-kdlpc16k)")
    return problems
