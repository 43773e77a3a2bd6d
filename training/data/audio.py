"""Audio helpers: WAV reading/writing (PCM16 and G.711 mu-law), espeak-ng and Festival synthesis, sox effects.

Everything here is deterministic: espeak-ng, Festival and sox produce the same samples for the same
input (a Festival session sets every parameter it varies before each utterance, so its output does not
depend on what it synthesised before), sox runs with -R (repeatable) and without dither (-D), and all
randomness comes from the per-utterance parameters chosen by the caller.
"""

import atexit
import multiprocessing.util
import os
import re
import struct
import subprocess
import tempfile

import numpy as np

SAMPLE_RATE = 16000
TELEPHONY_RATE = 8000
WAVE_FORMAT_PCM = 1
WAVE_FORMAT_FLOAT = 3
WAVE_FORMAT_MULAW = 7
WAVE_FORMAT_EXTENSIBLE = 0xFFFE

ESPEAK = os.environ.get("ESPEAK", "espeak-ng")
SOX = os.environ.get("SOX", "sox")
FESTIVAL = os.environ.get("FESTIVAL", "festival")
# The F0 model of the Festival diphone voices' linear-regression intonation (their voice files set
# model_f0_mean 170, model_f0_std 34); the target mean and deviation are what an utterance varies.
_FESTIVAL_MODEL_F0 = (170, 34)
_DONE = "speechserve-utterance-done"


class AudioError(RuntimeError):
    pass


# ---------------------------------------------------------------------------------------------
# WAV files


def wav_info(path):
    """Parse a RIFF/WAVE header. Returns dict(format, sample_rate, channels, bits, frames, duration).

    Raises AudioError for a missing, truncated or malformed file.
    """
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            head = f.read(12)
            if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                raise AudioError(f"{path}: not a RIFF/WAVE file")
            fmt = None
            pos = 12
            while pos + 8 <= size:
                f.seek(pos)
                cid, clen = struct.unpack("<4sI", f.read(8))
                if cid == b"fmt ":
                    raw = f.read(clen)
                    tag, ch, sr, _, _, bits = struct.unpack("<HHIIHH", raw[:16])
                    if tag == WAVE_FORMAT_EXTENSIBLE and len(raw) >= 26:
                        tag = struct.unpack("<H", raw[24:26])[0]
                    fmt = (tag, ch, sr, bits)
                elif cid == b"data":
                    if fmt is None:
                        raise AudioError(f"{path}: data before fmt")
                    if pos + 8 + clen > size:
                        raise AudioError(f"{path}: truncated data chunk")
                    tag, ch, sr, bits = fmt
                    frames = clen // (ch * bits // 8)
                    return {"format": tag, "sample_rate": sr, "channels": ch, "bits": bits,
                            "frames": frames, "duration": frames / sr, "data_offset": pos + 8,
                            "data_bytes": clen}
                pos += 8 + clen + (clen & 1)
    except OSError as e:
        raise AudioError(str(e)) from e
    except struct.error as e:
        raise AudioError(f"{path}: malformed header") from e
    raise AudioError(f"{path}: no data chunk")


def _mulaw_table():
    u = np.arange(256, dtype=np.int32)
    u = ~u & 0xFF
    sign = u & 0x80
    exponent = (u >> 4) & 0x07
    mantissa = u & 0x0F
    magnitude = ((mantissa << 3) + 0x84) << exponent
    sample = np.where(sign != 0, 0x84 - magnitude, magnitude - 0x84)
    return (sample / 32768.0).astype(np.float32)


_MULAW = _mulaw_table()


def read_wav(path):
    """Read a mono or multi-channel WAV (PCM 8/16/32-bit, float32, mu-law) as float32 [-1, 1].

    Returns (samples, sample_rate); multi-channel audio is averaged to mono.
    """
    info = wav_info(path)
    with open(path, "rb") as f:
        f.seek(info["data_offset"])
        raw = f.read(info["data_bytes"])
    tag, bits = info["format"], info["bits"]
    if tag == WAVE_FORMAT_MULAW and bits == 8:
        x = _MULAW[np.frombuffer(raw, dtype=np.uint8)]
    elif tag == WAVE_FORMAT_PCM and bits == 16:
        x = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif tag == WAVE_FORMAT_PCM and bits == 32:
        x = np.frombuffer(raw, dtype="<i4").astype(np.float32) / 2147483648.0
    elif tag == WAVE_FORMAT_PCM and bits == 8:
        x = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif tag == WAVE_FORMAT_FLOAT and bits == 32:
        x = np.frombuffer(raw, dtype="<f4").astype(np.float32)
    else:
        raise AudioError(f"{path}: unsupported WAV format {tag}/{bits} bits")
    ch = info["channels"]
    if ch > 1:
        x = x[: len(x) // ch * ch].reshape(-1, ch).mean(axis=1)
    return x, info["sample_rate"]


def to_pcm16(x):
    return np.clip(np.round(np.asarray(x, dtype=np.float64) * 32767.0), -32768, 32767).astype("<i2")


def write_pcm16(path, x, sample_rate):
    """Write mono 16-bit PCM WAV atomically (temporary file + rename)."""
    data = to_pcm16(x).tobytes()
    header = struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + len(data), b"WAVE", b"fmt ", 16,
                         WAVE_FORMAT_PCM, 1, sample_rate, sample_rate * 2, 2, 16, b"data", len(data))
    tmp = path + ".part"
    with open(tmp, "wb") as f:
        f.write(header)
        f.write(data)
    os.replace(tmp, path)


