// Micro-benchmark of the wasm QuantizeLinear of a 224x224 RGB input (NCHW float -> NHWC int8). Reports ms and GB/s read.
//   node --experimental-wasm-relaxed-simd --import tsx packages/core/src/engine/ops/quantize-linear/quantize-linear.bench.ts
import { bestMs, reportBandwidth } from '../../../testing/bench-stats.js';
import { PlanExecutor } from '../../exec/wasm/executor.js';
import type { Plan } from '../../plan/types.js';
import { instantiateEngine } from '../../wasm/engine.js';

const engine = await instantiateEngine({});
const shape = [1, 3, 224, 224];
const plan: Plan = {
  tensors: [{ id: 0, name: 'x', dtype: 'f32', shape }, { id: 1, name: 'q', dtype: 'q8', shape, srcType: 'uint8', scale: 0.02, zeroPoint: 0 }],
  ops: [{ op: 'quantize', name: 'q', input: 0, output: 1, scale: 0.02, zeroPoint: 0 }],
  inputs: [{ name: 'x', tensor: 0 }], outputs: [{ name: 'q', tensor: 1 }], format: 'qdq', lastUse: [0, 1],
};
const exec = new PlanExecutor(plan, engine);
const x = Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => Math.sin(i));
const f32 = new Map([[0, x]]);
exec.run({ x: { data: x, dims: shape } });
reportBandwidth('quantize f32 3x224x224 (NCHW->NHWC)', bestMs(() => exec.runOpsOnly(f32), 400), 4 * x.length);
