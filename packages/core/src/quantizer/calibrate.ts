/**
 * Calibration: runs the fp32 model with onnxruntime-web (wasm, one thread) with every intermediate tensor
 * exposed as a graph output, and accumulates a {@link TensorHistogram} per float tensor.
 */
import { loadOrtModule } from '../backends/ort/ort-module.js';
import { encodeModel, type OnnxModel } from '../onnx/index.js';
import { isFloatTensor, type Tensor } from '../tensor.js';
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
  /** Expected sample count, for progress only. */
  total?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * Runs calibration and returns statistics for each observed float tensor (non-float ones are absent).
 *
 * @example
 * ```ts
 * const { stats } = await calibrate({ model, tensors: ['input', 'conv1_out'], data: samples });
 * stats.get('conv1_out')!.max;
 * ```
 */
export async function calibrate(o: CalibrateOptions): Promise<{ stats: Map<string, TensorHistogram>; samples: number }> {
  const g = o.model.graph!;
  const graphInputs = g.input.map((v) => v.name ?? '');
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
  const total = o.maxSamples ?? o.total ?? Number.NaN;
  try {
    for await (const item of o.data as AsyncIterable<CalibrationItem>) {
      if (o.signal?.aborted) fail('calibration aborted');
      if (o.maxSamples !== undefined && done >= o.maxSamples) break;
      const feedsIn: Record<string, Tensor> = isFloatTensor(item) ? { [graphInputs[0]]: item } : item;
      const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
      for (const name of graphInputs) {
        const t = feedsIn[name];
        if (!t) fail(`calibration sample is missing input "${name}"`);
        feeds[name] = new ort.Tensor('float32', t.data as Float32Array, [...t.dims]);
      }
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
  if (done === 0) fail('no calibration samples were provided');
  return { stats, samples: done };
}
