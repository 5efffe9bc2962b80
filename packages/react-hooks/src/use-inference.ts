/** `useClassification` / `useDetection`: declarative inference on one image, TanStack-Query style. */
import { useEffect, useState, useSyncExternalStore } from 'react';
import {
  DEFAULT_MODELS,
  IDLE_QUERY_STATE,
  InferenceQuery,
  type ClientImage,
  type ImagePreprocessOptions,
  type NmsMode,
  type ModelStore,
  type QueryState,
  type WorkerClassification,
  type WorkerDetection,
} from './core-web-worker.js';
import { useModelStore, useStablePreprocess, type ModelSelection } from './use-model-store.js';

export interface InferenceHookOptions extends ModelSelection {
  /** `false` keeps the query idle (e.g. until the user picks an image). Default true. */
  enabled?: boolean;
  /**
   * Move `ArrayBuffer`/`ImageBitmap` inputs into the worker instead of copying them. Default false here,
   * because a React-held input must stay usable for the next render; Blobs and DOM elements never copy pixels.
   */
  transfer?: boolean;
  /**
   * Image settings, as `load({ preprocess })`: e.g. `{ decode: 'exact' }` for Pillow/torchvision parity, or a
   * lower `maxPixels`. A change re-runs the query on the loaded model (sent per request; the worker is shared).
   */
  preprocess?: ImagePreprocessOptions;
}

export interface UseClassificationOptions extends InferenceHookOptions {
  /** How many labels to return (default: the model's default, usually 5). */
  topK?: number;
}

export interface UseDetectionOptions extends InferenceHookOptions {
  scoreThreshold?: number;
  iouThreshold?: number;
  maxDetections?: number;
  /** 'class-agnostic' (one box per object) or 'per-class'; default: the model's manifest. */
  nms?: NmsMode;
}

type Input = ClientImage | null | undefined;
const serverState = () => IDLE_QUERY_STATE;

function useQuery<T>(
  store: ModelStore | null,
  image: Input,
  enabled: boolean,
  deps: unknown[],
  run: (store: ModelStore, image: ClientImage, signal: AbortSignal) => Promise<{ result: T; latencyMs: number; inferenceMs: number }>,
): QueryState<T> {
  // Created in render without side effects (StrictMode may throw one away; nothing leaks).
  const [query] = useState(() => new InferenceQuery<ClientImage, T>(() => Promise.reject(new Error('no runner'))));
  const state = useSyncExternalStore(query.subscribe, query.getSnapshot, serverState);
  useEffect(() => {
    if (!store || !enabled) {
      query.setInput(null);
      return;
    }
    query.setRunner((img, signal) => run(store, img, signal));
    // A new image (or new options) aborts the request in flight for the old one.
    query.setInput(image);
    return () => query.cancel();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query, store, image, enabled, ...deps]);
  return state;
}

/**
 * Classifies `image` in the model's worker whenever it (or an option) changes; stale requests are
 * aborted. `null`/`undefined` means idle. Inputs are compared by identity: keep them in state or a ref
 * (a new `Uint8Array` each render would restart the request every render).
 *
 * @example
 * ```tsx
 * const q = useClassification(file, { topK: 5, preprocess: { decode: 'exact' } });
 * if (q.status === 'success') return <Bars items={q.data} />;
 * if (q.status === 'error') return <p>{q.error.code}</p>;
 * ```
 */
export function useClassification(image: Input, options: UseClassificationOptions = {}): QueryState<WorkerClassification[]> {
  const { store } = useModelStore(options, DEFAULT_MODELS.classification);
  const { topK, transfer = false, enabled = true } = options;
  const preprocess = useStablePreprocess(options.preprocess);
  return useQuery(store, image, enabled, [topK, transfer, preprocess], (s, img, signal) =>
    s.classifyTimed(img, { signal, transfer, ...(topK !== undefined ? { topK } : {}), ...(preprocess ? { preprocess } : {}) }),
  );
}

/**
 * Detects objects in `image` whenever it (or an option) changes; boxes are in original image pixels.
 *
 * @example
 * ```tsx
 * const q = useDetection(file, { scoreThreshold: 0.4 });
 * q.status === 'success' && q.data.map((d) => <Box key={d.label + d.box.xmin} {...d.box} />);
 * ```
 */
export function useDetection(image: Input, options: UseDetectionOptions = {}): QueryState<WorkerDetection[]> {
  const { store } = useModelStore(options, DEFAULT_MODELS.detection);
  const { scoreThreshold, iouThreshold, maxDetections, nms, transfer = false, enabled = true } = options;
  const preprocess = useStablePreprocess(options.preprocess);
  return useQuery(store, image, enabled, [scoreThreshold, iouThreshold, maxDetections, nms, transfer, preprocess], (s, img, signal) =>
    s.detectTimed(img, {
      signal,
      transfer,
      ...(preprocess ? { preprocess } : {}),
      ...(scoreThreshold !== undefined ? { scoreThreshold } : {}),
      ...(iouThreshold !== undefined ? { iouThreshold } : {}),
      ...(maxDetections !== undefined ? { maxDetections } : {}),
      ...(nms !== undefined ? { nms } : {}),
    }),
  );
}
