#!/usr/bin/env /usr/bin/python3
"""Writes test-fixtures/tiny-centernet.onnx: a hand-built CenterNet-format graph with known behaviour, used to
test /v1/detect end to end (decode -> letterbox -> ORT/own engine -> CenterNet decode -> boxes in original
pixels) independently of the trained detector.

input [1,1,32,32] (0..1) -> p = AveragePool 4x4/4 -> [1,1,8,8]
heatmap logits [1,2,8,8] = concat(8p - 4, 0p - 10)   (class 0 fires where a 4x4 cell is bright; class 1 never)
size [1,2,8,8] = 8 px everywhere, offset [1,2,8,8] = 0.5 (cell centre), stride 4.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

def const(name, value):
    return numpy_helper.from_array(np.array(value, dtype=np.float32), name)

nodes = [
    helper.make_node('AveragePool', ['input'], ['p'], kernel_shape=[4, 4], strides=[4, 4]),
    helper.make_node('Mul', ['p', 'eight'], ['p8']),
    helper.make_node('Sub', ['p8', 'four'], ['h0']),
    helper.make_node('Mul', ['p', 'zero'], ['z']),
    helper.make_node('Sub', ['z', 'ten'], ['h1']),
    helper.make_node('Concat', ['h0', 'h1'], ['heatmap'], axis=1),
    helper.make_node('Add', ['z', 'eight'], ['s']),
    helper.make_node('Concat', ['s', 's'], ['size'], axis=1),
    helper.make_node('Add', ['z', 'half'], ['o']),
    helper.make_node('Concat', ['o', 'o'], ['offset'], axis=1),
]
graph = helper.make_graph(
    nodes, 'tiny-centernet',
    [helper.make_tensor_value_info('input', TensorProto.FLOAT, [1, 1, 32, 32])],
    [helper.make_tensor_value_info(n, TensorProto.FLOAT, [1, 2, 8, 8]) for n in ('heatmap', 'size', 'offset')],
    [const('eight', 8.0), const('four', 4.0), const('zero', 0.0), const('ten', 10.0), const('half', 0.5)],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='resnet-edge-worker-tests')
model.ir_version = 7
onnx.checker.check_model(model)
out = os.path.join(os.path.dirname(__file__), '..', 'test-fixtures', 'tiny-centernet.onnx')
onnx.save(model, out)
print('wrote', out, os.path.getsize(out), 'bytes')
