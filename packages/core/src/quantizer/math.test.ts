import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { DataType, encodeModel, makeAttr, makeTensor, type OnnxModel } from '../onnx/index.js';
import {
  dequantizeValue,
  int8SymmetricScale,
  minWeightScalesForBias,
  quantizeBias,
  quantizeValue,
  quantizeWeightsPerChannel,
  roundHalfEven,
  uint8Params,
} from './math.js';

describe('quantization math', () => {
  it('rounds half to even like QuantizeLinear', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 2.5001, -3].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, 3, -3]);
  });

  it('uint8 asymmetric parameters include zero exactly', () => {
    expect(uint8Params({ min: 0, max: 2.55 })).toEqual({ scale: Math.fround(0.01), zeroPoint: 0 });
    const p = uint8Params({ min: -1, max: 3 });
    expect(p.scale).toBeCloseTo(4 / 255, 7);
    expect(p.zeroPoint).toBe(64); // round(1 / (4/255)) = round(63.75)
    expect(dequantizeValue(quantizeValue(0, p, 0, 255), p)).toBe(0);
    // A positive-only range is widened to 0; a negative-only one too.
    expect(uint8Params({ min: 1, max: 2 }).zeroPoint).toBe(0);
    expect(uint8Params({ min: -2, max: -1 }).zeroPoint).toBe(255);
    expect(uint8Params({ min: 0, max: 0 })).toEqual({ scale: 1, zeroPoint: 0 });
    expect(() => uint8Params({ min: Number.NEGATIVE_INFINITY, max: 1 })).toThrow(RangeError);
  });

  it('saturates and round-trips within half a step', () => {
    const p = uint8Params({ min: -1, max: 1 });
    expect(quantizeValue(100, p, 0, 255)).toBe(255);
    expect(quantizeValue(-100, p, 0, 255)).toBe(0);
    for (let x = -1; x <= 1; x += 0.0137) expect(Math.abs(dequantizeValue(quantizeValue(x, p, 0, 255), p) - x)).toBeLessThanOrEqual(p.scale / 2 + 1e-7);
  });

  it('quantizes weights per output channel, symmetric in [-127, 127]', () => {
    // 3 output channels with very different magnitudes, 4 weights each.
    const w = new Float32Array([0.1, -0.2, 0.05, 0.0, 10, -5, 2.5, 1, 0, 0, 0, 0]);
    const { data, scales } = quantizeWeightsPerChannel(w, [3, 4], 0);
    expect(Array.from(scales)).toEqual([Math.fround(0.2 / 127), Math.fround(10 / 127), 1]);
    expect(Array.from(data.subarray(0, 4))).toEqual([64, -127, 32, 0]); // 0.1/(0.2/127)=63.5 -> 64 (ties to even)
    expect(Array.from(data.subarray(4, 8))).toEqual([127, -64, 32, 13]);
    expect(Array.from(data.subarray(8))).toEqual([0, 0, 0, 0]);
    for (let i = 0; i < 8; i++) expect(Math.abs(data[i] * scales[i >> 2] - w[i])).toBeLessThanOrEqual(scales[i >> 2] / 2 + 1e-7);
    // Axis 1 (Gemm with transB=0, weight [K, N]): one scale per column.
    const t = quantizeWeightsPerChannel(new Float32Array([1, -4, -2, 8]), [2, 2], 1);
    expect(Array.from(t.scales)).toEqual([Math.fround(2 / 127), Math.fround(8 / 127)]);
    expect(Array.from(t.data)).toEqual([64, -64, -127, 127]);
    expect(int8SymmetricScale(0)).toBe(1);
  });

  it('quantizes bias to int32 with scale input_scale * weight_scale and never overflows', () => {
    const { data, scales } = quantizeBias(new Float32Array([0.5, -1]), 0.02, new Float32Array([0.01, 0.1]));
    expect(Array.from(scales)).toEqual([Math.fround(0.0002), Math.fround(0.002)]);
    expect(Array.from(data)).toEqual([2500, -500]);
    // A huge bias with tiny weights: the weight scale is raised so the int32 bias still fits.
    const bias = new Float32Array([1e6]);
    const min = minWeightScalesForBias(bias, 1e-3);
    const qw = quantizeWeightsPerChannel(new Float32Array([1e-9, -1e-9]), [1, 2], 0, min);
    const qb = quantizeBias(bias, 1e-3, qw.scales);
    expect(Math.abs(qb.data[0])).toBeLessThan(2 ** 31 - 1);
    expect(qb.data[0] * qb.scales[0]).toBeCloseTo(1e6, -1);
  });

  it('matches onnxruntime QuantizeLinear bit for bit (ties, saturation, zero point)', async () => {
    const xs = new Float32Array([-2, -1.01, -0.5, 0, 0.0196078, 0.03, 0.5, 0.51, 1, 2.7, 1e9, -1e9]);
    const p = uint8Params({ min: -1, max: 1.5 });
    const model: OnnxModel = {
      irVersion: 8,
      opsetImport: [{ domain: '', version: 13 }],
      metadataProps: [],
      graph: {
        name: 'q',
        node: [{ input: ['x', 's', 'z'], output: ['y'], opType: 'QuantizeLinear', attribute: [makeAttr('axis', 0)] }],
        initializer: [makeTensor('s', DataType.FLOAT, [], [p.scale]), makeTensor('z', DataType.UINT8, [], [p.zeroPoint])],
        input: [{ name: 'x', type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimValue: xs.length }] } } } }],
        output: [{ name: 'y', type: { tensorType: { elemType: DataType.UINT8, shape: { dim: [{ dimValue: xs.length }] } } } }],
        valueInfo: [],
      },
    };
    // Exact ties: (k + 0.5) * scale lands on .5 after division only if representable; include a few.
    for (let k = 0; k < 4; k++) xs[k] = Math.fround((k - 1.5) * p.scale);
    ort.env.wasm.numThreads = 1;
    const s = await ort.InferenceSession.create(encodeModel(model));
    const y = (await s.run({ x: new ort.Tensor('float32', xs, [xs.length]) })).y.data as Uint8Array;
    expect(Array.from(y)).toEqual(Array.from(xs, (x) => quantizeValue(x, p, 0, 255)));
    await s.release();
  });
});
