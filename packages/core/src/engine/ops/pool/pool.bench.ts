// Micro-benchmark of the wasm int8 MaxPool at the ResNet-50 stem (3x3 stride 2 on 64x112x112). Reports ms and GB/s read.
//   node --experimental-wasm-relaxed-simd --import tsx packages/core/src/engine/ops/pool/pool.bench.ts
import { bestMs, reportBandwidth } from '../../../testing/bench-stats.js';
import { runQ8Op } from '../../../testing/q8-test-harness.js';
import { randomInt8 } from '../../../testing/random.js';
import type { PlanPool } from '../../plan/types.js';
import { instantiateEngine } from '../../wasm/engine.js';

const engine = await instantiateEngine({});
const op: PlanPool = { op: 'maxpool', name: 'mp', input: 0, output: 1, kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], dilations: [1, 1], countIncludePad: false, inZeroPoint: 0, outZeroPoint: 0, scale: 1 };
const { run } = runQ8Op({ engine, op, shapes: [[1, 64, 112, 112], [1, 64, 56, 56]], inputs: { 0: randomInt8(64 * 112 * 112, 3) } });
reportBandwidth('maxpool 3x3/2 64x112x112', bestMs(run, 400), 64 * 112 * 112);
