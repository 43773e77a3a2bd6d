"""Writes the small ONNX models the Runtime tests run, into the directory given as the only argument.

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


def add_matmul(path):
    # sum = a + b; y = sum @ W with W[i, j] = 0.5 * (i + 1) - j, shape [4, 3]; batch is symbolic.
    w = np.array([[0.5 * (i + 1) - j for j in range(3)] for i in range(4)], dtype=np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("Add", ["a", "b"], ["sum"]),
            helper.make_node("MatMul", ["sum", "W"], ["y"]),
        ],
        "add_matmul",
        [
            helper.make_tensor_value_info("a", TensorProto.FLOAT, ["batch", 4]),
            helper.make_tensor_value_info("b", TensorProto.FLOAT, ["batch", 4]),
        ],
        [
            helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 3]),
            helper.make_tensor_value_info("sum", TensorProto.FLOAT, ["batch", 4]),
        ],
        [numpy_helper.from_array(w, "W")],
    )
    save(graph, path)


def softmax(path):
    # probs = softmax(x) over the last axis; batch and frames are symbolic.
    graph = helper.make_graph(
        [helper.make_node("Softmax", ["x"], ["probs"], axis=-1)],
        "softmax",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "frames", 5])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["batch", "frames", 5])],
    )
    save(graph, path)


def dtypes(path):
    # i64_out = i64 + 7; i32_out = i32 * 3; i8_out = -i8; u8_out = u8; flags_out = not flags.
    graph = helper.make_graph(
        [
            helper.make_node("Add", ["i64", "seven"], ["i64_out"]),
            helper.make_node("Mul", ["i32", "three"], ["i32_out"]),
            helper.make_node("Neg", ["i8"], ["i8_out"]),
            helper.make_node("Identity", ["u8"], ["u8_out"]),
            helper.make_node("Not", ["flags"], ["flags_out"]),
        ],
        "dtypes",
        [
            helper.make_tensor_value_info("i64", TensorProto.INT64, ["n"]),
            helper.make_tensor_value_info("i32", TensorProto.INT32, ["n"]),
            helper.make_tensor_value_info("i8", TensorProto.INT8, ["n"]),
            helper.make_tensor_value_info("u8", TensorProto.UINT8, ["n"]),
            helper.make_tensor_value_info("flags", TensorProto.BOOL, ["n"]),
        ],
        [
            helper.make_tensor_value_info("i64_out", TensorProto.INT64, ["n"]),
            helper.make_tensor_value_info("i32_out", TensorProto.INT32, ["n"]),
            helper.make_tensor_value_info("i8_out", TensorProto.INT8, ["n"]),
            helper.make_tensor_value_info("u8_out", TensorProto.UINT8, ["n"]),
            helper.make_tensor_value_info("flags_out", TensorProto.BOOL, ["n"]),
        ],
        [
            numpy_helper.from_array(np.array(7, dtype=np.int64), "seven"),
            numpy_helper.from_array(np.array(3, dtype=np.int32), "three"),
        ],
    )
    save(graph, path)


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
    add_matmul(f"{out}/add_matmul.onnx")
    softmax(f"{out}/softmax.onnx")
    dtypes(f"{out}/dtypes.onnx")
    scale(f"{out}/scale.onnx")


if __name__ == "__main__":
    main()
