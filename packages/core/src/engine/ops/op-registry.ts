/**
 * Every plan op's kernels, by op name: the tables both executors dispatch through. A new op is its folder under
 * engine/ops/ plus its line in each table it has a kernel for (and its Plan* type and compiler rule in engine/plan/).
 * - host: runs the op in JS on logical NCHW arrays (float ops, graph-boundary (de)quantization, fallbacks);
 * - wasm: reserves wasm memory and builds the op's runner (undefined for an instance: the host kernel runs it);
 * - webgpu: WGSL shaders and dispatches (ops without one run on the host before or after the GPU pass).
 */
import type { PlanOp } from '../plan/types.js';
import type { WasmKernel } from '../wasm/kernel-api.js';
import type { GpuKernel } from '../webgpu/kernel-api.js';
import { addGpu } from './add/add.wgsl.js';
import { addWasm } from './add/wasm.js';
import { concatGpu } from './concat/concat.wgsl.js';
import { concatWasm } from './concat/wasm.js';
import { convGpu } from './conv/conv.wgsl.js';
import { convHost } from './conv/reference.js';
import { convWasm } from './conv/wasm.js';
import { convFloatHost } from './conv-float/reference.js';
import { convIntegerHost } from './conv-integer/reference.js';
import { convIntegerWasm } from './conv-integer/wasm.js';
import { dequantizeLinearHost } from './dequantize-linear/reference.js';
import { dynamicQuantizeHost } from './dynamic-quantize/reference.js';
import { dynamicQuantizeWasm } from './dynamic-quantize/wasm.js';
import { floatHost } from './float/index.js';
import { globalAvgPoolGpu } from './global-avg-pool/global-avg-pool.wgsl.js';
import { globalAvgPoolWasm } from './global-avg-pool/wasm.js';
import { poolGpu } from './pool/pool.wgsl.js';
import { poolWasm } from './pool/wasm.js';
import { quantizeLinearHost } from './quantize-linear/reference.js';
import { quantizeLinearWasm } from './quantize-linear/wasm.js';
import { reshapeHost } from './reshape/reference.js';
import { reshapeWasm } from './reshape/wasm.js';
import { padHost } from './pad/reference.js';
import { padWasm } from './pad/wasm.js';
import { requantHost } from './requant/reference.js';
import { requantWasm } from './requant/wasm.js';
import type { HostKernel } from './shared/host-kernel.js';
import { sliceHost } from './slice/reference.js';
import { sliceWasm } from './slice/wasm.js';

/** The plan op with name `K`. */
export type PlanOpOf<K extends PlanOp['op']> = Extract<PlanOp, { op: K }>;

/**
 * Kernels by plan op name, one table per kind: each executor reads only its own table, so a wasm-only bundle carries
 * no WGSL and a WebGPU-only one no wasm glue (bundlers drop the tables nobody reads).
 */
export const HOST_KERNELS: { readonly [K in PlanOp['op']]?: HostKernel<PlanOpOf<K>> } = {
  conv: convHost,
  quantize: quantizeLinearHost,
  dequantize: dequantizeLinearHost,
  reshape: reshapeHost,
  slice: sliceHost,
  pad: padHost,
  requant: requantHost,
  dynquant: dynamicQuantizeHost,
  convint: convIntegerHost,
  fconv: convFloatHost,
  float: floatHost,
};

export const WASM_KERNELS: { readonly [K in PlanOp['op']]?: WasmKernel<PlanOpOf<K>> } = {
  conv: convWasm,
  add: addWasm,
  maxpool: poolWasm,
  avgpool: poolWasm,
  gap: globalAvgPoolWasm,
  concat: concatWasm,
  quantize: quantizeLinearWasm,
  reshape: reshapeWasm,
  slice: sliceWasm,
  pad: padWasm,
  requant: requantWasm,
  dynquant: dynamicQuantizeWasm,
  convint: convIntegerWasm,
};

export const WEBGPU_KERNELS: { readonly [K in PlanOp['op']]?: GpuKernel<PlanOpOf<K>> } = {
  conv: convGpu,
  add: addGpu,
  maxpool: poolGpu,
  avgpool: poolGpu,
  gap: globalAvgPoolGpu,
  concat: concatGpu,
};

/**
 * The host kernel of `op`, if it has one.
 *
 * @example
 * ```ts
 * hostKernelOf(op)?.(op, values, plan.tensors);
 * ```
 */
export function hostKernelOf<O extends PlanOp>(op: O): HostKernel<O> | undefined {
  return HOST_KERNELS[op.op] as HostKernel<O> | undefined;
}

/**
 * The wasm kernel of `op`, if it has one.
 *
 * @example
 * ```ts
 * const build = wasmKernelOf(op)?.(op, memoryPlan);
 * ```
 */
export function wasmKernelOf<O extends PlanOp>(op: O): WasmKernel<O> | undefined {
  return WASM_KERNELS[op.op] as WasmKernel<O> | undefined;
}

/**
 * The WebGPU kernel of `op`, if it has one.
 *
 * @example
 * ```ts
 * const steps = gpuKernelOf(op)?.build(op, ctx);
 * ```
 */
export function gpuKernelOf<O extends PlanOp>(op: O): GpuKernel<O> | undefined {
  return WEBGPU_KERNELS[op.op] as GpuKernel<O> | undefined;
}

/**
 * WGSL sources of every op's pipelines, by pipeline name.
 *
 * @example
 * ```ts
 * device.createShaderModule({ code: gpuShaders().conv(true) });
 * ```
 */
export function gpuShaders(): Record<string, (packed: boolean) => string> {
  const out: Record<string, (packed: boolean) => string> = {};
  for (const k of Object.values(WEBGPU_KERNELS) as GpuKernel<PlanOp>[]) Object.assign(out, k.shaders);
  return out;
}
