"""Reader and writer for TorchSharp's ``Module.save`` / ``Module.load`` state-dict format.

Layout (no magic, no version header)::

    count                      unsigned LEB128
    count times, in state-dict order:
        name                   .NET BinaryWriter string: LEB128 byte length + UTF-8 bytes
        dtype                  unsigned LEB128 ScalarType code (see DTYPE_CODES)
        rank                   unsigned LEB128
        rank dims              unsigned LEB128 each
        data                   raw contiguous little-endian element bytes

Tensors are handled as :class:`torch.Tensor` objects; the order of the mapping given to
:func:`write` is preserved, and :func:`read` returns entries in file order.
"""

import io
from collections import OrderedDict
from pathlib import Path
from typing import BinaryIO, Dict, Mapping, Union

import numpy as np
import torch

#: TorchSharp ``ScalarType`` codes.
DTYPE_CODES = OrderedDict(
    [
        (torch.uint8, 0),
        (torch.int8, 1),
        (torch.int16, 2),
        (torch.int32, 3),
        (torch.int64, 4),
        (torch.float16, 5),
        (torch.float32, 6),
        (torch.float64, 7),
        (torch.bool, 11),
        (torch.bfloat16, 15),
    ]
)
CODE_DTYPES = {code: dtype for dtype, code in DTYPE_CODES.items()}

PathLike = Union[str, Path]


def encode_uleb128(value: int) -> bytes:
    """Unsigned LEB128: 7 bits per byte, least significant first, high bit = more bytes follow."""
    if value < 0:
        raise ValueError("LEB128 value must be non-negative")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def read_uleb128(stream: BinaryIO) -> int:
    """Read one unsigned LEB128 value; raises ``EOFError`` on a truncated stream."""
    result = 0
    shift = 0
    while True:
        raw = stream.read(1)
        if not raw:
            raise EOFError("truncated LEB128 value")
        byte = raw[0]
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result
        shift += 7
        if shift > 63:
            raise ValueError("LEB128 value too long")


def _read_exact(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError(f"expected {size} bytes, got {len(data)}")
    return data


def tensor_bytes(tensor: torch.Tensor) -> bytes:
    """Contiguous little-endian bytes of a CPU tensor (bfloat16 via its 16-bit pattern)."""
    tensor = tensor.detach().cpu().contiguous()
    if tensor.dtype == torch.bfloat16:
        array = tensor.view(torch.int16).numpy()
    else:
        array = tensor.numpy()
    return array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()


def tensor_from_bytes(data: bytes, dtype: torch.dtype, shape) -> torch.Tensor:
    """Inverse of :func:`tensor_bytes`."""
    if dtype == torch.bfloat16:
        array = np.frombuffer(data, dtype="<i2").copy()
        return torch.from_numpy(array).view(torch.bfloat16).reshape(tuple(shape))
    np_dtype = torch.empty((), dtype=dtype).numpy().dtype.newbyteorder("<")
    array = np.frombuffer(data, dtype=np_dtype).astype(np_dtype.newbyteorder("="))
    return torch.from_numpy(array.copy()).reshape(tuple(shape))


def encode_string(text: str) -> bytes:
    """.NET ``BinaryWriter.Write(string)``: LEB128 byte length, then UTF-8 bytes."""
    raw = text.encode("utf-8")
    return encode_uleb128(len(raw)) + raw


def dumps(state_dict: Mapping[str, torch.Tensor]) -> bytes:
    """Serialise a state dict to TorchSharp format bytes."""
    buffer = io.BytesIO()
    write(state_dict, buffer)
    return buffer.getvalue()


def write(state_dict: Mapping[str, torch.Tensor], target: Union[PathLike, BinaryIO]) -> None:
    """Write ``state_dict`` (name -> tensor, in iteration order) to a path or binary stream."""
    if isinstance(target, (str, Path)):
        with open(target, "wb") as handle:
            write(state_dict, handle)
        return
    target.write(encode_uleb128(len(state_dict)))
    for name, tensor in state_dict.items():
        if tensor.dtype not in DTYPE_CODES:
            raise TypeError(f"{name}: dtype {tensor.dtype} not supported by the TorchSharp format")
        target.write(encode_string(name))
        target.write(encode_uleb128(DTYPE_CODES[tensor.dtype]))
        target.write(encode_uleb128(tensor.dim()))
        for size in tensor.shape:
            target.write(encode_uleb128(size))
        target.write(tensor_bytes(tensor))


def loads(data: bytes) -> "OrderedDict[str, torch.Tensor]":
    """Parse TorchSharp format bytes; the whole input must be consumed."""
    stream = io.BytesIO(data)
    result = read(stream)
    if stream.read(1):
        raise ValueError("trailing bytes after the last TorchSharp entry")
    return result


def read(source: Union[PathLike, BinaryIO]) -> "OrderedDict[str, torch.Tensor]":
    """Read a TorchSharp state dict from a path or binary stream, in file order."""
    if isinstance(source, (str, Path)):
        with open(source, "rb") as handle:
            return loads(handle.read())
    count = read_uleb128(source)
    result: "OrderedDict[str, torch.Tensor]" = OrderedDict()
    for _ in range(count):
        name = _read_exact(source, read_uleb128(source)).decode("utf-8")
        code = read_uleb128(source)
        if code not in CODE_DTYPES:
            raise ValueError(f"{name}: unknown TorchSharp ScalarType code {code}")
        dtype = CODE_DTYPES[code]
        shape = [read_uleb128(source) for _ in range(read_uleb128(source))]
        numel = int(np.prod(shape, dtype=np.int64)) if shape else 1
        itemsize = torch.empty((), dtype=dtype).element_size()
        if name in result:
            raise ValueError(f"duplicate entry {name!r}")
        result[name] = tensor_from_bytes(_read_exact(source, numel * itemsize), dtype, shape)
    return result


def tensor_dict(state_dict: Mapping[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Detached CPU copies, convenient before writing a live module's state dict."""
    return OrderedDict((name, t.detach().cpu()) for name, t in state_dict.items())
