"""TorchSharp ``Module.save`` format: LEB128, byte layout and round trips."""

import io
import struct
import unittest
from collections import OrderedDict

import torch

from speechfm import checkpoint_torchsharp as ts
from speechfm.config import ModelConfig
from speechfm.model import StreamingConformer


class Leb128Test(unittest.TestCase):
    def test_known_encodings(self):
        cases = {0: b"\x00", 1: b"\x01", 127: b"\x7f", 128: b"\x80\x01", 300: b"\xac\x02",
                 16384: b"\x80\x80\x01", 2 ** 32: b"\x80\x80\x80\x80\x10"}
        for value, encoded in cases.items():
            self.assertEqual(ts.encode_uleb128(value), encoded, value)
            self.assertEqual(ts.read_uleb128(io.BytesIO(encoded)), value)

    def test_negative_rejected(self):
        with self.assertRaises(ValueError):
            ts.encode_uleb128(-1)


class ByteLayoutTest(unittest.TestCase):
    def test_hand_built_bytes(self):
        long_name = "layers.0." + "x" * 150  # 159 UTF-8 bytes: two-byte length prefix
        state = OrderedDict(
            [
                ("w", torch.tensor([[1.0], [-2.0]], dtype=torch.float32)),
                ("n", torch.tensor(300, dtype=torch.int64)),
                (long_name, torch.zeros(300, dtype=torch.uint8)),
                ("é", torch.tensor([True, False])),
                ("d", torch.tensor([0.5], dtype=torch.float64)),
            ]
        )
        expected = b"".join(
            [
                b"\x05",  # entry count
                b"\x01w", b"\x06", b"\x02", b"\x02\x01", struct.pack("<2f", 1.0, -2.0),
                b"\x01n", b"\x04", b"\x00", struct.pack("<q", 300),
                b"\x9f\x01" + long_name.encode(), b"\x00", b"\x01", b"\xac\x02", bytes(300),
                b"\x02\xc3\xa9", b"\x0b", b"\x01", b"\x02", b"\x01\x00",
                b"\x01d", b"\x07", b"\x01", b"\x01", struct.pack("<d", 0.5),
            ]
        )
        self.assertEqual(ts.dumps(state), expected)
        parsed = ts.loads(expected)
        self.assertEqual(list(parsed), list(state))
        for name, tensor in state.items():
            self.assertEqual(parsed[name].dtype, tensor.dtype)
            self.assertTrue(torch.equal(parsed[name], tensor), name)

    def test_all_dtype_codes(self):
        expected = {torch.uint8: 0, torch.int8: 1, torch.int16: 2, torch.int32: 3, torch.int64: 4,
                    torch.float16: 5, torch.float32: 6, torch.float64: 7, torch.bool: 11,
                    torch.bfloat16: 15}
        self.assertEqual(dict(ts.DTYPE_CODES), expected)
        for dtype, code in expected.items():
            data = ts.dumps({"t": torch.ones(3, dtype=dtype)})
            self.assertEqual(data[3], code)
            self.assertTrue(torch.equal(ts.loads(data)["t"], torch.ones(3, dtype=dtype)))

    def test_truncated_and_trailing(self):
        data = ts.dumps({"w": torch.ones(4)})
        with self.assertRaises(EOFError):
            ts.loads(data[:-1])
        with self.assertRaises(ValueError):
            ts.loads(data + b"\x00")


class RoundTripTest(unittest.TestCase):
    def test_model_state_dict(self):
        torch.manual_seed(0)
        config = ModelConfig(num_layers=2, d_model=32, num_heads=2, ff_dim=64, adapter_dim=4)
        model = StreamingConformer(config, ["medical"])
        state = model.state_dict()
        buffer = io.BytesIO()
        ts.write(state, buffer)
        parsed = ts.loads(buffer.getvalue())
        self.assertEqual(list(parsed), list(state))
        for name, tensor in state.items():
            self.assertTrue(torch.equal(parsed[name], tensor), name)
        StreamingConformer(config, ["medical"]).load_state_dict(parsed, strict=True)


if __name__ == "__main__":
    unittest.main()
