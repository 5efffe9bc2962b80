/** Image input pipeline: sniff -> decode -> RGBA -> resize -> model tensor. */
export { sniffImage, sniffFormat } from './sniff.js';
export { checkImageHeader, type CheckedImageInfo } from './header.js';
export { decodeImage, registerImageDecoder, DEFAULT_MAX_PIXELS, type DecodeImageOptions } from './decode.js';
export { preprocessEncoded, type DecodeMode, type DecodedVia, type ImagePreprocessOptions, type PreprocessEncodedResult } from './decode-to-size.js';
export { setWebpWasmModule } from './webp.js';
export { toRgbaImage, isPreprocessedTensor, type ImageInput, type PreprocessedTensorInput, type ToRgbaOptions } from './to-rgba.js';
export { resizeRgba, resample8, createResampler, coefficients, type Resampler, type ResamplerOptions, type ResizeFilter, type ResizeWindow, type RowSource } from './resize.js';
export { resizePlanar } from './resize-planar.js';
export { preprocess, preprocessBatch, createPreprocessor, type AlphaBackground, type PreprocessOptions, type PreprocessResult, type Preprocessor, type PreprocessorOptions, type RowLayout } from './preprocess.js';
export { planResize, pickReduction, mapBoxToSource, type Box, type PreprocessTransform, type ResizePlan } from './geometry.js';
export { applyOrientation } from './orient.js';
export { assertRgbaImage } from './validate.js';
export { hasPlatformDecoder } from './platform.js';
export type { RgbaImage, ImageFormat, ImageInfo, ImageDecodeFn } from './types.js';
