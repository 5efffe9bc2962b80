/**
 * int8 MaxPool / AveragePool on packed NHWC words (reference: ops/pool/reference.ts). One invocation per output word.
 * Average pooling looks its multiplier up in a host-computed table f32(scale / divisor) indexed by the divisor, so
 * the f32 division happens on the host exactly as in the reference.
 */
import type { PlanPool } from '../../plan/types.js';
import { dispatch1d, flatKernelWgsl, packNamedParams, WGSL_I2F, WGSL_LANES, WGSL_REQUANT } from '../../webgpu/wgsl-common.js';
import type { GpuKernel } from '../../webgpu/kernel-api.js';

const FIELDS = [
  { n: 'count', t: 'u32' }, { n: 'Cw', t: 'u32' }, { n: 'H', t: 'u32' }, { n: 'W', t: 'u32' }, { n: 'OH', t: 'u32' },
  { n: 'OW', t: 'u32' }, { n: 'KH', t: 'u32' }, { n: 'KW', t: 'u32' }, { n: 'sh', t: 'u32' }, { n: 'sw', t: 'u32' },
  { n: 'ph', t: 'u32' }, { n: 'pw', t: 'u32' }, { n: 'dh', t: 'u32' }, { n: 'dw', t: 'u32' }, { n: 'isMax', t: 'u32' },
  { n: 'includePad', t: 'u32' }, { n: 'izp', t: 'i32' }, { n: 'ozp', t: 'i32' }, { n: 'pb', t: 'u32' }, { n: 'pr', t: 'u32' },
] as const;

const BODY = /* wgsl */ `
  let cw = i % p.Cw;
  let pix = i / p.Cw;
  let ox = pix % p.OW;
  let oy = (pix / p.OW) % p.OH;
  let n = pix / (p.OW * p.OH);
  var mx = vec4<i32>(-128);
  var sum = vec4<i32>(0);
  var cnt = 0;
  var padded = 0u;
  for (var ky = 0u; ky < p.KH; ky++) {
    let iy = i32(oy * p.sh + ky * p.dh) - i32(p.ph);
    for (var kx = 0u; kx < p.KW; kx++) {
      let ix = i32(ox * p.sw + kx * p.dw) - i32(p.pw);
      // count_include_pad divides by the taps inside the padded extent; a ceil-mode window can overhang even that.
      if (iy < i32(p.H + p.pb) && ix < i32(p.W + p.pr)) { padded += 1u; }
      if (iy < 0 || ix < 0 || iy >= i32(p.H) || ix >= i32(p.W)) { continue; }
      let v = unpack4(x[((n * p.H + u32(iy)) * p.W + u32(ix)) * p.Cw + cw]);
      mx = max(mx, v);
      sum += v;
      cnt += 1;
    }
  }
  if (p.isMax == 1u) { y[i] = pack4(mx); return; }
  let div = select(u32(cnt), padded, p.includePad == 1u);
  let m = mulTable[div];
  let s = sum - vec4<i32>(p.izp * cnt);
  y[i] = pack4(vec4<i32>(requant(s.x, m, p.ozp, -128, 127), requant(s.y, m, p.ozp, -128, 127),
                         requant(s.z, m, p.ozp, -128, 127), requant(s.w, m, p.ozp, -128, 127)));`;

/**
 * WGSL source of the pooling kernel (max and average share it; `isMax` selects at run time).
 *
 * @example
 * ```ts
 * device.createShaderModule({ code: poolQ8Wgsl() });
 * ```
 */
export function poolQ8Wgsl(): string {
  return flatKernelWgsl({
    fields: FIELDS, helpers: [WGSL_I2F, WGSL_REQUANT, WGSL_LANES], buffers: ['x: array<u32>', 'mulTable: array<f32>', 'y: array<u32>'], body: BODY,
  });
}

/**
 * Params, the multiplier table and dispatch size of one pooling op.
 *
 * @example
 * ```ts
 * const prep = preparePoolQ8({ op, inShape: [1, 64, 56, 56], outShape: [1, 64, 28, 28] });
 * ```
 */
export function preparePoolQ8(o: { op: PlanPool; inShape: readonly number[]; outShape: readonly number[] }): { params: ArrayBuffer; mulTable: Float32Array; dispatch: [number, number] } {
  const { op } = o;
  const [N, C, H, W] = o.inShape, [, , OH, OW] = o.outShape, Cw = Math.ceil(C / 4);
  const taps = op.kernel[0] * op.kernel[1];
  const mulTable = new Float32Array(taps + 1);
  for (let d = 1; d <= taps; d++) mulTable[d] = Math.fround(Math.fround(op.scale) / d);
  const count = N * OH * OW * Cw;
  return {
    params: packNamedParams(FIELDS, {
      count, Cw, H, W, OH, OW, KH: op.kernel[0], KW: op.kernel[1], sh: op.strides[0], sw: op.strides[1], ph: op.pads[0],
      pw: op.pads[1], dh: op.dilations[0], dw: op.dilations[1], isMax: op.op === 'maxpool' ? 1 : 0,
      includePad: op.countIncludePad ? 1 : 0, izp: op.inZeroPoint, ozp: op.outZeroPoint, pb: op.pads[2], pr: op.pads[3],
    }),
    mulTable,
    dispatch: dispatch1d(count),
  };
}

/** The max / average pooling kernel for the WebGPU executor. */
export const poolGpu: GpuKernel<PlanPool> = {
  shaders: { pool: () => poolQ8Wgsl() },
  build(op, ctx) {
    const T = ctx.tensors;
    const prep = preparePoolQ8({ op, inShape: T[op.input].shape, outShape: T[op.output].shape });
    const res = [ctx.upload(prep.params, 'uniform'), ctx.tensor(op.input), ctx.upload(prep.mulTable, 'storage'), ctx.tensor(op.output)];
    return [ctx.step('pool', res, prep.dispatch)];
  },
};
