/** `useResNet`: a model in a shared Web Worker, with its load status and imperative classify/detect. */
import { useCallback, useMemo } from 'react';
import {
  ResNetEdgeError,
  type ClassifyCallOptions,
  type ClientImage,
  type DetectCallOptions,
  DEFAULT_MODELS,
  type LoadProgress,
  type ModelManifest,
  type ModelStatus,
  type ModelTask,
  type ResolvedBackend,
  type WorkerClassification,
  type WorkerDetection,
} from './core-web-worker.js';
import { useModelStore, type ModelSelection } from './use-model-store.js';

export interface UseResNetOptions extends ModelSelection {
  /** The task you will use; a model of another task is reported as an `INVALID_ARGUMENT` error. */
  task?: ModelTask;
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
  /** Top-k labels. Waits for the model if it is still loading. Stable identity per model. */
  classify(image: ClientImage, options?: ClassifyCallOptions): Promise<WorkerClassification[]>;
  /** Boxes in original image pixels. Waits for the model if it is still loading. */
  detect(image: ClientImage, options?: DetectCallOptions): Promise<WorkerDetection[]>;
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
  const classify = useCallback(
    (image: ClientImage, opts?: ClassifyCallOptions) => (store ? store.classify(image, opts) : notOnServer()),
    [store],
  );
  const detect = useCallback((image: ClientImage, opts?: DetectCallOptions) => (store ? store.detect(image, opts) : notOnServer()), [store]);
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
