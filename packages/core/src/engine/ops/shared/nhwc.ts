/**
 * The one NHWC index formula of both engines' int8 tensors: pixels in order, each pixel's channels at a fixed
 * byte stride `Cs` (wasm: C padded to 16; WebGPU: C padded to 4, 4 channels per u32 word).
 */

/** Logical NCHW dims of an int8 tensor and its physical channel stride in bytes. */
export interface NhwcDims {
  N: number;
  C: number;
  H: number;
  W: number;
  /** Bytes from one pixel's channel 0 to the next pixel's. */
  Cs: number;
}

/**
 * Byte offset of logical element (n, c, hw) (hw = y * W + x).
 *
 * @example
 * ```ts
 * nhwcIndex({ N: 1, C: 3, H: 2, W: 2, Cs: 16 }, 0, 2, 3); // 50
 * ```
 */
export function nhwcIndex(l: NhwcDims, n: number, c: number, hw: number): number {
  return (n * l.H * l.W + hw) * l.Cs + c;
}

/**
 * Copies logical NCHW values into an NHWC buffer at `base`, adding `shift` (e.g. -128 for uint8 sources).
 *
 * @example
 * ```ts
 * nchwToNhwc(layout, data, new Int8Array(memory.buffer), ptr, -128);
 * ```
 */
export function nchwToNhwc(l: NhwcDims, src: ArrayLike<number>, dst: Int8Array | Uint8Array, base: number, shift = 0): void {
  const HW = l.H * l.W;
  for (let n = 0, i = 0; n < l.N; n++) for (let c = 0; c < l.C; c++) for (let p = 0; p < HW; p++, i++) {
    dst[base + nhwcIndex(l, n, c, p)] = src[i] + shift;
  }
}

/**
 * Reads an NHWC buffer at `base` back into logical NCHW order, adding `shift` (e.g. +128 for uint8 results).
 *
 * @example
 * ```ts
 * const y = nhwcToNchw(layout, new Int8Array(memory.buffer), ptr, new Int8Array(n));
 * ```
 */
export function nhwcToNchw<T extends Int8Array | Uint8Array>(l: NhwcDims, src: Int8Array, base: number, out: T, shift = 0): T {
  const HW = l.H * l.W;
  for (let n = 0, i = 0; n < l.N; n++) for (let c = 0; c < l.C; c++) for (let p = 0; p < HW; p++, i++) {
    out[i] = src[base + nhwcIndex(l, n, c, p)] + shift;
  }
  return out;
}
