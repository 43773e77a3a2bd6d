"""End-to-end: random checkpoints in both formats, adapter-only files and the golden dump."""

import contextlib
import io
import os
import tempfile
import unittest

import torch

import dump_golden
import make_random_checkpoint
from speechfm import checkpoint_safetensors
from speechfm.checkpoint import detect_format, read_state_dict


def run_quietly(main, argv):
    with contextlib.redirect_stdout(io.StringIO()) as out:
        status = main(argv)
    return status, out.getvalue()


class ScriptsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.ts_path = os.path.join(cls.tmp.name, "random.bin")
        cls.st_path = os.path.join(cls.tmp.name, "random.safetensors")
        cls.adapter_path = os.path.join(cls.tmp.name, "medical.dat")
        _, cls.log = run_quietly(make_random_checkpoint.main, ["--output", cls.ts_path, "--format", "torchsharp"])
        run_quietly(make_random_checkpoint.main, ["--output", cls.st_path])
        run_quietly(make_random_checkpoint.main,
                    ["--output", cls.adapter_path, "--format", "torchsharp", "--adapter-only", "medical"])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_formats_hold_the_same_tensors(self):
        self.assertEqual(detect_format(self.ts_path), "torchsharp")
        self.assertEqual(detect_format(self.st_path), "safetensors")
        a, b = read_state_dict(self.ts_path), read_state_dict(self.st_path)
        self.assertEqual(list(a), list(b))
        for name in a:
            self.assertTrue(torch.equal(a[name], b[name]), name)
        self.assertIn("encoder parameters: 5,249,501", self.log)

    def test_random_checkpoint_content(self):
        state = read_state_dict(self.ts_path)
        self.assertTrue(all(t.dtype == torch.float32 for t in state.values()))
        self.assertGreater(float(state["frontend_norm.std"].min()), 0.0)
        for domain in ("medical", "callcenter"):
            for suffix in ("layers.0.up.weight", "layers.5.up.bias", "layers.3.down.weight"):
                self.assertGreater(float(state[f"adapters.{domain}.{suffix}"].abs().min()), 0.0)
            self.assertFalse(torch.equal(state[f"adapters.{domain}.ctc.weight"], state["ctc.weight"]))

    def test_adapter_only(self):
        adapter = read_state_dict(self.adapter_path)
        full = read_state_dict(self.ts_path)
        self.assertEqual(len(adapter), 6 * 4 + 2)
        self.assertTrue(all(name.startswith("adapters.medical.") for name in adapter))
        for name, tensor in adapter.items():
            self.assertTrue(torch.equal(tensor, full[name]), name)

    def test_golden_dump(self):
        base_only = os.path.join(self.tmp.name, "base.safetensors")
        state = read_state_dict(self.st_path)
        checkpoint_safetensors.write(
            {n: t for n, t in state.items() if not n.startswith("adapters.medical.")}, base_only
        )
        golden_path = os.path.join(self.tmp.name, "golden.safetensors")
        run_quietly(dump_golden.main, ["--checkpoint", base_only, "--adapter", self.adapter_path,
                                       "--domain", "medical", "--streaming-domain", "callcenter",
                                       "--output", golden_path])
        golden, metadata = checkpoint_safetensors.read_with_metadata(golden_path)
        self.assertEqual(metadata["encoder_domains"], "base,medical")
        self.assertEqual(metadata["streaming_domain"], "callcenter")
        expected = {
            "frontend.waveform": [20800], "frontend.features": [128, 80],
            "encoder.features": [2, 256, 80], "encoder.feature_lengths": [2],
            "encoder.adapter_down": [2, 6, 192, 16], "encoder.head_weight": [2, 192, 29],
            "encoder.log_probs": [2, 64, 29], "encoder.encoder_out": [2, 64, 192],
            "encoder.output_lengths": [2], "encoder.attn_cache_out": [6, 2, 32, 192],
            "streaming.features": [1, 288, 80], "streaming.log_probs": [1, 72, 29],
            "streaming.attn_cache_out": [6, 1, 32, 192], "streaming.conv_cache_out": [6, 1, 192, 14],
            "streaming.cache_len_out": [1],
        }
        for name, shape in expected.items():
            self.assertEqual(list(golden[name].shape), shape, name)
        self.assertEqual(golden["encoder.output_lengths"].tolist(), [64, 49])
        self.assertEqual(golden["encoder.feature_lengths"].dtype, torch.int64)
        self.assertEqual(golden["encoder.log_probs"].dtype, torch.float32)
        # Element 0 is the base model, element 1 the medical adapter.
        self.assertEqual(float(golden["encoder.adapter_up"][0].abs().max()), 0.0)
        self.assertTrue(torch.equal(golden["encoder.adapter_up_bias"][1], torch.stack(
            [state[f"adapters.medical.layers.{i}.up.bias"] for i in range(6)])))


if __name__ == "__main__":
    unittest.main()
