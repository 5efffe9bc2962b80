/**
 * Every accepted image input -> RgbaImage. DOM types are detected with `typeof X !== 'undefined' && v instanceof X`
 * at call time, so this module loads in Node and Workers where those globals do not exist.
 */
import { ImageInputError } from '../errors.js';
import { isFloatTensor } from '../tensor.js';
import { decodeImage, type DecodeImageOptions } from './decode.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, sizeLimit } from './limits.js';
import { drawToRgba } from './platform.js';
import type { RgbaImage } from './types.js';
import { assertRgbaImage } from './validate.js';

/** An already preprocessed model input: float32 NCHW, passed straight to the backend. */
export interface PreprocessedTensorInput {
  data: Float32Array;
  dims: readonly [number, number, number, number] | readonly number[];
}

/** Everything `classify`/`detect` accept as an image. */
export type ImageInput =
  | ImageData
  | ImageBitmap
  | HTMLImageElement
  | HTMLCanvasElement
  | OffscreenCanvas
  | Blob
  | ArrayBuffer
  | Uint8Array
  | RgbaImage
  | PreprocessedTensorInput;

export interface ToRgbaOptions extends DecodeImageOptions {
  /** Largest Blob read into memory, in bytes (default 64 MiB); larger Blobs fail with IMAGE_TOO_LARGE before reading. */
  maxBytes?: number;
}

/**
 * True for a preprocessed `{ data: Float32Array, dims: [N, C, H, W] }` input, which skips decoding and preprocessing.
 *
 * @example
 * ```ts
 * const tensor = isPreprocessedTensor(input) ? input : preprocess({ image: await toRgbaImage(input), input: spec }).tensor;
 * ```
 */
export function isPreprocessedTensor(v: unknown): v is PreprocessedTensorInput {
  return isFloatTensor(v);
}

function defined(name: string): boolean {
  return typeof (globalThis as Record<string, unknown>)[name] !== 'undefined';
}

function checkSize(w: number, h: number, maxPixels: number): void {
  if (!(w > 0 && h > 0)) throw new ImageInputError('EMPTY_INPUT', `The image has no pixels (${w}x${h}); is it loaded?`, { details: { width: w, height: h } });
  if (w * h > maxPixels) {
    throw new ImageInputError('IMAGE_TOO_LARGE', `The image is ${w}x${h}, more than ${maxPixels} pixels.`, { details: { width: w, height: h, maxPixels } });
  }
}

/**
 * The encoded bytes of a bytes-like input (Uint8Array, ArrayBuffer, any ArrayBufferView) or a Blob (read after its
 * size is checked against `maxBytes`, a positive integer); `undefined` for everything else (DOM images, RGBA, tensors).
 *
 * @example
 * ```ts
 * const bytes = await encodedBytes(file, { maxBytes: 16 << 20 });
 * if (bytes) console.log(sniffImage(bytes).format);
 * ```
 */
export async function encodedBytes(input: unknown, options: { maxBytes?: number } = {}): Promise<Uint8Array | undefined> {
  const maxBytes = sizeLimit('maxBytes', options.maxBytes, DEFAULT_MAX_BYTES);
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (defined('Blob') && input instanceof Blob) {
    if (input.size === 0) throw new ImageInputError('EMPTY_INPUT', 'The image is empty (0 bytes).');
    if (input.size > maxBytes) {
      throw new ImageInputError('IMAGE_TOO_LARGE', `The file is ${input.size} bytes, more than ${maxBytes}.`, { details: { bytes: input.size, maxBytes } });
    }
    return new Uint8Array(await input.arrayBuffer());
  }
  return undefined;
}

/**
 * Converts any {@link ImageInput} (except a preprocessed tensor) to 8-bit straight RGBA.
 * Encoded bytes and Blobs go through `decodeImage`; DOM images and canvases are drawn on a 2D canvas;
 * ImageData and RgbaImage are validated and returned without copying.
 *
 * @example
 * ```ts
 * const rgba = await toRgbaImage(fileInput.files[0], { maxPixels: 20_000_000 });
 * ```
 */
export async function toRgbaImage(input: ImageInput, options: ToRgbaOptions = {}): Promise<RgbaImage> {
  const maxPixels = sizeLimit('maxPixels', options.maxPixels, DEFAULT_MAX_PIXELS);
  if (input === null || input === undefined) throw new ImageInputError('INVALID_ARGUMENT', 'No image was given.');
  const bytes = await encodedBytes(input, options);
  if (bytes) return decodeImage(bytes, options);
  if (isPreprocessedTensor(input)) {
    throw new ImageInputError('INVALID_ARGUMENT', 'This input is already a preprocessed tensor; pass it to the model directly.');
  }
  if (defined('HTMLImageElement') && input instanceof HTMLImageElement) {
    // decode() waits for a pending load and rejects for broken images; drawing an unloaded image gives nothing.
    if (!input.complete || input.naturalWidth === 0) {
      try {
        await input.decode();
      } catch (cause) {
        throw new ImageInputError('IMAGE_DECODE_FAILED', 'The <img> could not be loaded or decoded.', { cause });
      }
    }
    checkSize(input.naturalWidth, input.naturalHeight, maxPixels);
    return drawToRgba(input, input.naturalWidth, input.naturalHeight);
  }
  const drawable =
    (defined('ImageBitmap') && input instanceof ImageBitmap) ||
    (defined('HTMLCanvasElement') && input instanceof HTMLCanvasElement) ||
    (defined('OffscreenCanvas') && input instanceof OffscreenCanvas);
  if (drawable) {
    const src = input as ImageBitmap | HTMLCanvasElement | OffscreenCanvas;
    checkSize(src.width, src.height, maxPixels);
    return drawToRgba(src, src.width, src.height);
  }
  // ImageData and plain RgbaImage share a shape; ImageData.data is a Uint8ClampedArray of width*height*4.
  if (typeof input === 'object' && 'data' in input && 'width' in input) {
    assertRgbaImage(input, maxPixels);
    return { width: input.width, height: input.height, data: input.data };
  }
  throw new ImageInputError('INVALID_ARGUMENT', `Unsupported image input: ${Object.prototype.toString.call(input)}.`);
}
