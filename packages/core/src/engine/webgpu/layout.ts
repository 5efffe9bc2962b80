/** Physical layout of int8 tensors on the GPU: NHWC, 4 channels per u32 word (channels padded to 4 with zeros). */
import { nchwToNhwc, nhwcToNchw, type NhwcDims } from '../ops/shared/nhwc.js';

export interface GpuQLayout extends NhwcDims {
  /** Words per pixel: ceil(C / 4). */
  Cw: number;
  /** Bytes per pixel: 4 Cw. */
  Cs: number;
  /** Buffer size in bytes (at least 16). */
  bytes: number;
}

/**
 * Layout of a logical tensor: rank 4 is NCHW, rank 2 is [N, C], other ranks are [N, C, rest...].
 *
 * @example
 * ```ts
 * gpuQLayout([1, 16, 8, 8]); // { N: 1, C: 16, H: 8, W: 8, Cw: 4, Cs: 16, bytes: 1024 }
 * ```
 */
export function gpuQLayout(s: readonly number[]): GpuQLayout {
  const N = s.length >= 2 ? s[0] : 1;
  const C = s.length >= 2 ? s[1] : (s[0] ?? 1);
  const H = s.length === 4 ? s[2] : s.length > 2 ? s.slice(2).reduce((p, d) => p * d, 1) : 1;
  const W = s.length === 4 ? s[3] : 1;
  const Cw = Math.ceil(C / 4);
  return { N, C, H, W, Cw, Cs: Cw * 4, bytes: Math.max(16, N * H * W * Cw * 4) };
}

/**
 * NCHW int8 values (uint8 sources shifted by `shift`) into packed NHWC words.
 *
 * @example
 * ```ts
 * const words = packNchw(gpuQLayout([1, 3, 2, 2]), int8Data, 0);
 * ```
 */
export function packNchw(l: GpuQLayout, data: ArrayLike<number>, shift = 0): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(l.bytes);
  nchwToNhwc(l, data, out, 0, shift);
  return out;
}

/**
 * Packed NHWC bytes back to logical NCHW (uint8 with +128 when `asUint8`).
 *
 * @example
 * ```ts
 * const nchw = unpackNhwc(layout, bytes, false); // Int8Array
 * ```
 */
export function unpackNhwc(l: GpuQLayout, bytes: Uint8Array, asUint8: boolean): Int8Array | Uint8Array {
  const src = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), n = l.N * l.C * l.H * l.W;
  return asUint8 ? nhwcToNchw(l, src, 0, new Uint8Array(n), 128) : nhwcToNchw(l, src, 0, new Int8Array(n));
}
