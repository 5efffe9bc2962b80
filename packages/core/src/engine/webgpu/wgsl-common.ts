/**
 * Small WGSL helper functions shared by the int8 kernels. Each kernel file concatenates the helpers it needs.
 *
 * Bit-exactness with the wasm engine (engine/ops/shared/requant.ts) rests on three facts: WGSL f32 multiply is correctly
 * rounded, `round()` is round-half-to-even, and i32 -> f32 conversion (implementation-rounded in WGSL) is done by
 * hand with round-to-nearest-even in {@link WGSL_I2F}.
 */

/** Exact i32 -> f32 with round-to-nearest-even (f32(a) is exact below 2^24; above, round in integers first). */
export const WGSL_I2F = /* wgsl */ `
fn i2f(a: i32) -> f32 {
  let m = u32(abs(a));
  if (m < 16777216u) { return f32(a); }
  let shift = 8u - countLeadingZeros(m);
  let half = 1u << (shift - 1u);
  let low = m & ((1u << shift) - 1u);
  var q = m >> shift;
  if (low > half || (low == half && (q & 1u) == 1u)) { q = q + 1u; }
  let r = f32(q) * f32(1u << shift);
  return select(r, -r, a < 0);
}
`;

/** sat(nearest(f32(acc) * m) + zp) in [lo, hi], as requantize() in engine/ops/shared/requant.ts. */
export const WGSL_REQUANT = /* wgsl */ `
fn requant(acc: i32, m: f32, zp: i32, lo: i32, hi: i32) -> i32 {
  let f = clamp(i2f(acc) * m, -65536.0, 65536.0);
  return clamp(i32(round(f)) + zp, lo, hi);
}
`;

/** Lane access and packing of 4 int8 values per u32 (lane 0 = lowest byte = lowest channel). */
export const WGSL_LANES = /* wgsl */ `
fn lane(w: u32, i: u32) -> i32 { return extractBits(bitcast<i32>(w), i * 8u, 8u); }
fn pack4(v: vec4<i32>) -> u32 {
  let b = vec4<u32>(v) & vec4<u32>(255u);
  return b.x | (b.y << 8u) | (b.z << 16u) | (b.w << 24u);
}
fn unpack4(w: u32) -> vec4<i32> { return vec4<i32>(lane(w, 0u), lane(w, 1u), lane(w, 2u), lane(w, 3u)); }
`;

/** 4x int8 dot product: the hardware builtin when the packed_4x8_integer_dot_product feature is present. */
export function wgslDot4(packed: boolean): string {
  return packed
    ? `fn dot4(a: u32, b: u32) -> i32 { return dot4I8Packed(a, b); }\n`
    : `fn dot4(a: u32, b: u32) -> i32 { return dot(unpack4(a), unpack4(b)); }\n`;
}

/** The WGSL language feature that enables dot4I8Packed. */
export const PACKED_DOT_FEATURE = 'packed_4x8_integer_dot_product';

/**
 * Whether this GPU's WGSL has packed 4x8 integer dot products.
 *
 * @example
 * ```ts
 * const packed = hasPackedDot(navigator.gpu);
 * ```
 */
export function hasPackedDot(gpu: GPU | undefined): boolean {
  const f = (gpu as { wgslLanguageFeatures?: ReadonlySet<string> } | undefined)?.wgslLanguageFeatures;
  return Boolean(f && typeof f.has === 'function' && f.has(PACKED_DOT_FEATURE));
}

/** One 4-byte scalar field of a params struct: WGSL name and type. */
export type ParamField = { readonly n: string; readonly t: 'u32' | 'i32' | 'f32' };

/** Writes a params struct of 4-byte scalars (u32/i32/f32 by the field's `t`), padded to 16 bytes. */
export function packParams(fields: readonly { t: 'u32' | 'i32' | 'f32'; v: number }[]): ArrayBuffer {
  const buf = new ArrayBuffer(Math.max(16, Math.ceil(fields.length / 4) * 16));
  const dv = new DataView(buf);
  fields.forEach((f, i) => {
    if (f.t === 'f32') dv.setFloat32(i * 4, f.v, true);
    else if (f.t === 'i32') dv.setInt32(i * 4, f.v, true);
    else dv.setUint32(i * 4, f.v >>> 0, true);
  });
  return buf;
}

/** WGSL struct body for the same field list. */
export function paramsStruct(name: string, fields: readonly ParamField[]): string {
  return `struct ${name} {\n${fields.map((f) => `  ${f.n}: ${f.t},`).join('\n')}\n}\n`;
}

/**
 * {@link packParams} by field name: order and types come from the struct's field list, so they are written once.
 *
 * @example
 * ```ts
 * const FIELDS = [{ n: 'count', t: 'u32' }, { n: 'mult', t: 'f32' }] as const;
 * const params = packNamedParams(FIELDS, { count: 100, mult: 0.5 });
 * ```
 */
export function packNamedParams<F extends readonly ParamField[]>(fields: F, values: Record<F[number]['n'], number>): ArrayBuffer {
  return packParams(fields.map((f) => ({ t: f.t, v: values[f.n as F[number]['n']] })));
}

/** Flat invocation index for 1-D work spread over a 2-D grid of 64-wide workgroups (dimension limit 65535). */
export const WGSL_FLAT_ID = /* wgsl */ `
fn flatId(gid: vec3<u32>, nwg: vec3<u32>) -> u32 { return gid.x + gid.y * nwg.x * 64u; }
`;

/**
 * Workgroup counts for `count` invocations of a 64-wide 1-D kernel.
 *
 * @example
 * ```ts
 * pass.dispatchWorkgroups(...dispatch1d(100000)); // [1563, 1]
 * ```
 */
export function dispatch1d(count: number): [number, number] {
  const groups = Math.max(1, Math.ceil(count / 64));
  if (groups <= 65535) return [groups, 1];
  const x = 65535;
  return [x, Math.ceil(groups / x)];
}

/**
 * Source of a kernel with one invocation per item, `p.count` items spread by {@link dispatch1d}: struct `Params` from
 * `fields` bound as uniform `p` at binding 0, `helpers`, storage `buffers` at bindings 1.. (read-only, except the
 * last: the output), `decls`, then `main` runs `body` with the flat index `i` already checked against `p.count`.
 *
 * @example
 * ```ts
 * const code = flatKernelWgsl({
 *   fields: [{ n: 'count', t: 'u32' }], helpers: [], buffers: ['x: array<u32>', 'y: array<u32>'], body: 'y[i] = x[i];',
 * });
 * ```
 */
export function flatKernelWgsl(o: { fields: readonly ParamField[]; helpers: string[]; buffers: string[]; decls?: string; body: string }): string {
  const bindings = o.buffers.map((b, k) => `@group(0) @binding(${k + 1}) var<storage, ${k === o.buffers.length - 1 ? 'read_write' : 'read'}> ${b};`);
  return [paramsStruct('Params', o.fields), ...o.helpers, WGSL_FLAT_ID, /* wgsl */ `
@group(0) @binding(0) var<uniform> p: Params;
${bindings.join('\n')}
${o.decls ?? ''}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flatId(gid, nwg);
  if (i >= p.count) { return; }
${o.body}
}
`].join('\n');
}
