/**
 * Micro-benchmark of the own int8 WGSL conv kernel on a ResNet-18 stage-1 layer (3x3, 64 -> 64, 56x56), packed dot4
 * vs the fallback shader. Run: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx bench/webgpu-conv.ts
 */
import { parseArgs } from 'node:util';
import type { PlanConv } from '../packages/core/src/model/plan-types.js';
import { randomInt8 } from '../packages/core/src/kernels/q8-test-harness.js';
import { setupDawn } from '../packages/core/src/kernels/wgsl/dawn-test-setup.js';
import { hasPackedDot } from '../packages/core/src/kernels/wgsl/wgsl-common.js';
import { runQ8OpGpu } from '../packages/core/src/kernels/wgsl/wgsl-test-harness.js';

const { values: args } = parseArgs({ options: { C: { type: 'string', default: '64' }, HW: { type: 'string', default: '56' }, iters: { type: 'string', default: '3' } } });
const C = Number(args.C), HW = Number(args.HW), iters = Number(args.iters);
const gpu = (await setupDawn())!;
const device = await (await gpu.requestAdapter())!.requestDevice();
const op: PlanConv = {
  op: 'conv', name: 'bench', input: 0, output: 1, C, OC: C, group: 1, kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1],
  dilations: [1, 1], weights: randomInt8(C * 9 * C, 1), bias: new Int32Array(C), multiplier: new Float32Array(C).fill(1 / 4000),
  inZeroPoint: 0, outZeroPoint: -128, lo: -128, hi: 127,
};
const shape = [1, C, HW, HW];
for (const packed of hasPackedDot(gpu) ? [true, false] : [false]) {
  const { run } = await runQ8OpGpu({ device, packed, op, shapes: [shape, shape], inputs: { 0: randomInt8(C * HW * HW, 2) } });
  const ms: number[] = [];
  for (let i = 0; i < iters; i++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  const best = Math.min(...ms), gmacs = (C * C * 9 * HW * HW) / 1e9;
  console.log(`conv 3x3 ${C}->${C} ${HW}x${HW} packed=${packed}: best ${best.toFixed(1)} ms, ${(gmacs / (best / 1000)).toFixed(2)} GMAC/s`);
}
process.exit(0);
