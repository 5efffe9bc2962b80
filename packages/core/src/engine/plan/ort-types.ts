/**
 * Which integer type onnxruntime's wasm build (any non-ARM build) ends up using for each activation of a QDQ graph,
 * and so which QDQ groups it fuses. The compiler follows these decisions because they change the arithmetic:
 * - EnsureUniqueDQForNodeUnit gives every consumer of a DequantizeLinear its own copy;
 * - QDQS8ToU8Transformer turns an int8 QuantizeLinear -> DequantizeLinear pair into uint8 (zero point + 128) only
 *   when the Q output has exactly one edge, to a DQ (after the copies above: a DQ with one consumer);
 * - the QDQ selectors then refuse int8 activations for Conv and MatMul (int8 is "not allowed" off ARM) and require
 *   equal input/output types for Add, the pools and Conv, so int8 residual blocks keep float Convs and Adds.
 * uint8 graphs are unaffected.
 */
import { DataType, type OnnxNode } from '../../onnx/index.js';
import { readAttrs, type Compiler } from './compiler.js';

export type QType = 'uint8' | 'int8';

const cache = new WeakMap<Compiler, Map<string, QType>>();

/** Element type of a Q/DQ node's zero point (declared by the zero point, else output_dtype, else uint8). */
function zpType(c: Compiler, node: OnnxNode): number {
  const z = node.input[2] ? c.vals.get(node.input[2]) : undefined;
  if (z?.k === 'const') return z.c.dataType;
  const dt = readAttrs(node, c.opset).output_dtype as number | undefined;
  return dt === DataType.INT8 ? DataType.INT8 : DataType.UINT8;
}

/** The zero point's scalar value when it is a constant scalar. */
function zpValue(c: Compiler, node: OnnxNode): number | undefined {
  const z = node.input[2] ? c.vals.get(node.input[2]) : undefined;
  return z?.k === 'const' && z.c.f32.length === 1 ? z.c.f32[0] : undefined;
}

function types(c: Compiler): Map<string, QType> {
  let m = cache.get(c);
  if (m) return m;
  m = new Map();
  const edges = (name: string) => (c.users.get(name) ?? []).length + (c.graphOutputs.has(name) ? 1 : 0);
  for (const q of c.graph.node) {
    if (q.opType !== 'QuantizeLinear' || !q.output[0]) continue;
    if (zpType(c, q) !== DataType.INT8) {
      m.set(q.output[0], 'uint8');
      continue;
    }
    const out = q.output[0], users = c.users.get(out) ?? [];
    const dq = users.length === 1 && edges(out) === 1 ? c.graph.node[users[0]] : undefined;
    const pair = dq?.opType === 'DequantizeLinear' && edges(dq.output[0]) === 1 && q.input.length >= 3 && dq.input.length >= 3 &&
      zpValue(c, q) !== undefined && zpValue(c, q) === zpValue(c, dq) && zpType(c, dq) === DataType.INT8;
    m.set(out, pair ? 'uint8' : 'int8');
  }
  cache.set(c, m);
  return m;
}

/**
 * The type onnxruntime computes an int8-domain tensor in: the type its QuantizeLinear ends up with (the Q output it
 * was last identified with, see Compiler.qNames), else the graph type the tensor was declared with.
 *
 * @example
 * ```ts
 * if (ortType(c, x.t) === 'int8') { ... } // onnxruntime keeps this conv in float
 * ```
 */
export function ortType(c: Compiler, t: { id: number; name: string; srcType?: QType }): QType {
  return types(c).get(c.qNames.get(t.id) ?? t.name) ?? t.srcType ?? 'uint8';
}
