"""Translation head: a small Transformer decoder over the encoder output (docs/model.md, "Translation
decoder"), its word-level vocabulary of the target language (English, or German and Spanish for the mid-training
of multi-stage pretraining) and greedy decoding.

The decoder has the signature of the ONNX graphs the exporter builds from it:

* :meth:`TranslationDecoder.cross_kv` (``decoder_cross.onnx``): the cross-attention keys and values
  of every layer, computed once per utterance from ``encoder_out``;
* :meth:`TranslationDecoder.step` (``decoder.onnx``): new tokens plus the self-attention cache of
  the previous steps in, logits plus the grown cache out. One token per call during decoding; the
  whole teacher-forced prefix at once during training (:meth:`TranslationDecoder.forward`, an empty
  cache), so training and decoding run the same code.
"""

import dataclasses
import json
import math
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from . import recipe
from .model import MASKED_SCORE

PAD, BOS, EOS, UNK = 0, 1, 2, 3
SPECIAL_TOKENS = ("<pad>", "<s>", "</s>", "<unk>")


class Vocabulary:
    """Word-level output vocabulary: the special tokens, then the training corpus's words sorted."""

    def __init__(self, tokens: Sequence[str]) -> None:
        if tuple(tokens[:len(SPECIAL_TOKENS)]) != SPECIAL_TOKENS:
            raise ValueError(f"a vocabulary starts with {SPECIAL_TOKENS}")
        self.tokens = list(tokens)
        self.index = {t: i for i, t in enumerate(self.tokens)}

    def __len__(self) -> int:
        return len(self.tokens)

    @classmethod
    def from_texts(cls, texts: Sequence[str]) -> "Vocabulary":
        return cls(list(SPECIAL_TOKENS) + sorted({w for text in texts for w in text.split()}))

    @classmethod
    def load(cls, path) -> "Vocabulary":
        return cls(Path(path).read_text(encoding="utf-8").splitlines())

    def save(self, path) -> None:
        Path(path).write_text("\n".join(self.tokens) + "\n", encoding="utf-8")

    def encode(self, text: str) -> List[int]:
        return [self.index.get(w, UNK) for w in text.split()]

    def decode(self, ids: Sequence[int]) -> str:
        words = []
        for i in ids:
            if i == EOS:
                break
            if i >= len(SPECIAL_TOKENS):
                words.append(self.tokens[i])
        return " ".join(words)

    def teacher_forcing(self, texts: Sequence[str], device=None) -> Tuple[torch.Tensor, torch.Tensor]:
        """Decoder inputs ``<s> w1 .. wn`` and targets ``w1 .. wn </s>``, padded with ``<pad>``: ``[B, S]`` each."""
        encoded = [self.encode(t) for t in texts]
        length = max(len(e) for e in encoded) + 1
        inputs = torch.full((len(texts), length), PAD, dtype=torch.int64)
        targets = torch.full((len(texts), length), PAD, dtype=torch.int64)
        for b, ids in enumerate(encoded):
            inputs[b, :len(ids) + 1] = torch.tensor([BOS] + ids)
            targets[b, :len(ids) + 1] = torch.tensor(ids + [EOS])
        return inputs.to(device), targets.to(device)


@dataclasses.dataclass
class DecoderConfig:
    vocab_size: int
    d_model: int = 192
    num_layers: int = 2
    num_heads: int = 4
    ff_dim: int = 768
    max_positions: int = 64
    dropout: float = 0.1

    @property
    def head_dim(self) -> int:
        return self.d_model // self.num_heads

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "DecoderConfig":
        return cls(**json.loads(text))


