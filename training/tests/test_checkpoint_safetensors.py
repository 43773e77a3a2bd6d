"""safetensors format: byte layout, spec-conforming reading and round trips."""

import json
import struct
import unittest
from collections import OrderedDict

import torch

from speechfm import checkpoint_safetensors as st


def hand_built_file(header: dict, buffer: bytes, pad_to: int = 1) -> bytes:
    raw = json.dumps(header).encode("utf-8")
    raw += b" " * (-(8 + len(raw)) % pad_to)
    return struct.pack("<Q", len(raw)) + raw + buffer


class ByteLayoutTest(unittest.TestCase):
    def setUp(self):
        self.tensors = OrderedDict(
            [
                ("a", torch.tensor([[1.0, 2.0, 3.0]], dtype=torch.float32)),
                ("len", torch.tensor([7, -1], dtype=torch.int64)),
                ("h", torch.tensor([1.5], dtype=torch.float16)),
            ]
        )

    def test_layout(self):
        data = st.dumps(self.tensors, {"note": "x"})
        (header_size,) = struct.unpack("<Q", data[:8])
        self.assertEqual((8 + header_size) % 8, 0, "buffer must start 8-byte aligned")
        header_text = data[8:8 + header_size].decode("utf-8")
        json_text = header_text.rstrip(" ")
        self.assertTrue(json_text.endswith("}"), "only trailing spaces may pad the header")
        header = json.loads(header_text)
        self.assertEqual(header["__metadata__"], {"note": "x"})
        self.assertEqual(header["a"], {"dtype": "F32", "shape": [1, 3], "data_offsets": [0, 12]})
        self.assertEqual(header["len"], {"dtype": "I64", "shape": [2], "data_offsets": [12, 28]})
        self.assertEqual(header["h"], {"dtype": "F16", "shape": [1], "data_offsets": [28, 30]})
        expected_buffer = struct.pack("<3f", 1.0, 2.0, 3.0) + struct.pack("<2q", 7, -1) + struct.pack("<e", 1.5)
        self.assertEqual(data[8 + header_size:], expected_buffer)

    def test_reads_spec_conforming_file(self):
        # Different key order, default JSON spacing, no padding, offsets not in key order.
        buffer = struct.pack("<2q", 7, -1) + struct.pack("<3f", 1.0, 2.0, 3.0)
        header = {
            "a": {"dtype": "F32", "shape": [1, 3], "data_offsets": [16, 28]},
            "__metadata__": {"format": "pt"},
            "len": {"dtype": "I64", "shape": [2], "data_offsets": [0, 16]},
        }
        tensors, metadata = st.loads_with_metadata(hand_built_file(header, buffer))
        self.assertEqual(metadata, {"format": "pt"})
        self.assertTrue(torch.equal(tensors["a"], self.tensors["a"]))
        self.assertTrue(torch.equal(tensors["len"], self.tensors["len"]))

    def test_rejects_bad_offsets(self):
        buffer = bytes(16)
        overlap = {"x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                   "y": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}
        wrong_size = {"x": {"dtype": "F32", "shape": [3], "data_offsets": [0, 16]}}
        outside = {"x": {"dtype": "F64", "shape": [3], "data_offsets": [0, 24]}}
        for header in (overlap, wrong_size, outside):
            with self.assertRaises(ValueError):
                st.loads(hand_built_file(header, buffer))


class RoundTripTest(unittest.TestCase):
    def test_all_dtypes(self):
        tensors = OrderedDict(
            (f"t{i}", (torch.arange(6) - 2).reshape(2, 3).to(dtype))
            for i, dtype in enumerate(st.DTYPE_NAMES)
        )
        tensors["scalar"] = torch.tensor(3.25, dtype=torch.float64)
        tensors["empty"] = torch.zeros(0, 4)
        parsed, metadata = st.loads_with_metadata(st.dumps(tensors, {"k": "v"}))
        self.assertEqual(metadata, {"k": "v"})
        self.assertEqual(list(parsed), list(tensors))
        for name, tensor in tensors.items():
            self.assertEqual(parsed[name].dtype, tensor.dtype)
            self.assertEqual(parsed[name].shape, tensor.shape)
            self.assertTrue(torch.equal(parsed[name], tensor), name)


if __name__ == "__main__":
    unittest.main()
