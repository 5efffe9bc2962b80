/**
 * int8 Add (+ optional ReLU) on packed words by table lookup: onnxruntime's formula divides by the output scale,
 * and WGSL's f32 division is not correctly rounded, so the host tabulates all 65536 (a, b) results with
 * ops/add/reference.ts (64 KB per op) and the shader reads them. One invocation per word (4 channels).
 */
import type { PlanAdd } from '../../plan/types.js';
import { dispatch1d, flatKernelWgsl, packNamedParams, WGSL_LANES } from '../../webgpu/wgsl-common.js';
import type { GpuKernel } from '../../webgpu/kernel-api.js';
import { gpuQLayout } from '../../webgpu/layout.js';
import { addQ8Table } from './reference.js';

const FIELDS = [{ n: 'count', t: 'u32' }] as const;

const ADD_LANE = /* wgsl */ `
fn addLane(va: i32, vb: i32) -> i32 {
  let idx = u32((va + 128) * 256 + vb + 128);
  return lane(table[idx >> 2u], idx & 3u);
}
`;

const BODY = /* wgsl */ `
  let va = unpack4(a[i]);
  let vb = unpack4(b[i]);
  c[i] = pack4(vec4<i32>(addLane(va.x, vb.x), addLane(va.y, vb.y), addLane(va.z, vb.z), addLane(va.w, vb.w)));`;

/**
 * WGSL source of the add kernel.
 *
 * @example
 * ```ts
 * device.createShaderModule({ code: addQ8Wgsl() });
 * ```
 */
export function addQ8Wgsl(): string {
  return flatKernelWgsl({
    fields: FIELDS, helpers: [WGSL_LANES], buffers: ['a: array<u32>', 'b: array<u32>', 'table: array<u32>', 'c: array<u32>'], decls: ADD_LANE, body: BODY,
  });
}

/**
 * Params, lookup table and dispatch for `wordCount` packed words.
 *
 * @example
 * ```ts
 * const { params, dispatch } = prepareAddQ8({ op, wordCount: 1 * 8 * 8 * 4 });
 * ```
 */
export function prepareAddQ8(o: { op: PlanAdd; wordCount: number }): { params: ArrayBuffer; table: Int8Array; dispatch: [number, number] } {
  return { params: packNamedParams(FIELDS, { count: o.wordCount }), table: addQ8Table(o.op), dispatch: dispatch1d(o.wordCount) };
}

/** The add kernel for the WebGPU executor: one invocation per packed word of the output. */
export const addGpu: GpuKernel<PlanAdd> = {
  shaders: { add: () => addQ8Wgsl() },
  build(op, ctx) {
    const prep = prepareAddQ8({ op, wordCount: gpuQLayout(ctx.tensors[op.output].shape).bytes / 4 });
    const resources = [ctx.upload(prep.params, 'uniform'), ctx.tensor(op.a), ctx.tensor(op.b), ctx.upload(prep.table, 'storage'), ctx.tensor(op.output)];
    return [ctx.step('add', resources, prep.dispatch)];
  },
};