class DecoderAttention(nn.Module):
    """Multi-head attention with separate key/value projection, so keys and values can be cached."""

    def __init__(self, d_model: int, num_heads: int) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = d_model // num_heads
        self.q = nn.Linear(d_model, d_model)
        self.k = nn.Linear(d_model, d_model)
        self.v = nn.Linear(d_model, d_model)
        self.out = nn.Linear(d_model, d_model)

    def _split_heads(self, x: torch.Tensor) -> torch.Tensor:
        batch, frames, _ = x.shape
        return x.view(batch, frames, self.num_heads, self.head_dim).transpose(1, 2)  # [B, H, T, dh]

    def keys_values(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        return self._split_heads(self.k(x)), self._split_heads(self.v(x))

    def attend(self, x: torch.Tensor, keys: torch.Tensor, values: torch.Tensor, visible: torch.Tensor) -> torch.Tensor:
        """``x [B, S, d]``, ``keys``/``values [B, H, T, dh]``, ``visible`` broadcastable to ``[B, S, T]``."""
        q = self._split_heads(self.q(x))
        scores = torch.matmul(q, keys.transpose(-1, -2)) / math.sqrt(self.head_dim)
        scores = scores.masked_fill(~visible.unsqueeze(1), MASKED_SCORE)
        context = torch.matmul(torch.softmax(scores, dim=-1), values).transpose(1, 2).reshape(x.shape)
        return self.out(context)


class DecoderLayer(nn.Module):
    """Pre-norm layer: causal self-attention, cross-attention over the encoder output, feed-forward (ReLU)."""

    def __init__(self, config: DecoderConfig) -> None:
        super().__init__()
        d = config.d_model
        self.self_norm = nn.LayerNorm(d)
        self.self_attn = DecoderAttention(d, config.num_heads)
        self.cross_norm = nn.LayerNorm(d)
        self.cross_attn = DecoderAttention(d, config.num_heads)
        self.ff_norm = nn.LayerNorm(d)
        self.linear1 = nn.Linear(d, config.ff_dim)
        self.linear2 = nn.Linear(config.ff_dim, d)
        self.dropout = nn.Dropout(config.dropout)


@dataclasses.dataclass
class StepOutput:
    """Outputs of one decoder step, named like the ONNX graph outputs."""

    logits: torch.Tensor         # [B, S, V]
    present_key: torch.Tensor    # [L, B, H, P+S, dh]
    present_value: torch.Tensor  # [L, B, H, P+S, dh]


class TranslationDecoder(nn.Module):
    def __init__(self, config: DecoderConfig) -> None:
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.d_model)
        self.positions = nn.Embedding(config.max_positions, config.d_model)
        self.layers = nn.ModuleList(DecoderLayer(config) for _ in range(config.num_layers))
        self.final_norm = nn.LayerNorm(config.d_model)
        self.output = nn.Linear(config.d_model, config.vocab_size)
        self.dropout = nn.Dropout(config.dropout)
        nn.init.normal_(self.embed.weight, std=config.d_model ** -0.5)
        nn.init.normal_(self.positions.weight, std=config.d_model ** -0.5)

    def empty_cache(self, batch: int) -> Tuple[torch.Tensor, torch.Tensor]:
        """``past_key``, ``past_value`` before the first step: ``[L, B, H, 0, dh]``."""
        c = self.config
        empty = self.output.weight.new_zeros((c.num_layers, batch, c.num_heads, 0, c.head_dim))
        return empty, empty.clone()

    def cross_kv(self, encoder_out: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """``encoder_out [B, T, d]`` -> ``cross_key``, ``cross_value`` ``[L, B, H, T, dh]``."""
        pairs = [layer.cross_attn.keys_values(encoder_out) for layer in self.layers]
        return torch.stack([k for k, _ in pairs]), torch.stack([v for _, v in pairs])

    def step(self, tokens: torch.Tensor, past_key: torch.Tensor, past_value: torch.Tensor,
             cross_key: torch.Tensor, cross_value: torch.Tensor, encoder_lengths: torch.Tensor) -> StepOutput:
        """``tokens [B, S]`` int64 at positions ``P .. P+S-1`` where ``P = past_key.shape[3]``.

        Token ``s`` attends to the ``P`` cached positions and to new tokens ``0..s`` (causal), and to
        the encoder frames below ``encoder_lengths [B]``.
        """
        batch, new = tokens.shape
        past = past_key.shape[3]
        if past + new > self.config.max_positions:
            raise ValueError(f"{past + new} positions exceed the decoder's {self.config.max_positions}")
        device = tokens.device
        positions = torch.arange(past, past + new, device=device)
        x = self.dropout(self.embed(tokens) + self.positions(positions).unsqueeze(0))
        key_positions = torch.arange(past + new, device=device)
        causal = (key_positions.unsqueeze(0) <= positions.unsqueeze(1)).unsqueeze(0)  # [1, S, P+S]
        frames = torch.arange(cross_key.shape[3], device=device)
        encoder_valid = (frames.unsqueeze(0) < encoder_lengths.unsqueeze(1)).unsqueeze(1)  # [B, 1, T]
        present_keys, present_values = [], []
        for i, layer in enumerate(self.layers):
            y = layer.self_norm(x)
            k, v = layer.self_attn.keys_values(y)
            k = torch.cat([past_key[i], k], dim=2)
            v = torch.cat([past_value[i], v], dim=2)
            present_keys.append(k)
            present_values.append(v)
            x = x + layer.dropout(layer.self_attn.attend(y, k, v, causal))
            x = x + layer.dropout(layer.cross_attn.attend(layer.cross_norm(x), cross_key[i], cross_value[i],
                                                          encoder_valid))
            x = x + layer.dropout(layer.linear2(F.relu(layer.linear1(layer.ff_norm(x)))))
        logits = self.output(self.final_norm(x))
        return StepOutput(logits, torch.stack(present_keys), torch.stack(present_values))

    def forward(self, tokens: torch.Tensor, encoder_out: torch.Tensor, encoder_lengths: torch.Tensor) -> torch.Tensor:
        """Teacher-forced pass over whole prefixes: ``tokens [B, S]`` -> logits ``[B, S, V]``."""
        cross_key, cross_value = self.cross_kv(encoder_out)
        past_key, past_value = self.empty_cache(tokens.shape[0])
        return self.step(tokens, past_key, past_value, cross_key, cross_value, encoder_lengths).logits

    @torch.no_grad()
    def greedy(self, encoder_out: torch.Tensor, encoder_lengths: torch.Tensor, max_tokens: int = 40) -> List[List[int]]:
        """Batched greedy decoding with the key/value cache; token ids up to (without) ``</s>``."""
        batch = encoder_out.shape[0]
        max_tokens = min(max_tokens, self.config.max_positions)
        cross_key, cross_value = self.cross_kv(encoder_out)
        past_key, past_value = self.empty_cache(batch)
        tokens = torch.full((batch, 1), BOS, dtype=torch.int64, device=encoder_out.device)
        finished = torch.zeros(batch, dtype=torch.bool, device=encoder_out.device)
        outputs: List[List[int]] = [[] for _ in range(batch)]
        for _ in range(max_tokens):
            result = self.step(tokens, past_key, past_value, cross_key, cross_value, encoder_lengths)
            past_key, past_value = result.present_key, result.present_value
            best = result.logits[:, -1].argmax(dim=-1)
            for b in range(batch):
                if not finished[b] and int(best[b]) != EOS:
                    outputs[b].append(int(best[b]))
            finished |= best == EOS
            if bool(finished.all()):
                break
            tokens = best.unsqueeze(1)
        return outputs

    @torch.no_grad()
    def beam_search(self, encoder_out: torch.Tensor, encoder_lengths: torch.Tensor, beam_width: int = 4,
                    length_penalty: float = 1.0, max_tokens: int = 40) -> List[List[int]]:
        """Beam search per utterance with the key/value cache; token ids up to (without) ``</s>``.

        The server's search (docs/decoding.md, "Translation decoding"): a hypothesis scores
        ``sum log p / length ** length_penalty``, ``length`` counting ``</s>``; each step keeps the best
        ``beam_width`` live extensions, and ``</s>`` extensions ranked above them end. Search stops at
        ``max_tokens`` (live beams then end), when no beam is live, or when the best ended hypothesis beats
        what every live one can still reach.
        """
        return [self._beam_search_one(encoder_out[b:b + 1, :int(encoder_lengths[b])], beam_width, length_penalty,
                                      min(max_tokens, self.config.max_positions))
                for b in range(encoder_out.shape[0])]

    def _beam_search_one(self, encoder_out: torch.Tensor, width: int, length_penalty: float,
                         max_tokens: int) -> List[int]:
        def normalised(score: float, length: int) -> float:
            return score if length_penalty == 0 else score / (length ** length_penalty)

        cross_key, cross_value = self.cross_kv(encoder_out)
        lengths = torch.tensor([encoder_out.shape[1]], device=encoder_out.device)
        past_key, past_value = self.empty_cache(1)
        live: List[Tuple[float, List[int]]] = [(0.0, [])]
        ended: List[Tuple[float, List[int]]] = []  # (normalised score, tokens)
        for generated in range(1, max_tokens + 1):
            rows = len(live)
            tokens = torch.tensor([[seq[-1] if seq else BOS] for _, seq in live], device=encoder_out.device)
            result = self.step(tokens, past_key, past_value, cross_key.expand(-1, rows, -1, -1, -1),
                               cross_value.expand(-1, rows, -1, -1, -1), lengths.expand(rows))
            log_probs = torch.log_softmax(result.logits[:, -1].double(), dim=-1)
            candidates = [(score + float(log_probs[row, token]), row, token)
                          for row, (score, _) in enumerate(live) for token in range(log_probs.shape[-1])]
            candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
            extended, kept_rows = [], []
            for score, row, token in candidates:
                if len(extended) == width:
                    break
                if token == EOS:
                    ended.append((normalised(score, generated), live[row][1]))
                else:
                    extended.append((score, live[row][1] + [token]))
                    kept_rows.append(row)
            live = extended
            if generated == max_tokens:
                ended += [(normalised(score, generated), seq) for score, seq in live]
                break
            if not live or self._best_ended_beats_live(ended, live, width, generated, max_tokens, normalised):
                break
            index = torch.tensor(kept_rows, device=encoder_out.device)
            past_key = result.present_key.index_select(1, index)
            past_value = result.present_value.index_select(1, index)
        return max(ended, key=lambda e: e[0])[1] if ended else live[0][1]

    @staticmethod
    def _best_ended_beats_live(ended, live, width, generated, max_tokens, normalised) -> bool:
        """Log-probabilities only fall, so a live hypothesis can still reach at most its score normalised by
        the longest length; once ``width`` have ended, their best need only beat every live one's score now."""
        if not ended:
            return False
        best = max(score for score, _ in ended)
        if len(ended) >= width:
            return all(best >= normalised(score, generated) for score, _ in live)
        return all(best >= max(normalised(score, generated + 1), normalised(score, max_tokens)) for score, _ in live)

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.parameters())


