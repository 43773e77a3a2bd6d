"""Writes the small ONNX model the Runtime tests run, into the directory given as the only argument.

Needs the `onnx` Python package (Debian: python3-onnx). The tests compute the expected numbers themselves, so
every constant below is also spelled out in the test that uses it.
"""

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17


def save(graph, path):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="speechserve-tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def scale(path):
    # y = 2 * x over a one-dimensional x of symbolic length n.
    graph = helper.make_graph(
        [helper.make_node("Mul", ["x", "two"], ["y"])],
        "scale",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n"])],
        [numpy_helper.from_array(np.array(2.0, dtype=np.float32), "two")],
    )
    save(graph, path)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_test_models.py OUTPUT_DIR")
    out = sys.argv[1]
    scale(f"{out}/scale.onnx")


if __name__ == "__main__":
    main()
