"""Converts a TFLite model to ONNX with tf2onnx, then names its generated parts canonically.

Usage: python - INPUT.tflite OUTPUT.onnx  (this text on standard input; Hotline's `tflite-to-onnx`
converter runs it with the converter virtual environment's Python).

tf2onnx numbers the tensors, nodes and dimensions it creates from counters whose order varies
from run to run, orders independent nodes differently, and writes the input's path into the
graph's doc string. Sorting the nodes topologically by their content (operator, attributes,
inputs, constants by value), renaming every node, node output, initializer and symbolic
dimension by position in that order and clearing the doc string make the output byte-identical
across runs, so its SHA-256 can be checked.
"""

import hashlib
import os
import subprocess
import sys
import tempfile

import onnx


def convert(source, temporary):
    subprocess.run(
        [sys.executable, "-m", "tf2onnx.convert", "--tflite", source, "--output", temporary,
         "--opset", "17", "--dequantize"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def tensor_key(tensor):
    """A tensor's content, whatever its name."""
    copy = onnx.TensorProto()
    copy.CopyFrom(tensor)
    copy.name = ""
    return hashlib.sha256(copy.SerializeToString()).hexdigest()


def canonical(model):
    graph = model.graph
    kept = {info.name for info in graph.input} | {info.name for info in graph.output}
    renames = {name: name for name in kept}
    initializers = {tensor.name: tensor for tensor in graph.initializer}
    contents = {name: tensor_key(tensor) for name, tensor in initializers.items()}
    nodes = list(graph.node)
    producer = {output: index for index, node in enumerate(nodes) for output in node.output}
    waiting = [
        {name for name in node.input if name in producer} for node in nodes
    ]
    consumers = {}
    for index, node in enumerate(nodes):
        for name in set(node.input):
            if name in producer:
                consumers.setdefault(name, []).append(index)

    def key(index):
        node = nodes[index]
        inputs = [
            renames[name] if name in renames
            else "constant " + contents[name] if name in initializers
            else name
            for name in node.input
        ]
        attributes = [attribute.SerializeToString() for attribute in node.attribute]
        return (node.op_type, node.domain, inputs, attributes, len(node.output))

    used = []
    ordered = []
    ready = [index for index, inputs in enumerate(waiting) if not inputs]
    while ready:
        ready.sort(key=key)
        index = ready.pop(0)
        node = nodes[index]
        position = len(ordered)
        ordered.append(node)
        for slot, name in enumerate(node.input):
            if name and name not in renames and name in initializers:
                renames[name] = f"constant_{len(used)}"
                used.append(initializers[name])
            node.input[slot] = renames.get(name, name)
        node.name = f"node_{position}"
        for slot, name in enumerate(node.output):
            renames.setdefault(name, f"value_{position}_{slot}")
            node.output[slot] = renames[name]
            for consumer in consumers.get(name, []):
                waiting[consumer].discard(name)
                if not waiting[consumer]:
                    ready.append(consumer)
    if len(ordered) != len(nodes):
        raise SystemExit("the converted graph has a cycle")
    del graph.node[:]
    graph.node.extend(ordered)
    for tensor in used:
        tensor.name = renames[tensor.name]
    del graph.initializer[:]
    graph.initializer.extend(used)
    del graph.value_info[:]
    graph.doc_string = ""
    dimensions = {}
    for info in list(graph.input) + list(graph.output):
        for dimension in info.type.tensor_type.shape.dim:
            if dimension.HasField("dim_param"):
                name = dimension.dim_param
                dimensions.setdefault(name, f"dynamic_{len(dimensions)}")
                dimension.dim_param = dimensions[name]


def main():
    source, output = sys.argv[1], sys.argv[2]
    directory = os.path.dirname(os.path.abspath(output))
    with tempfile.TemporaryDirectory(dir=directory) as scratch:
        temporary = os.path.join(scratch, "converted.onnx")
        convert(source, temporary)
        model = onnx.load(temporary)
        canonical(model)
        onnx.save(model, temporary)
        os.replace(temporary, output)


main()
