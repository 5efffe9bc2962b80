// Micro-benchmark of the wasm int8 GlobalAveragePool at ResNet-50's head (2048x7x7). Reports ms and GB/s read.
//   node --experimental-wasm-relaxed-simd --import tsx packages/core/src/engine/ops/global-avg-pool/global-avg-pool.bench.ts
import { bestMs, reportBandwidth } from '../../../testing/bench-stats.js';
import { runQ8Op } from '../../../testing/q8-test-harness.js';
import { randomInt8 } from '../../../testing/random.js';
import type { PlanGlobalAvgPool } from '../../plan/types.js';
import { instantiateEngine } from '../../wasm/engine.js';

const engine = await instantiateEngine({});
const op: PlanGlobalAvgPool = { op: 'gap', name: 'gap', input: 0, output: 1, inZeroPoint: 0, outZeroPoint: 0, multiplier: 1 / 49 };
const { run } = runQ8Op({ engine, op, shapes: [[1, 2048, 7, 7], [1, 2048, 1, 1]], inputs: { 0: randomInt8(2048 * 49, 4) } });
reportBandwidth('global avg pool 2048x7x7', bestMs(run, 400), 2048 * 49);
