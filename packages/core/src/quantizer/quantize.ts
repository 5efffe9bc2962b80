/**
 * Static int8 post-training quantization: fp32 ONNX + calibration samples -> QDQ ONNX that onnxruntime
 * fuses into QLinearConv / QLinearAdd / QGemm / int8 MaxPool.
 */
import { throwIfAborted } from '../errors.js';
import { decodeModel, encodeModel, type OnnxModel, type OnnxNode } from '../onnx/index.js';
import { calibrate, type CalibrationData } from './calibrate.js';
import {
  defaultOpset,
  dropUnusedInitializers,
  fail,
  foldBatchNorms,
  initializerMap,
  inlineConstants,
  topoSort,
} from './graph.js';
import { chooseRange, type CalibrationMethod, type RealRange } from './histogram.js';
import { checkExcludeNodes, checkQuantizeOptions } from './options.js';
import { insertQdq, type LayerRange } from './qdq.js';
import { classifyNode, fuseRelus, type QuantizedNode } from './select.js';

export interface QuantizeOptions {
  /** fp32 ONNX model bytes. */
  model: Uint8Array;
  /** Calibration samples: `Tensor[]` for single-input models, or feeds by input name; arrays or (async) iterables. */
  calibration: CalibrationData;
  /** Activation range method: minmax | percentile (default) | mse | entropy. */
  method?: CalibrationMethod;
  /** Percentile for `percentile`, in (50, 100] (default 99.99); checked whatever the method. */
  percentile?: number;
  /**
   * Node names (or names of their first output) to keep in float, e.g. a precision-sensitive regression head. A name
   * the model does not have is `INVALID_ARGUMENT`.
   */
  excludeNodes?: string[];
  /** Use at most this many samples (a positive integer, counted along the batch dimension; a batch is not split). */
  samples?: number;
  /**
   * Called after each calibration batch with samples done so far. `total`: for arrays, the samples that will be used
   * (batch sizes summed, up to `samples`); for iterables, `samples` if given, else `done`.
   */
  onProgress?: (done: number, total: number) => void;
  /** Checked before the model is read and before each calibration batch: aborting rejects with `ABORTED`. */
  signal?: AbortSignal;
}

export interface QuantizeResult {
  /** int8 QDQ ONNX bytes. */
  model: Uint8Array;
  /** Activation ranges, in graph order. */
  summary: LayerRange[];
  /** What was done, for logs and manifests. */
  info: {
    method: CalibrationMethod;
    percentile?: number;
    samples: number;
    opset: number;
    foldedBatchNorms: number;
    fusedRelus: number;
    quantizedNodes: Record<string, number>;
    floatNodes: Record<string, number>;
  };
}

/** Ops whose semantics changed at opset 13; bumping an older model past them would need real conversion. */
const CHANGED_AT_13 = new Set(['Squeeze', 'Unsqueeze', 'Split', 'ReduceSum', 'Softmax', 'LogSoftmax', 'Hardmax', 'Pad', 'Resize', 'Upsample', 'Clip', 'TopK']);

function prepareOpset(m: OnnxModel): number {
  const v = defaultOpset(m);
  if (v >= 13) return v;
  if (v < 7) fail(`opset ${v} is too old to quantize; re-export the model with opset 13 or newer`);
  const blocking = m.graph!.node.filter((n) => CHANGED_AT_13.has(n.opType ?? '')).map((n) => n.opType);
  if (blocking.length) {
    fail(`per-channel QDQ needs opset 13, and ops ${[...new Set(blocking)].join(', ')} changed meaning before that; re-export with opset >= 13`);
  }
  const o = m.opsetImport.find((x) => !x.domain || x.domain === 'ai.onnx')!;
  o.version = 13;
  if ((m.irVersion ?? 0) < 7) m.irVersion = 7;
  return 13;
}

function count(nodes: Iterable<OnnxNode>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of nodes) out[n.opType ?? '?'] = (out[n.opType ?? '?'] ?? 0) + 1;
  return out;
}

