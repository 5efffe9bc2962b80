import { describe, expect, it } from 'vitest';
import type { PlanConv } from '../../plan/types.js';
import { instantiateEngine } from '../../wasm/engine.js';
import { foldBias, packConv, packShape } from './pack.js';

function conv(OC: number, C: number, k: number, group: number, seed: number, allowMin128: boolean): PlanConv {
  const K = k * k * (C / group);
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 8) & 0xff;
  const weights = Int8Array.from({ length: OC * K }, () => {
    const v = rnd() - 128;
    return v === -128 && !allowMin128 ? -127 : v;
  });
  return {
    op: 'conv', name: 'c', input: 0, output: 1, C, OC, group, kernel: [k, k], strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1],
    weights, bias: Int32Array.from({ length: OC }, (_, i) => i * 31 - 500), multiplier: Float32Array.from({ length: OC }, (_, i) => 0.001 * (i + 1)),
    inZeroPoint: 7, outZeroPoint: -3, lo: -128, hi: 127,
  };
}

describe('pack_weights (wasm) against the TS reference packConv', () => {
  const cases = [
    { OC: 64, C: 3, k: 7, group: 1 }, // stem: K = 147, not a multiple of 16
    { OC: 10, C: 64, k: 1, group: 1 }, // OC not a multiple of 4
    { OC: 32, C: 32, k: 3, group: 4 }, // grouped
    { OC: 8, C: 8, k: 3, group: 8 }, // depthwise
  ];
  // pack_weights is in both builds and takes the mode as an argument, so relaxed layouts are checked on any runtime.
  for (const relaxedMode of [0, 1, 3] as const) {
    for (const c of cases) {
      for (const allowMin128 of [false, true]) {
        it(`mode ${relaxedMode} OC=${c.OC} C=${c.C} k=${c.k} g=${c.group}${allowMin128 ? ' with -128' : ''}`, async () => {
          const engine = await instantiateEngine({ relaxedSimd: false });
          const op = conv(c.OC, c.C, c.k, c.group, c.OC * 7 + c.k, allowMin128);
          const ref = packConv(op, relaxedMode);
          const shape = packShape(op, relaxedMode);
          expect(shape.mode).toBe(ref.mode);
          expect(shape.Kp).toBe(ref.Kp);
          const OCg = c.OC / c.group, K = op.weights.length / c.OC;
          const ex = engine.exports, base = ex.heap_base();
          const dst = base + 65536, sums = dst + 262144, sumsN = sums + 4096;
          engine.memory.grow(Math.max(0, Math.ceil((sumsN + 4096) / 65536) - engine.memory.buffer.byteLength / 65536));
          // Dirty destination: the kernel must zero its padding itself (executors reuse memory).
          new Uint8Array(engine.memory.buffer, dst, 262144).fill(0xa5);
          ref.groups.forEach((g, gi) => {
            new Int8Array(engine.memory.buffer, base, OCg * K).set(op.weights.subarray(gi * OCg * K, (gi + 1) * OCg * K));
            ex.pack_weights(base, OCg, K, ref.mode, dst, sums, sumsN);
            const got = new Uint8Array(engine.memory.buffer, dst, g.weights.byteLength);
            expect(Buffer.from(got).equals(Buffer.from(new Uint8Array(g.weights.buffer, g.weights.byteOffset, g.weights.byteLength)))).toBe(true);
            const sum = new Int32Array(engine.memory.buffer, sums, OCg), sumN = new Int32Array(engine.memory.buffer, sumsN, OCg);
            for (let o = 0; o < OCg; o++) {
              const oc = gi * OCg + o;
              expect(foldBias(op.bias[oc], op.inZeroPoint, ref.mode, sum[o], sumN[o])).toBe(g.bias[o]);
            }
          });
        });
      }
    }
  }
});
