/**
 * `@resnet-edge/react-hooks`: React bindings that run resnet-edge models in a Web Worker.
 *
 * @example
 * ```tsx
 * <ResNetProvider config={{ workerUrl: '/resnet-edge-worker.js', modelBaseUrl: '/models/' }}>
 *   <Classifier />
 * </ResNetProvider>
 * ```
 */
export { ResNetProvider, type ResNetConfig } from './context.js';
export { useResNet, type UseResNetOptions, type UseResNetResult } from './use-resnet.js';
export {
  useClassification,
  useDetection,
  type InferenceHookOptions,
  type UseClassificationOptions,
  type UseDetectionOptions,
} from './use-inference.js';
export type {
  QueryState,
  ModelStatus,
  LoadProgress,
  ClientImage,
  WorkerClassification as Classification,
  WorkerDetection as Detection,
  ClassifyCallOptions,
  DetectCallOptions,
  ImagePreprocessOptions,
  DecodeMode,
  AlphaBackground,
} from './core-web-worker.js';
export { ResNetEdgeError, ImageInputError, ModelLoadError, BackendError } from './core-web-worker.js';
