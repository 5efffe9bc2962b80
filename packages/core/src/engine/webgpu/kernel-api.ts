/**
 * The contract between the WebGPU executor (engine/exec/webgpu) and an op's WGSL kernel (engine/ops/<op>/*.wgsl.ts).
 * A kernel names its shaders (compiled once per device by the executor's pipeline cache) and turns one plan op into
 * dispatches; int8 tensors are packed NHWC words (engine/webgpu/layout.ts).
 */
import type { PlanOp, PlanTensor } from '../plan/types.js';

/** One recorded dispatch: a pipeline, its bind group, workgroup counts. */
export interface GpuStep {
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  dispatch: [number, number];
}

/** What a kernel sees while the executor builds. */
export interface GpuOpContext {
  readonly tensors: readonly PlanTensor[];
  /** The buffer holding tensor `id` (activation buffers are shared by liveness). */
  tensor(id: number): GPUBuffer;
  /** A buffer owned by the executor holding `data`: `uniform` for params, `storage` for weights and tables. */
  upload(data: ArrayBuffer | ArrayBufferView, kind: 'uniform' | 'storage'): GPUBuffer;
  /** A dispatch of the kernel's shader `shader` with `resources` bound at bindings 0, 1, ... of group 0. */
  step(shader: string, resources: GPUBuffer[], dispatch: [number, number]): GpuStep;
}

/** An op's WebGPU kernel. */
export interface GpuKernel<O extends PlanOp> {
  /** WGSL sources by pipeline name (unique across ops); `packed` is true when dot4I8Packed is available. */
  shaders: Readonly<Record<string, (packed: boolean) => string>>;
  /** The dispatches that run `op`; throws UNSUPPORTED_OP for instances it cannot run (the backend then moves on). */
  build(op: O, ctx: GpuOpContext): GpuStep[];
}
