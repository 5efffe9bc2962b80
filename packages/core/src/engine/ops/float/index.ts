/** Registry of float reference kernels by ONNX op type (used for fp32 graph parts and conformance). */
import { averagePool, batchNorm, conv, gemm, globalAveragePool, matmul, maxPool } from './conv-gemm-pool.js';
import { add, clip, concat, div, flatten, identity, leakyRelu, mul, relu, reshape, sigmoid, softmax, sub, tanh } from './elementwise-shape.js';
import { resize } from '../resize/reference.js';
import type { FloatOpImpl } from './types.js';

export type { FloatOpImpl, FOperand, Attrs } from './types.js';

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
};
