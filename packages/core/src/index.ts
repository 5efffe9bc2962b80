/**
 * @resnet-edge/core: int8 ResNet classification and detection for browsers, Node and the edge.
 *
 * @example
 * ```ts
 * import { load } from '@resnet-edge/core';
 * const model = await load({ model: 'fmnist-resnet20' });
 * const top5 = await model.classify(imageBytes, { topK: 5 });
 * ```
 */
export { load, type LoadOptions } from './runtime/load.js';
export { ResNetModel, type ClassifyOptions } from './runtime/model.js';
export type { DetectOptions } from './runtime/detect-options.js';
export type { Detection, Box } from './tasks/detect-types.js';
export { toDetections } from './tasks/detect.js';
export { nms, boxIou, type NmsOptions } from './tasks/nms.js';
export { evaluateDetections, precisionRecall, type DetectionMetrics, type PrecisionRecall } from './tasks/map.js';
export type { Classification } from './tasks/classify.js';
export { toClassifications } from './tasks/classify.js';
export { softmax } from './tasks/softmax.js';
export { topK } from './tasks/top-k.js';
export {
  ResNetEdgeError,
  ImageInputError,
  ModelLoadError,
  BackendError,
  serializeError,
  deserializeError,
  type ErrorCode,
  type SerializedError,
} from './errors.js';
export type { Tensor, TensorData } from './tensor.js';
export type { RgbaImage, ImageFormat, ImageInfo, ImageDecodeFn } from './image/types.js';
export { sniffImage, checkImageHeader, decodeImage, registerImageDecoder, setWebpWasmModule, toRgbaImage, preprocess, preprocessBatch, preprocessEncoded, mapBoxToSource, DEFAULT_MAX_PIXELS } from './image/index.js';
export type { ImageInput, PreprocessTransform, DecodeImageOptions, ImagePreprocessOptions, DecodeMode, CheckedImageInfo } from './image/index.js';
export type { ModelManifest, InputSpec, ResizePolicy, DetectionSpec, DetectionHead, NmsMode, ManifestFile, ModelTask } from './package/manifest-types.js';
export { validateManifest } from './package/manifest.js';
export { sha256Hex, verifyFile } from './package/integrity.js';
export { BUILTIN_MODELS, type ModelSource } from './package/resolve.js';
export type { ModelOrigin, ModelDtype, SourceOptions, IntegrityCheck } from './package/source-types.js';
export type { InputPresetName } from './package/input-presets.js';
export type { InputOverrides, DetectionOverrides } from './package/infer-manifest.js';
export { createMemoryPinStore, createCachePinStore, defaultPinStore, type PinStore } from './package/pin-store.js';
export { COCO_CATEGORIES } from './tasks/coco-categories.js';
export { DEFAULT_MODELS } from './package/default-models.js';
export { resolveModel } from './package/builtin-models.js';
export type { Backend, BackendName, ResolvedBackend, InferenceSession, SessionOptions, BackendAvailability } from './backends/types.js';
export { createBackendRegistry, type BackendRegistry, type FallbackEvent } from './backends/backend-registry.js';
export { createOrtBackend, type OrtBackendOptions, type OrtModule, type OrtOptions, type OrtWasmPaths } from './backends/ort/ort-backend.js';
export { getDefaultRegistry } from './runtime/default-registry.js';
export { createWasmBackend, type WasmBackendOptions } from './backends/wasm/wasm-backend.js';
export { createWasmSession, type WasmSession } from './engine/session/wasm-session.js';