def write_mulaw(path, x, sample_rate):
    """Write mono G.711 mu-law WAV (format tag 7, 8 bits) with sox, atomically."""
    tmp = path + ".part"
    sox_run(x, sample_rate, [], out=["-t", "wav", "-e", "u-law", "-b", "8", tmp])
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------
# sox and espeak-ng


def _run(cmd, data=None):
    p = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise AudioError(f"{' '.join(cmd[:6])}... failed ({p.returncode}): {p.stderr.decode(errors='replace').strip()}")
    return p.stdout


def sox_run(x, sample_rate, effects, out=None):
    """Run float32 mono samples through sox effects. Returns float32 samples (or writes `out`)."""
    cmd = [SOX, "-R", "-D", "-V1", "-t", "f32", "-r", str(sample_rate), "-c", "1", "-"]
    if out is None:
        cmd += ["-t", "f32", "-c", "1", "-"] + [str(e) for e in effects]
        return np.frombuffer(_run(cmd, np.asarray(x, dtype="<f4").tobytes()), dtype="<f4").copy()
    _run(cmd + list(out) + [str(e) for e in effects], np.asarray(x, dtype="<f4").tobytes())
    return None


def sox_noise(kind, seconds, sample_rate=SAMPLE_RATE):
    """Coloured noise from `sox synth` (whitenoise, pinknoise, brownnoise), float32, peak-normalised."""
    cmd = [SOX, "-R", "-D", "-V1", "-n", "-t", "f32", "-r", str(sample_rate), "-c", "1", "-",
           "synth", f"{seconds}", kind]
    x = np.frombuffer(_run(cmd), dtype="<f4").astype(np.float32)
    return x / max(1e-9, float(np.max(np.abs(x))))


def espeak(text, voice, rate, pitch, sample_rate=SAMPLE_RATE):
    """Synthesise `text` with espeak-ng and resample it (sox `rate -v`) to `sample_rate`."""
    wav = _run([ESPEAK, "-v", voice, "-s", str(int(rate)), "-p", str(int(pitch)), "--stdout", text])
    if len(wav) <= 44:
        raise AudioError(f"espeak-ng produced no audio for voice {voice}")
    cmd = [SOX, "-R", "-D", "-V1", "-t", "wav", "-", "-t", "f32", "-c", "1", "-",
           "rate", "-v", str(sample_rate)]
    return np.frombuffer(_run(cmd, wav), dtype="<f4").copy()


class FestivalSession:
    """One ``festival --pipe`` process that synthesises utterance after utterance.

    Starting Festival and loading a voice costs about 0.3 s, many times the synthesis of a sentence,
    so a worker keeps one session (``festival_session``). Before each utterance the session selects
    the voice (which resets its intonation and duration settings) and then sets the F0 target and
    the duration stretch, so an utterance's samples depend only on its own parameters.
    """

    def __init__(self):
        self._dir = tempfile.mkdtemp(prefix="festival-")
        self._stderr = open(os.path.join(self._dir, "stderr.txt"), "w+")
        # stdbuf: Festival's stdout is block-buffered on a pipe, and the end-of-utterance marker must come at once.
        self._proc = subprocess.Popen(["stdbuf", "-oL", FESTIVAL, "--pipe"], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=self._stderr, text=True, bufsize=1)
        self._count = 0

    def synthesize(self, text, voice, stretch, f0_mean, f0_std):
        """Samples (float32) and sample rate of `text` read by Festival voice `voice` (e.g. kal_diphone)."""
        from . import voices  # the reserved-voice refusal applies to every Festival call
        voices.check_allowed(voice)
        if not re.fullmatch(r"[a-z0-9_]+", voice):
            raise AudioError(f"bad Festival voice name {voice!r}")
        self._count += 1
        path = os.path.join(self._dir, f"utt{self._count % 2}.wav")
        if os.path.exists(path):
            os.remove(path)
        quoted = text.replace("\\", " ").replace('"', " ")
        model_mean, model_std = _FESTIVAL_MODEL_F0
        commands = (f"(voice_{voice})\n"
                    f"(set! int_lr_params '((target_f0_mean {int(f0_mean)}) (target_f0_std {int(f0_std)}) "
                    f"(model_f0_mean {model_mean}) (model_f0_std {model_std})))\n"
                    f"(Parameter.set 'Duration_Stretch {float(stretch)!r})\n"
                    f"(utt.save.wave (utt.synth (Utterance Text \"{quoted}\")) \"{path}\" 'riff)\n"
                    f"(print \"{_DONE}\")\n")
        try:
            self._proc.stdin.write(commands)
            self._proc.stdin.flush()
            while True:
                line = self._proc.stdout.readline()
                if not line:
                    raise AudioError(f"festival exited: {self._error_tail()}")
                if _DONE in line:
                    break
        except BrokenPipeError as e:
            raise AudioError(f"festival exited: {self._error_tail()}") from e
        try:
            return read_wav(path)
        except AudioError as e:
            raise AudioError(f"festival produced no audio for voice {voice}: {self._error_tail()}") from e

    def _error_tail(self):
        self._stderr.flush()
        self._stderr.seek(0)
        return " ".join(self._stderr.read().split())[-300:]

    def close(self):
        if self._stderr.closed:
            return
        if self._proc.poll() is None:
            try:
                self._proc.stdin.close()
            except OSError:
                pass
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc.stdout.close()
        self._stderr.close()
        for name in os.listdir(self._dir):
            os.remove(os.path.join(self._dir, name))
        os.rmdir(self._dir)


