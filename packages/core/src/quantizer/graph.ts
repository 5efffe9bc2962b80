/** Graph helpers for the quantizer: lookups, constant cleanup and BatchNormalization folding. */
import { ResNetEdgeError } from '../errors.js';
import {
  DataType,
  attrFloat,
  findAttr,
  makeTensor,
  tensorToFloat32,
  type OnnxGraph,
  type OnnxModel,
  type OnnxNode,
  type OnnxTensor,
} from '../onnx/index.js';

/** Throws the quantizer's error. @example `fail('no calibration samples')` */
export function fail(message: string, details?: Record<string, unknown>): never {
  throw new ResNetEdgeError('QUANTIZATION_FAILED', message, details ? { details } : {});
}

/** Name -> initializer. @example `initializerMap(g).get(conv.input[1])` */
export function initializerMap(g: OnnxGraph): Map<string, OnnxTensor> {
  return new Map(g.initializer.map((t) => [t.name ?? '', t]));
}

/** Tensor name -> nodes reading it. @example `consumerMap(g).get(conv.output[0])` */
export function consumerMap(g: OnnxGraph): Map<string, OnnxNode[]> {
  const m = new Map<string, OnnxNode[]>();
  for (const n of g.node)
    for (const i of n.input) {
      if (!i) continue;
      const list = m.get(i);
      if (list) list.push(n);
      else m.set(i, [n]);
    }
  return m;
}

/** Tensor name -> node writing it. @example `producerMap(g).get(bn.input[0])` */
export function producerMap(g: OnnxGraph): Map<string, OnnxNode> {
  const m = new Map<string, OnnxNode>();
  for (const n of g.node) for (const o of n.output) m.set(o, n);
  return m;
}

/** Opset version of the default ONNX domain. @example `defaultOpset(model) >= 13` */
export function defaultOpset(m: OnnxModel): number {
  const o = m.opsetImport.find((x) => !x.domain || x.domain === 'ai.onnx');
  return o?.version ?? 0;
}

/**
 * Turns `Constant` nodes and `Identity` nodes of initializers into initializers, so weights are found
 * where the quantizer looks (un-folded torch exports route parameters through Identity).
 *
 * @example `inlineConstants(model.graph!);`
 */
export function inlineConstants(g: OnnxGraph): void {
  const inits = initializerMap(g);
  const graphOutputs = new Set(g.output.map((o) => o.name));
  const keep: OnnxNode[] = [];
  for (const n of g.node) {
    const out = n.output[0];
    if (n.opType === 'Constant' && n.output.length === 1 && findAttr(n, 'value')?.t && !graphOutputs.has(out)) {
      const t = { ...findAttr(n, 'value')!.t!, name: out };
      g.initializer.push(t);
      inits.set(out, t);
      continue;
    }
    if (n.opType === 'Identity' && inits.has(n.input[0]) && !graphOutputs.has(out)) {
      const t = { ...inits.get(n.input[0])!, name: out };
      g.initializer.push(t);
      inits.set(out, t);
      continue;
    }
    keep.push(n);
  }
  g.node = keep;
  // Initializers that are also listed as graph inputs (IR < 4 style) can be overridden at run time, so
  // treating them as constants would be wrong; drop them from the inputs instead, as ORT's tools do.
  g.input = g.input.filter((v) => !inits.has(v.name ?? ''));
}

/**
 * Folds each `BatchNormalization` that directly follows a `Conv` into that Conv's weight and bias
 * (inference semantics, running statistics), including BN exported in training mode; its extra
 * outputs (running stats) must be unused.
 *
 * W'[c] = W[c] * gamma[c] / sqrt(var[c] + eps);  B'[c] = (B[c] - mean[c]) * gamma[c] / sqrt(var[c] + eps) + beta[c]
 *
 * @example `const folded = foldBatchNorms(model.graph!);`
 */
