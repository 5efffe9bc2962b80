/**
 * int8 Add (QLinearAdd + optional ReLU) on packed words: c = sat(nearest(ra (a - za) + rb (b - zb)) + zc) in
 * [lo, hi], each product rounded to f32 as in ops/add/reference.ts. One invocation per word (4 channels).
 */
import type { PlanAdd } from '../../plan/types.js';
import { dispatch1d, flatKernelWgsl, packNamedParams, WGSL_LANES } from '../../webgpu/wgsl-common.js';
import type { GpuKernel } from '../../webgpu/kernel-api.js';
import { gpuQLayout } from '../../webgpu/layout.js';

const FIELDS = [
  { n: 'count', t: 'u32' }, { n: 'ra', t: 'f32' }, { n: 'rb', t: 'f32' }, { n: 'za', t: 'i32' }, { n: 'zb', t: 'i32' },
  { n: 'zc', t: 'i32' }, { n: 'lo', t: 'i32' }, { n: 'hi', t: 'i32' },
] as const;

const ADD_LANE = /* wgsl */ `
fn addLane(va: i32, vb: i32) -> i32 {
  let fa = f32(va - p.za) * p.ra;
  let fb = f32(vb - p.zb) * p.rb;
  return clamp(i32(round(clamp(fa + fb, -65536.0, 65536.0))) + p.zc, p.lo, p.hi);
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
    fields: FIELDS, helpers: [WGSL_LANES], buffers: ['a: array<u32>', 'b: array<u32>', 'c: array<u32>'], decls: ADD_LANE, body: BODY,
  });
}

/**
 * Params and dispatch for `wordCount` packed words.
 *
 * @example
 * ```ts
 * const { params, dispatch } = prepareAddQ8({ op, wordCount: 1 * 8 * 8 * 4 });
 * ```
 */
export function prepareAddQ8(o: { op: PlanAdd; wordCount: number }): { params: ArrayBuffer; dispatch: [number, number] } {
  const { op } = o;
  return {
    params: packNamedParams(FIELDS, { count: o.wordCount, ra: op.ra, rb: op.rb, za: op.za, zb: op.zb, zc: op.zc, lo: op.lo, hi: op.hi }),
    dispatch: dispatch1d(o.wordCount),
  };
}

/** The add kernel for the WebGPU executor: one invocation per packed word of the output. */
export const addGpu: GpuKernel<PlanAdd> = {
  shaders: { add: () => addQ8Wgsl() },
  build(op, ctx) {
    const prep = prepareAddQ8({ op, wordCount: gpuQLayout(ctx.tensors[op.output].shape).bytes / 4 });
    return [ctx.step('add', [ctx.upload(prep.params, 'uniform'), ctx.tensor(op.a), ctx.tensor(op.b), ctx.tensor(op.output)], prep.dispatch)];
  },
};
