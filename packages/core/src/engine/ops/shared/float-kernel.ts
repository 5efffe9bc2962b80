/** Shared types of the float reference kernels (fp32 parts of graphs and the conformance suite). */
import { ResNetEdgeError } from '../../../errors.js';

export type Attrs = Record<string, number | string | number[]>;

/** A float operand (int64 constants such as shapes arrive as BigInt64Array). */
export interface FOperand {
  data: Float32Array | BigInt64Array;
  dims: readonly number[];
}

export interface FloatOpImpl {
  /** Output shapes from input shapes (absent optional inputs have `undefined`) and constant inputs. */
  shape(attrs: Attrs, inputs: (FOperand | { dims: readonly number[]; data?: undefined } | undefined)[], node: string): number[][];
  /** Computes the outputs (already shaped by `shape`). */
  run(attrs: Attrs, inputs: (FOperand | undefined)[], outShapes: number[][]): Float32Array[];
}

/** Throws the compiler's UNSUPPORTED_OP error for a node. */
export function unsupported(node: string, why: string): never {
  throw new ResNetEdgeError('UNSUPPORTED_OP', `Node '${node}': ${why}`, { details: { node } });
}

/** The operand as float32 (int64 converted). */
export function f32(x: FOperand | undefined): Float32Array {
  if (!x) return new Float32Array(0);
  return x.data instanceof BigInt64Array ? Float32Array.from(x.data, (v) => Number(v)) : x.data;
}

/** The operand's values as plain numbers (for shapes, axes, scales). */
export function nums(x: { data?: Float32Array | BigInt64Array } | undefined): number[] | undefined {
  if (!x?.data) return undefined;
  return Array.from(x.data as ArrayLike<number | bigint>, (v) => Number(v));
}
