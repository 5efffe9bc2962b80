/**
 * int8 Conv / Gemm as an implicit GEMM on WebGPU: M = output pixels (N*OH*OW), N = output channels, K = KH*KW*C
 * in packed words of 4 channels. Tiles of 32 pixels x 32 channels x 8 K-words go through workgroup memory; each
 * of the 8x8 invocations accumulates 4 pixels x 4 channels with dot4 (dot4I8Packed when available), then adds the
 * bias, requantizes, clamps (fused ReLU) and stores one packed word per pixel. Tensors are NHWC with channels padded
 * to 4 (one u32 per 4 channels). Reference: kernels/conv-q8.ts.
 */
import type { PlanConv } from '../../model/plan-types.js';
import { BackendError } from '../../errors.js';
import { PACKED_DOT_FEATURE, paramsStruct, packParams, WGSL_I2F, WGSL_LANES, WGSL_REQUANT, wgslDot4 } from './wgsl-common.js';

const FIELDS = [
  { n: 'M', t: 'u32' }, { n: 'OHW', t: 'u32' }, { n: 'OW', t: 'u32' }, { n: 'H', t: 'u32' }, { n: 'W', t: 'u32' },
  { n: 'Cinw', t: 'u32' }, { n: 'KW', t: 'u32' }, { n: 'sh', t: 'u32' }, { n: 'sw', t: 'u32' }, { n: 'ph', t: 'u32' },
  { n: 'pw', t: 'u32' }, { n: 'dh', t: 'u32' }, { n: 'dw', t: 'u32' }, { n: 'Kw', t: 'u32' }, { n: 'OCw', t: 'u32' },
  { n: 'OC', t: 'u32' }, { n: 'zpWord', t: 'u32' }, { n: 'ozp', t: 'i32' }, { n: 'lo', t: 'i32' }, { n: 'hi', t: 'i32' },
] as const;

/** Tile sizes (pixels, output channels, K words) and invocations per workgroup (8 x 8). */
export const CONV_TILE = { BM: 32, BN: 32, BK: 8 } as const;

const BINDINGS = /* wgsl */ `
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read> w: array<u32>;
@group(0) @binding(3) var<storage, read> bias: array<i32>;
@group(0) @binding(4) var<storage, read> mult: array<f32>;
`;

const TILES = /* wgsl */ `
var<workgroup> As: array<u32, 256>;
var<workgroup> Bs: array<u32, 256>;
`;

/** One word of the implicit im2col matrix: out-of-image taps read the input zero point (cancelled by the bias). */
const LOAD_A = /* wgsl */ `
fn loadA(m: u32, k: u32) -> u32 {
  if (m >= p.M || k >= p.Kw) { return 0u; }
  let n = m / p.OHW;
  let r = m % p.OHW;
  let oy = r / p.OW;
  let ox = r % p.OW;
  let cw = k % p.Cinw;
  let t = k / p.Cinw;
  let iy = i32(oy * p.sh + (t / p.KW) * p.dh) - i32(p.ph);
  let ix = i32(ox * p.sw + (t % p.KW) * p.dw) - i32(p.pw);
  if (iy < 0 || ix < 0 || iy >= i32(p.H) || ix >= i32(p.W)) { return p.zpWord; }
  return x[((n * p.H + u32(iy)) * p.W + u32(ix)) * p.Cinw + cw];
}
fn loadB(oc: u32, k: u32) -> u32 {
  if (oc >= p.OCw * 4u || k >= p.Kw) { return 0u; }
  return w[oc * p.Kw + k];
}
`;

const EPILOGUE_Q8 = /* wgsl */ `
@group(0) @binding(5) var<storage, read_write> y: array<u32>;
fn store(m: u32, ocw: u32, acc: vec4<i32>) {
  if (m >= p.M || ocw >= p.OCw) { return; }
  var v: vec4<i32>;
  for (var c = 0u; c < 4u; c++) {
    let oc = ocw * 4u + c;
    v[c] = requant(acc[c] + bias[oc], mult[oc], p.ozp, p.lo, p.hi);
  }
  y[m * p.OCw + ocw] = pack4(v);
}
`;

/** Float output (classifier head, QGemm with float output): y = f32(acc) * multiplier, [N, OC] row-major. */
const EPILOGUE_F32 = /* wgsl */ `
@group(0) @binding(5) var<storage, read_write> y: array<f32>;
fn store(m: u32, ocw: u32, acc: vec4<i32>) {
  if (m >= p.M) { return; }
  for (var c = 0u; c < 4u; c++) {
    let oc = ocw * 4u + c;
    if (oc < p.OC) { y[m * p.OC + oc] = i2f(acc[c] + bias[oc]) * mult[oc]; }
  }
}
`;

