// Graph compiler: QOperator graphs (as the ONNX model zoo int8 ResNets) compile to int8 ops and match
// onnxruntime-web; uint8 weights with a zero point take the int16 path; bad graphs give typed errors.
import { describe, expect, it } from 'vitest';
import { ortRun } from '../../testing/ort-oracle.js';
import { createWasmSession } from '../session/wasm-session.js';
import { DataType, encodeModel, makeAttr, makeTensor, type OnnxNode, type OnnxTensor } from '../../onnx/index.js';
import { compilePlan } from './compile-plan.js';

function lcg(seed: number) {
  let s = seed;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function node(opType: string, input: string[], output: string[], attrs: ReturnType<typeof makeAttr>[] = [], domain?: string): OnnxNode {
  return { opType, input, output, name: output[0], attribute: attrs, ...(domain ? { domain } : {}) };
}

/** Quantize -> QLinearConv x2 (int8 per-channel / uint8 weights) -> QLinearAdd -> QLinearGlobalAveragePool -> QGemm-free head. */
function qoperatorModel(uint8Weights: boolean): Uint8Array {
  const r = lcg(5);
  const C = 8, OC = 16;
  const inits: OnnxTensor[] = [];
  const add = (t: OnnxTensor) => inits.push(t);
  const s = (n: string, v: number) => add(makeTensor(n, DataType.FLOAT, [], [v]));
  const z = (n: string, v: number, dt = DataType.UINT8) => add(makeTensor(n, dt, [], [v]));
  s('x_s', 0.02); z('x_z', 128);
  s('a_s', 0.05); z('a_z', 0); s('b_s', 0.04); z('b_z', 10); s('c_s', 0.07); z('c_z', 3); s('g_s', 0.03); z('g_z', 5);
  if (uint8Weights) {
    add(makeTensor('w1', DataType.UINT8, [OC, C, 3, 3], Array.from({ length: OC * C * 9 }, () => Math.floor(r() * 256))));
    add(makeTensor('w1_s', DataType.FLOAT, [], [0.003])); add(makeTensor('w1_z', DataType.UINT8, [], [100]));
  } else {
    add(makeTensor('w1', DataType.INT8, [OC, C, 3, 3], Array.from({ length: OC * C * 9 }, () => Math.floor(r() * 255) - 127)));
    add(makeTensor('w1_s', DataType.FLOAT, [OC], Array.from({ length: OC }, (_, i) => 0.002 + i * 1e-4)));
    add(makeTensor('w1_z', DataType.INT8, [OC], new Array(OC).fill(0)));
  }
  add(makeTensor('b1', DataType.INT32, [OC], Array.from({ length: OC }, () => Math.floor(r() * 2000) - 1000)));
  add(makeTensor('w2', DataType.INT8, [OC, C, 1, 1], Array.from({ length: OC * C }, () => Math.floor(r() * 255) - 127)));
  add(makeTensor('w2_s', DataType.FLOAT, [], [0.004])); add(makeTensor('w2_z', DataType.INT8, [], [0]));
  const nodes = [
    node('QuantizeLinear', ['x', 'x_s', 'x_z'], ['xq']),
    node('QLinearConv', ['xq', 'x_s', 'x_z', 'w1', 'w1_s', 'w1_z', 'a_s', 'a_z', 'b1'], ['a'], [makeAttr('pads', [1, 1, 1, 1]), makeAttr('kernel_shape', [3, 3])]),
    node('QLinearConv', ['xq', 'x_s', 'x_z', 'w2', 'w2_s', 'w2_z', 'b_s', 'b_z'], ['b'], [makeAttr('kernel_shape', [1, 1])]),
    node('QLinearAdd', ['a', 'a_s', 'a_z', 'b', 'b_s', 'b_z', 'c_s', 'c_z'], ['c'], [], 'com.microsoft'),
    node('QLinearGlobalAveragePool', ['c', 'c_s', 'c_z', 'g_s', 'g_z'], ['g'], [makeAttr('channels_last', 0)], 'com.microsoft'),
    node('DequantizeLinear', ['g', 'g_s', 'g_z'], ['y']),
  ];
  const vi = (name: string, dims: number[]) => ({ name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }, { domain: 'com.microsoft', version: 1 }],
    metadataProps: [],
    graph: { name: 'qop', node: nodes, initializer: inits, input: [vi('x', [1, C, 7, 6])], output: [vi('y', [1, OC, 1, 1])], valueInfo: [] },
  });
}

describe('graph compiler: QOperator', () => {
  const r = lcg(11);
  const x = Float32Array.from({ length: 8 * 7 * 6 }, () => r() * 4 - 2);
  const feeds = { x: { data: x, dims: [1, 8, 7, 6] } };

  for (const uint8Weights of [false, true]) {
    it(`QLinearConv/QLinearAdd/QLinearGlobalAveragePool (${uint8Weights ? 'uint8 weights with zero point' : 'int8 per-channel weights'}) match onnxruntime`, async () => {
      const bytes = qoperatorModel(uint8Weights);
      const plan = compilePlan({ model: bytes });
      expect(plan.format).toBe('qoperator');
      expect(plan.ops.map((o) => o.op)).toEqual(['quantize', 'conv', 'conv', 'add', 'gap', 'dequantize']);
      const conv = plan.ops[1];
      expect(conv.op === 'conv' && !!conv.weights16).toBe(uint8Weights);
      const s = await createWasmSession({ model: bytes });
      const got = (await s.run(feeds)).y.data;
      const want = (await ortRun(bytes, feeds)).y.data as Float32Array;
      // One output step (g_s) at most: the documented +-1 of float vs integer average pooling.
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(0.03 + 1e-6);
      expect(new Set(Array.from(want)).size).toBeGreaterThan(4);
    });
  }

  it('computes liveness so activation buffers can be reused', () => {
    const plan = compilePlan({ model: qoperatorModel(false) });
    const xq = plan.ops[0].op === 'quantize' ? plan.ops[0].output : -1;
    expect(plan.lastUse[xq]).toBe(2); // read by both convs, dead after the second
    expect(plan.lastUse[plan.outputs[0].tensor]).toBe(plan.ops.length);
  });

  it('rejects garbage bytes with INVALID_MODEL', () => {
    expect(() => compilePlan({ model: new Uint8Array([1, 2, 3, 4, 5]) })).toThrow(expect.objectContaining({ code: 'INVALID_MODEL' }));
  });
});
