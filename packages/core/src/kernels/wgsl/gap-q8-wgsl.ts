/**
 * int8 GlobalAveragePool on packed NHWC words (reference: gapQ8Ref in kernels/pool-q8.ts): one invocation per
 * (image, channel word) sums H*W pixels and requantizes.
 */
import type { PlanGlobalAvgPool } from '../../model/plan-types.js';
import { dispatch1d, packParams, paramsStruct, WGSL_FLAT_ID, WGSL_I2F, WGSL_LANES, WGSL_REQUANT } from './wgsl-common.js';

const FIELDS = [
  { n: 'count', t: 'u32' }, { n: 'Cw', t: 'u32' }, { n: 'HW', t: 'u32' }, { n: 'izp', t: 'i32' }, { n: 'ozp', t: 'i32' },
  { n: 'mult', t: 'f32' },
] as const;

const BODY = /* wgsl */ `
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read_write> y: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatId(gid, nwg);
  if (i >= p.count) { return; }
  let n = i / p.Cw;
  let cw = i % p.Cw;
  var s = vec4<i32>(0);
  for (var q = 0u; q < p.HW; q++) { s += unpack4(x[(n * p.HW + q) * p.Cw + cw]); }
  s -= vec4<i32>(p.izp * i32(p.HW));
  y[i] = pack4(vec4<i32>(requant(s.x, p.mult, p.ozp, -128, 127), requant(s.y, p.mult, p.ozp, -128, 127),
                         requant(s.z, p.mult, p.ozp, -128, 127), requant(s.w, p.mult, p.ozp, -128, 127)));
}
`;

/**
 * WGSL source of the global average pool kernel.
 *
 * @example
 * ```ts
 * device.createShaderModule({ code: gapQ8Wgsl() });
 * ```
 */
export function gapQ8Wgsl(): string {
  return [paramsStruct('Params', FIELDS), WGSL_I2F, WGSL_REQUANT, WGSL_LANES, WGSL_FLAT_ID, BODY].join('\n');
}

/**
 * Params and dispatch size of one GlobalAveragePool.
 *
 * @example
 * ```ts
 * const prep = prepareGapQ8({ op, inShape: [1, 512, 7, 7] });
 * ```
 */
export function prepareGapQ8(o: { op: PlanGlobalAvgPool; inShape: readonly number[] }): { params: ArrayBuffer; dispatch: [number, number] } {
  const [N, C, H, W] = o.inShape, Cw = Math.ceil(C / 4), count = N * Cw;
  return {
    params: packParams([
      { t: 'u32', v: count }, { t: 'u32', v: Cw }, { t: 'u32', v: H * W }, { t: 'i32', v: o.op.inZeroPoint },
      { t: 'i32', v: o.op.outZeroPoint }, { t: 'f32', v: o.op.multiplier },
    ]),
    dispatch: dispatch1d(count),
  };
}
