// Micro-benchmark of weight packing (model load path): the engine's pack_weights (wasm SIMD) against the TS reference
// packConv, on ResNet-50's largest conv (3x3 512 -> 512, 2.36 M weights). Reports ms and ns per weight, cold (first
// call, as at load) and warm (best of repeats).
//   node --import tsx packages/core/src/engine/ops/conv/pack.bench.ts
import { instantiateEngine } from '../../wasm/engine.js';
import { packConv } from './pack.js';
import { randomInt8 } from '../../../testing/random.js';
import type { PlanConv } from '../../plan/types.js';

const OC = 512, C = 512, K = 9 * C;
const op: PlanConv = {
  op: 'conv', name: 'conv', input: 0, output: 1, C, OC, group: 1, kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1],
  weights: randomInt8(OC * K, 1, -127, 127), bias: new Int32Array(OC), multiplier: new Float32Array(OC).fill(1e-3), inZeroPoint: 0, outZeroPoint: 0, lo: -128, hi: 127,
};
const engine = await instantiateEngine({ relaxedSimd: false });
const ex = engine.exports, base = ex.heap_base();
const src = base, dst = src + OC * K, sums = dst + OC * K * 2 + 64, sumsN = sums + OC * 4;
engine.memory.grow(Math.ceil((sumsN + OC * 4) / 65536));
new Int8Array(engine.memory.buffer, src, OC * K).set(op.weights);

function time(name: string, run: () => void): void {
  const t0 = performance.now();
  run();
  const cold = performance.now() - t0;
  let warm = Infinity;
  for (let i = 0; i < 10; i++) {
    const a = performance.now();
    run();
    warm = Math.min(warm, performance.now() - a);
  }
  const ns = (ms: number) => ((ms * 1e6) / (OC * K)).toFixed(2);
  console.log(`${name.padEnd(28)} cold ${cold.toFixed(2).padStart(7)} ms (${ns(cold)} ns/weight)  warm ${warm.toFixed(2).padStart(7)} ms (${ns(warm)} ns/weight)`);
}

for (const mode of [0, 1] as const) {
  time(`wasm pack_weights mode ${mode}`, () => ex.pack_weights(src, OC, K, mode, dst, sums, sumsN));
  time(`TS packConv mode ${mode}`, () => packConv(op, mode));
}
