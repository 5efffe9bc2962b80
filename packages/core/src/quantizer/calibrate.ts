/**
 * Calibration: runs the fp32 model with onnxruntime-web (wasm, one thread) with every intermediate tensor
 * exposed as a graph output, and accumulates a {@link TensorHistogram} per float tensor.
 */
import { loadOrtModule } from '../backends/ort/ort-module.js';
import { throwIfAborted } from '../errors.js';
import { encodeModel, type OnnxModel } from '../onnx/index.js';
import type { Tensor } from '../tensor.js';
import { checkSample, fedInputs } from './calibration-input.js';
import { fail } from './graph.js';
import { TensorHistogram } from './histogram.js';

/** One calibration sample: feeds by input name, or a single tensor for single-input models. */
export type CalibrationItem = Record<string, Tensor> | Tensor;

/** Calibration data: an array or an (async) iterable of samples (each may hold a batch). */
export type CalibrationData = Iterable<CalibrationItem> | AsyncIterable<CalibrationItem>;

export interface CalibrateOptions {
  model: OnnxModel;
  /** Tensors to observe (intermediate values and graph inputs). */
  tensors: readonly string[];
  data: CalibrationData;
  /** Stop after this many samples (counted along dim 0). */
  maxSamples?: number;
  /** Called after each batch; `total` is the exact count for arrays, else `maxSamples`, else `done`. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * Runs calibration and returns statistics for each observed float tensor (non-float ones are absent). Every sample
 * is checked ({@link checkSample}) before it is run; an array's samples (those `maxSamples` will use) are all checked
 * before onnxruntime even loads.
 *
 * @throws ResNetEdgeError `INVALID_ARGUMENT` / `INVALID_TENSOR` for a bad sample, `ABORTED`, `QUANTIZATION_FAILED`.
 *
 * @example
 * ```ts
 * const { stats } = await calibrate({ model, tensors: ['input', 'conv1_out'], data: samples });
 * stats.get('conv1_out')!.max;
 * ```
 */
export async function calibrate(o: CalibrateOptions): Promise<{ stats: Map<string, TensorHistogram>; samples: number }> {
  throwIfAborted(o.signal);
  const g = o.model.graph!;
  const inputs = fedInputs(g);
  const graphInputs = inputs.map((i) => i.name);
  if (!graphInputs.length) fail('the model has no graph inputs to feed calibration samples to');
  // An array is checked up front (the items the cap will use): a bad last sample fails before minutes of inference,
  // and the batch sizes give progress an exact total (dims[0] summed, not the item count).
  let checked: Record<string, Tensor>[] | undefined;
  let total = o.maxSamples ?? Number.NaN;
  if (Array.isArray(o.data)) {
    checked = [];
    total = 0;
    for (let i = 0; i < o.data.length && !(o.maxSamples !== undefined && total >= o.maxSamples); i++) {
      checked.push(checkSample(o.data[i], i, inputs));
      total += checked[i][graphInputs[0]].dims[0] ?? 1;
    }
  }
  const existing = new Set(g.output.map((v) => v.name));
  const augmented: OnnxModel = {
    ...o.model,
    graph: { ...g, output: [...g.output, ...o.tensors.filter((t) => !existing.has(t) && !graphInputs.includes(t)).map((name) => ({ name }))] },
  };
  // onnxruntime-web is an optional peer: a missing package is BACKEND_UNAVAILABLE saying what to install.
  const ort = await loadOrtModule({ device: 'wasm' });
  ort.env.wasm.numThreads = 1;
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = await ort.InferenceSession.create(encodeModel(augmented), { graphOptimizationLevel: 'disabled' });
  } catch (e) {
    fail(`onnxruntime could not load the fp32 model for calibration: ${(e as Error).message}`, { cause: String(e) });
  }
  const stats = new Map<string, TensorHistogram>();
  const wanted = new Set(o.tensors);
  let done = 0;
  let index = 0;
  try {
    for await (const item of (checked ?? o.data) as AsyncIterable<CalibrationItem>) {
      throwIfAborted(o.signal);
      if (o.maxSamples !== undefined && done >= o.maxSamples) break;
      const feedsIn: Record<string, Tensor> = checked ? (item as Record<string, Tensor>) : checkSample(item, index, inputs);
      index++;
      const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
      for (const name of graphInputs) feeds[name] = new ort.Tensor('float32', feedsIn[name].data, [...feedsIn[name].dims]);
      let out: Record<string, { type: string; data: unknown }>;
      try {
        out = await session.run(feeds);
      } catch (e) {
        fail(`calibration inference failed: ${(e as Error).message}`);
      }
      const observed: [string, unknown, string][] = [
        ...Object.entries(out).map(([k, v]) => [k, v.data, v.type] as [string, unknown, string]),
        ...graphInputs.map((k) => [k, feedsIn[k].data, 'float32'] as [string, unknown, string]),
      ];
      for (const [name, data, type] of observed) {
        if (!wanted.has(name) || type !== 'float32') continue;
        let h = stats.get(name);
        if (!h) stats.set(name, (h = new TensorHistogram()));
        h.add(data as Float32Array);
      }
      done += feedsIn[graphInputs[0]].dims[0] ?? 1;
      o.onProgress?.(done, Number.isNaN(total) ? done : total);
    }
  } finally {
    await session.release();
  }
  // Aborted while the last batch ran: the caller asked to stop, so no result.
  throwIfAborted(o.signal);
  if (done === 0) fail('no calibration samples were provided');
  return { stats, samples: done };
}
