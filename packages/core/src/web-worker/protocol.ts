/**
 * The message contract between the main thread and the inference Web Worker (spoken through comlink).
 * Types here are structural on purpose: the worker side only needs "something with classify/detect".
 */
import type { BackendName, ResolvedBackend } from '../backends/types.js';
import type { ImagePreprocessOptions } from '../image/decode-to-size.js';
import type { RgbaImage } from '../image/types.js';
import type { ModelManifest, NmsMode } from '../package/manifest-types.js';
import type { SourceOptions } from '../package/source-types.js';

/** Byte progress of a model download. `total` is 0 when the server did not say. */
export interface LoadProgress {
  loaded: number;
  total: number;
}

/** One classification result (mirrors core's `ClassifyResult` element). */
export interface WorkerClassification {
  label: string;
  score: number;
}

/** One detection in original image pixels (mirrors core's `Detection`). */
export interface WorkerDetection {
  label: string;
  score: number;
  box: { xmin: number; ymin: number; xmax: number; ymax: number };
}

/**
 * Image forms that can cross `postMessage`. DOM elements never cross: the client turns them into an
 * `ImageBitmap` first (see wire-image.ts).
 */
export type WireImage =
  | ImageBitmap
  | ArrayBuffer
  | Uint8Array
  | Blob
  | RgbaImage
  | { data: Float32Array; dims: number[] };

/** What the worker needs to load a model. URLs are absolute strings (a worker resolves relative URLs differently). */
/**
 * `load()`'s options for models without a manifest (Hugging Face folders, ONNX files): `dtype`, `labels`, `preset`,
 * `input`, `detection`, `sha256`, and `pins: false` (a custom pin store cannot cross to the worker).
 */
export interface WorkerSourceOptions extends Pick<SourceOptions, 'dtype' | 'labels' | 'preset' | 'input' | 'detection' | 'sha256'> {
  pins?: false;
}

export interface WorkerLoadOptions extends WorkerSourceOptions {
  /** Built-in id, absolute URL of a `model.json`, or an in-memory package. */
  model: string | { manifest: ModelManifest; bytes: Uint8Array | ArrayBuffer };
  backend?: BackendName;
  /** Absolute base URL where built-in ids live. */
  modelBaseUrl?: string;
  /** Cache Storage name for model files; `false` disables caching. Default `resnet-edge-models-v1`. */
  cache?: string | false;
  /** Image settings for every call, as `load({ preprocess })` (e.g. `{ decode: 'exact' }`). */
  preprocess?: ImagePreprocessOptions;
  /** WASM threads inside the worker (default 1; more need a cross-origin isolated page). */
  numThreads?: number;
}

/** Returned once the model is ready. */
export interface WorkerModelInfo {
  backend: ResolvedBackend;
  manifest: ModelManifest;
  /** How many model files were served from Cache Storage (after sha256 verification). */
  cacheHits: number;
}

export interface WorkerClassifyRequest {
  /** Client-chosen id, used by {@link WorkerApi.cancel}. */
  id: number;
  image: WireImage;
  topK?: number;
  /** Overrides the load's image settings for this call (as `model.classify(image, { preprocess })`). */
  preprocess?: ImagePreprocessOptions;
}

export interface WorkerDetectRequest {
  id: number;
  image: WireImage;
  scoreThreshold?: number;
  iouThreshold?: number;
  maxDetections?: number;
  /** 'class-agnostic' (one box per object) or 'per-class'; default: the model's manifest. */
  nms?: NmsMode;
  /** Overrides the load's image settings for this call. */
  preprocess?: ImagePreprocessOptions;
}

/** Result envelope: the payload plus the time the worker spent on it (queue wait excluded). */
export interface WorkerResult<T> {
  result: T;
  inferenceMs: number;
}

/** The object the worker exposes. Every method is safe to call in any state; failures are `ResNetEdgeError`s. */
export interface WorkerApi {
  load(options: WorkerLoadOptions, onProgress?: (p: LoadProgress) => void): Promise<WorkerModelInfo>;
  classify(request: WorkerClassifyRequest): Promise<WorkerResult<WorkerClassification[]>>;
  detect(request: WorkerDetectRequest): Promise<WorkerResult<WorkerDetection[]>>;
  /** Aborts a queued or running request; unknown ids are ignored (it may have finished already). */
  cancel(id: number): void;
  dispose(): Promise<void>;
}

/** The slice of core's loaded model the worker uses. */
export interface RuntimeModel {
  readonly backend: ResolvedBackend;
  readonly manifest: ModelManifest;
  classify(image: WireImage, options: { topK?: number; signal?: AbortSignal; preprocess?: ImagePreprocessOptions }): Promise<WorkerClassification[]>;
  detect(
    image: WireImage,
    options: { scoreThreshold?: number; iouThreshold?: number; maxDetections?: number; nms?: NmsMode; signal?: AbortSignal; preprocess?: ImagePreprocessOptions },
  ): Promise<WorkerDetection[]>;
  dispose(): Promise<void>;
}

/** The slice of core's `load()` the worker uses. */
export type RuntimeLoad = (options: WorkerSourceOptions & {
  model: WorkerLoadOptions['model'];
  numThreads?: number;
  backend?: BackendName;
  modelBaseUrl?: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  onProgress?: (p: LoadProgress) => void;
  preprocess?: ImagePreprocessOptions | (ImagePreprocessOptions & { preset?: WorkerSourceOptions['preset'] });
}) => Promise<RuntimeModel>;

/** Anything comlink can talk to and that can be stopped: a `Worker`, or a test double built on `MessagePort`. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: string, listener: (ev: any) => void): void;
  removeEventListener(type: string, listener: (ev: any) => void): void;
  terminate(): void;
}
