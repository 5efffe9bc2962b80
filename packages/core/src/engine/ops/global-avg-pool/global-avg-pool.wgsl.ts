/**
 * int8 GlobalAveragePool on packed NHWC words (reference: gapQ8Ref in ops/pool/reference.ts): one invocation per
 * (image, channel word) sums H*W pixels and requantizes.
 */
import type { PlanGlobalAvgPool } from '../../plan/types.js';
import { dispatch1d, flatKernelWgsl, packNamedParams, WGSL_I2F, WGSL_LANES, WGSL_REQUANT } from '../../webgpu/wgsl-common.js';
import type { GpuKernel } from '../../webgpu/kernel-api.js';

const FIELDS = [
  { n: 'count', t: 'u32' }, { n: 'Cw', t: 'u32' }, { n: 'HW', t: 'u32' }, { n: 'izp', t: 'i32' }, { n: 'ozp', t: 'i32' },
  { n: 'mult', t: 'f32' },
] as const;

const BODY = /* wgsl */ `
  let n = i / p.Cw;
  let cw = i % p.Cw;
  var s = vec4<i32>(0);
  for (var q = 0u; q < p.HW; q++) { s += unpack4(x[(n * p.HW + q) * p.Cw + cw]); }
  s -= vec4<i32>(p.izp * i32(p.HW));
  y[i] = pack4(vec4<i32>(requant(s.x, p.mult, p.ozp, -128, 127), requant(s.y, p.mult, p.ozp, -128, 127),
                         requant(s.z, p.mult, p.ozp, -128, 127), requant(s.w, p.mult, p.ozp, -128, 127)));`;

/**
 * WGSL source of the global average pool kernel.
 *
 * @example
 * ```ts
 * device.createShaderModule({ code: gapQ8Wgsl() });
 * ```
 */
export function gapQ8Wgsl(): string {
  return flatKernelWgsl({ fields: FIELDS, helpers: [WGSL_I2F, WGSL_REQUANT, WGSL_LANES], buffers: ['x: array<u32>', 'y: array<u32>'], body: BODY });
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
    params: packNamedParams(FIELDS, { count, Cw, HW: H * W, izp: o.op.inZeroPoint, ozp: o.op.outZeroPoint, mult: o.op.multiplier }),
    dispatch: dispatch1d(count),
  };
}

/** The global average pool kernel for the WebGPU executor. */
export const globalAvgPoolGpu: GpuKernel<PlanGlobalAvgPool> = {
  shaders: { gap: () => gapQ8Wgsl() },
  build(op, ctx) {
    const prep = prepareGapQ8({ op, inShape: ctx.tensors[op.input].shape });
    return [ctx.step('gap', [ctx.upload(prep.params, 'uniform'), ctx.tensor(op.input), ctx.tensor(op.output)], prep.dispatch)];
  },
};
