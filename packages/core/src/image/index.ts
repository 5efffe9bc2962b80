/** Image input pipeline: sniff -> decode -> RGBA -> resize -> model tensor. */
export { sniffImage, sniffFormat } from './sniff.js';
export { decodeImage, registerImageDecoder, DEFAULT_MAX_PIXELS, type DecodeImageOptions } from './decode.js';
export { setWebpWasmModule } from './webp.js';
export { toRgbaImage, isPreprocessedTensor, type ImageInput, type PreprocessedTensorInput, type ToRgbaOptions } from './to-rgba.js';
export { resizeRgba, resizePlanar, resample8, coefficients, type ResizeFilter, type ResizeWindow, type RowSource } from './resize.js';
export { preprocess, preprocessBatch, type AlphaBackground, type PreprocessOptions, type PreprocessResult } from './preprocess.js';
export { planResize, mapBoxToSource, type Box, type PreprocessTransform, type ResizePlan } from './geometry.js';
export { applyOrientation } from './orient.js';
export { assertRgbaImage } from './validate.js';
export { hasPlatformDecoder } from './platform.js';
export type { RgbaImage, ImageFormat, ImageInfo, ImageDecodeFn } from './types.js';
