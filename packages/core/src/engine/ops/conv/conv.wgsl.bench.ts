// Micro-benchmark of the WGSL int8 conv: 3x3 C->C at HWxHW (ResNet-18's 64x56x56 by default), packed dot4 and fallback.
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx packages/core/src/engine/ops/conv/conv.wgsl.bench.ts --iters 3
import { gpuBench } from '../../../testing/gpu-bench.js';
import { randomInt8 } from '../../../testing/random.js';
import type { PlanConv } from '../../plan/types.js';

const { bench, variants, C, HW } = await gpuBench();
const shape = [1, C, HW, HW];
const op: PlanConv = {
  op: 'conv', name: 'conv', input: 0, output: 1, C, OC: C, group: 1, kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1],
  dilations: [1, 1], weights: randomInt8(C * 9 * C, 1), bias: new Int32Array(C), multiplier: new Float32Array(C).fill(1 / 4000),
  inZeroPoint: 0, outZeroPoint: -128, lo: -128, hi: 127,
};
for (const packed of variants) {
  await bench({ name: `conv 3x3 ${C}->${C} ${HW}x${HW} packed=${packed}`, op, shapes: [shape, shape], inputs: { 0: randomInt8(C * HW * HW, 2) }, packed, macs: C * C * 9 * HW * HW });
}
process.exit(0);
