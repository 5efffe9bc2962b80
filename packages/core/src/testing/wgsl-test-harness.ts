/** Test/bench helper: runs one int8 plan op through the WebGPU executor (mirror of testing/q8-test-harness.ts). */
import { GpuPlanExecutor } from '../engine/exec/webgpu/executor.js';
import { PipelineCache } from '../engine/exec/webgpu/pipelines.js';
import { singleOpPlan, type SingleOpOptions } from './single-op-plan.js';

/**
 * Runs `op` (tensor ids index `shapes`) on the GPU with int8 NCHW inputs; returns outputs by tensor id, and a
 * `run` closure for benchmarks (same inputs again).
 *
 * @example
 * ```ts
 * const { outputs } = await runQ8OpGpu({ device, packed: true, op, shapes: [[1, 8, 4, 4], [1, 8, 4, 4]], inputs: { 0: x } });
 * ```
 */
export async function runQ8OpGpu(o: SingleOpOptions & { device: GPUDevice; packed: boolean }): Promise<{
  outputs: Record<number, Int8Array | Float32Array>;
  run: () => Promise<unknown>;
  exec: GpuPlanExecutor;
}> {
  const { plan, feeds, outputsOf } = singleOpPlan(o);
  const exec = await GpuPlanExecutor.create(o.device, plan, new PipelineCache(o.device, o.packed));
  const outputs = outputsOf(await exec.run(feeds));
  return { outputs, exec, run: () => exec.run(feeds) };
}

/**
 * Shader variants to test on this GPU: the packed dot4I8Packed path when supported, and always the fallback.
 *
 * @example
 * ```ts
 * for (const packed of shaderVariants(gpu)) { ... }
 * ```
 */
export function shaderVariants(packedSupported: boolean): boolean[] {
  return packedSupported ? [true, false] : [false];
}
