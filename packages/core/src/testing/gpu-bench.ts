/**
 * Shared part of the WGSL kernel micro-benchmarks (engine/ops/<op>/*.wgsl.bench.ts): a Dawn device (SwiftShader, or
 * the system's Vulkan driver with `--icd system`), the ResNet-18-sized shape to run at (`--C`, `--HW`), and timing
 * of a one-op plan (each timing includes one upload and one readback).
 */
import { parseArgs } from 'node:util';
import type { PlanOp } from '../engine/plan/types.js';
import { hasPackedDot } from '../engine/webgpu/wgsl-common.js';
import { setupDawn } from './dawn-test-setup.js';
import { runQ8OpGpu } from './wgsl-test-harness.js';

export interface GpuBench {
  device: GPUDevice;
  /** Shader variants to time: dot4I8Packed (when available) and the portable fallback. */
  variants: boolean[];
  C: number;
  HW: number;
  iters: number;
  /** Times one op; prints the best of `iters` runs (and GMAC/s when `macs` is given). */
  bench(o: { name: string; op: PlanOp; shapes: number[][]; inputs: Record<number, Int8Array>; packed?: boolean; macs?: number }): Promise<void>;
}

/**
 * Parses the command line and opens the device.
 *
 * @example
 * ```ts
 * const { bench, C, HW } = await gpuBench(); // --C 64 --HW 56 --iters 3
 * ```
 */
export async function gpuBench(): Promise<GpuBench> {
  const { values: args } = parseArgs({
    options: { C: { type: 'string', default: '64' }, HW: { type: 'string', default: '56' }, iters: { type: 'string', default: '3' }, icd: { type: 'string', default: 'swiftshader' } },
  });
  const gpu = (await setupDawn({ icd: args.icd === 'system' ? 'system' : 'swiftshader' }))!;
  const device = await (await gpu.requestAdapter())!.requestDevice();
  const iters = Number(args.iters);
  return {
    device, variants: hasPackedDot(gpu) ? [true, false] : [false], C: Number(args.C), HW: Number(args.HW), iters,
    async bench(o) {
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
    },
  };
}
