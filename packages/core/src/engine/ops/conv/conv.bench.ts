// int8 conv micro-benchmark: GMAC/s per ResNet-50 conv class and the peak of the dot inner loop, per gemm mode.
//   node --experimental-wasm-relaxed-simd --import tsx packages/core/src/engine/ops/conv/conv.bench.ts
// Modes: simd128 (i32x4.dot_i16x8_s), relaxed-dot-add (i32x4.relaxed_dot_i8x16_i7x16_add_s, skipped where the
// runtime miscompiles it), relaxed-i16 (i16x8.relaxed_dot_i8x16_i7x16_s + widening add).
import { instantiateEngine, relaxedSimdSupported, type EngineInstance } from '../../wasm/engine.js';
import { dotAddWorks } from '../../wasm/engine-select.js';
import { runQ8Op } from '../../../testing/q8-test-harness.js';
import { randomInt8 } from '../../../testing/random.js';
import type { PlanConv } from '../../plan/types.js';
import { bestMs } from '../../../testing/bench-stats.js';

const classes = [
  { name: 'stem 7x7/2 3->64 @224', C: 3, H: 224, OC: 64, k: 7, s: 2, p: 3 },
  { name: '1x1 64->256 @56', C: 64, H: 56, OC: 256, k: 1, s: 1, p: 0 },
  { name: '1x1 1024->256 @14', C: 1024, H: 14, OC: 256, k: 1, s: 1, p: 0 },
  { name: '3x3 64->64 @56', C: 64, H: 56, OC: 64, k: 3, s: 1, p: 1 },
  { name: '3x3 256->256 @14', C: 256, H: 14, OC: 256, k: 3, s: 1, p: 1 },
  { name: 'dot peak (L1-resident)', C: 1024, H: 4, OC: 4, k: 1, s: 1, p: 0 },
];

function conv(c: (typeof classes)[number]): { op: PlanConv; shapes: number[][]; x: Int8Array; macs: number } {
  const OH = Math.floor((c.H + 2 * c.p - c.k) / c.s) + 1;
  const K = c.k * c.k * c.C;
  const op: PlanConv = {
    op: 'conv', name: c.name, input: 0, output: 1, C: c.C, OC: c.OC, group: 1, kernel: [c.k, c.k], strides: [c.s, c.s],
    pads: [c.p, c.p, c.p, c.p], dilations: [1, 1], weights: randomInt8(c.OC * K, 1, -127, 127), bias: new Int32Array(c.OC),
    multiplier: new Float32Array(c.OC).fill(1e-3), inZeroPoint: 0, outZeroPoint: 0, lo: -128, hi: 127,
  };
  return { op, shapes: [[1, c.C, c.H, c.H], [1, c.OC, OH, OH]], x: randomInt8(c.C * c.H * c.H, 2), macs: OH * OH * c.OC * K };
}

async function bench(label: string, engine: EngineInstance): Promise<void> {
  for (const c of classes) {
    const { op, shapes, x, macs } = conv(c);
    const { run } = runQ8Op({ engine, op, shapes, inputs: { 0: x } });
    const best = bestMs(run, 600);
    console.log(`${label.padEnd(16)} ${c.name.padEnd(26)} ${(macs / (best / 1000) / 1e9).toFixed(2).padStart(7)} GMAC/s`);
  }
}

await bench('simd128', await instantiateEngine({ relaxedSimd: false }));
if (relaxedSimdSupported()) {
  const e = await instantiateEngine({ relaxedSimd: true });
  console.log(`(auto-selected gemm mode in the relaxed build: ${e.relaxedMode})`);
  const e2 = await instantiateEngine({ relaxedSimd: true, relaxedMode: 2 });
  await bench('relaxed-i16', e2);
  // Node 20's V8 gets the fused dot-add wrong only before tier-up (Liftoff); after the runs above the optimized
  // code is in place, so mode 1 can be timed (and is checked) here even where the engine would not pick it.
  if (dotAddWorks(e2.exports, e2.memory)) await bench('relaxed-dot-add', await instantiateEngine({ relaxedSimd: true, relaxedMode: 1 }));
  else console.log('relaxed-dot-add  skipped: this runtime computes i32x4.relaxed_dot_i8x16_i7x16_add_s wrongly');
} else console.log('relaxed SIMD not available (Node 20: --experimental-wasm-relaxed-simd)');
