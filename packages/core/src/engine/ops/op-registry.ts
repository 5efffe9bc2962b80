/**
 * Every plan op's kernels, by op name: the one table both executors dispatch through. A new op is its folder under
 * engine/ops/ plus one line here (and its Plan* type and compiler rule in engine/plan/).
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
import { dequantizeLinearHost } from './dequantize-linear/reference.js';
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

/** The kernels of one op. */
export interface OpKernels<O extends PlanOp> {
  host?: HostKernel<O>;
  wasm?: WasmKernel<O>;
  webgpu?: GpuKernel<O>;
}

/** The plan op with name `K`. */
export type PlanOpOf<K extends PlanOp['op']> = Extract<PlanOp, { op: K }>;

/** Kernels by plan op name. */
export const OP_KERNELS: { readonly [K in PlanOp['op']]: OpKernels<PlanOpOf<K>> } = {
  conv: { host: convHost, wasm: convWasm, webgpu: convGpu },
  add: { wasm: addWasm, webgpu: addGpu },
  maxpool: { wasm: poolWasm, webgpu: poolGpu },
  avgpool: { wasm: poolWasm, webgpu: poolGpu },
  gap: { wasm: globalAvgPoolWasm, webgpu: globalAvgPoolGpu },
  concat: { wasm: concatWasm, webgpu: concatGpu },
  quantize: { host: quantizeLinearHost, wasm: quantizeLinearWasm },
  dequantize: { host: dequantizeLinearHost },
  reshape: { host: reshapeHost, wasm: reshapeWasm },
  slice: { host: sliceHost, wasm: sliceWasm },
  pad: { host: padHost, wasm: padWasm },
  requant: { host: requantHost, wasm: requantWasm },
  float: { host: floatHost },
};

/**
 * The kernels of `op` (typed by its op name).
 *
 * @example
 * ```ts
 * const run = kernelsOf(op).host;
 * ```
 */
export function kernelsOf<O extends PlanOp>(op: O): OpKernels<O> {
  return OP_KERNELS[op.op] as unknown as OpKernels<O>;
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
  for (const k of Object.values(OP_KERNELS) as OpKernels<PlanOp>[]) Object.assign(out, k.webgpu?.shaders);
  return out;
}
