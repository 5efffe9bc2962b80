import { describe, expect, it } from 'vitest';
import { testEngines } from '../../../testing/q8-test-harness.js';
import { PlanExecutor } from '../../exec/wasm/executor.js';
import type { Plan, PlanDynamicQuantize } from '../../plan/types.js';
import { computeLastUse } from '../../plan/inspect.js';
import { dynamicQuantizeHost, dynamicQuantParams } from './reference.js';

describe('DynamicQuantizeLinear', async () => {
  it('parameters: range extended to 0, f32 scale, zero point rounded half to even and saturated', () => {
    expect(dynamicQuantParams(Float32Array.of(-1, 0.5, 3))).toEqual({ scale: Math.fround(4 / 255), zeroPoint: 64 });
    expect(dynamicQuantParams(Float32Array.of(2, 5))).toEqual({ scale: Math.fround(5 / 255), zeroPoint: 0 });
    expect(dynamicQuantParams(Float32Array.of(-2, -1))).toEqual({ scale: Math.fround(2 / 255), zeroPoint: 255 });
    expect(dynamicQuantParams(new Float32Array(4))).toEqual({ scale: 1, zeroPoint: 0 });
    // scale 1 and 0 - min / scale = 2.5 exactly: half to even gives 2 (half up would give 3).
    expect(dynamicQuantParams(Float32Array.of(-2.5, 252.5))).toEqual({ scale: 1, zeroPoint: 2 });
  });

  for (const { name, engine } of (await testEngines()).filter((e) => !e.name.includes('threads'))) {
    it(`${name}: the wasm kernel (NCHW f32 -> NHWC int8) equals the host kernel, parameters included`, async () => {
      const shape = [2, 19, 4, 5], n = 2 * 19 * 20;
      const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) * 3 + 0.4);
      const op: PlanDynamicQuantize = { op: 'dynquant', name: 'dq', input: 0, output: 1, scale: 2, zeroPoint: 3 };
      const plan: Plan = {
        tensors: [{ id: 0, name: 'x', dtype: 'f32', shape }, { id: 1, name: 'y', dtype: 'q8', shape, srcType: 'uint8' },
          { id: 2, name: 's', dtype: 'f32', shape: [] }, { id: 3, name: 'z', dtype: 'f32', shape: [] }],
        ops: [op], format: 'dynamic', lastUse: computeLastUse([op], 4, [1, 2, 3]),
        inputs: [{ name: 'x', tensor: 0 }], outputs: [{ name: 'y', tensor: 1 }, { name: 's', tensor: 2 }, { name: 'z', tensor: 3 }],
      };
      const got = new PlanExecutor(plan, await engine()).run({ x: { data: x, dims: shape } });
      const values = new Map<number, Float32Array | Int8Array>([[0, x]]);
      dynamicQuantizeHost(op, values, plan.tensors);
      expect(Array.from(got.y.data)).toEqual(Array.from(values.get(1)!, (v) => v + 128));
      expect(got.s.data[0]).toBe(values.get(2)![0]);
      expect(got.z.data[0]).toBe(values.get(3)![0]);
    });
  }
});

/** Grows the engine's memory to hold `end` bytes (these tests place their arrays above heap_base by hand). */
function reserve(e: { memory: WebAssembly.Memory }, end: number): void {
  const have = e.memory.buffer.byteLength;
  if (end > have) e.memory.grow(Math.ceil((end - have) / 65536));
}

describe('wasm f32 passes of dynamic quantization (assembly/float.ts) against their JS references', async () => {
  const cases = [0, 3, 16, 37, 1000, 4099].map((n, k) => {
    const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + k) * (k + 1) * 2 + (k % 2 ? 1.5 : -0.5));
    if (n > 20) x[7] = NaN, x[11] = -0, x[n - 1] = -7.25, x[n - 2] = 9.5; // NaN skipped, extremes in the scalar tail
    return x;
  });
  for (const { name, engine } of (await testEngines()).filter((e) => !e.name.includes('threads'))) {
    it(`${name}: minmax_f32 gives dynamicQuantParams' range and parameters`, async () => {
      const e = await engine();
      for (const x of cases) {
        const at = e.exports.heap_base(), out = at + x.length * 4 + 16;
        reserve(e, out + 16);
        new Float32Array(e.memory.buffer, at, x.length).set(x);
        e.exports.minmax_f32(at, x.length, out);
        const [mn, mx] = new Float32Array(e.memory.buffer, out, 2);
        let lo = 0, hi = 0;
        for (const v of x) if (v < lo) lo = v; else if (v > hi) hi = v;
        expect([mn, mx], `n ${x.length}`).toEqual([lo, hi]);
      }
    });
    it(`${name}: bias_act_f32 equals the JS epilogue bit for bit (bias, residual, ReLU; OC not a multiple of 4)`, async () => {
      const e = await engine();
      for (const OC of [4, 6, 64]) {
        const n = OC * 37, f = Math.fround;
        const x = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.11) * 5);
        const r = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.3) * 2);
        const b = Float32Array.from({ length: OC }, (_, o) => (o - OC / 2) * 0.37);
        x[5] = NaN, x[9] = -0;
        for (const [res, relu] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
          const base = e.exports.heap_base(), xa = base, ra = xa + n * 4 + 16, ba = ra + n * 4 + 16;
          reserve(e, ba + OC * 4 + 16);
          const mem = () => e.memory.buffer;
          new Float32Array(mem(), xa, n).set(x);
          new Float32Array(mem(), ra, n).set(r);
          new Float32Array(mem(), ba, OC).set(b);
          e.exports.bias_act_f32(xa, xa, n, OC, ba, res ? ra : 0, relu);
          const want = Float32Array.from(x, (v, i) => {
            let y = f(v + b[i % OC]);
            if (res) y = f(y + r[i]);
            return relu ? (y > 0 ? y : 0) : y;
          });
          const got = new Float32Array(mem(), xa, n);
          // Compare bits: NaN stays NaN without ReLU and -0 stays distinguishable.
          expect(new Uint32Array(got.slice().buffer), `OC ${OC} res ${res} relu ${relu}`).toEqual(new Uint32Array(want.buffer));
        }
      }
    });
    it(`${name}: bias_act_nchw_f32 transposes channel-last into NCHW with bias and ReLU, bit for bit`, async () => {
      const e = await engine();
      for (const [P, OC] of [[1, 3], [70, 5], [200, 64]]) {
        const n = P * OC, f = Math.fround;
        const x = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.13) * 4);
        const b = Float32Array.from({ length: OC }, (_, o) => o * 0.21 - 1);
        x[0] = NaN;
        for (const relu of [0, 1]) {
          const xa = e.exports.heap_base(), ya = xa + n * 4 + 16, ba = ya + n * 4 + 16;
          reserve(e, ba + OC * 4 + 16);
          new Float32Array(e.memory.buffer, xa, n).set(x);
          new Float32Array(e.memory.buffer, ba, OC).set(b);
          e.exports.bias_act_nchw_f32(xa, ya, P, OC, ba, relu);
          const want = new Float32Array(n);
          for (let p = 0; p < P; p++) for (let o = 0; o < OC; o++) {
            const v = f(x[p * OC + o] + b[o]);
            want[o * P + p] = relu ? (v > 0 ? v : 0) : v;
          }
          expect(new Uint32Array(new Float32Array(e.memory.buffer, ya, n).slice().buffer), `P ${P} OC ${OC} relu ${relu}`).toEqual(new Uint32Array(want.buffer));
        }
      }
    });
  }
});