/**
 * Quantizes an fp32 ONNX model to int8 QDQ: per-channel symmetric int8 weights, int32 biases, uint8
 * asymmetric per-tensor activations calibrated on `calibration`; BatchNormalization folded into Conv,
 * Relu fused into the preceding quantized op. Graph inputs and outputs stay float32.
 *
 * Every option is checked first, and every calibration sample before it runs (for an array, all the samples it will
 * use, before calibration starts).
 *
 * @throws ResNetEdgeError `INVALID_ARGUMENT` (bad or unknown option, malformed sample, missing input),
 *   `INVALID_TENSOR` (sample data that does not fill its dims, dims the model does not take, NaN or ±Infinity),
 *   `INVALID_MODEL` (unreadable bytes), `ABORTED`, `QUANTIZATION_FAILED` (the model cannot be quantized, or the
 *   fp32 model itself produced no finite values for a tensor).
 * @example
 * ```ts
 * const { model, summary } = await quantize({
 *   model: fp32Bytes,
 *   calibration: samples, // Tensor[] of [1, 3, 224, 224] float32
 *   method: 'percentile',
 *   percentile: 99.99,
 *   onProgress: (done, total) => console.log(done, total),
 * });
 * console.log(formatSummary(summary));
 * ```
 */
export async function quantize(o: QuantizeOptions): Promise<QuantizeResult> {
  const { method, percentile } = checkQuantizeOptions(o);
  throwIfAborted(o.signal ?? undefined);
  const m = decodeModel(o.model);
  const g = m.graph!;
  checkExcludeNodes(g, o.excludeNodes ?? undefined);
  if (g.node.some((n) => n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear' || n.opType?.startsWith('QLinear'))) {
    fail('the model is already quantized');
  }
  const opset = prepareOpset(m);
  inlineConstants(g);
  const foldedBatchNorms = foldBatchNorms(g);
  dropUnusedInitializers(g);
  topoSort(g);

  // Calibrate every node output and graph input; the result also tells which tensors are float.
  const tensors = [...g.input.map((v) => v.name ?? ''), ...g.node.flatMap((n) => n.output).filter(Boolean)];
  // `?? undefined`: checkQuantizeOptions lets null stand for "not given", which calibrate must not read as 0.
  const { stats, samples } = await calibrate({
    model: m,
    tensors,
    data: o.calibration,
    maxSamples: o.samples ?? undefined,
    onProgress: o.onProgress ?? undefined,
    signal: o.signal ?? undefined,
  });

  const inits = initializerMap(g);
  const quantized = new Map<OnnxNode, QuantizedNode>();
  const excluded = new Set(o.excludeNodes ?? []);
  for (const n of g.node) {
    if (excluded.has(n.name ?? '') || excluded.has(n.output[0])) continue;
    const q = classifyNode(n, inits, (t) => stats.has(t));
    if (q) quantized.set(n, q);
  }
  if (![...quantized.values()].some((q) => q.weight)) fail('found no Conv, Gemm or MatMul with constant weights to quantize');
  const fused = fuseRelus(g, quantized);

  const ranges = new Map<string, { observed: RealRange; chosen: RealRange }>();
  for (const [name, h] of stats) ranges.set(name, { observed: { min: h.min, max: h.max }, chosen: chooseRange(h, method, percentile) });
  for (const name of fused) {
    // A fused Relu's output range is [0, max]: exactly what the uint8 clamp at zero point 0 implements.
    const r = ranges.get(name);
    if (r) r.chosen = { min: 0, max: r.chosen.max };
  }
  const quantizedNodes = count(quantized.keys());
  const floatNodes = count(g.node.filter((n) => !quantized.has(n)));
  const summary = insertQdq(g, quantized, ranges);

  const produced = new Set(g.node.flatMap((n) => n.output));
  g.valueInfo = g.valueInfo.filter((v) => produced.has(v.name ?? ''));
  dropUnusedInitializers(g);
  topoSort(g);
  m.producerName = m.producerName ? `${m.producerName}+resnet-edge-quantize` : 'resnet-edge-quantize';
  return {
    model: encodeModel(m),
    summary,
    info: {
      method,
      ...(method === 'percentile' ? { percentile } : {}),
      samples,
      opset,
      foldedBatchNorms,
      fusedRelus: fused.size,
      quantizedNodes,
      floatNodes,
    },
  };
}
