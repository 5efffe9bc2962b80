/**
 * Encoded bytes -> model input tensor, decoding only at the resolution the model needs ("decode to size").
 * The resize plan is computed from the header before any pixel is decoded; then:
 * - JPEG: DCT-domain scaling at the largest of 1/2, 1/4, 1/8 that leaves at least 2x the resize target, then the
 *   Pillow-exact antialiased resize from that (mapped back to the full image exactly, see `extentWidth`).
 * - PNG: rows stream from the bounded inflater through the resizer; memory O(width), output bit-identical to `exact`.
 * - WebP: full decode (the bundled libwebp build exposes no scaled decoding), bounded by `maxPixels`.
 * - Browsers: `createImageBitmap` with `resizeWidth`/`resizeHeight` (>= 2x the target, `resizeQuality: 'high'`).
 * `decode: 'exact'` decodes at full size and resizes once, as Pillow/torchvision do (the reference path).
 */
import { ImageInputError, ResNetEdgeError, throwIfAborted } from '../errors.js';
import type { InputSpec } from '../package/manifest-types.js';
import { customDecoder, decodeImage, guardDecode, typedDecode } from './decode.js';
import type { JpegScale } from './jpeg/index.js';
import { pickReduction, planResize } from './geometry.js';
import { checkImageHeader, type CheckedImageInfo } from './header.js';
import { loadJpegDecoder, loadPngDecoder } from './js-decoders.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, sizeLimit } from './limits.js';
import { applyOrientation } from './orient.js';
import { decodeWithPlatform, hasPlatformDecoder } from './platform.js';
import { checkAlphaBackground, checkInputSpec, createPreprocessor, preprocess, type AlphaBackground, type Preprocessor, type PreprocessResult } from './preprocess.js';
import type { RgbaImage } from './types.js';
import { decodeWebp } from './webp.js';

/** `fast` decodes to the size the model needs; `exact` decodes at full size first (bit-exact with Pillow/torchvision). */
export type DecodeMode = 'fast' | 'exact';

/** How images are turned into model input: one object for `load()`, `classify()`, `detect()` and the CLI. */
export interface ImagePreprocessOptions {
  /** `'fast'` (default) or `'exact'`; see {@link DecodeMode}. */
  decode?: DecodeMode;
  /** Refuse images whose header declares more pixels (`IMAGE_TOO_LARGE`). A positive integer; default 48 000 000. */
  maxPixels?: number;
  /** Largest Blob read into memory, in bytes: a positive integer (default 64 MiB). */
  maxBytes?: number;
  /** Rotate/flip JPEGs by their EXIF orientation, as browsers do (default true). */
  applyExifOrientation?: boolean;
  /** Use the browser's decoder where there is one (default true). */
  preferPlatformDecoder?: boolean;
  /** Colour under transparent pixels (default `'auto'`). */
  alphaBackground?: AlphaBackground;
}

/**
 * Throws `INVALID_ARGUMENT` for a value outside its type, so `decode: 'bogus'` cannot run as `'fast'` nor `maxPixels: NaN`
 * lift the limit; undefined values are defaults. Keys are checked where options objects come in (runtime/).
 *
 * @example
 * ```ts
 * checkImagePreprocessOptions({ decode: 'exact', maxPixels: 12_000_000 }); // ok; { maxPixels: -1 } throws
 * ```
 */
