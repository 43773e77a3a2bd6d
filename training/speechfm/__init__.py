"""Training-side reference implementation of the streaming speech model.

Everything here follows ``docs/model.md`` (the contract shared with the C#
exporter and runtime):

* :mod:`speechfm.features` - the log-mel frontend.
* :mod:`speechfm.config` - architecture hyper-parameters (``configs/*.json``).
* :mod:`speechfm.model` - the streaming Conformer encoder with adapters and CTC heads.
* :mod:`speechfm.checkpoint_torchsharp` - TorchSharp ``Module.save`` format.
* :mod:`speechfm.checkpoint_safetensors` - safetensors format.
* :mod:`speechfm.checkpoint` - format detection and loading into a model.
"""
