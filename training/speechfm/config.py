"""Architecture hyper-parameters of the streaming Conformer.

The JSON keys are exactly the ones in ``docs/model.md`` (section "Encoder"); the same
object is written as ``model.json -> architecture`` for the serving side. ``dropout`` is a
training-only extra that may be present in a config file but is not part of the contract.
"""

import dataclasses
import json
from pathlib import Path
from typing import Any, Dict, Union

#: Keys that every architecture config must contain (docs/model.md, "Encoder").
ARCHITECTURE_KEYS = (
    "n_mels",
    "d_model",
    "num_layers",
    "num_heads",
    "ff_dim",
    "conv_kernel",
    "chunk_frames",
    "left_context_frames",
    "adapter_dim",
    "vocab_size",
)

REFERENCE_CONFIG_PATH = Path(__file__).resolve().parent.parent / "configs" / "reference.json"


@dataclasses.dataclass(frozen=True)
class ModelConfig:
    """Hyper-parameters of :class:`speechfm.model.StreamingConformer`."""

    n_mels: int = 80
    d_model: int = 192
    num_layers: int = 6
    num_heads: int = 4
    ff_dim: int = 768
    conv_kernel: int = 15
    chunk_frames: int = 8
    left_context_frames: int = 32
    adapter_dim: int = 16
    vocab_size: int = 29
    dropout: float = 0.1

    def __post_init__(self) -> None:
        if self.d_model % self.num_heads != 0:
            raise ValueError("d_model must be divisible by num_heads")
        if self.conv_kernel < 2:
            raise ValueError("conv_kernel must be at least 2 (the cache holds k-1 frames)")
        if self.chunk_frames < 1 or self.left_context_frames < 0:
            raise ValueError("chunk_frames must be >= 1 and left_context_frames >= 0")

    @property
    def subsampling(self) -> int:
        """Feature frames per encoder frame (two stride-2 convolutions)."""
        return 4

    @property
    def chunk_feature_frames(self) -> int:
        """Feature frames per streaming chunk (``C * 4``)."""
        return self.chunk_frames * self.subsampling

    def architecture_dict(self) -> Dict[str, int]:
        """The contract keys only, as written to ``model.json -> architecture``."""
        return {key: getattr(self, key) for key in ARCHITECTURE_KEYS}

    @classmethod
    def from_dict(cls, values: Dict[str, Any]) -> "ModelConfig":
        missing = [key for key in ARCHITECTURE_KEYS if key not in values]
        if missing:
            raise ValueError(f"config is missing keys: {', '.join(missing)}")
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"config has unknown keys: {', '.join(unknown)}")
        return cls(**values)

    @classmethod
    def load(cls, path: Union[str, Path] = REFERENCE_CONFIG_PATH) -> "ModelConfig":
        """Read a config JSON file (a bare object, or one with an ``architecture`` member)."""
        with open(path, "r", encoding="utf-8") as handle:
            values = json.load(handle)
        if "architecture" in values and isinstance(values["architecture"], dict):
            values = values["architecture"]
        return cls.from_dict(values)