# search(decoder, encoder_out, encoder_lengths) -> token ids per utterance, e.g. TranslationDecoder.greedy.
Search = Callable[["TranslationDecoder", torch.Tensor, torch.Tensor], List[List[int]]]


@torch.no_grad()
def translate_utterances(model, decoder: "TranslationDecoder", vocabulary: Vocabulary, utterances, domain: str,
                         search: Search, max_frames: int = 16000) -> List[str]:
    """Translations of ``utterances`` (batched by length, encoded by ``model`` with ``domain``'s adapter), in order."""
    model.eval()
    decoder.eval()
    device = model.ctc.weight.device
    hyps = [""] * len(utterances)
    for indices in recipe.make_batches([u.features.shape[0] for u in utterances], max_frames, 64):
        feats, lengths = recipe.collate([utterances[i] for i in indices], device)
        encoded = model.full_pass(feats, lengths, [domain] * len(indices))
        for i, ids in zip(indices, search(decoder, encoded.encoder_out, encoded.output_lengths)):
            hyps[i] = vocabulary.decode(ids)
    return hyps


def decoder_metadata(config: DecoderConfig, vocabulary: Vocabulary, domain: str) -> Dict[str, str]:
    """safetensors metadata of a decoder checkpoint: everything needed to rebuild it."""
    return {"decoder_config": config.to_json(), "vocabulary": "\n".join(vocabulary.tokens), "domain": domain}


def load_decoder(state: Dict[str, torch.Tensor], metadata: Dict[str, str]) -> Tuple[TranslationDecoder, Vocabulary]:
    config = DecoderConfig.from_json(metadata["decoder_config"])
    decoder = TranslationDecoder(config)
    decoder.load_state_dict(state, strict=True)
    return decoder.eval(), Vocabulary(metadata["vocabulary"].split("\n"))
