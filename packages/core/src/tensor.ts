/** Minimal tensor types shared by preprocessing, backends and tasks. */

/** Element types the SDK moves between stages. */
export type TensorData = Float32Array | Int8Array | Uint8Array | Int32Array;

/** A dense, row-major tensor. */
export interface Tensor<T extends TensorData = Float32Array> {
  data: T;
  /** Dimensions, outermost first (NCHW for images). */
  dims: readonly number[];
}

/** Number of elements implied by `dims`. */
export function sizeOf(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/**
 * Whether `x` is a float32 tensor (`{ data: Float32Array, dims: number[] }`): the one check for "the caller passed
 * a preprocessed tensor" used by input preparation, the Web Worker wire format and the quantizer's calibration.
 *
 * @example
 * ```ts
 * if (isFloatTensor(input)) return input; // already NCHW float
 * ```
 */
export function isFloatTensor(x: unknown): x is Tensor {
  return !!x && typeof x === 'object' && (x as Tensor).data instanceof Float32Array && Array.isArray((x as Tensor).dims);
}

/**
 * Index of the first NaN or ±Infinity in `data`, or -1 when every value is finite: the one check for "this tensor
 * holds a value no backend agrees on", used by the quantizer's calibration (and meant for input preparation too).
 *
 * @example
 * ```ts
 * const bad = firstNonFinite(t.data);
 * if (bad >= 0) throw new ResNetEdgeError('INVALID_TENSOR', `non-finite value ${t.data[bad]} at index ${bad}`);
 * ```
 */
export function firstNonFinite(data: ArrayLike<number>): number {
  // v - v is 0 for every finite v and NaN for NaN and ±Infinity; a plain loop, as calibration sets can be large.
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) return i;
  }
  return -1;
}
