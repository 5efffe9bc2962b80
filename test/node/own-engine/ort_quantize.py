"""Quantize an fp32 ONNX model with onnxruntime's own quantizers (the formats users bring from onnxruntime).

Run with a python that has the onnx + onnxruntime wheels (scripts/test.sh creates ~/.cache/resnet-edge/venv-hf):
  venv/bin/python test/node/own-engine/ort_quantize.py --src fp32.onnx --out q.onnx --mode qdq-s8 [--per-tensor]
Modes: qdq-u8, qdq-s8, qop-u8, qop-s8 (quantize_static, int8 weights, activations uint8/int8, 8 seeded calibration
inputs) and dynamic-u8, dynamic-s8 (quantize_dynamic with uint8 / int8 weights).
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--src', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--mode', required=True, choices=['qdq-u8', 'qdq-s8', 'qop-u8', 'qop-s8', 'dynamic-u8', 'dynamic-s8'])
    ap.add_argument('--per-tensor', action='store_true', help='per-tensor weights (default per-channel)')
    a = ap.parse_args()
    kind, bits = a.mode.split('-')
    t = QuantType.QUInt8 if bits == 'u8' else QuantType.QInt8
    if kind == 'dynamic':
        quantize_dynamic(a.src, a.out, weight_type=t)
    else:
        inp = onnx.load(a.src).graph.input[0]
        dims = [d.dim_value or 1 for d in inp.type.tensor_type.shape.dim]
        quantize_static(a.src, a.out, Reader(inp.name, dims), quant_format=QuantFormat.QDQ if kind == 'qdq' else QuantFormat.QOperator,
                        activation_type=t, weight_type=QuantType.QInt8, per_channel=not a.per_tensor)
    print('wrote', a.out)


if __name__ == '__main__':
    main()