const MAIN = /* wgsl */ `
@compute @workgroup_size(8, 8)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let li = lid.y * 8u + lid.x;
  let m0 = wid.y * 32u;
  let oc0 = wid.x * 32u;
  var acc: array<vec4<i32>, 4>;
  for (var k0 = 0u; k0 < p.Kw; k0 += 8u) {
    for (var j = 0u; j < 4u; j++) {
      let e = li + j * 64u;
      As[e] = loadA(m0 + e / 8u, k0 + e % 8u);
      Bs[e] = loadB(oc0 + e / 8u, k0 + e % 8u);
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 8u; kk++) {
      let b = vec4<u32>(Bs[(lid.x * 4u) * 8u + kk], Bs[(lid.x * 4u + 1u) * 8u + kk],
                        Bs[(lid.x * 4u + 2u) * 8u + kk], Bs[(lid.x * 4u + 3u) * 8u + kk]);
      for (var r = 0u; r < 4u; r++) {
        let a = As[(lid.y * 4u + r) * 8u + kk];
        acc[r] += vec4<i32>(dot4(a, b.x), dot4(a, b.y), dot4(a, b.z), dot4(a, b.w));
      }
    }
    workgroupBarrier();
  }
  for (var r = 0u; r < 4u; r++) { store(m0 + lid.y * 4u + r, wid.x * 8u + lid.x, acc[r]); }
}
`;

/**
 * WGSL source of the conv kernel.
 *
 * @example
 * ```ts
 * device.createShaderModule({ code: convQ8Wgsl({ packed: true, f32Out: false }) });
 * ```
 */
export function convQ8Wgsl(o: { packed: boolean; f32Out: boolean }): string {
  return [o.packed ? `requires ${PACKED_DOT_FEATURE};` : '', paramsStruct('Params', FIELDS), BINDINGS, TILES, WGSL_I2F, WGSL_REQUANT, WGSL_LANES, wgslDot4(o.packed), LOAD_A,
    o.f32Out ? EPILOGUE_F32 : EPILOGUE_Q8, MAIN].join('\n');
}

/** Host-side data of one conv: packed weights, folded bias, multipliers, params and dispatch size. */
export interface ConvQ8Prepared {
  weights: Uint32Array;
  bias: Int32Array;
  mult: Float32Array;
  params: ArrayBuffer;
  dispatch: [number, number];
  f32Out: boolean;
}

const words = (c: number): number => Math.ceil(c / 4);

/**
 * Packs a plan conv for the kernel: weights [OCp][KH][KW][Cin words] (4 int8 per u32, zero-padded), bias with
 * -zx * sum(w) folded in, multipliers padded to OCp.
 *
 * @example
 * ```ts
 * const prep = prepareConvQ8({ op, inShape: [1, 16, 8, 8], outShape: [1, 32, 8, 8] });
 * ```
 */
export function prepareConvQ8(o: { op: PlanConv; inShape: readonly number[]; outShape: readonly number[] }): ConvQ8Prepared {
  const { op } = o;
  if (op.group !== 1 || op.weights16) {
    throw new BackendError('UNSUPPORTED_OP', `webgpu: conv '${op.name}' (${op.weights16 ? 'int16 weights' : `group ${op.group}`}) is not supported`);
  }
  const [N, C] = o.inShape, H = o.inShape[2] ?? 1, W = o.inShape[3] ?? 1;
  const OH = o.outShape[2] ?? 1, OW = o.outShape[3] ?? 1;
  const [KH, KW] = op.kernel, Cinw = words(C), OCw = words(op.OC), OCp = OCw * 4, K = KH * KW * C, Kw = KH * KW * Cinw;
  const bytes = new Int8Array(OCp * Kw * 4);
  const bias = new Int32Array(OCp), mult = new Float32Array(OCp);
  for (let oc = 0; oc < op.OC; oc++) {
    let sum = 0;
    for (let t = 0; t < KH * KW; t++) for (let c = 0; c < C; c++) {
      const v = op.weights[oc * K + t * C + c];
      bytes[(oc * Kw + t * Cinw) * 4 + c] = v;
      sum += v;
    }
    bias[oc] = op.bias[oc] - op.inZeroPoint * sum;
    mult[oc] = op.multiplier[oc];
  }
  const zb = op.inZeroPoint & 255;
  const M = N * OH * OW;
  const params = packParams([
    { t: 'u32', v: M }, { t: 'u32', v: OH * OW }, { t: 'u32', v: OW }, { t: 'u32', v: H }, { t: 'u32', v: W },
    { t: 'u32', v: Cinw }, { t: 'u32', v: KW }, { t: 'u32', v: op.strides[0] }, { t: 'u32', v: op.strides[1] },
    { t: 'u32', v: op.pads[0] }, { t: 'u32', v: op.pads[1] }, { t: 'u32', v: op.dilations[0] }, { t: 'u32', v: op.dilations[1] },
    { t: 'u32', v: Kw }, { t: 'u32', v: OCw }, { t: 'u32', v: op.OC }, { t: 'u32', v: (zb | (zb << 8) | (zb << 16) | (zb << 24)) >>> 0 },
    { t: 'i32', v: op.outZeroPoint }, { t: 'i32', v: op.lo }, { t: 'i32', v: op.hi },
  ]);
  return {
    weights: new Uint32Array(bytes.buffer), bias, mult, params, f32Out: Boolean(op.outputF32),
    dispatch: [Math.ceil(OCp / CONV_TILE.BN), Math.ceil(M / CONV_TILE.BM)],
  };
}
