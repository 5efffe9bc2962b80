/**
 * Decides which nodes get quantized and how activation quantization parameters propagate, following the
 * patterns onnxruntime fuses into QLinear/int8 kernels.
 */
import { attrFloat, attrInt, type OnnxGraph, type OnnxNode, type OnnxTensor } from '../onnx/index.js';
import { consumerMap } from './graph.js';

/** How a quantized node's output parameters are chosen. */
export type OutputRule = 'own' | 'same-as-input';

/** A node that will run in int8, with where its constant weight (if any) sits. */
export interface QuantizedNode {
  node: OnnxNode;
  /** Input indices that are activations (get DequantizeLinear of the activation's Q output). */
  activationInputs: number[];
  /** Constant weight input index and the per-channel axis of that weight. */
  weight?: { index: number; axis: number };
  /** Constant bias input index (quantized to int32). */
  bias?: number;
  output: OutputRule;
}

/** Ops whose int8 form keeps the input's scale and zero point (onnxruntime drops their Q/DQ pair). */
const SAME_PARAMS = new Set(['MaxPool', 'Flatten', 'Reshape', 'Transpose', 'Squeeze', 'Unsqueeze', 'Resize']);
/** Ops with their own output range (QLinear* kernels or Q/DQ around a float op). */
const OWN_PARAMS = new Set(['GlobalAveragePool', 'AveragePool', 'Relu']);

/**
 * Classifies one node; `undefined` means it stays float.
 *
 * @example
 * ```ts
 * const q = classifyNode(node, inits, floatTensors);
 * ```
 */
export function classifyNode(n: OnnxNode, inits: Map<string, OnnxTensor>, isFloat: (t: string) => boolean): QuantizedNode | undefined {
  const act = (i: number) => !!n.input[i] && isFloat(n.input[i]) && !inits.has(n.input[i]);
  const constFloat = (i: number, rank?: number) => {
    const t = n.input[i] ? inits.get(n.input[i]) : undefined;
    return !!t && t.dataType === 1 && (rank === undefined || t.dims.length === rank);
  };
  if (n.output.length !== 1 || (n.domain && n.domain !== 'ai.onnx')) return undefined;
  switch (n.opType) {
    case 'Conv':
      if (!act(0) || !constFloat(1) || (n.input[2] && !constFloat(2, 1))) return undefined;
      return { node: n, activationInputs: [0], weight: { index: 1, axis: 0 }, bias: n.input[2] ? 2 : undefined, output: 'own' };
    case 'Gemm': {
      if (attrInt(n, 'transA', 0) !== 0 || attrFloat(n, 'alpha', 1) !== 1 || attrFloat(n, 'beta', 1) !== 1) return undefined;
      if (!act(0) || !constFloat(1, 2)) return undefined;
      const c = n.input[2] ? inits.get(n.input[2]) : undefined;
      const w = inits.get(n.input[1])!;
      const transB = attrInt(n, 'transB', 0);
      const nOut = transB ? w.dims[0] : w.dims[1];
      // Only a per-output-channel bias of N elements can become an int32 bias.
      if (n.input[2] && (!c || c.dataType !== 1 || c.dims.reduce((a, b) => a * b, 1) !== nOut)) return undefined;
      return { node: n, activationInputs: [0], weight: { index: 1, axis: transB ? 0 : 1 }, bias: n.input[2] ? 2 : undefined, output: 'own' };
    }
    case 'MatMul':
      if (act(0) && constFloat(1, 2)) return { node: n, activationInputs: [0], weight: { index: 1, axis: 1 }, output: 'own' };
      if (act(0) && act(1)) return { node: n, activationInputs: [0, 1], output: 'own' };
      return undefined;
    case 'Add':
    case 'Mul':
      return act(0) && act(1) ? { node: n, activationInputs: [0, 1], output: 'own' } : undefined;
    default:
      if (!act(0) || !isFloat(n.output[0])) return undefined;
      if (n.opType === 'MaxPool' && n.output.length !== 1) return undefined;
      if (SAME_PARAMS.has(n.opType ?? '')) return { node: n, activationInputs: [0], output: 'same-as-input' };
      if (OWN_PARAMS.has(n.opType ?? '')) return { node: n, activationInputs: [0], output: 'own' };
      return undefined;
  }
}

/**
 * Removes each Relu that is the only consumer of a quantized Conv/Gemm/MatMul/Add: the producer's output
 * then takes the Relu's name and range [0, max], and uint8 saturation at zero point 0 *is* the ReLU.
 * Returns the fused Relu output names.
 *
 * @example `const fused = fuseRelus(g, quantized);`
 */
export function fuseRelus(g: OnnxGraph, quantized: Map<OnnxNode, QuantizedNode>): Set<string> {
  const consumers = consumerMap(g);
  const graphOutputs = new Set(g.output.map((o) => o.name));
  const removed = new Set<OnnxNode>();
  const fused = new Set<string>();
  for (const q of quantized.values()) {
    if (!['Conv', 'Gemm', 'MatMul', 'Add'].includes(q.node.opType ?? '')) continue;
    const out = q.node.output[0];
    const cs = consumers.get(out) ?? [];
    if (cs.length !== 1 || cs[0].opType !== 'Relu' || graphOutputs.has(out)) continue;
    const relu = cs[0];
    q.node.output = [relu.output[0]];
    removed.add(relu);
    quantized.delete(relu);
    fused.add(relu.output[0]);
  }
  g.node = g.node.filter((n) => !removed.has(n));
  return fused;
}
