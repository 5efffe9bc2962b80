// Micro-benchmark of the WGSL int8 max-pool 3x3 stride 2 at CxHWxHW (ResNet-18's stem-pool size by default).
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx packages/core/src/engine/ops/pool/pool.wgsl.bench.ts --iters 3
import { gpuBench } from '../../../testing/gpu-bench.js';
import { randomInt8 } from '../../../testing/random.js';
import type { PlanPool } from '../../plan/types.js';

const { bench, C, HW } = await gpuBench();
const half = Math.floor((HW - 1) / 2) + 1;
const op: PlanPool = {
  op: 'maxpool', name: 'maxpool', input: 0, output: 1, kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], dilations: [1, 1],
  countIncludePad: false, inZeroPoint: 0, outZeroPoint: 0, scale: 1,
};
await bench({ name: `maxpool 3x3 s2 ${C}x${HW}x${HW}`, op, shapes: [[1, C, HW, HW], [1, C, half, half]], inputs: { 0: randomInt8(C * HW * HW, 5) } });
process.exit(0);
