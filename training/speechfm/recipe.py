"""Shared pieces of the training recipes (``training/pretrain_bestrq.py``, ``train_ctc.py``,
``train_adapter.py``, ``evaluate.py``): data loading, batching, augmentation, the BEST-RQ
quantizer and masking, a resumable training loop, logging.

Stages run on the CPU by default; ``--device cuda`` runs the model on a GPU (features, batching and
augmentation stay on the CPU; each batch moves to the device in :func:`collate`). Utterances are
loaded once per stage: audio is read with
``data.audio.read_wav`` (PCM16 or mu-law), resampled to 16 kHz when needed
(:mod:`speechfm.resample`) and turned into log-mel features (:mod:`speechfm.features`), which are
kept in memory for the whole stage (1.75 h of audio is about 200 MB of float32 features).
"""

import argparse
import dataclasses
import json
import math
import os
import random
import time
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from . import features as feats
from .augment import corrupt
from .checkpoint import read_state_dict
from .resample import resample

DEFAULT_DATA = "training/data/generated"
DEFAULT_RUN = "training/runs/reference"
DOMAINS = ("general", "telephony", "far-field", "accent")
ADAPTER_DOMAINS = ("telephony", "far-field", "accent")


# ---------------------------------------------------------------------------------- logging


class Log:
    """Timestamped lines to stdout and a log file (appended, so a resumed run keeps its history)."""

    def __init__(self, path: Optional[Path]) -> None:
        self.path = Path(path) if path is not None else None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)

    def __call__(self, message: str) -> None:
        line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {message}"
        print(line, flush=True)
        if self.path is not None:
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")


@dataclasses.dataclass(frozen=True)
class Run:
    """A training stage's run directory, its log, the device it trains on and when its process started."""

    out: Path
    log: Log
    device: torch.device
    started: float

    def wall_seconds(self) -> float:
        """Seconds since this process started the stage (``last_process_wall_seconds`` of ``done.json``)."""
        return round(time.time() - self.started, 1)


def start_run(out, stage: str, args) -> Optional[Run]:
    """Starts the stage ``stage`` in the run directory ``out``: creates it and its ``log.txt``; when its ``done.json``
    exists, logs that and returns None (the stage is finished); else sets threads, seeds and device from ``args``
    (``threads``, ``seed``, ``device``) and logs the options."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    log = Log(out / "log.txt")
    if (out / "done.json").exists():
        log(f"{out / 'done.json'} exists: {stage} already finished")
        return None
    run = Run(out, log, setup_torch(args.threads, args.seed, args.device), time.time())
    log(f"{stage}: {vars(args)}")
    return run


def setup_torch(threads: int, seed: int, device: str = "cpu") -> torch.device:
    """Threads and seeds for a stage; returns the device its model runs on."""
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed % (2**32))
    device = torch.device(device)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise SystemExit("--device cuda: no CUDA device is available to this PyTorch")
        torch.cuda.manual_seed_all(seed)
    return device


def add_device_argument(parser) -> None:
    parser.add_argument("--device", default="cpu", help="where the model runs: cpu (default) or cuda")


def unit_fraction(value: str) -> float:
    """An argparse type: a number above 0 and at most 1."""
    number = float(value)
    if not 0.0 < number <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not above 0 and at most 1")
    return number


def add_train_subset_arguments(parser) -> None:
    """``--train-minutes`` or ``--train-fraction``: a low-resource run on the first utterances of each training
    split (:func:`load_utterances`' ``minutes`` and ``fraction``)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--train-minutes", type=float, default=None,
                       help="train on the first utterances of each training split adding up to this many minutes")
    group.add_argument("--train-fraction", type=unit_fraction, default=None,
                       help="train on the first utterances of each training split adding up to this share (0 to 1) "
                            "of its audio")


# ---------------------------------------------------------------------------------- data


@dataclasses.dataclass
class Utterance:
    id: str
    features: torch.Tensor  # [T, 80] float32 log-mel
    text: str
    duration: float
    corrupted: Optional[torch.Tensor] = None  # features of a reverberated, noisy copy (load_utterances)


