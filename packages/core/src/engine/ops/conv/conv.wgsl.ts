/**
 * int8 Conv / Gemm as an implicit GEMM on WebGPU: M = output pixels (N*OH*OW), N = output channels, K = KH*KW*C
 * in packed words of 4 channels. Tiles of 32 pixels x 32 channels x 8 K-words go through workgroup memory (K-major,
 * 4 rows per vec4, so an invocation reads its 4 pixels' or 4 channels' words of a K step with one load); each
 * of the 8x8 invocations accumulates 4 pixels x 4 channels with dot4 (dot4I8Packed when available), then adds the
 * bias, requantizes, clamps (fused ReLU) and stores one packed word per pixel. Tensors are NHWC with channels padded
 * to 4 (one u32 per 4 channels). Reference: ops/conv/reference.ts.
 */
import type { PlanConv } from '../../plan/types.js';
import { BackendError } from '../../../errors.js';
import { PACKED_DOT_FEATURE, paramsStruct, packParams, WGSL_I2F, WGSL_LANES, WGSL_REQUANT, wgslDot4 } from '../../webgpu/wgsl-common.js';
import type { GpuKernel } from '../../webgpu/kernel-api.js';

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

/**
 * Packed tiles are K-major, 4 rows (pixels or channels) per vec4: one invocation reads its 4 pixels' and its 4
 * channels' words of one K step with two vector loads. The fallback keeps row-major tiles of words unpacked once at
 * load time.
 */
function tiles(packed: boolean): string {
  const t = packed ? 'vec4<u32>, 64' : 'vec4<i32>, 256';
  return `var<workgroup> As: array<${t}>;\nvar<workgroup> Bs: array<${t}>;\n`;
}

/**
 * Rows of the implicit im2col matrix: each invocation always loads the same 4 rows (output pixels), so their
 * coordinates are decoded once; out-of-image taps read the input zero point (cancelled by the folded bias).
 */
const LOAD_A = /* wgsl */ `
struct Row { base: u32, iy0: i32, ix0: i32, valid: bool }
fn rowOf(m: u32) -> Row {
  let n = m / p.OHW;
  let r = m % p.OHW;
  return Row(n * p.H * p.W * p.Cinw, i32((r / p.OW) * p.sh) - i32(p.ph), i32((r % p.OW) * p.sw) - i32(p.pw), m < p.M);
}
fn loadA(row: Row, ky: u32, kx: u32, cw: u32) -> u32 {
  if (!row.valid) { return 0u; }
  let iy = row.iy0 + i32(ky * p.dh);
  let ix = row.ix0 + i32(kx * p.dw);
  if (iy < 0 || ix < 0 || iy >= i32(p.H) || ix >= i32(p.W)) { return p.zpWord; }
  return x[row.base + (u32(iy) * p.W + u32(ix)) * p.Cinw + cw];
}
fn loadB(oc: u32, k: u32) -> u32 {
  if (oc >= p.OCw * 4u) { return 0u; }
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

const R4 = [0, 1, 2, 3];

/** Tile loads for one K step, unrolled (invocation-private arrays indexed in loops are slow on some compilers). */
function loadTiles(packed: boolean): string {
  if (packed) {
    // Row li / 8 + 8 j at K column col goes to As[col * 8 + row / 4][row % 4].
    return R4.map((j) => `    As[col * 8u + li / 32u + ${j * 2}u][(li / 8u) % 4u] = select(0u, loadA(row${j}, ky, kx, cw), inK);
    Bs[col * 8u + li / 32u + ${j * 2}u][(li / 8u) % 4u] = select(0u, loadB(oc0 + li / 8u + ${j * 8}u, k), inK);`).join('\n');
  }
  return R4.map((j) => `    As[li + ${j * 64}u] = unpack4(select(0u, loadA(row${j}, ky, kx, cw), inK));
    Bs[li + ${j * 64}u] = unpack4(select(0u, loadB(oc0 + li / 8u + ${j * 8}u, k), inK));`).join('\n');
}

/**
 * The 4 x 4 dot products of one K word, unrolled. Packed: dot4I8Packed on the words. Fallback: each word is
 * unpacked once per workgroup when the tile is loaded, and multiplied with vec4 dot().
 */
function multiplyStep(kk: number, packed: boolean): string {
  const bWords = R4.map((c) => `Bs[(lid.x * 4u + ${c}u) * 8u + ${kk}u]`);
  const aWord = (r: number) => `As[(lid.y * 4u + ${r}u) * 8u + ${kk}u]`;
  if (packed) {
    return [`    a4 = As[${kk * 8}u + lid.y];`, `    b = Bs[${kk * 8}u + lid.x];`,
      ...R4.map((r) => `    acc${r} += vec4<i32>(dot4(a4[${r}], b.x), dot4(a4[${r}], b.y), dot4(a4[${r}], b.z), dot4(a4[${r}], b.w));`)].join('\n');
  }
  return [...R4.map((c) => `    bv${c} = ${bWords[c]};`),
    ...R4.map((r) => `    av = ${aWord(r)};
    acc${r} += vec4<i32>(dot(av, bv0), dot(av, bv1), dot(av, bv2), dot(av, bv3));`)].join('\n');
}

function mainFn(packed: boolean): string {
  return `
