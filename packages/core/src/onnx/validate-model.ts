/**
 * Load-time validation of a decoded ONNX model: models are validated, not trusted. Checks what any backend would
 * otherwise run into later (or never notice): IR and opset versions, declared input/output sizes, initializer
 * storage, NaN parameters, undefined node inputs, and per-node attribute ranges (onnx/validate-node.ts). Runs once per
 * decoded model (cached); `load()` calls it before choosing a backend, so the own engines and onnxruntime reject the
 * same models, and the engine's compiler calls it for sessions opened directly.
 */
import { sizeOf } from '../tensor.js';
import { invalid } from './proto.js';
import { DataType, type OnnxGraph, type OnnxModel, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './types.js';
import { NODE_LIMITS, validateNode, type NodeScope } from './validate-node.js';

/** What a model may declare. Exceeding any of these is INVALID_MODEL. */
export const MODEL_LIMITS = {
  /** Newest ai.onnx opset: onnxruntime 1.30 refuses later ("under development") opsets. */
  maxOpset: 26,
  /** Newest IR version onnxruntime 1.30 loads. */
  maxIrVersion: 13,
  /** Elements in one declared graph input/output or initializer (1 GiB of float32; the compiler's per-tensor bound). */
  maxElements: NODE_LIMITS.maxElements,
} as const;

const ELEMENT_BYTES: Record<number, number> = {
  [DataType.FLOAT]: 4, [DataType.UINT8]: 1, [DataType.INT8]: 1, [DataType.UINT16]: 2, [DataType.INT16]: 2,
  [DataType.INT32]: 4, [DataType.INT64]: 8, [DataType.BOOL]: 1, [DataType.FLOAT16]: 2, [DataType.DOUBLE]: 8,
  [DataType.UINT32]: 4, [DataType.UINT64]: 8, [DataType.BFLOAT16]: 2,
};

const validated = new WeakSet<OnnxModel>();

/**
 * Throws `INVALID_MODEL` (a ModelLoadError, with the reason in the message and `details`) when the model breaks a
 * rule above. A model that passed once is not checked again.
 *
 * @example
 * ```ts
 * const model = decodeModel(bytes);
 * validateModel(model); // throws INVALID_MODEL: "opset 1000000000 is newer than the newest supported (26)"
 * ```
 */
export function validateModel(model: OnnxModel): void {
  if (validated.has(model)) return;
  if (!model.graph) invalid('the model has no graph');
  if (model.irVersion !== undefined && (model.irVersion < 1 || model.irVersion > MODEL_LIMITS.maxIrVersion)) {
    invalid(`IR version ${model.irVersion} is outside the supported range 1..${MODEL_LIMITS.maxIrVersion}`, { reason: 'ir_version' });
  }
  let opset = 0;
  for (const o of model.opsetImport) {
    const v = o.version ?? 0;
    if (!o.domain || o.domain === 'ai.onnx') {
      if (!Number.isInteger(v) || v < 1 || v > MODEL_LIMITS.maxOpset) {
        invalid(`opset ${v} is outside the supported range 1..${MODEL_LIMITS.maxOpset}`, { reason: 'opset', opset: v });
      }
      opset = v;
    } else if (!Number.isInteger(v) || v < 1 || v > 1000) invalid(`opset ${v} of domain '${o.domain}' is not a valid version`, { reason: 'opset', domain: o.domain });
  }
  validateGraph(model.graph, { opset: opset || 13, outer: new Set(), consts: new Map() });
  validated.add(model);
}

function validateGraph(graph: OnnxGraph, parent: NodeScope): void {
  for (const io of [...graph.input, ...graph.output]) checkDeclared(io);
  const consts = new Map(parent.consts);
  for (const t of graph.initializer) {
    checkInitializer(t);
    if (t.name) consts.set(t.name, t);
  }
  // Names visible to nodes: outer scope, graph inputs, initializers and every node output (onnxruntime sorts nodes).
  const defined = new Set(parent.outer);
  const producers = new Map<string, OnnxNode>();
  for (const v of graph.input) if (v.name) defined.add(v.name);
  for (const t of graph.initializer) if (t.name) defined.add(t.name);
  for (const n of graph.node) {
    for (const o of n.output) {
      if (!o) continue;
      defined.add(o);
      producers.set(o, n);
    }
    const value = n.opType === 'Constant' ? n.attribute.find((a) => a.name === 'value')?.t : undefined;
    if (value && hasNaN(value)) invalid(`Constant '${n.output[0]}' contains NaN values`, { reason: 'nan-parameter', node: n.name });
    if (value && n.output[0]) consts.set(n.output[0], value);
  }
  const scope: NodeScope = { opset: parent.opset, outer: defined, consts, producers };
  for (const n of graph.node) {
    for (const i of n.input) {
      if (i && !defined.has(i)) invalid(`node '${n.name || n.output[0] || '?'}' (${n.opType}) reads '${i}', which no node, input or initializer defines`, { reason: 'undefined-input', node: n.name, input: i });
    }
    validateNode(n, scope);
    for (const a of n.attribute) {
      if (a.g) validateGraph(a.g, scope);
      for (const g of a.graphs) validateGraph(g, scope);
    }
  }
  for (const o of graph.output) {
    if (o.name && !defined.has(o.name)) invalid(`graph output '${o.name}' is not computed by any node`, { reason: 'undefined-output', output: o.name });
  }
}

/** A declared graph input/output: fixed dims must be non-negative and hold at most maxElements. */
function checkDeclared(v: OnnxValueInfo): void {
  const dims = v.type?.tensorType?.shape?.dim;
  if (!dims) return;
  const fixed = dims.map((d) => d.dimValue ?? 0).filter((d) => d > 0);
  if (dims.some((d) => d.dimValue !== undefined && (!Number.isInteger(d.dimValue) || d.dimValue < 0))) {
    invalid(`'${v.name}' declares a negative or fractional dimension`, { reason: 'declared-shape', value: v.name });
  }
  const n = fixed.reduce((p, d) => p * d, 1);
  if (n > MODEL_LIMITS.maxElements) {
    invalid(`'${v.name}' declares shape [${dims.map((d) => d.dimValue ?? d.dimParam ?? '?').join(',')}]: ${n} elements, over the limit of ${MODEL_LIMITS.maxElements}`, {
      reason: 'declared-shape', value: v.name, elements: n,
    });
  }
}

/** An initializer: sane dims, storage that matches them, and no NaN among float values. */
function checkInitializer(t: OnnxTensor): void {
  const name = t.name ?? '';
  if (t.dims.some((d) => !Number.isInteger(d) || d < 0)) invalid(`initializer '${name}' has dims [${t.dims}]`, { reason: 'initializer', initializer: name });
  const n = sizeOf(t.dims);
  if (n > MODEL_LIMITS.maxElements) invalid(`initializer '${name}' has ${n} elements, over the limit of ${MODEL_LIMITS.maxElements}`, { reason: 'initializer', initializer: name });
  if (t.dataLocation === 1) return; // external data: refused where it is read
  const dt = t.dataType ?? DataType.UNDEFINED;
  if (t.rawData !== undefined) {
    const size = ELEMENT_BYTES[dt];
    if (size && t.rawData.length !== n * size) {
      invalid(`initializer '${name}' holds ${t.rawData.length} bytes, its dims need ${n * size}`, { reason: 'initializer', initializer: name });
    }
  }
  if (hasNaN(t, dt)) invalid(`initializer '${name}' contains NaN values`, { reason: 'nan-parameter', initializer: name });
}

/** NaN among a float tensor's elements, read in place (bits: exponent all ones and a non-zero mantissa). */
export function hasNaN(t: OnnxTensor, dt = t.dataType ?? DataType.UNDEFINED): boolean {
  const raw = t.rawData;
  if (dt === DataType.FLOAT || dt === DataType.COMPLEX64) {
    if (raw) {
      // Aligned chunks of the raw bytes as float32 (raw_data views into the file are rarely 4-byte aligned).
      const chunk = new Float32Array(Math.min(1 << 16, raw.length >> 2));
      const bytes = new Uint8Array(chunk.buffer);
      for (let at = 0; at + 3 < raw.length; at += bytes.length) {
        const n = Math.min(bytes.length, (raw.length - at) & ~3);
        bytes.set(raw.subarray(at, at + n));
        for (let i = 0; i < n >> 2; i++) if (chunk[i] !== chunk[i]) return true;
      }
      return false;
    }
    return t.floatData ? t.floatData.some(Number.isNaN) : false;
  }
  if (dt === DataType.DOUBLE) return raw ? new Float64Array(new Uint8Array(raw).buffer).some(Number.isNaN) : (t.doubleData?.some(Number.isNaN) ?? false);
  if (dt === DataType.FLOAT16 || dt === DataType.BFLOAT16) {
    const exp = dt === DataType.FLOAT16 ? 0x7c00 : 0x7f80;
    const nan = (h: number) => (h & exp) === exp && (h & ~exp & 0x7fff) !== 0;
    if (raw) {
      for (let i = 0; i + 1 < raw.length; i += 2) if (nan(raw[i] | (raw[i + 1] << 8))) return true;
      return false;
    }
    return t.int32Data?.some(nan) ?? false;
  }
  return false;
}
