/**
 * int8 Add (QLinearAdd + optional ReLU) on packed words: c = sat(nearest(ra (a - za) + rb (b - zb)) + zc) in
 * [lo, hi], each product rounded to f32 as in kernels/add-q8.ts. One invocation per word (4 channels).
 */
import type { PlanAdd } from '../../model/plan-types.js';
import { dispatch1d, packParams, paramsStruct, WGSL_FLAT_ID, WGSL_LANES } from './wgsl-common.js';

const FIELDS = [
  { n: 'count', t: 'u32' }, { n: 'ra', t: 'f32' }, { n: 'rb', t: 'f32' }, { n: 'za', t: 'i32' }, { n: 'zb', t: 'i32' },
  { n: 'zc', t: 'i32' }, { n: 'lo', t: 'i32' }, { n: 'hi', t: 'i32' },
] as const;

const BODY = /* wgsl */ `
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<u32>;
@group(0) @binding(2) var<storage, read> b: array<u32>;
@group(0) @binding(3) var<storage, read_write> c: array<u32>;

fn addLane(va: i32, vb: i32) -> i32 {
  let fa = f32(va - p.za) * p.ra;
  let fb = f32(vb - p.zb) * p.rb;
  return clamp(i32(round(clamp(fa + fb, -65536.0, 65536.0))) + p.zc, p.lo, p.hi);
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatId(gid, nwg);
  if (i >= p.count) { return; }
  let va = unpack4(a[i]);
  let vb = unpack4(b[i]);
  c[i] = pack4(vec4<i32>(addLane(va.x, vb.x), addLane(va.y, vb.y), addLane(va.z, vb.z), addLane(va.w, vb.w)));
}
`;

/**
 * WGSL source of the add kernel.
 *
 * @example
 * ```ts
 * device.createShaderModule({ code: addQ8Wgsl() });
 * ```
 */
export function addQ8Wgsl(): string {
  return [paramsStruct('Params', FIELDS), WGSL_LANES, WGSL_FLAT_ID, BODY].join('\n');
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
    params: packParams([
      { t: 'u32', v: o.wordCount }, { t: 'f32', v: op.ra }, { t: 'f32', v: op.rb }, { t: 'i32', v: op.za },
      { t: 'i32', v: op.zb }, { t: 'i32', v: op.zc }, { t: 'i32', v: op.lo }, { t: 'i32', v: op.hi },
    ]),
    dispatch: dispatch1d(o.wordCount),
  };
}
