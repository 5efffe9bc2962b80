// Micro-benchmark of the wasm int8 Add at a ResNet-50 size (residual add + ReLU). Reports ms and GB/s read.
//   node --experimental-wasm-relaxed-simd --import tsx packages/core/src/engine/ops/add/add.bench.ts
import { bestMs, reportBandwidth } from '../../../testing/bench-stats.js';
import { runQ8Op } from '../../../testing/q8-test-harness.js';
import { randomInt8 } from '../../../testing/random.js';
import type { PlanAdd } from '../../plan/types.js';
import { instantiateEngine } from '../../wasm/engine.js';

const engine = await instantiateEngine({});
const n = 256 * 56 * 56, s56 = [1, 256, 56, 56];
const op: PlanAdd = { op: 'add', name: 'add', a: 0, b: 1, output: 2, sa: 0.05, sb: 0.07, sc: 0.1, za: 1, zb: -3, zc: 2, zr: 130, lo: 2, hi: 127 };
const { run } = runQ8Op({ engine, op, shapes: [s56, s56, s56], inputs: { 0: randomInt8(n, 1), 1: randomInt8(n, 2) } });
reportBandwidth('add+relu 256x56x56', bestMs(run, 400), 2 * n);
