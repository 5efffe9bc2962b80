"""Quantize an fp32 ONNX model with onnxruntime's own quantizers (the formats users bring from onnxruntime).

Run with a python that has the onnx + onnxruntime wheels (scripts/test.sh creates ~/.cache/resnet-edge/venv-hf):
  venv/bin/python test/node/own-engine/ort_quantize.py --src fp32.onnx --out q.onnx --mode qdq-s8 [--per-tensor]
Modes: qdq-u8, qdq-s8, qop-u8, qop-s8 (quantize_static, int8 weights, activations uint8/int8, 8 seeded calibration
inputs), dynamic-u8, dynamic-s8 (quantize_dynamic with uint8 / int8 weights), and fp16-cast / fp16-io: the
model_fp16.onnx forms (every float initializer and activation float16, as onnxconverter-common's
convert_float_to_float16 writes them: fp32 inputs/outputs with Cast nodes at the boundary, or fp16 inputs/outputs).
"""
import argparse

import numpy as np
import onnx
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_dynamic, quantize_static


class Reader(CalibrationDataReader):
    def __init__(self, name, dims, n=8, seed=7):
        rng = np.random.default_rng(seed)
        self.it = iter([{name: rng.standard_normal(dims).astype(np.float32)} for _ in range(n)])

    def get_next(self):
        return next(self.it, None)


def to_fp16(m, keep_io):
    """Float initializers, Constant values and activations to float16; fp32 graph I/O behind Cast nodes if keep_io."""
    from onnx import TensorProto, helper, numpy_helper
    g = m.graph
    for i, init in enumerate(g.initializer):
        if init.data_type == TensorProto.FLOAT:
            g.initializer[i].CopyFrom(numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float16), init.name))
    for n in g.node:
        for at in n.attribute:
            if at.name == 'value' and at.t.data_type == TensorProto.FLOAT:
                at.t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(at.t).astype(np.float16), at.t.name))
    for vi in g.value_info:
        if vi.type.tensor_type.elem_type == TensorProto.FLOAT:
            vi.type.tensor_type.elem_type = TensorProto.FLOAT16
    if not keep_io:
        for vi in list(g.input) + list(g.output):
            vi.type.tensor_type.elem_type = TensorProto.FLOAT16
        return m
    casts_in, casts_out = [], []
    for vi in g.input:
        name = vi.name
        for n in g.node:
            n.input[:] = [name + '_fp16' if x == name else x for x in n.input]
        casts_in.append(helper.make_node('Cast', [name], [name + '_fp16'], to=TensorProto.FLOAT16, name=name + '_cast'))
    for vi in g.output:
        name = vi.name
        for n in g.node:
            n.output[:] = [name + '_fp16' if x == name else x for x in n.output]
        casts_out.append(helper.make_node('Cast', [name + '_fp16'], [name], to=TensorProto.FLOAT, name=name + '_cast'))
    nodes = casts_in + list(g.node) + casts_out
    del g.node[:]
    g.node.extend(nodes)
    return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--src', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--mode', required=True, choices=['qdq-u8', 'qdq-s8', 'qop-u8', 'qop-s8', 'dynamic-u8', 'dynamic-s8', 'fp16-cast', 'fp16-io'])
    ap.add_argument('--per-tensor', action='store_true', help='per-tensor weights (default per-channel)')
    a = ap.parse_args()
    kind, bits = a.mode.split('-')
    t = QuantType.QUInt8 if bits == 'u8' else QuantType.QInt8
    if kind == 'fp16':
        onnx.save(to_fp16(onnx.load(a.src), keep_io=bits == 'cast'), a.out)
    elif kind == 'dynamic':
        quantize_dynamic(a.src, a.out, weight_type=t)
    else:
        inp = onnx.load(a.src).graph.input[0]
        dims = [d.dim_value or 1 for d in inp.type.tensor_type.shape.dim]
        quantize_static(a.src, a.out, Reader(inp.name, dims), quant_format=QuantFormat.QDQ if kind == 'qdq' else QuantFormat.QOperator,
                        activation_type=t, weight_type=QuantType.QInt8, per_channel=not a.per_tensor)
    print('wrote', a.out)


if __name__ == '__main__':
    main()
