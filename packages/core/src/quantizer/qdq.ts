/**
 * Inserts QuantizeLinear/DequantizeLinear pairs: one Q->DQ per quantized activation tensor, a DQ of an
 * int8 per-channel initializer per weight, and a DQ of an int32 initializer per bias. onnxruntime then
 * fuses DQ->op->Q groups into QLinearConv, QLinearAdd, QGemm, ... at session creation.
 */
import {
  DataType,
  makeAttr,
  makeTensor,
  tensorToFloat32,
  type OnnxGraph,
  type OnnxNode,
  type OnnxTensor,
} from '../onnx/index.js';
import { fail, initializerMap } from './graph.js';
import type { RealRange } from './histogram.js';
import { minWeightScalesForBias, quantizeBias, quantizeWeightsPerChannel, uint8Params } from './math.js';
import type { QuantizedNode } from './select.js';

/** Quantization of one activation tensor, as reported in the summary. */
export interface LayerRange {
  /** Tensor name in the fp32 graph. */
  tensor: string;
  /** Op type of the producing node, or `input` for a graph input. */
  op: string;
  /** Producing node name (empty for graph inputs). */
  node: string;
  /** Range observed during calibration. */
  observed: RealRange;
  /** Range used (after percentile/MSE clipping, widened to include 0; inherited for same-params ops). */
  range: RealRange;
  scale: number;
  zeroPoint: number;
  /** Set when the parameters are inherited from the input (MaxPool, Flatten, Reshape...). */
  sharedWith?: string;
}

interface ActQuant {
  scale: number;
  zeroPoint: number;
  scaleName: string;
  zpName: string;
}

