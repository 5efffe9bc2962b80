// The float conv in onnxruntime's order (ops/shared/mlas-conv.ts) is bit-identical to onnxruntime-web's fp32 Conv
// on each of MLAS's paths (GEMM on the input, full expansion, segmented expansion; K split into 1 to 9 blocks), and
// the fconv op is that conv between DequantizeLinear and QuantizeLinear.
import { describe, expect, it } from 'vitest';
import { DataType, encodeModel, makeAttr, makeTensor } from '../../../onnx/index.js';
import { ortRun } from '../../../testing/ort-oracle.js';
import { randomInt8 } from '../../../testing/random.js';
import { mlasConv2d, mlasStrideK } from '../shared/mlas-conv.js';
import type { PlanConvFloat } from '../../plan/types.js';
import { convFloatRef } from './reference.js';

function lcg(seed: number) {
  let s = seed;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}

interface Geo { C: number; H: number; W: number; OC: number; k: number; s: number; p: number; group: number }

function convModel(g: Geo, w: Float32Array, b: Float32Array): Uint8Array {
  const vi = (name: string) => ({ name, type: { tensorType: { elemType: DataType.FLOAT } } });
  return encodeModel({
    irVersion: 8, opsetImport: [{ domain: '', version: 13 }], metadataProps: [],
    graph: {
      name: 'conv', valueInfo: [], input: [vi('x')], output: [vi('y')],
      initializer: [makeTensor('w', DataType.FLOAT, [g.OC, g.C / g.group, g.k, g.k], w), makeTensor('b', DataType.FLOAT, [g.OC], b)],
      node: [{ opType: 'Conv', name: 'conv', input: ['x', 'w', 'b'], output: ['y'], attribute: [
        makeAttr('kernel_shape', [g.k, g.k]), makeAttr('strides', [g.s, g.s]), makeAttr('pads', [g.p, g.p, g.p, g.p]), makeAttr('group', g.group),
      ] }],
    },
  });
}

describe('fp32 conv in MLAS order', () => {
  it('K block lengths follow MLAS SGEMM', () => {
    expect(mlasStrideK(3136, 576)).toBe(128);
    expect(mlasStrideK(3136, 64)).toBe(64);
    expect(mlasStrideK(9, 2304)).toBe(1024);
    expect(mlasStrideK(49, 4608)).toBe(256);
  });

  const cases: [string, Geo][] = [
    ['1x1 stride 1 (GEMM on the input), K = 200 in two blocks', { C: 200, H: 12, W: 13, OC: 24, k: 1, s: 1, p: 0, group: 1 }],
    ['3x3 pad 1, more filters than pixels (full expansion), K = 1152 in 3 blocks of 512', { C: 128, H: 5, W: 4, OC: 40, k: 3, s: 1, p: 1, group: 1 }],
    ['3x3 stride 2 (segmented expansion), K = 1152 in 9 blocks', { C: 128, H: 34, W: 31, OC: 16, k: 3, s: 2, p: 1, group: 1 }],
    ['grouped 3x3, 2 groups', { C: 32, H: 10, W: 9, OC: 8, k: 3, s: 1, p: 1, group: 2 }],
  ];
  for (const [name, g] of cases) {
    it(`${name}: bit-identical to onnxruntime-web's Conv`, async () => {
      const r = lcg(g.C * 7 + g.OC);
      const K = (g.C / g.group) * g.k * g.k;
      const x = Float32Array.from({ length: g.C * g.H * g.W }, () => r() * 3), w = Float32Array.from({ length: g.OC * K }, () => r() * 0.2);
      const b = Float32Array.from({ length: g.OC }, () => r());
      const OH = Math.floor((g.H + 2 * g.p - g.k) / g.s) + 1, OW = Math.floor((g.W + 2 * g.p - g.k) / g.s) + 1;
      const y = new Float32Array(g.OC * OH * OW);
      mlasConv2d({ ...g, OH, OW, kernel: [g.k, g.k], strides: [g.s, g.s], pads: [g.p, g.p, g.p, g.p], dilations: [1, 1] }, x, 0, w, b, y, 0);
      const want = (await ortRun(convModel(g, w, b), { x: { data: x, dims: [1, g.C, g.H, g.W] } })).y.data as Float32Array;
      expect(Array.from(y)).toEqual(Array.from(want));
    });
  }

  it('fconv: dequantize, the conv above, quantize with clamp (ReLU at the zero point)', () => {
    const g = { C: 16, H: 6, W: 6, OC: 8 };
    const r = lcg(3);
    const op: PlanConvFloat = {
      op: 'fconv', name: 'f', input: 0, output: 1, x: { scale: 0.05, zeroPoint: -3 }, y: { scale: 0.1, zeroPoint: -20 }, lo: -20, hi: 127,
      C: 16, OC: 8, group: 1, kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1],
      weights: Float32Array.from({ length: 8 * 16 * 9 }, () => Math.fround(r() * 0.05)), bias: Float32Array.from({ length: 8 }, () => Math.fround(r())),
    };
    const x = randomInt8(16 * 36, 4);
    const y = convFloatRef({ op, x, inShape: [1, 16, 6, 6], outShape: [1, 8, 6, 6] });
    const xf = Float32Array.from(x, (q) => (q - op.x.zeroPoint) * Math.fround(op.x.scale));
    const yf = new Float32Array(8 * 36);
    mlasConv2d({ ...g, OH: 6, OW: 6, group: 1, kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1] }, xf, 0, op.weights, op.bias, yf, 0);
    const want = Int8Array.from(yf, (v) => Math.min(127, Math.max(-20, Math.round(Math.fround(v / Math.fround(0.1))) - 20)));
    expect(Array.from(y)).toEqual(Array.from(want));
    expect(Math.min(...y)).toBe(-20);
  });
});
