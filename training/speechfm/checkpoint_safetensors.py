"""Reader and writer for the safetensors format, implemented from its format description.

Layout::

    8 bytes        header size N, unsigned 64-bit little-endian
    N bytes        UTF-8 JSON object: {name: {"dtype": "F32", "shape": [...],
                   "data_offsets": [begin, end]}, ..., "__metadata__": {str: str}} (metadata optional),
                   padded with trailing spaces so that the byte buffer starts 8-byte aligned
    rest           the byte buffer; offsets are relative to its start, little-endian row-major data

The writer lays tensors out contiguously in the given order (no gaps, no overlap). The reader
checks that offsets match dtype and shape, lie inside the buffer, do not overlap and cover it.
"""

import json
import struct
from collections import OrderedDict
from pathlib import Path
from typing import BinaryIO, Dict, Mapping, Optional, Tuple, Union

import numpy as np
import torch

from .checkpoint_torchsharp import tensor_bytes, tensor_from_bytes

#: safetensors dtype strings.
DTYPE_NAMES = OrderedDict(
    [
        (torch.bool, "BOOL"),
        (torch.uint8, "U8"),
        (torch.int8, "I8"),
        (torch.int16, "I16"),
        (torch.int32, "I32"),
        (torch.int64, "I64"),
        (torch.float16, "F16"),
        (torch.bfloat16, "BF16"),
        (torch.float32, "F32"),
        (torch.float64, "F64"),
    ]
)
NAME_DTYPES = {name: dtype for dtype, name in DTYPE_NAMES.items()}
METADATA_KEY = "__metadata__"
ALIGNMENT = 8

PathLike = Union[str, Path]


def dumps(
    tensors: Mapping[str, torch.Tensor], metadata: Optional[Mapping[str, str]] = None
) -> bytes:
    """Serialise tensors (in iteration order) and optional string metadata to safetensors bytes."""
    header: "OrderedDict[str, object]" = OrderedDict()
    if metadata:
        for key, value in metadata.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise TypeError("safetensors metadata must map str to str")
        header[METADATA_KEY] = dict(metadata)
    chunks = []
    offset = 0
    for name, tensor in tensors.items():
        if name == METADATA_KEY:
            raise ValueError(f"{METADATA_KEY!r} is reserved")
        if tensor.dtype not in DTYPE_NAMES:
            raise TypeError(f"{name}: dtype {tensor.dtype} not supported by safetensors")
        data = tensor_bytes(tensor)
        header[name] = OrderedDict(
            [
                ("dtype", DTYPE_NAMES[tensor.dtype]),
                ("shape", list(tensor.shape)),
                ("data_offsets", [offset, offset + len(data)]),
            ]
        )
        chunks.append(data)
        offset += len(data)
    header_bytes = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    header_bytes += b" " * (-(8 + len(header_bytes)) % ALIGNMENT)
    return struct.pack("<Q", len(header_bytes)) + header_bytes + b"".join(chunks)


def write(
    tensors: Mapping[str, torch.Tensor],
    target: Union[PathLike, BinaryIO],
    metadata: Optional[Mapping[str, str]] = None,
) -> None:
    """Write tensors to a path or binary stream (see :func:`dumps`)."""
    data = dumps(tensors, metadata)
    if isinstance(target, (str, Path)):
        with open(target, "wb") as handle:
            handle.write(data)
    else:
        target.write(data)


def loads_with_metadata(data: bytes) -> Tuple["OrderedDict[str, torch.Tensor]", Dict[str, str]]:
    """Parse safetensors bytes; returns tensors (in offset order) and the metadata dict."""
    if len(data) < 8:
        raise ValueError("file too short for a safetensors header")
    (header_size,) = struct.unpack("<Q", data[:8])
    if 8 + header_size > len(data):
        raise ValueError("safetensors header size exceeds the file")
    header = json.loads(data[8:8 + header_size].decode("utf-8"))
    if not isinstance(header, dict):
        raise ValueError("safetensors header must be a JSON object")
    buffer = memoryview(data)[8 + header_size:]
    metadata = header.pop(METADATA_KEY, None) or {}
    entries = []
    for name, info in header.items():
        dtype = NAME_DTYPES.get(info.get("dtype"))
        if dtype is None:
            raise ValueError(f"{name}: unsupported dtype {info.get('dtype')!r}")
        shape = [int(s) for s in info["shape"]]
        begin, end = (int(v) for v in info["data_offsets"])
        numel = int(np.prod(shape, dtype=np.int64)) if shape else 1
        expected = numel * torch.empty((), dtype=dtype).element_size()
        if not 0 <= begin <= end <= len(buffer) or end - begin != expected:
            raise ValueError(f"{name}: bad data_offsets [{begin}, {end}] for {dtype} {shape}")
        entries.append((begin, end, name, dtype, shape))
    entries.sort(key=lambda e: (e[0], e[1]))
    position = 0
    tensors: "OrderedDict[str, torch.Tensor]" = OrderedDict()
    for begin, end, name, dtype, shape in entries:
        if begin != position:
            raise ValueError(f"{name}: data is not contiguous (gap or overlap at byte {begin})")
        tensors[name] = tensor_from_bytes(bytes(buffer[begin:end]), dtype, shape)
        position = end
    if position != len(buffer):
        raise ValueError("safetensors byte buffer has unreferenced trailing bytes")
    return tensors, dict(metadata)


def loads(data: bytes) -> "OrderedDict[str, torch.Tensor]":
    """Parse safetensors bytes into tensors."""
    return loads_with_metadata(data)[0]


def read_with_metadata(source: Union[PathLike, BinaryIO]):
    """Read tensors and metadata from a path or binary stream."""
    if isinstance(source, (str, Path)):
        with open(source, "rb") as handle:
            return loads_with_metadata(handle.read())
    return loads_with_metadata(source.read())


def read(source: Union[PathLike, BinaryIO]) -> "OrderedDict[str, torch.Tensor]":
    """Read tensors from a path or binary stream."""
    return read_with_metadata(source)[0]


