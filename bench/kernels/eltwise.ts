// Micro-benchmark of the non-GEMM int8 kernels at ResNet-50 sizes: Add, MaxPool (stem), GlobalAveragePool, and
// QuantizeLinear of the input image. Reports ms and GB/s of int8 activations read.
//   node --experimental-wasm-relaxed-simd --import tsx bench/kernels/eltwise.ts
import { instantiateEngine } from '../../packages/core/src/engine/wasm/engine.js';
import { PlanExecutor } from '../../packages/core/src/engine/exec/wasm/executor.js';
import { randomInt8, runQ8Op } from '../../packages/core/src/testing/q8-test-harness.js';
import type { Plan, PlanOp } from '../../packages/core/src/engine/plan/types.js';
import { bestMs } from '../../packages/core/src/testing/bench-stats.js';

const engine = await instantiateEngine({});

function report(name: string, ms: number, bytes: number): void {
  console.log(`${name.padEnd(34)} ${ms.toFixed(3).padStart(8)} ms ${(bytes / (ms / 1000) / 1e9).toFixed(2).padStart(7)} GB/s`);
}

const n = 256 * 56 * 56;
const s56 = [1, 256, 56, 56];
const add: PlanOp = { op: 'add', name: 'add', a: 0, b: 1, output: 2, ra: 0.5, rb: 0.7, za: 1, zb: -3, zc: 2, lo: 2, hi: 127 };
report('add+relu 256x56x56', bestMs(runQ8Op({ engine, op: add, shapes: [s56, s56, s56], inputs: { 0: randomInt8(n, 1), 1: randomInt8(n, 2) } }).run, 400), 2 * n);

const mp: PlanOp = { op: 'maxpool', name: 'mp', input: 0, output: 1, kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], dilations: [1, 1], countIncludePad: false, inZeroPoint: 0, outZeroPoint: 0, scale: 1 };
report('maxpool 3x3/2 64x112x112', bestMs(runQ8Op({ engine, op: mp, shapes: [[1, 64, 112, 112], [1, 64, 56, 56]], inputs: { 0: randomInt8(64 * 112 * 112, 3) } }).run, 400), 64 * 112 * 112);

const gap: PlanOp = { op: 'gap', name: 'gap', input: 0, output: 1, inZeroPoint: 0, outZeroPoint: 0, multiplier: 1 / 49 };
report('global avg pool 2048x7x7', bestMs(runQ8Op({ engine, op: gap, shapes: [[1, 2048, 7, 7], [1, 2048, 1, 1]], inputs: { 0: randomInt8(2048 * 49, 4) } }).run, 400), 2048 * 49);

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
report('quantize f32 3x224x224 (NCHW->NHWC)', bestMs(() => exec.runOpsOnly(f32), 400), 4 * x.length);