export function checkImagePreprocessOptions(o: ImagePreprocessOptions): void {
  if (o.decode !== undefined && o.decode !== 'fast' && o.decode !== 'exact') {
    throw new ResNetEdgeError('INVALID_ARGUMENT', `decode must be 'fast' or 'exact', got ${JSON.stringify(o.decode)}.`);
  }
  sizeLimit('maxPixels', o.maxPixels, DEFAULT_MAX_PIXELS);
  sizeLimit('maxBytes', o.maxBytes, DEFAULT_MAX_BYTES);
  for (const key of ['applyExifOrientation', 'preferPlatformDecoder'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') throw new ResNetEdgeError('INVALID_ARGUMENT', `${key} must be true or false, got ${JSON.stringify(o[key])}.`);
  }
  if (o.alphaBackground !== undefined) checkAlphaBackground(o.alphaBackground);
}

/** How the pixels were obtained (for tests and benchmarks). */
export interface DecodedVia {
  path: 'jpeg-dct' | 'png-rows' | 'webp-full' | 'platform' | 'full';
  /** Size of the decoded pixels that were resized (the reduced size on scaled paths). */
  width: number;
  height: number;
  /** Reduction factor relative to the full image (1 = full size). */
  scale: number;
}

export interface PreprocessEncodedResult extends PreprocessResult {
  decoded: DecodedVia;
}

/** Runs a streaming preprocessor over a whole RGBA image. */
function fromImage(img: RgbaImage, o: { input: InputSpec; alphaBackground?: AlphaBackground; srcWidth: number; srcHeight: number; extentWidth?: number; extentHeight?: number }): PreprocessResult {
  const p = createPreprocessor({ ...o, decodedWidth: img.width, decodedHeight: img.height });
  const stride = img.width * 4;
  for (let y = 0; y < img.height; y++) p.pushRow(img.data, y * stride);
  return p.finish();
}

/**
 * Decodes `bytes` (JPEG, PNG, WebP) and preprocesses them for `input`, at the resolution the model needs.
 * Errors are those of `decodeImage` (`EMPTY_INPUT`, `UNSUPPORTED_IMAGE_FORMAT`, `IMAGE_TOO_LARGE`,
 * `IMAGE_DECODE_FAILED`) and `INVALID_ARGUMENT` for a bad InputSpec or option value.
 *
 * @example
 * ```ts
 * const { tensor, transform, decoded } = await preprocessEncoded({ bytes, input: manifest.input });
 * console.log(decoded.path, decoded.scale); // 'jpeg-dct', 8 for a 12 MP photo and a 224 px model
 * ```
 */
export async function preprocessEncoded(o: { bytes: Uint8Array; input: InputSpec; signal?: AbortSignal } & ImagePreprocessOptions): Promise<PreprocessEncodedResult> {
  checkImagePreprocessOptions(o);
  const { bytes, input, alphaBackground } = o;
  const maxPixels = o.maxPixels ?? DEFAULT_MAX_PIXELS;
  const applyExif = o.applyExifOrientation ?? true;
  const preferPlatform = o.preferPlatformDecoder ?? true;
  const spec = checkInputSpec(input);
  const info = checkImageHeader(bytes, { maxPixels });
  const orientation = applyExif && info.format === 'jpeg' ? info.orientation ?? 1 : 1;
  const swap = orientation >= 5;
  const srcWidth = swap ? info.height : info.width;
  const srcHeight = swap ? info.width : info.height;

  if ((o.decode ?? 'fast') === 'exact' || customDecoder(info.format)) {
    const image = await decodeImage(bytes, { maxPixels, preferPlatformDecoder: preferPlatform, applyExifOrientation: applyExif });
    throwIfAborted(o.signal);
    return { ...preprocess({ image, input, alphaBackground }), decoded: { path: 'full', width: image.width, height: image.height, scale: 1 } };
  }
  const plan = planResize({ srcWidth, srcHeight, width: spec.w, height: spec.h, policy: input.resize });
  const common = { input, alphaBackground, srcWidth, srcHeight };

  if (preferPlatform && hasPlatformDecoder()) {
    const k = Math.max(1, Math.floor(Math.min(srcWidth / (2 * plan.resizeWidth), srcHeight / (2 * plan.resizeHeight))));
    try {
      const img = await decodeWithPlatform(bytes, info, {
        applyOrientation: applyExif,
        ...(k > 1 ? { resizeWidth: Math.round(srcWidth / k), resizeHeight: Math.round(srcHeight / k) } : {}),
      });
      throwIfAborted(o.signal);
      return { ...fromImage(img, common), decoded: { path: 'platform', width: img.width, height: img.height, scale: srcWidth / img.width } };
    } catch {
      // Fall through to the JS decoders, which give a typed verdict on corrupt data.
    }
  }
  if (info.format === 'jpeg') return decodeJpegToSize({ bytes, info, maxPixels, orientation, plan, common, signal: o.signal });
  if (info.format === 'png') {
    // Opaque 8-bit RGB and grey rows go to the resizer as decoded; everything else as RGBA.
    let p: Preprocessor | undefined;
    const { decodePngRows } = await loadPngDecoder();
    await typedDecode('png', () =>
      decodePngRows(bytes, {
        maxPixels,
        layouts: ['rgb', 'gray'],
        onHeader: (_w, _h, layout) => (p = createPreprocessor({ ...common, layout })),
        onRow: (row) => p!.pushRow(row),
      }),
    );
    p ??= createPreprocessor(common);
    return { ...p.finish(), decoded: { path: 'png-rows', width: info.width, height: info.height, scale: 1 } };
  }
  const img = await guardDecode(info, maxPixels, () => decodeWebp(bytes, info));
  throwIfAborted(o.signal);
  return { ...fromImage(img, common), decoded: { path: 'webp-full', width: img.width, height: img.height, scale: 1 } };
}

async function decodeJpegToSize(o: {
  bytes: Uint8Array;
  info: CheckedImageInfo;
  maxPixels: number;
  orientation: number;
  plan: { resizeWidth: number; resizeHeight: number };
  common: { input: InputSpec; alphaBackground?: AlphaBackground; srcWidth: number; srcHeight: number };
  signal?: AbortSignal;
}): Promise<PreprocessEncodedResult> {
  const { info, plan, common, bytes, maxPixels } = o;
  const { decodeJpegScaled, decodeJpegScaledRows, JPEG_SCALES } = await loadJpegDecoder();
  const swap = o.orientation >= 5;
  // The target in the file's own orientation: a portrait phone photo stored landscape needs its dims swapped.
  const k = pickReduction({
    srcWidth: info.width,
    srcHeight: info.height,
    needWidth: swap ? plan.resizeHeight : plan.resizeWidth,
    needHeight: swap ? plan.resizeWidth : plan.resizeHeight,
    factors: JPEG_SCALES,
  }) as JpegScale;
  const w = Math.ceil(info.width / k);
  const h = Math.ceil(info.height / k);
  const extent = { extentWidth: common.srcWidth / k, extentHeight: common.srcHeight / k };
  const decoded: DecodedVia = { path: 'jpeg-dct', width: swap ? h : w, height: swap ? w : h, scale: k };
  if (o.orientation <= 1) {
    // Upright: rows go straight from the decoder into the resizer, no scaled image is built.
    const p = createPreprocessor({ ...common, ...extent, decodedWidth: w, decodedHeight: h });
    const got = await typedDecode('jpeg', () => decodeJpegScaledRows(bytes, { scaleDenom: k, maxPixels, onRow: (row) => p.pushRow(row) }));
    if (got.width !== w || got.height !== h) throw mismatch();
    return { ...p.finish(), decoded };
  }
  const stored = await guardDecode(info, maxPixels, () => decodeJpegScaled(bytes, { scaleDenom: k, maxPixels }));
  if (stored.width !== w || stored.height !== h) throw mismatch();
  throwIfAborted(o.signal);
  return { ...fromImage(applyOrientation(stored, o.orientation), { ...common, ...extent }), decoded };
}

function mismatch(): ImageInputError {
  return new ImageInputError('IMAGE_DECODE_FAILED', 'The jpeg decoder returned an image that does not match its header.', { details: { format: 'jpeg' } });
}
