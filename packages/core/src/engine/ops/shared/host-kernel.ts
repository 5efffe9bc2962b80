/** The contract of an op's host kernel: what both executors run in JS on logical NCHW arrays. */

/** A tensor's values on the host: float32, or int8 in the plan's int8 domain (uint8 already shifted by -128). */
export type HostValue = Float32Array | Int8Array;

/**
 * Runs `op` reading its inputs from `values` by tensor id and writing its outputs there; `tensors` gives shapes.
 * Generic in the op type so that op folders, not this file, know the plan's op shapes.
 */
export type HostKernel<O> = (op: O, values: Map<number, HostValue>, tensors: readonly { shape: number[] }[]) => void;
