"""Translation decoder: cached step-by-step decoding equals the full causal pass; masks; vocabulary."""

import tempfile
import unittest
from pathlib import Path

import torch

from speechfm import checkpoint_safetensors
from speechfm.checkpoint import write_state_dict
from speechfm.translation import (BOS, EOS, PAD, UNK, DecoderConfig, TranslationDecoder, Vocabulary,
                                  decoder_metadata, load_decoder)


def random_decoder(vocab_size=37, seed=0) -> TranslationDecoder:
    torch.manual_seed(seed)
    return TranslationDecoder(DecoderConfig(vocab_size=vocab_size, max_positions=16)).double().eval()


def encoder_outputs(batch=2, frames=23, seed=1):
    generator = torch.Generator().manual_seed(seed)
    out = torch.randn(batch, frames, 192, generator=generator, dtype=torch.float64)
    lengths = torch.tensor([frames, frames - 9][:batch], dtype=torch.int64)
    return out, lengths


class DecoderTest(unittest.TestCase):
    def test_cached_steps_equal_the_full_causal_pass(self):
        decoder = random_decoder()
        encoder_out, lengths = encoder_outputs()
        tokens = torch.randint(4, 37, (2, 9), generator=torch.Generator().manual_seed(2))
        tokens[:, 0] = BOS
        full = decoder(tokens, encoder_out, lengths)
        cross_key, cross_value = decoder.cross_kv(encoder_out)
        past_key, past_value = decoder.empty_cache(2)
        steps = []
        for s in range(tokens.shape[1]):
            result = decoder.step(tokens[:, s:s + 1], past_key, past_value, cross_key, cross_value, lengths)
            self.assertEqual(tuple(result.present_key.shape), (2, 2, 4, s + 1, 48))
            past_key, past_value = result.present_key, result.present_value
            steps.append(result.logits)
        self.assertLess(float((torch.cat(steps, dim=1) - full).abs().max()), 1e-5)
        # Chunks of several tokens on a cache (prefix then rest) give the same logits as well.
        first = decoder.step(tokens[:, :4], *decoder.empty_cache(2), cross_key, cross_value, lengths)
        rest = decoder.step(tokens[:, 4:], first.present_key, first.present_value, cross_key, cross_value, lengths)
        self.assertLess(float((torch.cat([first.logits, rest.logits], dim=1) - full).abs().max()), 1e-5)

    def test_float32_cache_parity(self):
        decoder = random_decoder().float()
        encoder_out, lengths = encoder_outputs()
        encoder_out = encoder_out.float()
        tokens = torch.randint(4, 37, (2, 12), generator=torch.Generator().manual_seed(3))
        full = decoder(tokens, encoder_out, lengths)
        cross = decoder.cross_kv(encoder_out)
        past = decoder.empty_cache(2)
        for s in range(tokens.shape[1]):
            result = decoder.step(tokens[:, s:s + 1], *past, *cross, lengths)
            past = (result.present_key, result.present_value)
            self.assertLess(float((result.logits[:, 0] - full[:, s]).abs().max()), 1e-5)

    def test_future_tokens_and_padded_frames_are_invisible(self):
        decoder = random_decoder()
        encoder_out, lengths = encoder_outputs()
        tokens = torch.randint(4, 37, (2, 6), generator=torch.Generator().manual_seed(4))
        base = decoder(tokens, encoder_out, lengths)
        changed_tokens = tokens.clone()
        changed_tokens[:, 4:] = 5
        self.assertTrue(torch.equal(decoder(changed_tokens, encoder_out, lengths)[:, :4], base[:, :4]))
        self.assertFalse(torch.allclose(decoder(changed_tokens, encoder_out, lengths)[:, 4:], base[:, 4:]))
        padded = encoder_out.clone()
        padded[1, int(lengths[1]):] = 100.0
        self.assertTrue(torch.allclose(decoder(tokens, padded, lengths)[1], base[1], atol=1e-12))
        valid = encoder_out.clone()
        valid[1, int(lengths[1]) - 1] += 1.0
        self.assertFalse(torch.allclose(decoder(tokens, valid, lengths)[1], base[1]))

    def test_greedy_matches_step_by_step_argmax(self):
        decoder = random_decoder()
        encoder_out, lengths = encoder_outputs()
        hyps = decoder.greedy(encoder_out, lengths, max_tokens=8)
        for b in range(2):
            prefix = [BOS]
            for _ in range(8):
                logits = decoder(torch.tensor([prefix]), encoder_out[b:b + 1, :int(lengths[b])], lengths[b:b + 1])
                best = int(logits[0, -1].argmax())
                if best == EOS:
                    break
                prefix.append(best)
            self.assertEqual(hyps[b], prefix[1:])

    def test_beam_of_width_one_is_greedy(self):
        decoder = random_decoder()
        encoder_out, lengths = encoder_outputs()
        self.assertEqual(decoder.beam_search(encoder_out, lengths, beam_width=1, max_tokens=12),
                         decoder.greedy(encoder_out, lengths, max_tokens=12))

    def test_beam_finds_a_sequence_at_least_as_likely_as_greedy(self):
        decoder = random_decoder()
        with torch.no_grad():
            decoder.output.bias[EOS] += 2.0  # so that greedy ends within the step limit for element 0
        encoder_out, lengths = encoder_outputs()

        def log_prob(b, ids):
            logits = decoder(torch.tensor([[BOS] + ids]), encoder_out[b:b + 1, :int(lengths[b])], lengths[b:b + 1])
            log_probs = torch.log_softmax(logits[0], dim=-1)
            return sum(float(log_probs[i, t]) for i, t in enumerate(ids + [EOS]))

        greedy = decoder.greedy(encoder_out, lengths, max_tokens=15)
        beam = decoder.beam_search(encoder_out, lengths, beam_width=8, length_penalty=0.0, max_tokens=15)
        self.assertLess(len(greedy[0]), 15)
        self.assertNotEqual(beam[0], greedy[0])
        self.assertGreater(log_prob(0, beam[0]), log_prob(0, greedy[0]))

    def test_position_limit(self):
        decoder = random_decoder()
        encoder_out, lengths = encoder_outputs()
        with self.assertRaises(ValueError):
            decoder(torch.full((2, 17), 4), encoder_out, lengths)

    def test_checkpoint_round_trip(self):
        decoder = random_decoder().float()
        vocabulary = Vocabulary.from_texts(["the dog sleeps", "a cat"])
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "decoder.safetensors"
            metadata = decoder_metadata(decoder.config, vocabulary, "x")
            write_state_dict(decoder.state_dict(), path, "safetensors", metadata)
            loaded, loaded_vocabulary = load_decoder(*checkpoint_safetensors.read_with_metadata(path))
        self.assertEqual(loaded.config, decoder.config)
        self.assertEqual(loaded_vocabulary.tokens, vocabulary.tokens)
        for name, tensor in decoder.state_dict().items():
            self.assertTrue(torch.equal(loaded.state_dict()[name], tensor), name)


class VocabularyTest(unittest.TestCase):
    def test_layout_and_teacher_forcing(self):
        vocabulary = Vocabulary.from_texts(["the dog sleeps", "the cat"])
        self.assertEqual(vocabulary.tokens, ["<pad>", "<s>", "</s>", "<unk>", "cat", "dog", "sleeps", "the"])
        inputs, targets = vocabulary.teacher_forcing(["the cat", "dog sleeps now"])
        self.assertEqual(inputs.tolist(), [[BOS, 7, 4, PAD], [BOS, 5, 6, UNK]])
        self.assertEqual(targets.tolist(), [[7, 4, EOS, PAD], [5, 6, UNK, EOS]])
        self.assertEqual(vocabulary.decode([7, 5, UNK, EOS, 6]), "the dog")

    def test_save_and_load(self):
        vocabulary = Vocabulary.from_texts(["b a"])
        with tempfile.TemporaryDirectory() as tmp:
            vocabulary.save(Path(tmp) / "vocab.txt")
            self.assertEqual(Vocabulary.load(Path(tmp) / "vocab.txt").tokens, vocabulary.tokens)
        with self.assertRaises(ValueError):
            Vocabulary(["a", "b"])


if __name__ == "__main__":
    unittest.main()