_SESSIONS = {}


def festival_session():
    """This process's Festival session (a forked worker starts its own)."""
    pid = os.getpid()
    if pid not in _SESSIONS:
        _SESSIONS[pid] = FestivalSession()
        # A pool worker leaves through os._exit, which skips atexit; multiprocessing runs these finalizers.
        multiprocessing.util.Finalize(_SESSIONS[pid], _SESSIONS[pid].close, exitpriority=10)
    return _SESSIONS[pid]


@atexit.register
def _close_sessions():
    session = _SESSIONS.pop(os.getpid(), None)
    if session is not None:
        session.close()


def festival(text, voice, stretch, f0_mean, f0_std, sample_rate=SAMPLE_RATE):
    """Synthesise `text` with a Festival voice; resampled (sox `rate -v`) to `sample_rate` if needed."""
    x, rate = festival_session().synthesize(text, voice, stretch, f0_mean, f0_std)
    if rate != sample_rate:
        x = _resample(x, rate, sample_rate)
    return x


def _resample(x, rate, sample_rate):
    cmd = [SOX, "-R", "-D", "-V1", "-t", "f32", "-r", str(rate), "-c", "1", "-", "-t", "f32", "-r", str(sample_rate),
           "-c", "1", "-", "rate", "-v", str(sample_rate)]
    return np.frombuffer(_run(cmd, np.asarray(x, dtype="<f4").tobytes()), dtype="<f4").copy()


def trim_silence(x, sample_rate, threshold_db=-50.0, keep=0.1):
    """Trim leading/trailing silence below `threshold_db` (relative to the peak), keeping `keep` s."""
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    if peak <= 0:
        return x
    idx = np.nonzero(np.abs(x) > peak * 10 ** (threshold_db / 20))[0]
    pad = int(keep * sample_rate)
    return x[max(0, idx[0] - pad): min(len(x), idx[-1] + 1 + pad)]


def active_power(x, sample_rate, frame=0.02, floor_db=-30.0):
    """Mean power over the frames within `floor_db` of the loudest frame (speech-active power)."""
    n = max(1, int(frame * sample_rate))
    m = len(x) // n
    if m == 0:
        return float(np.mean(np.square(x)) + 1e-12)
    e = np.mean(np.square(x[: m * n].reshape(m, n).astype(np.float64)), axis=1)
    active = e[e >= e.max() * 10 ** (floor_db / 10)]
    return float(active.mean() + 1e-12)


def peak_normalise(x, peak_db):
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    if peak <= 0:
        return x.astype(np.float32)
    return (x * (10 ** (peak_db / 20) / peak)).astype(np.float32)


def segment(bank, offset, length):
    """`length` samples of a noise bank starting at `offset`, wrapping around."""
    if len(bank) == 0:
        return np.zeros(length, dtype=np.float32)
    idx = (offset + np.arange(length)) % len(bank)
    return bank[idx]


def mix_at_snr(speech, noise, snr_db, sample_rate):
    """speech + noise scaled so that active speech power / noise power = snr_db."""
    ps = active_power(speech, sample_rate)
    pn = float(np.mean(np.square(noise.astype(np.float64)))) + 1e-12
    return (speech + noise * np.sqrt(ps / (pn * 10 ** (snr_db / 10)))).astype(np.float32)
