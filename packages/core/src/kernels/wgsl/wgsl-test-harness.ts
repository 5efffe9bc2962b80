/** Test/bench helper: runs one int8 plan op through the WebGPU executor (mirror of kernels/q8-test-harness.ts). */
import { GpuPlanExecutor } from '../../backends/webgpu/gpu-executor.js';
import { PipelineCache } from '../../backends/webgpu/pipelines.js';
import type { Plan, PlanOp, PlanTensor } from '../../model/plan-types.js';
import { computeLastUse } from '../../model/plan-util.js';

/**
 * Runs `op` (tensor ids index `shapes`) on the GPU with int8 NCHW inputs; returns outputs by tensor id, and a
 * `run` closure for benchmarks (same inputs again).
 *
 * @example
 * ```ts
 * const { outputs } = await runQ8OpGpu({ device, packed: true, op, shapes: [[1, 8, 4, 4], [1, 8, 4, 4]], inputs: { 0: x } });
 * ```
 */
export async function runQ8OpGpu(o: {
  device: GPUDevice; packed: boolean; op: PlanOp; shapes: number[][]; inputs: Record<number, Int8Array>; f32Outputs?: number[];
}): Promise<{ outputs: Record<number, Int8Array | Float32Array>; run: () => Promise<unknown>; exec: GpuPlanExecutor }> {
  const tensors: PlanTensor[] = o.shapes.map((shape, id) =>
    o.f32Outputs?.includes(id) ? { id, name: `t${id}`, dtype: 'f32', shape } : { id, name: `t${id}`, dtype: 'q8', shape, srcType: 'int8' });
  const inputIds = Object.keys(o.inputs).map(Number);
  const outIds = tensors.map((t) => t.id).filter((id) => !inputIds.includes(id));
  const ops = [o.op];
  const plan: Plan = {
    tensors, ops, format: 'qdq',
    inputs: inputIds.map((id) => ({ name: `t${id}`, tensor: id })),
    outputs: outIds.map((id) => ({ name: `t${id}`, tensor: id })),
    lastUse: computeLastUse(ops, tensors.length, outIds),
  };
  const exec = await GpuPlanExecutor.create(o.device, plan, new PipelineCache(o.device, o.packed));
  const feeds = Object.fromEntries(inputIds.map((id) => [`t${id}`, { data: o.inputs[id], dims: o.shapes[id] }]));
  const res = await exec.run(feeds);
  const outputs: Record<number, Int8Array | Float32Array> = {};
  for (const id of outIds) outputs[id] = res[`t${id}`].data as Int8Array | Float32Array;
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
