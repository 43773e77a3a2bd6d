"""Streaming Conformer: names, sizes, chunk mask, streaming parity and adapters."""

import dataclasses
import unittest

import torch

from speechfm.config import ARCHITECTURE_KEYS, REFERENCE_CONFIG_PATH, ModelConfig
from speechfm.model import StreamingConformer, chunk_attention_mask


def reference_model(domains=("medical",), seed=0) -> StreamingConformer:
    torch.manual_seed(seed)
    model = StreamingConformer(ModelConfig.load(), list(domains)).double().eval()
    with torch.no_grad():
        model.frontend_norm.mean.uniform_(-7.0, -3.0)
        model.frontend_norm.std.uniform_(2.0, 3.5)
        for parameter in model.adapters.parameters():
            parameter.normal_(0.0, 0.1)
    return model


def random_features(batch, frames, seed=1):
    generator = torch.Generator().manual_seed(seed)
    return -6.0 + 3.0 * torch.randn(batch, frames, 80, generator=generator, dtype=torch.float64)


def expected_shapes(config: ModelConfig):
    """The checkpoint table of docs/model.md, for one domain called ``medical``."""
    d, ff, k, r, v = config.d_model, config.ff_dim, config.conv_kernel, config.adapter_dim, config.vocab_size
    shapes = {
        "frontend_norm.mean": [80], "frontend_norm.std": [80],
        "subsample.conv1.weight": [d, 80, 2], "subsample.conv1.bias": [d],
        "subsample.conv2.weight": [d, d, 2], "subsample.conv2.bias": [d],
        "ctc.weight": [v, d], "ctc.bias": [v],
        "adapters.medical.ctc.weight": [v, d], "adapters.medical.ctc.bias": [v],
    }
    for i in range(config.num_layers):
        p = f"layers.{i}."
        for ffn in ("ff1", "ff2"):
            shapes.update({
                f"{p}{ffn}.norm.weight": [d], f"{p}{ffn}.norm.bias": [d],
                f"{p}{ffn}.linear1.weight": [ff, d], f"{p}{ffn}.linear1.bias": [ff],
                f"{p}{ffn}.linear2.weight": [d, ff], f"{p}{ffn}.linear2.bias": [d],
            })
        for norm in ("attn_norm", "conv.norm", "conv.depth_norm", "final_norm"):
            shapes.update({f"{p}{norm}.weight": [d], f"{p}{norm}.bias": [d]})
        for proj in ("q", "k", "v", "out"):
            shapes.update({f"{p}attn.{proj}.weight": [d, d], f"{p}attn.{proj}.bias": [d]})
        shapes.update({
            f"{p}conv.pointwise1.weight": [2 * d, d, 1], f"{p}conv.pointwise1.bias": [2 * d],
            f"{p}conv.depthwise.weight": [d, 1, k], f"{p}conv.depthwise.bias": [d],
            f"{p}conv.pointwise2.weight": [d, d, 1], f"{p}conv.pointwise2.bias": [d],
        })
        a = f"adapters.medical.layers.{i}."
        shapes.update({
            f"{a}down.weight": [r, d], f"{a}down.bias": [r],
            f"{a}up.weight": [d, r], f"{a}up.bias": [d],
        })
    return shapes


def brute_force_mask(num_queries, left, chunk, lengths, cache_len):
    """docs/model.md "Chunk mask", one key at a time."""
    batch = len(lengths)
    mask = torch.zeros(batch, num_queries, left + num_queries, dtype=torch.bool)
    for b in range(batch):
        for i in range(num_queries):
            c = i // chunk
            for j in range(left + num_queries):
                r = j - left
                valid = (-int(cache_len[b]) <= r < 0) or (0 <= r < int(lengths[b]))
                mask[b, i, j] = r < (c + 1) * chunk and r >= c * chunk - left and valid
    return mask


class ConfigTest(unittest.TestCase):
    def test_reference_config_keys(self):
        import json
        with open(REFERENCE_CONFIG_PATH) as handle:
            values = json.load(handle)
        self.assertEqual(sorted(values), sorted(ARCHITECTURE_KEYS))
        config = ModelConfig.load()
        self.assertEqual(config.architecture_dict(), values)


class StructureTest(unittest.TestCase):
    def test_state_dict_matches_checkpoint_table(self):
        model = StreamingConformer(ModelConfig.load(), ["medical"])
        actual = {name: list(t.shape) for name, t in model.state_dict().items()}
        self.assertEqual(actual, expected_shapes(model.config))
        buffers = {name for name, _ in model.named_buffers()}
        self.assertEqual(buffers, {"frontend_norm.mean", "frontend_norm.std"})

    def test_parameter_counts(self):
        model = StreamingConformer(ModelConfig.load(), ["medical"])
        encoder = model.encoder_parameter_count()
        adapter = model.domain_parameter_count("medical")
        self.assertTrue(3_000_000 <= encoder <= 8_000_000, encoder)
        self.assertEqual(adapter, 6 * (192 * 16 + 16 + 16 * 192 + 192) + 29 * 192 + 29)
        self.assertLess(adapter, 0.03 * encoder)


class MaskTest(unittest.TestCase):
    def test_matches_rule(self):
        lengths = torch.tensor([12, 7, 0])
        cache_len = torch.tensor([0, 5, 6])
        for left, chunk in [(6, 4), (0, 3), (5, 2)]:
            ours = chunk_attention_mask(12, left, chunk, lengths, cache_len)
            self.assertTrue(torch.equal(ours, brute_force_mask(12, left, chunk, lengths, cache_len)))


class StreamingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.model = reference_model(("medical",))
        cls.features = random_features(2, 320)  # 10 chunks of 32 frames > C + L

    def assert_close(self, a, b, tol=1e-5):
        self.assertEqual(a.shape, b.shape)
        self.assertLess((a - b).abs().max().item(), tol)

    def test_stream_equals_full_utterance(self):
        domains = ["medical", None]
        with torch.no_grad():
            full = self.model.full_pass(self.features, torch.tensor([320, 320]), domains)
            for chunks_per_call in (1, 3):
                streamed = self.model.stream(self.features, domains, chunks_per_call=chunks_per_call)
                self.assert_close(streamed.log_probs, full.log_probs)
                self.assert_close(streamed.encoder_out, full.encoder_out)
                self.assert_close(streamed.attn_cache, full.attn_cache)
                self.assert_close(streamed.conv_cache, full.conv_cache)
                self.assertTrue(torch.equal(streamed.cache_len, full.cache_len))
                self.assertTrue(torch.equal(streamed.output_lengths, full.output_lengths))

    def test_partial_last_chunk(self):
        features = self.features[:1, :300]  # 9 whole chunks + 12 frames
        with torch.no_grad():
            full = self.model.full_pass(features, torch.tensor([300]), ["medical"])
            streamed = self.model.stream(features, ["medical"])
        self.assert_close(streamed.log_probs, full.log_probs)

    def test_padding_does_not_change_valid_frames(self):
        lengths = torch.tensor([320, 196])
        padded = self.features.clone()
        padded[1, 196:] = 0.0
        with torch.no_grad():
            batch = self.model.full_pass(padded, lengths, [None, "medical"])
            alone = self.model.full_pass(self.features[1:, :196], torch.tensor([196]), ["medical"])
            first = self.model.full_pass(self.features[:1], torch.tensor([320]), [None])
        self.assert_close(batch.log_probs[1, :49], alone.log_probs[0], 1e-12)
        self.assert_close(batch.log_probs[0], first.log_probs[0], 1e-12)
        self.assertTrue(torch.equal(batch.output_lengths, torch.tensor([80, 49])))

    def test_fully_masked_padded_rows_stay_finite(self):
        lengths = torch.tensor([320, 8])  # element 1: 2 valid frames, long padding
        with torch.no_grad():
            result = self.model.full_pass(self.features, lengths, [None, None])
        self.assertTrue(torch.isfinite(result.log_probs).all())
        self.assertTrue(torch.isfinite(result.encoder_out).all())


class AdapterTest(unittest.TestCase):
    def test_zero_up_projection_is_base_model(self):
        model = reference_model(("medical",))
        with torch.no_grad():
            for layer in model.adapters["medical"].layers:
                layer.up.weight.zero_()
                layer.up.bias.zero_()
            model.adapters["medical"].ctc.load_state_dict(model.ctc.state_dict())
            features = random_features(1, 128)
            lengths = torch.tensor([128])
            base = model.full_pass(features, lengths, [None])
            adapted = model.full_pass(features, lengths, ["medical"])
        self.assertTrue(torch.equal(base.log_probs, adapted.log_probs))
        self.assertTrue(torch.equal(base.encoder_out, adapted.encoder_out))

    def test_random_adapter_changes_output(self):
        model = reference_model(("medical",))
        features = random_features(1, 128)
        with torch.no_grad():
            base = model.full_pass(features, torch.tensor([128]), [None])
            adapted = model.full_pass(features, torch.tensor([128]), ["medical"])
        self.assertGreater((base.encoder_out - adapted.encoder_out).abs().max().item(), 1e-3)

    def test_domain_tensor_layout(self):
        model = reference_model(("medical",))
        tensors = model.batch_domain_tensors([None, "medical"])
        c = model.config
        self.assertEqual(tensors["adapter_down"].shape, (2, c.num_layers, c.d_model, c.adapter_dim))
        self.assertEqual(tensors["adapter_up"].shape, (2, c.num_layers, c.adapter_dim, c.d_model))
        self.assertEqual(tensors["head_weight"].shape, (2, c.d_model, c.vocab_size))
        adapter = model.adapters["medical"]
        self.assertTrue(torch.equal(tensors["adapter_down"][1, 2], adapter.layers[2].down.weight.t()))
        self.assertTrue(torch.equal(tensors["head_weight"][0], model.ctc.weight.t()))
        self.assertTrue(torch.equal(tensors["head_bias"][1], adapter.ctc.bias))
        self.assertEqual(float(tensors["adapter_up"][0].abs().sum()), 0.0)

    def test_training_tensors_are_differentiable(self):
        config = ModelConfig(num_layers=2, d_model=32, num_heads=2, ff_dim=64, adapter_dim=4)
        model = StreamingConformer(config, ["medical"])
        features = torch.randn(2, 32, 80)
        inputs = model.training_domain_tensors(["medical", None])
        out = model.full_pass(features, torch.tensor([32, 32]), adapter_inputs=inputs)
        out.log_probs.sum().backward()
        self.assertIsNotNone(model.adapters["medical"].layers[0].down.weight.grad)
        self.assertIsNotNone(model.ctc.weight.grad)


class DropoutTest(unittest.TestCase):
    def test_dropout_only_in_training(self):
        config = dataclasses.replace(ModelConfig(num_layers=2, d_model=32, num_heads=2, ff_dim=64), dropout=0.5)
        torch.manual_seed(0)
        model = StreamingConformer(config)
        features = torch.randn(1, 32, 80)
        lengths = torch.tensor([32])
        model.eval()
        with torch.no_grad():
            a = model.full_pass(features, lengths).log_probs
            b = model.full_pass(features, lengths).log_probs
            model.train()
            c = model.full_pass(features, lengths).log_probs
        self.assertTrue(torch.equal(a, b))
        self.assertFalse(torch.allclose(a, c))


if __name__ == "__main__":
    unittest.main()