@compute @workgroup_size(8, 8)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let li = lid.y * 8u + lid.x;
  let m0 = wid.y * 32u;
  let oc0 = wid.x * 32u;
  // This invocation loads tile rows li / 8 + 8 j (j < 4) at tile column li % 8.
  let col = li % 8u;
${R4.map((j) => `  let row${j} = rowOf(m0 + li / 8u + ${j * 8}u);`).join('\n')}
${R4.map((r) => `  var acc${r} = vec4<i32>(0);`).join('\n')}
  var a4: vec4<u32>;
  var b: vec4<u32>;
  var av: vec4<i32>;
  var bv0: vec4<i32>;
  var bv1: vec4<i32>;
  var bv2: vec4<i32>;
  var bv3: vec4<i32>;
  for (var k0 = 0u; k0 < p.Kw; k0 += 8u) {
    let k = k0 + col;
    let inK = k < p.Kw;
    let cw = k % p.Cinw;
    let t = k / p.Cinw;
    let ky = t / p.KW;
    let kx = t % p.KW;
${loadTiles(packed)}
    workgroupBarrier();
${[0, 1, 2, 3, 4, 5, 6, 7].map((kk) => multiplyStep(kk, packed)).join('\n')}
    workgroupBarrier();
  }
${R4.map((r) => `  store(m0 + lid.y * 4u + ${r}u, wid.x * 8u + lid.x, acc${r});`).join('\n')}
}
`;
}

/**
 * WGSL source of the conv kernel.
 *
 * @example
 * ```ts
 * device.createShaderModule({ code: convQ8Wgsl({ packed: true, f32Out: false }) });
 * ```
 */
export function convQ8Wgsl(o: { packed: boolean; f32Out: boolean }): string {
  return [o.packed ? `requires ${PACKED_DOT_FEATURE};` : '', paramsStruct('Params', FIELDS), BINDINGS, tiles(o.packed), WGSL_I2F, WGSL_REQUANT, WGSL_LANES, wgslDot4(o.packed), LOAD_A,
    o.f32Out ? EPILOGUE_F32 : EPILOGUE_Q8, mainFn(o.packed)].join('\n');
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

/** The conv kernel for the WebGPU executor: one dispatch over (output channel tiles, pixel tiles). */
export const convGpu: GpuKernel<PlanConv> = {
  shaders: {
    conv: (packed) => convQ8Wgsl({ packed, f32Out: false }),
    'conv-f32': (packed) => convQ8Wgsl({ packed, f32Out: true }),
  },
  build(op, ctx) {
    const T = ctx.tensors;
    const prep = prepareConvQ8({ op, inShape: T[op.input].shape, outShape: T[op.output].shape });
    if (prep.dispatch[1] > 65535) throw new BackendError('UNSUPPORTED_OP', `webgpu: conv '${op.name}' output is too large`);
    const res = [ctx.upload(prep.params, 'uniform'), ctx.tensor(op.input), ctx.upload(prep.weights, 'storage'),
      ctx.upload(prep.bias, 'storage'), ctx.upload(prep.mult, 'storage'), ctx.tensor(op.output)];
    return [ctx.step(prep.f32Out ? 'conv-f32' : 'conv', res, prep.dispatch)];
  },
};
