"""Band-limited resampling by a rational factor (windowed-sinc polyphase FIR).

Used to bring 8 kHz telephony audio to the model's 16 kHz. For a ratio ``up / down`` (reduced by
their gcd) the signal is conceptually zero-stuffed by ``up``, low-pass filtered at
``min(1/up, 1/down) * rolloff`` of the new Nyquist with a Kaiser-windowed sinc, and decimated by
``down``. The filter runs as a strided ``conv_transpose1d`` / ``conv1d`` pair, so only the
non-zero input samples and the kept output samples are computed.

Defaults: 16 zero crossings per side (filter length ``2 * 16 * max(up, down) + 1`` taps at the
high rate), Kaiser beta 8.6 (about 80 dB stop band), roll-off 0.94 (pass band to 3.76 kHz when
going 8 -> 16 kHz; telephony content ends at 3.4 kHz anyway). Output length is
``ceil(len * up / down)``; output sample ``n`` is aligned with input time ``n * down / up`` (zero
group delay: the filter is centred).
"""

import math

import numpy as np
import torch
import torch.nn.functional as F


def design_filter(up: int, down: int, zero_crossings: int = 16, beta: float = 8.6,
                  rolloff: float = 0.94) -> np.ndarray:
    """Kaiser-windowed sinc low-pass for the high rate ``up * rate``, gain ``up`` (float64)."""
    scale = max(up, down)
    cutoff = rolloff / scale  # normalised to the high-rate Nyquist frequency
    half = zero_crossings * scale
    n = np.arange(-half, half + 1, dtype=np.float64)
    taps = cutoff * np.sinc(cutoff * n) * np.kaiser(2 * half + 1, beta)
    return taps * up


def resample(waveform, orig_rate: int, new_rate: int, zero_crossings: int = 16,
             beta: float = 8.6, rolloff: float = 0.94):
    """Resample a 1-D float waveform (numpy array or tensor) from ``orig_rate`` to ``new_rate``.

    Returns the same type as given (numpy float32 for numpy input).
    """
    as_numpy = not isinstance(waveform, torch.Tensor)
    x = torch.as_tensor(np.asarray(waveform, dtype=np.float32)) if as_numpy else waveform
    if orig_rate == new_rate:
        return waveform
    g = math.gcd(int(orig_rate), int(new_rate))
    up, down = int(new_rate) // g, int(orig_rate) // g
    taps = torch.from_numpy(design_filter(up, down, zero_crossings, beta, rolloff)).to(x.dtype)
    half = (taps.numel() - 1) // 2
    n_in = x.shape[-1]
    n_out = -(-n_in * up // down)  # ceil
    # Zero-stuff by `up` and filter in one step: conv_transpose1d with stride `up`. The full
    # high-rate signal y[m] = sum_k x[k] h[m - k*up + half]; its length is (n_in-1)*up + len(h).
    high = F.conv_transpose1d(x.view(1, 1, -1), taps.flip(0).view(1, 1, -1), stride=up)
    high = high.view(-1)[half:]  # centre the filter: high[m] aligned with input time m / up
    needed = (n_out - 1) * down + 1
    if high.numel() < needed:
        high = F.pad(high, (0, needed - high.numel()))
    y = high[: needed: down][:n_out].contiguous()
    return y.numpy() if as_numpy else y