export function foldBatchNorms(g: OnnxGraph): number {
  const inits = initializerMap(g);
  const consumers = consumerMap(g);
  const producers = producerMap(g);
  const graphOutputs = new Set(g.output.map((o) => o.name));
  const removed = new Set<OnnxNode>();
  let folded = 0;
  for (const bn of g.node) {
    if (bn.opType !== 'BatchNormalization') continue;
    const conv = producers.get(bn.input[0]);
    if (!conv || conv.opType !== 'Conv' || conv.output.length !== 1) continue;
    if ((consumers.get(conv.output[0])?.length ?? 0) !== 1 || graphOutputs.has(conv.output[0])) continue;
    if (bn.output.slice(1).some((o) => o && (consumers.has(o) || graphOutputs.has(o)))) continue;
    const [gamma, beta, mean, variance] = bn.input.slice(1, 5).map((n) => inits.get(n));
    const w = inits.get(conv.input[1]);
    const b = conv.input[2] ? inits.get(conv.input[2]) : undefined;
    if (!gamma || !beta || !mean || !variance || !w || (conv.input[2] && !b)) continue;
    const eps = attrFloat(bn, 'epsilon', 1e-5);
    const G = tensorToFloat32(gamma);
    const Be = tensorToFloat32(beta);
    const M = tensorToFloat32(mean);
    const V = tensorToFloat32(variance);
    const W = tensorToFloat32(w);
    const cout = w.dims[0];
    if (G.length !== cout || Be.length !== cout || M.length !== cout || V.length !== cout) continue;
    const B = b ? tensorToFloat32(b) : new Float32Array(cout);
    const per = W.length / cout;
    const W2 = new Float32Array(W.length);
    const B2 = new Float32Array(cout);
    for (let c = 0; c < cout; c++) {
      const k = G[c] / Math.sqrt(V[c] + eps);
      for (let i = 0; i < per; i++) W2[c * per + i] = W[c * per + i] * k;
      B2[c] = (B[c] - M[c]) * k + Be[c];
    }
    const wName = `${conv.input[1]}_bnfolded`;
    const bName = `${bn.input[2]}_bnfolded_bias`;
    g.initializer.push(makeTensor(wName, DataType.FLOAT, w.dims, W2), makeTensor(bName, DataType.FLOAT, [cout], B2));
    conv.input = [conv.input[0], wName, bName];
    conv.output = [bn.output[0]];
    removed.add(bn);
    folded++;
  }
  g.node = g.node.filter((n) => !removed.has(n));
  return folded;
}

/** Removes initializers no node or graph output references any more. @example `dropUnusedInitializers(g)` */
export function dropUnusedInitializers(g: OnnxGraph): void {
  const used = new Set<string>(g.output.map((o) => o.name ?? ''));
  for (const n of g.node) for (const i of n.input) used.add(i);
  const visit = (sub: OnnxGraph) => {
    for (const n of sub.node) {
      for (const i of n.input) used.add(i);
      for (const a of n.attribute) for (const sg of [a.g, ...a.graphs]) if (sg) visit(sg);
    }
  };
  visit(g);
  g.initializer = g.initializer.filter((t) => used.has(t.name ?? ''));
}

/** Nodes in topological order (the ONNX spec requires it already; this tolerates files that break it). @example `topoSort(g)` */
export function topoSort(g: OnnxGraph): void {
  const ready = new Set<string>([...g.input.map((v) => v.name ?? ''), ...g.initializer.map((t) => t.name ?? ''), '']);
  const out: OnnxNode[] = [];
  let pending = g.node;
  while (pending.length) {
    const next: OnnxNode[] = [];
    for (const n of pending) {
      if (n.input.every((i) => ready.has(i))) {
        out.push(n);
        for (const o of n.output) ready.add(o);
      } else next.push(n);
    }
    // Inputs from outer scopes or cycles: keep the remaining order rather than loop forever.
    if (next.length === pending.length) {
      out.push(...next);
      break;
    }
    pending = next;
  }
  g.node = out;
}
