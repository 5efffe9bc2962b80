// Micro-benchmark of the WGSL int8 residual add at CxHWxHW (ResNet-18's 64x56x56 by default).
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx packages/core/src/engine/ops/add/add.wgsl.bench.ts --iters 3
import { gpuBench } from '../../../testing/gpu-bench.js';
import { randomInt8 } from '../../../testing/random.js';
import type { PlanAdd } from '../../plan/types.js';

const { bench, C, HW } = await gpuBench();
const shape = [1, C, HW, HW], n = C * HW * HW;
const op: PlanAdd = { op: 'add', name: 'add', a: 0, b: 1, output: 2, sa: 0.07, sb: 0.13, sc: 0.1, za: 1, zb: -2, zc: -128, zr: 0, lo: -128, hi: 127 };
await bench({ name: `add ${C}x${HW}x${HW}`, op, shapes: [shape, shape, shape], inputs: { 0: randomInt8(n, 3), 1: randomInt8(n, 4) } });
process.exit(0);
