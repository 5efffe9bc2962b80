/**
 * Micro-benchmarks of the own int8 WGSL kernels on ResNet-18-sized ops: conv 3x3 64->64 at 56x56 (packed dot4 and
 * fallback shader), residual add, stem max-pool and global average pool. Each timing includes one upload and one
 * readback (the harness runs a one-op plan).
 *
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx bench/webgpu-kernels.ts --iters 3
 */
import { parseArgs } from 'node:util';
import type { PlanAdd, PlanConv, PlanGlobalAvgPool, PlanOp, PlanPool } from '../packages/core/src/engine/plan/types.js';
import { randomInt8 } from '../packages/core/src/testing/q8-test-harness.js';
import { setupDawn } from '../packages/core/src/testing/dawn-test-setup.js';
import { hasPackedDot } from '../packages/core/src/engine/webgpu/wgsl-common.js';
import { runQ8OpGpu } from '../packages/core/src/testing/wgsl-test-harness.js';

const { values: args } = parseArgs({ options: { C: { type: 'string', default: '64' }, HW: { type: 'string', default: '56' }, iters: { type: 'string', default: '3' } } });
const C = Number(args.C), HW = Number(args.HW), iters = Number(args.iters);
const gpu = (await setupDawn())!;
const device = await (await gpu.requestAdapter())!.requestDevice();
const shape = [1, C, HW, HW], n = C * HW * HW;

async function bench(o: { name: string; op: PlanOp; shapes: number[][]; inputs: Record<number, Int8Array>; packed?: boolean; macs?: number }): Promise<void> {
  const { run, exec } = await runQ8OpGpu({ device, packed: o.packed ?? false, op: o.op, shapes: o.shapes, inputs: o.inputs });
  const ms: number[] = [];
  for (let i = 0; i < iters; i++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  exec.destroy();
  const best = Math.min(...ms);
  console.log(`${o.name}: best ${best.toFixed(1)} ms${o.macs ? `, ${(o.macs / 1e9 / (best / 1000)).toFixed(2)} GMAC/s` : ''}`);
}

const conv: PlanConv = {
  op: 'conv', name: 'conv', input: 0, output: 1, C, OC: C, group: 1, kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1],
  dilations: [1, 1], weights: randomInt8(C * 9 * C, 1), bias: new Int32Array(C), multiplier: new Float32Array(C).fill(1 / 4000),
  inZeroPoint: 0, outZeroPoint: -128, lo: -128, hi: 127,
};
for (const packed of hasPackedDot(gpu) ? [true, false] : [false]) {
  await bench({ name: `conv 3x3 ${C}->${C} ${HW}x${HW} packed=${packed}`, op: conv, shapes: [shape, shape], inputs: { 0: randomInt8(n, 2) }, packed, macs: C * C * 9 * HW * HW });
}
const add: PlanAdd = { op: 'add', name: 'add', a: 0, b: 1, output: 2, ra: 0.7, rb: 1.3, za: 1, zb: -2, zc: -128, lo: -128, hi: 127 };
await bench({ name: `add ${C}x${HW}x${HW}`, op: add, shapes: [shape, shape, shape], inputs: { 0: randomInt8(n, 3), 1: randomInt8(n, 4) } });
const half = Math.floor((HW - 1) / 2) + 1;
const pool: PlanPool = {
  op: 'maxpool', name: 'maxpool', input: 0, output: 1, kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], dilations: [1, 1],
  countIncludePad: false, inZeroPoint: 0, outZeroPoint: 0, scale: 1,
};
await bench({ name: `maxpool 3x3 s2 ${C}x${HW}x${HW}`, op: pool, shapes: [shape, [1, C, half, half]], inputs: { 0: randomInt8(n, 5) } });
const gap: PlanGlobalAvgPool = { op: 'gap', name: 'gap', input: 0, output: 1, inZeroPoint: 0, outZeroPoint: 0, multiplier: 1 / (HW * HW) };
await bench({ name: `global average pool ${C}x${HW}x${HW}`, op: gap, shapes: [shape, [1, C, 1, 1]], inputs: { 0: randomInt8(n, 6) } });
process.exit(0);
