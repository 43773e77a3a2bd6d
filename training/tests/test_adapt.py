"""training/adapt.py: the narrower bottleneck padded to the served width is the same function."""

import unittest

import torch

from adapt import padded_adapter
from speechfm.config import ModelConfig
from speechfm.model import StreamingConformer


class PaddedAdapterTest(unittest.TestCase):
    def test_padding_to_the_served_width_keeps_the_outputs(self):
        torch.manual_seed(0)
        narrow = StreamingConformer(ModelConfig(num_layers=2, d_model=32, num_heads=4, ff_dim=64, adapter_dim=4))
        narrow.add_domain("radio")
        with torch.no_grad():
            for p in narrow.adapters["radio"].parameters():
                p.normal_(0, 0.3)
        wide = StreamingConformer(ModelConfig(num_layers=2, d_model=32, num_heads=4, ff_dim=64, adapter_dim=8))
        wide.add_domain("radio")
        state = {n: t for n, t in narrow.state_dict().items() if not n.startswith("adapters.")}
        state.update(padded_adapter(narrow.state_dict(), "radio", 8))
        wide.load_state_dict(state, strict=True)
        narrow.eval()
        wide.eval()

        features = torch.randn(2, 64, 80)
        lengths = torch.tensor([64, 40])
        expected = narrow.full_pass(features, lengths, ["radio", "radio"]).log_probs
        actual = wide.full_pass(features, lengths, ["radio", "radio"]).log_probs

        self.assertEqual(tuple(state["adapters.radio.layers.0.up.weight"].shape), (32, 8))
        self.assertTrue(torch.allclose(expected, actual, atol=1e-6))
        self.assertFalse(torch.allclose(expected, narrow.full_pass(features, lengths, [None, None]).log_probs, atol=1e-3))


if __name__ == "__main__":
    unittest.main()
