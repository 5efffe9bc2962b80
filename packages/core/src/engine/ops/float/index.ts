/** Registry of float reference kernels by ONNX op type (used for fp32 graph parts and conformance). */
import { averagePool, batchNorm, conv, gemm, globalAveragePool, matmul, maxPool } from './conv-gemm-pool.js';
import { add, clip, concat, div, flatten, identity, leakyRelu, mul, relu, reshape, sigmoid, softmax, sub, tanh } from './elementwise-shape.js';
import { cast, expand, gather, pad, slice, squeeze, tile, transpose, unsqueeze } from './data-movement.js';
import { resize } from '../resize/reference.js';
import type { HostKernel } from '../shared/host-kernel.js';
import type { Attrs, FloatOpImpl, FOperand } from '../shared/float-kernel.js';

export type { FloatOpImpl, FOperand, Attrs } from '../shared/float-kernel.js';

/**
 * Float kernels by op type.
 *
 * @example
 * ```ts
 * const [y] = FLOAT_OPS.Relu.run({}, [{ data: x, dims: [4] }], [[4]]);
 * ```
 */
export const FLOAT_OPS: Readonly<Record<string, FloatOpImpl>> = {
  Conv: conv,
  Gemm: gemm,
  MatMul: matmul,
  BatchNormalization: batchNorm,
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalAveragePool,
  Add: add,
  Sub: sub,
  Mul: mul,
  Div: div,
  Relu: relu,
  LeakyRelu: leakyRelu,
  Clip: clip,
  Sigmoid: sigmoid,
  Tanh: tanh,
  Softmax: softmax,
  Identity: identity,
  Dropout: identity,
  Flatten: flatten,
  Reshape: reshape,
  Concat: concat,
  Resize: resize,
  Slice: slice,
  Pad: pad,
  Transpose: transpose,
  Gather: gather,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Expand: expand,
  Tile: tile,
  Cast: cast,
};

/** The plan's `float` op as this folder sees it (structurally: the float kernels sit below the plan compiler). */
export interface FloatNode {
  opType: string;
  attrs: Attrs;
  /** Tensor ids by input position (-1: constant or absent). */
  inputs: number[];
  outputs: number[];
  consts: Record<number, FOperand>;
}

/**
 * The host kernel of a plan `float` op: both executors run fp32 graph parts with these reference kernels.
 *
 * @example
 * ```ts
 * floatHost(op, values, plan.tensors); // writes op.outputs into values
 * ```
 */
export const floatHost: HostKernel<FloatNode> = (op, values, tensors) => {
  const impl = FLOAT_OPS[op.opType];
  const inputs: (FOperand | undefined)[] = op.inputs.map((id, i) => {
    const c = op.consts[i];
    if (c) return c;
    return id >= 0 ? { data: values.get(id) as Float32Array, dims: tensors[id].shape } : undefined;
  });
  const outs = impl.run(op.attrs, inputs, op.outputs.map((id) => tensors[id].shape));
  op.outputs.forEach((id, i) => values.set(id, outs[i]));
};
