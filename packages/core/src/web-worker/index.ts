/**
 * `@resnet-edge/core/web-worker`: run inference off the main thread. Main-thread side (stores, queries,
 * worker factories) and worker side (`createWorkerApi`; the ready-made script is worker-entry.ts).
 */
export { createWorkerApi, type CreateWorkerApiOptions } from './worker-api.js';
export { installErrorTransferHandler } from './error-transfer.js';
export { prepareImage, type ClientImage, type PreparedImage } from './wire-image.js';
export {
  ModelStore,
  IDLE_MODEL_SNAPSHOT,
  type ModelStatus,
  type ModelSnapshot,
  type ModelStoreOptions,
  type InferenceCallOptions,
  type ClassifyCallOptions,
  type DetectCallOptions,
  type Timed,
} from './model-store.js';
export { getModelStore, activeModelStores, type SharedModelOptions } from './worker-pool.js';
export { InferenceQuery, IDLE_QUERY_STATE, type QueryState, type QueryRunner } from './inference-query.js';
export { createDefaultWorker, moduleWorkerFactory } from './default-worker.js';
export { createCachingFetch, DEFAULT_MODEL_CACHE, type CacheEvent, type CachingFetchOptions } from '../package/cache-storage.js';
export type * from './protocol.js';
export { pickSourceOptions, type WorkerSourceFields } from './source-options.js';
// Re-exported so main-thread code can use the error classes without importing the runtime.
export { ResNetEdgeError, ImageInputError, ModelLoadError, BackendError, type ErrorCode } from '../errors.js';
export type { BackendName, ResolvedBackend } from '../backends/types.js';
export type { ModelManifest, ModelTask, NmsMode } from '../package/manifest-types.js';
export type { ImagePreprocessOptions, DecodeMode } from '../image/decode-to-size.js';
export type { AlphaBackground } from '../image/preprocess.js';
export { DEFAULT_MODELS } from '../package/default-models.js';