/** Builds the QDQ graph in place. `ranges` are the chosen real ranges per activation tensor. @example `const summary = insertQdq(g, quantized, ranges);` */
export function insertQdq(
  g: OnnxGraph,
  quantized: Map<OnnxNode, QuantizedNode>,
  ranges: Map<string, { observed: RealRange; chosen: RealRange }>,
): LayerRange[] {
  const inits = initializerMap(g);
  const names = new Set<string>([...inits.keys(), ...g.node.flatMap((n) => n.output), ...g.input.map((v) => v.name ?? '')]);
  const unique = (base: string) => {
    let name = base;
    for (let k = 1; names.has(name); k++) name = `${base}_${k}`;
    names.add(name);
    return name;
  };
  const producers = new Map<string, OnnxNode>();
  for (const n of g.node) for (const o of n.output) producers.set(o, n);
  const acts = new Map<string, ActQuant>();
  const graphOutputs = new Set(g.output.map((o) => o.name));
  const summary: LayerRange[] = [];
  const addInit = (t: OnnxTensor) => {
    g.initializer.push(t);
    inits.set(t.name!, t);
  };

  const ownParams = (tensor: string): ActQuant => {
    let a = acts.get(tensor);
    if (a) return a;
    const r = ranges.get(tensor);
    if (!r) fail(`no calibration range for tensor "${tensor}"`);
    // Calibration drops NaN/Infinity, so a tensor that only ever held them keeps an infinite observed range; its
    // chosen range would be [0, 0] and the scale a meaningless 1.
    const bounds = [r.observed.min, r.observed.max, r.chosen.min, r.chosen.max];
    if (!bounds.every(Number.isFinite)) {
      fail(`calibration saw no finite value of tensor "${tensor}" (observed [${r.observed.min}, ${r.observed.max}]): the fp32 model computes NaN or Infinity there on these samples`, { tensor });
    }
    const p = uint8Params(r.chosen);
    a = { ...p, scaleName: unique(`${tensor}_scale`), zpName: unique(`${tensor}_zero_point`) };
    addInit(makeTensor(a.scaleName, DataType.FLOAT, [], [p.scale]));
    addInit(makeTensor(a.zpName, DataType.UINT8, [], [p.zeroPoint]));
    acts.set(tensor, a);
    const prod = producers.get(tensor);
    const lo = Math.min(r.chosen.min, 0);
    const hi = Math.max(r.chosen.max, 0);
    summary.push({ tensor, op: prod?.opType ?? 'input', node: prod?.name ?? '', observed: r.observed, range: { min: lo, max: hi }, ...p });
    return a;
  };

  // 1. Activation parameters, in topological order so "same-as-input" outputs can inherit.
  for (const n of g.node) {
    const q = quantized.get(n);
    if (!q) continue;
    for (const i of q.activationInputs) ownParams(n.input[i]);
    const out = n.output[0];
    // A Gemm/MatMul that writes a graph output keeps it float (QGemm has a float-output form): logits
    // keep full precision instead of 256 levels.
    if (graphOutputs.has(out) && (n.opType === 'Gemm' || n.opType === 'MatMul')) continue;
    if (q.output === 'own') ownParams(out);
    else if (!acts.has(out)) {
      const src = acts.get(n.input[0])!;
      acts.set(out, src);
      const prev = summary.find((s) => s.tensor === n.input[0])!;
      summary.push({ ...prev, tensor: out, op: n.opType ?? '', node: n.name ?? '', observed: ranges.get(out)?.observed ?? prev.observed, sharedWith: n.input[0] });
    }
  }

  // 2. Weights (int8 per channel) and biases (int32), rewired through DequantizeLinear.
  const newNodes: OnnxNode[] = [];
  const dq = (input: string, scale: string, zp: string, output: string, axis?: number): OnnxNode => ({
    input: [input, scale, zp],
    output: [output],
    name: `${output}_node`,
    opType: 'DequantizeLinear',
    attribute: axis === undefined ? [] : [makeAttr('axis', axis)],
  });
  for (const q of quantized.values()) {
    if (!q.weight) continue;
    const n = q.node;
    const wName = n.input[q.weight.index];
    const w = inits.get(wName)!;
    const inScale = acts.get(n.input[q.activationInputs[0]])!.scale;
    const biasT = q.bias !== undefined ? inits.get(n.input[q.bias]) : undefined;
    const bias = biasT ? tensorToFloat32(biasT) : undefined;
    const qw = quantizeWeightsPerChannel(tensorToFloat32(w), w.dims, q.weight.axis, bias && minWeightScalesForBias(bias, inScale));
    const ch = w.dims[q.weight.axis];
    const base = unique(`${wName}_quantized`);
    const wScale = unique(`${wName}_scale`);
    const wZp = unique(`${wName}_zero_point`);
    addInit(makeTensor(base, DataType.INT8, w.dims, qw.data));
    addInit(makeTensor(wScale, DataType.FLOAT, [ch], qw.scales));
    addInit(makeTensor(wZp, DataType.INT8, [ch], new Int8Array(ch)));
    const wOut = unique(`${wName}_DequantizeLinear_Output`);
    newNodes.push(dq(base, wScale, wZp, wOut, q.weight.axis));
    n.input[q.weight.index] = wOut;
    if (q.bias !== undefined && bias) {
      const bName = n.input[q.bias];
      const qb = quantizeBias(bias, inScale, qw.scales);
      const bq = unique(`${bName}_quantized`);
      const bs = unique(`${bName}_quantized_scale`);
      const bz = unique(`${bName}_quantized_zero_point`);
      addInit(makeTensor(bq, DataType.INT32, [bias.length], qb.data));
      addInit(makeTensor(bs, DataType.FLOAT, [bias.length], qb.scales));
      addInit(makeTensor(bz, DataType.INT32, [bias.length], new Int32Array(bias.length)));
      const bOut = unique(`${bName}_DequantizeLinear_Output`);
      newNodes.push(dq(bq, bs, bz, bOut, 0));
      n.input[q.bias] = bOut;
    }
  }

  // 3. Q->DQ after every quantized activation; all readers use the DQ output.
  const rename = new Map<string, string>();
  for (const [tensor, a] of acts) {
    let qIn = tensor;
    let dqOut: string;
    if (graphOutputs.has(tensor)) {
      // Keep the graph output's name on the (float) DQ output; the producer writes a new name.
      qIn = unique(`${tensor}_prequant`);
      const prod = producers.get(tensor);
      if (!prod) continue; // a graph input passed straight through: leave it alone
      prod.output = prod.output.map((o) => (o === tensor ? qIn : o));
      dqOut = tensor;
    } else {
      dqOut = unique(`${tensor}_DequantizeLinear_Output`);
      rename.set(tensor, dqOut);
    }
    const qOut = unique(`${tensor}_QuantizeLinear_Output`);
    newNodes.push({ input: [qIn, a.scaleName, a.zpName], output: [qOut], name: `${qOut}_node`, opType: 'QuantizeLinear', attribute: [] });
    newNodes.push(dq(qOut, a.scaleName, a.zpName, dqOut));
  }
  for (const n of g.node) n.input = n.input.map((i) => rename.get(i) ?? i);
  g.node.push(...newNodes);
  return summary;
}