def manifest_path(data_dir, domain: str, split: str) -> Path:
    return Path(data_dir) / domain / f"{split}.jsonl"


def read_manifest(path) -> List[dict]:
    path = Path(path)
    entries = []
    with open(path, "r", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                entry = json.loads(line)
                entry["audio_path"] = str(path.parent / entry["audio"])
                entries.append(entry)
    return entries


def load_waveform(path) -> np.ndarray:
    """Mono float32 waveform at 16 kHz (8 kHz telephony audio is resampled)."""
    from data.audio import read_wav  # training/data/audio.py (training/ is on sys.path)

    samples, rate = read_wav(path)
    if rate != feats.SAMPLE_RATE:
        samples = resample(samples, rate, feats.SAMPLE_RATE)
    return np.ascontiguousarray(samples, dtype=np.float32)


def load_utterances(data_dir, domain: str, split: str, log: Optional[Callable] = None,
                    limit: Optional[int] = None, corruption_seed: Optional[int] = None,
                    minutes: Optional[float] = None, fraction: Optional[float] = None) -> List[Utterance]:
    """Read one manifest and compute the features of every utterance; with ``corruption_seed`` also those of a
    reverberated, noisy copy (``augment.corrupt``; utterance ``i`` seeded by ``(corruption_seed, i)``). ``limit``
    keeps the first utterances, ``minutes`` the shortest prefix of the manifest (in random order) with that much
    audio, ``fraction`` the shortest prefix with that share of the audio."""
    entries = read_manifest(manifest_path(data_dir, domain, split))
    if limit is not None:
        entries = entries[:limit]
    if minutes is not None:
        entries = manifest_prefix(entries, minutes * 60)
    if fraction is not None:
        entries = manifest_prefix(entries, fraction * sum(float(entry["duration"]) for entry in entries))
    start = time.time()
    utterances = []
    for i, entry in enumerate(entries):
        wave = load_waveform(entry["audio_path"])
        corrupted = (None if corruption_seed is None else
                     feats.log_mel(torch.from_numpy(corrupt(wave, np.random.default_rng([corruption_seed, i])))))
        utterances.append(Utterance(entry["id"], feats.log_mel(torch.from_numpy(wave)), entry.get("text", ""),
                                    float(entry.get("duration", 0.0)), corrupted))
    if log is not None:
        hours = sum(u.features.shape[0] for u in utterances) / 100 / 3600
        copies = "" if corruption_seed is None else " and a corrupted copy of each"
        log(f"loaded {domain}/{split}: {len(utterances)} utterances{copies}, {hours:.3f} h, "
            f"{time.time() - start:.1f} s")
    return utterances


def manifest_prefix(entries: List[dict], seconds: float) -> List[dict]:
    """The first entries whose durations add up to at least ``seconds`` (all of them when they add up to less)."""
    total = 0.0
    for count, entry in enumerate(entries, 1):
        total += float(entry["duration"])
        if total >= seconds:
            return entries[:count]
    return entries


def silent_frames(features: torch.Tensor) -> torch.Tensor:
    """``[T]`` bool: frames of digital silence (every mel bin at the log floor of ``features.log_mel``)."""
    return (features <= math.log(feats.LOG_FLOOR) + 1e-3).all(-1)


def feature_stats(utterances: Sequence[Utterance], skip_silence: bool = False):
    """Per-mel-bin mean and standard deviation over all frames (float64 accumulation); with ``skip_silence``
    over the frames that are not digital silence (:func:`silent_frames`)."""
    total = torch.zeros(feats.NUM_MELS, dtype=torch.float64)
    total_sq = torch.zeros(feats.NUM_MELS, dtype=torch.float64)
    count = 0
    for u in utterances:
        x = u.features.double()
        if skip_silence:
            x = x[~silent_frames(u.features)]
        total += x.sum(0)
        total_sq += (x * x).sum(0)
        count += x.shape[0]
    mean = total / count
    std = torch.sqrt(torch.clamp(total_sq / count - mean * mean, min=1e-8))
    return mean.float(), std.float()


def initialise_base(model: nn.Module, init: Optional[str], utterances: Sequence[Utterance], skip_silence: bool,
                    log: Callable) -> None:
    """Start ``model`` from the base checkpoint ``init`` (its ``adapters.*`` left out, its ``frontend_norm``
    statistics kept) or, when ``init`` is empty or ``none``, from its random initialisation with the statistics of
    ``utterances`` (frames of digital silence left out with ``skip_silence``)."""
    if init and init.lower() != "none":
        state = read_state_dict(init)
        model.load_state_dict({n: t for n, t in state.items() if not n.startswith("adapters.")}, strict=True)
        log(f"initialised from {init} (frontend_norm statistics included)")
        return
    mean, std = feature_stats(utterances, skip_silence)
    with torch.no_grad():
        model.frontend_norm.mean.copy_(mean)
        model.frontend_norm.std.copy_(std)
    log("initialised at random; feature statistics from the training set")


def make_batches(lengths: Sequence[int], max_frames: int, max_batch: int) -> List[List[int]]:
    """Length-sorted batches whose padded size (count x longest) stays under ``max_frames``."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches, current, longest = [], [], 0
    for i in order:
        new_longest = max(longest, lengths[i])
        if current and (new_longest * (len(current) + 1) > max_frames or len(current) >= max_batch):
            batches.append(current)
            current, new_longest = [], lengths[i]
        current.append(i)
        longest = new_longest
    if current:
        batches.append(current)
    return batches


def epoch_batches(batches: List[List[int]], seed: int, epoch: int) -> List[List[int]]:
    """The fixed batches in a seeded order for this epoch."""
    order = list(range(len(batches)))
    random.Random(seed * 1000003 + epoch).shuffle(order)
    return [batches[i] for i in order]


def collate(utterances: Sequence[Utterance], device: torch.device = torch.device("cpu"), pad_to: int = 4):
    """Pad ``[T, 80]`` features to ``[B, T_max, 80]`` (T_max a multiple of 4) on ``device``; lengths int64."""
    lengths = torch.tensor([u.features.shape[0] for u in utterances], dtype=torch.int64)
    longest = int(lengths.max())
    longest = -(-longest // pad_to) * pad_to
    batch = torch.zeros(len(utterances), longest, feats.NUM_MELS)
    for b, u in enumerate(utterances):
        batch[b, : u.features.shape[0]] = u.features
    return batch.to(device), lengths.to(device)


# ---------------------------------------------------------------------------------- augmentation


def spec_augment(features: torch.Tensor, lengths: torch.Tensor, mean: torch.Tensor, generator: torch.Generator,
                 freq_masks: int = 2, freq_width: int = 12, time_masks: int = 2,
                 time_fraction: float = 0.05, time_width: int = 20) -> torch.Tensor:
    """SpecAugment without time warping: masked regions are set to the feature mean (0 after
    normalisation). Time mask width is at most ``min(time_width, time_fraction * length)``."""
    out = features.clone()
    batch = features.shape[0]
    for b in range(batch):
        length = int(lengths[b])
        for _ in range(freq_masks):
            width = int(torch.randint(0, freq_width + 1, (1,), generator=generator))
            start = int(torch.randint(0, feats.NUM_MELS - width + 1, (1,), generator=generator))
            out[b, :length, start:start + width] = mean[start:start + width]
        limit = max(1, min(time_width, int(time_fraction * length)))
        for _ in range(time_masks):
            width = int(torch.randint(0, limit + 1, (1,), generator=generator))
            start = int(torch.randint(0, max(1, length - width), (1,), generator=generator))
            out[b, start:start + width] = mean
    return out


def speed_perturb(features: torch.Tensor, factor: float) -> torch.Tensor:
    """Log-mel features ``[T, 80]`` of the same audio played ``factor`` times as fast (speed perturbation,
    Ko et al. 2015), made from the features: time resampled to ``round(T / factor)`` frames and every
    frequency multiplied by ``factor`` (filter m takes the log energy at its centre frequency / ``factor``,
    linearly interpolated between filter centres; beyond the top filter, the top filter's value). An
    approximation of resampling the waveform, at a small fraction of its cost and memory: shorter or longer
    sounds with formants and pitch moved up or down, as from another speaker."""
    if factor == 1.0:
        return features
    frames = features.shape[0]
    position = torch.clamp(torch.arange(max(1, round(frames / factor)), dtype=torch.float32) * factor, max=frames - 1)
    below = position.floor().long()
    above = torch.clamp(below + 1, max=frames - 1)
    weight = (position - below).unsqueeze(1)
    timed = features[below] * (1 - weight) + features[above] * weight
    low, high = (feats.hz_to_mel(torch.tensor(f, dtype=torch.float64)) for f in (feats.F_MIN, feats.F_MAX))
    step = (high - low) / (feats.NUM_MELS + 1)
    centres = feats.mel_to_hz(low + step * torch.arange(1, feats.NUM_MELS + 1, dtype=torch.float64))
    source = ((feats.hz_to_mel(centres / factor) - low) / step - 1).clamp(0, feats.NUM_MELS - 1).float()
    lower = source.floor().long()
    upper = torch.clamp(lower + 1, max=feats.NUM_MELS - 1)
    share = source - lower
    return timed[:, lower] * (1 - share) + timed[:, upper] * share


# ---------------------------------------------------------------------------------- BEST-RQ


class RandomProjectionQuantizer(nn.Module):
    """BEST-RQ target generator (Chiu et al., 2022): frozen and never trained.

    ``stack`` normalised feature frames (one encoder frame) are concatenated, projected with a
    random Xavier-initialised matrix to ``code_dim``, L2-normalised, and mapped to the nearest
    entry of a random codebook of L2-normalised vectors (nearest in L2 = largest dot product).
    Both random tensors derive from ``seed`` only, so the targets are reproducible and can be
    rebuilt on resume.
    """

    def __init__(self, input_dim: int = 80, stack: int = 4, code_dim: int = 16,
                 codebook_size: int = 1024, seed: int = 0) -> None:
        super().__init__()
        generator = torch.Generator().manual_seed(seed)
        fan_in = input_dim * stack
        projection = torch.randn(fan_in, code_dim, generator=generator) * math.sqrt(2.0 / (fan_in + code_dim))
        codebook = F.normalize(torch.randn(codebook_size, code_dim, generator=generator), dim=-1)
        self.stack = stack
        self.register_buffer("projection", projection)
        self.register_buffer("codebook", codebook)

    @property
    def codebook_size(self) -> int:
        return self.codebook.shape[0]

    @torch.no_grad()
    def forward(self, normalised: torch.Tensor) -> torch.Tensor:
        """``[B, T, 80]`` normalised features (T a multiple of ``stack``) -> labels ``[B, T/stack]``."""
        batch, frames, dim = normalised.shape
        stacked = normalised.reshape(batch, frames // self.stack, self.stack * dim)
        codes = F.normalize(stacked @ self.projection, dim=-1)
        return torch.argmax(codes @ self.codebook.t(), dim=-1)


def span_mask(lengths: torch.Tensor, frames: int, start_prob: float, span: int,
              generator: torch.Generator) -> torch.Tensor:
    """Boolean ``[B, frames]`` mask over encoder frames: every valid frame starts a masked span of
    ``span`` frames with probability ``start_prob``; each utterance gets at least one span. Spans
    are clipped to the valid length."""
    device = lengths.device
    lengths = lengths.cpu()
    batch = lengths.shape[0]
    starts = torch.rand(batch, frames, generator=generator) < start_prob
    positions = torch.arange(frames)
    valid = positions.unsqueeze(0) < lengths.unsqueeze(1)
    starts &= valid
    for b in range(batch):
        n = int(lengths[b])
        if n > 0 and not bool(starts[b].any()):
            starts[b, int(torch.randint(0, max(1, n - span + 1), (1,), generator=generator))] = True
    # mask[t] = any start in (t - span, t]
    padded = F.pad(starts.float().unsqueeze(1), (span - 1, 0))
    mask = F.max_pool1d(padded, kernel_size=span, stride=1).squeeze(1) > 0
    return (mask & valid).to(device)


def apply_feature_mask(features: torch.Tensor, mask: torch.Tensor, mean: torch.Tensor, std: torch.Tensor,
                       generator: torch.Generator, stack: int = 4, noise_std: float = 0.1) -> torch.Tensor:
    """Replace the feature frames of masked encoder frames by noise: ``N(0, noise_std^2)`` in the
    normalised domain, i.e. ``mean + std * noise`` in raw log-mel."""
    frame_mask = mask.repeat_interleave(stack, dim=1)[:, : features.shape[1]]
    noise = mean + std * noise_std * torch.randn(features.shape, generator=generator).to(features.device)
    return torch.where(frame_mask.unsqueeze(-1), noise, features)


# ---------------------------------------------------------------------------------- training loop


def atomic_save(obj, path: Path) -> None:
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def write_json(path: Path, obj) -> None:
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(obj, handle, indent=2)
        handle.write("\n")
    os.replace(tmp, path)


def lr_at(progress: float, step: int, peak: float, warmup: int, final_fraction: float = 0.02) -> float:
    """Linear warm-up over ``warmup`` steps, then cosine decay to ``final_fraction * peak``."""
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = min(max(progress, 0.0), 1.0)
    return peak * (final_fraction + (1 - final_fraction) * 0.5 * (1 + math.cos(math.pi * progress)))


class Trainer:
    """Resumable loop: fixed batches, seeded per-epoch order, periodic checkpoints.

    The state file (``state.pt`` in the run directory) holds the model and optimizer state, the
    step, the epoch and the position inside it, the accumulated training time and any ``extra``
    values (e.g. the best dev WER). A restarted run continues at the next unseen batch. Random
    numbers for augmentation and masking come from a generator seeded with ``(seed, step)``, so
    a resumed run draws the same numbers as an uninterrupted one.

    ``parameters`` is a list of parameters or of optimizer groups (``{"params": [...], "lr_scale": s}``); a
    group's learning rate is ``s`` times the schedule's (e.g. a pretrained encoder below a new head).

    Schedule progress is ``step / total_steps``; with ``time_budget`` (seconds) it is
    ``max(step / total_steps, elapsed / time_budget)`` and training stops when it reaches 1, so
    a slower machine still finishes in time with a fully decayed learning rate (at the cost of
    exact reproducibility, which then depends on the machine's speed).
    """

    def __init__(self, run_dir: Path, model: nn.Module, parameters: Iterable[nn.Parameter], log: Log,
                 peak_lr: float, warmup: int, weight_decay: float, seed: int, grad_clip: float = 5.0,
                 time_budget: Optional[float] = None, save_every: float = 120.0) -> None:
        self.run_dir = Path(run_dir)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.model = model
        groups = list(parameters)
        if not groups or not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        groups = [dict(g, params=[p for p in g["params"] if p.requires_grad], lr_scale=g.get("lr_scale", 1.0))
                  for g in groups]
        groups = [g for g in groups if g["params"]]
        self.parameters = [p for g in groups for p in g["params"]]
        self.optimizer = torch.optim.AdamW(groups, lr=peak_lr, betas=(0.9, 0.98), weight_decay=weight_decay)
        self.log = log
        self.peak_lr = peak_lr
        self.warmup = warmup
        self.seed = seed
        self.grad_clip = grad_clip
        self.time_budget = time_budget
        self.save_every = save_every
        self.step = 0
        self.epoch = 0
        self.batch_in_epoch = 0
        self.elapsed = 0.0
        self.extra: Dict = {}
        self.state_path = self.run_dir / "state.pt"
        self.extra_modules: Dict[str, nn.Module] = {}

    def add_module_state(self, name: str, module: nn.Module) -> None:
        """Also checkpoint ``module`` (e.g. the BEST-RQ prediction head)."""
        self.extra_modules[name] = module

    def resume(self) -> bool:
        if not self.state_path.exists():
            return False
        state = torch.load(self.state_path, map_location="cpu")
        self.model.load_state_dict(state["model"])
        for name, module in self.extra_modules.items():
            module.load_state_dict(state["modules"][name])
        self.optimizer.load_state_dict(state["optimizer"])
        self.step, self.epoch = state["step"], state["epoch"]
        self.batch_in_epoch, self.elapsed = state["batch_in_epoch"], state["elapsed"]
        self.extra = state.get("extra", {})
        self.log(f"resumed from {self.state_path}: step {self.step}, epoch {self.epoch}, "
                 f"batch {self.batch_in_epoch}, {self.elapsed:.0f} s trained")
        return True

    def save(self) -> None:
        atomic_save({
            "model": self.model.state_dict(),
            "modules": {n: m.state_dict() for n, m in self.extra_modules.items()},
            "optimizer": self.optimizer.state_dict(),
            "step": self.step, "epoch": self.epoch, "batch_in_epoch": self.batch_in_epoch,
            "elapsed": self.elapsed, "extra": self.extra,
        }, self.state_path)

    def progress(self, total_steps: int) -> float:
        p = self.step / max(total_steps, 1)
        if self.time_budget:
            p = max(p, self.elapsed / self.time_budget)
        return p

    def train(self, epochs: int, batches: List[List[int]], step_fn: Callable, epoch_end: Optional[Callable] = None,
              log_every: int = 20, train_mode: Callable = None, after_step: Optional[Callable] = None) -> None:
        """``step_fn(indices, generator) -> (loss tensor, stats dict)``; ``after_step(step)`` after each update
        (``step`` counts the updates so far); ``epoch_end(epoch)`` after each epoch."""
        total_steps = epochs * len(batches)
        self.log(f"training: {epochs} epochs x {len(batches)} batches = {total_steps} steps, peak lr {self.peak_lr}, "
                 f"warm-up {self.warmup}, time budget {self.time_budget or 'none'} s")
        last_save = time.time()
        window = {"loss": 0.0, "n": 0, "utts": 0, "time": 0.0}
        while self.epoch < epochs and self.progress(total_steps) < 1.0:
            order = epoch_batches(batches, self.seed, self.epoch)
            while self.batch_in_epoch < len(order):
                if self.progress(total_steps) >= 1.0:
                    break
                indices = order[self.batch_in_epoch]
                start = time.time()
                lr = lr_at(self.progress(total_steps), self.step, self.peak_lr, self.warmup)
                for group in self.optimizer.param_groups:
                    group["lr"] = lr * group.get("lr_scale", 1.0)
                (train_mode or self.model.train)()
                generator = torch.Generator().manual_seed(self.seed * 1000003 + self.step)
                loss, stats = step_fn(indices, generator)
                self.optimizer.zero_grad(set_to_none=True)
                loss.backward()
                grad_norm = torch.nn.utils.clip_grad_norm_(self.parameters, self.grad_clip)
                if torch.isfinite(grad_norm):
                    self.optimizer.step()
                else:
                    self.log(f"step {self.step}: non-finite gradient, update skipped")
                self.step += 1
                self.batch_in_epoch += 1
                if after_step is not None:
                    after_step(self.step)
                took = time.time() - start
                self.elapsed += took
                window["loss"] += float(loss)
                window["n"] += 1
                window["utts"] += len(indices)
                window["time"] += took
                if self.step % log_every == 0:
                    extra = " ".join(f"{k} {v:.3f}" for k, v in stats.items())
                    self.log(f"epoch {self.epoch} step {self.step}/{total_steps} loss {window['loss'] / window['n']:.4f} "
                             f"lr {lr:.2e} grad {float(grad_norm):.2f} {extra} "
                             f"{window['utts'] / window['time']:.1f} utt/s elapsed {self.elapsed / 60:.1f} min")
                    window = {"loss": 0.0, "n": 0, "utts": 0, "time": 0.0}
                if time.time() - last_save > self.save_every:
                    self.save()
                    last_save = time.time()
            if self.batch_in_epoch >= len(order):
                self.epoch += 1
                self.batch_in_epoch = 0
                if epoch_end is not None:
                    epoch_end(self.epoch - 1)
                self.save()
                last_save = time.time()
        if self.batch_in_epoch > 0 and epoch_end is not None:  # stopped mid-epoch by the time budget
            epoch_end(self.epoch)
        self.save()
        self.log(f"training finished: step {self.step}, epoch {self.epoch}, {self.elapsed / 60:.1f} min")
