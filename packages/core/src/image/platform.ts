/**
 * Browser helpers: the platform image decoder (createImageBitmap) and reading pixels back through a 2D canvas.
 * Every check runs at call time, never at import, so this module is safe to load in Node and Workers.
 */
import { ImageInputError } from '../errors.js';
import type { ImageInfo, RgbaImage } from './types.js';

type Ctx2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

/**
 * True where createImageBitmap and a 2D canvas (OffscreenCanvas or DOM) exist, i.e. in browsers and their workers.
 *
 * @example
 * ```ts
 * if (hasPlatformDecoder()) console.log('browser decode path');
 * ```
 */
export function hasPlatformDecoder(): boolean {
  return typeof createImageBitmap === 'function' && (typeof OffscreenCanvas !== 'undefined' || typeof document !== 'undefined');
}

function canvas2d(width: number, height: number): Ctx2D {
  let ctx: Ctx2D | null = null;
  if (typeof OffscreenCanvas !== 'undefined') {
    ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  } else if (typeof document !== 'undefined') {
    const c = document.createElement('canvas');
    c.width = width;
    c.height = height;
    ctx = c.getContext('2d', { willReadFrequently: true });
  }
  if (!ctx) throw new ImageInputError('INVALID_ARGUMENT', 'No 2D canvas is available to read the image pixels in this runtime.');
  return ctx;
}

/**
 * Draws any canvas image source at its natural size onto a fresh 2D canvas and reads the RGBA pixels back.
 * A fresh canvas is used because the caller's canvas may hold a WebGL context, which has no getImageData.
 *
 * @example
 * ```ts
 * const rgba = drawToRgba(imgElement, imgElement.naturalWidth, imgElement.naturalHeight);
 * ```
 */
export function drawToRgba(source: CanvasImageSource, width: number, height: number): RgbaImage {
  const ctx = canvas2d(width, height);
  ctx.drawImage(source, 0, 0, width, height);
  const id = ctx.getImageData(0, 0, width, height);
  return { width: id.width, height: id.height, data: id.data };
}

/**
 * Decodes encoded bytes with the browser's decoder. No colour-space conversion, so pixels match the JS decoders
 * up to codec rounding; EXIF orientation is applied unless `applyOrientation` is false. With `resizeWidth` and
 * `resizeHeight` (the size after orientation) the browser decodes straight to that size with its high-quality
 * filter where it supports resize options; the returned image says what size it actually got.
 *
 * @example
 * ```ts
 * const rgba = await decodeWithPlatform(bytes, sniffImage(bytes), { applyOrientation: true });
 * ```
 */
export async function decodeWithPlatform(
  bytes: Uint8Array,
  info: ImageInfo,
  o: { applyOrientation?: boolean; resizeWidth?: number; resizeHeight?: number } = {},
): Promise<RgbaImage> {
  const mime = info.format === 'jpeg' ? 'image/jpeg' : `image/${info.format}`;
  const resize = o.resizeWidth && o.resizeHeight ? { resizeWidth: o.resizeWidth, resizeHeight: o.resizeHeight, resizeQuality: 'high' as const } : {};
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as BlobPart], { type: mime }), {
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
      imageOrientation: o.applyOrientation === false ? 'none' : 'from-image',
      ...resize,
    });
  } catch (cause) {
    throw new ImageInputError('IMAGE_DECODE_FAILED', `The ${info.format} data could not be decoded.`, { cause, details: { format: info.format } });
  }
  try {
    return drawToRgba(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}
