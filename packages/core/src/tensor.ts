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
