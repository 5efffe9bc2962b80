/** `useResNet`: a model in a shared Web Worker, with its load status and imperative classify/detect. */
import { useCallback, useMemo } from 'react';
import {
  ResNetEdgeError,
  type ClassifyCallOptions,
  type ClientImage,
  type DetectCallOptions,
  DEFAULT_MODELS,
  type ImagePreprocessOptions,
  type LoadProgress,
  type ModelManifest,
  type ModelStatus,
  type ModelTask,
  type ResolvedBackend,
  type WorkerClassification,
  type WorkerDetection,
} from './core-web-worker.js';
import { mergePreprocess, useModelStore, useStablePreprocess, type ModelSelection } from './use-model-store.js';

export interface UseResNetOptions extends ModelSelection {
  /** The task you will use; a model of another task is reported as an `INVALID_ARGUMENT` error. */
  task?: ModelTask;
  /**
   * Image settings for every `classify`/`detect` of this component, as `load({ preprocess })` (e.g.
   * `{ decode: 'exact', maxPixels: 12_000_000 }`); a call's own `preprocess` overrides them field by field.
   * Sent with each request, so components with different settings still share one worker.
   */
  preprocess?: ImagePreprocessOptions;
}

export interface UseResNetResult {
  status: ModelStatus;
  /** The backend the worker ended up on, once ready. */
  backend: ResolvedBackend | null;
  manifest: ModelManifest | null;
  /** Download progress in bytes (null before the first byte or when served without a size). */
  progress: LoadProgress | null;
  error: ResNetEdgeError | null;
  /** Model files served from Cache Storage (sha256-verified) in this load. */
  cacheHits: number;
  /** Top-k labels. Waits for the model if it is still loading. Stable identity per model and `preprocess`. */
  classify(image: ClientImage, options?: ClassifyCallOptions): Promise<WorkerClassification[]>;
  /** Boxes in original image pixels. Waits for the model if it is still loading. */
  detect(image: ClientImage, options?: DetectCallOptions): Promise<WorkerDetection[]>;
}

function withPreprocess<T extends { preprocess?: ImagePreprocessOptions }>(base: ImagePreprocessOptions | undefined, opts: T | undefined): T | undefined {
  const preprocess = mergePreprocess(base, opts?.preprocess);
  return preprocess ? ({ ...opts, preprocess } as T) : opts;
}

const notOnServer = () => Promise.reject(new ResNetEdgeError('BACKEND_UNAVAILABLE', 'Inference is not available during server rendering.'));

/**
 * Loads a model in a Web Worker shared by every component using the same model, and keeps it while
 * the component is mounted. `ArrayBuffer`/`ImageBitmap` inputs are transferred (detached) unless
 * `transfer: false`.
 *
 * @example
 * ```tsx
 * const { status, progress, backend, classify } = useResNet({ model: 'fmnist-resnet20', task: 'classification' });
 * const top5 = status === 'ready' ? await classify(file, { topK: 5 }) : [];
 * const exact = await classify(file, { preprocess: { decode: 'exact' } }); // per call
 * ```
 */
export function useResNet(options: UseResNetOptions = {}): UseResNetResult {
  const { store, snapshot } = useModelStore(options, DEFAULT_MODELS[options.task ?? 'classification']);
  const task = options.task;
  const taskError = useMemo(
    () =>
      task && snapshot.manifest && snapshot.manifest.task !== task
        ? new ResNetEdgeError('INVALID_ARGUMENT', `Model "${snapshot.manifest.id}" is a ${snapshot.manifest.task} model, not ${task}.`)
        : null,
    [task, snapshot.manifest],
  );
  const preprocess = useStablePreprocess(options.preprocess);
  const classify = useCallback(
    (image: ClientImage, opts?: ClassifyCallOptions) => (store ? store.classify(image, withPreprocess(preprocess, opts)) : notOnServer()),
    [store, preprocess],
  );
  const detect = useCallback(
    (image: ClientImage, opts?: DetectCallOptions) => (store ? store.detect(image, withPreprocess(preprocess, opts)) : notOnServer()),
    [store, preprocess],
  );
  return {
    status: taskError ? 'error' : snapshot.status,
    backend: snapshot.backend,
    manifest: snapshot.manifest,
    progress: snapshot.progress,
    error: taskError ?? snapshot.error,
    cacheHits: snapshot.cacheHits,
    classify,
    detect,
  } as UseResNetResult;
}
