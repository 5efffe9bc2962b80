// Micro-benchmark of the WGSL int8 global average pool over CxHWxHW (64x56x56 by default).
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx packages/core/src/engine/ops/global-avg-pool/global-avg-pool.wgsl.bench.ts --iters 3
import { gpuBench } from '../../../testing/gpu-bench.js';
import { randomInt8 } from '../../../testing/random.js';
import type { PlanGlobalAvgPool } from '../../plan/types.js';

const { bench, C, HW } = await gpuBench();
const op: PlanGlobalAvgPool = { op: 'gap', name: 'gap', input: 0, output: 1, inZeroPoint: 0, outZeroPoint: 0, multiplier: 1 / (HW * HW) };
await bench({ name: `global average pool ${C}x${HW}x${HW}`, op, shapes: [[1, C, HW, HW], [1, C, 1, 1]], inputs: { 0: randomInt8(C * HW * HW, 6) } });
process.exit(0);
