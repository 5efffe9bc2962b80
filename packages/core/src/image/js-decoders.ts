/**
 * The own JPEG and PNG decoders (./decode-jpeg.ts with ./jpeg/, ./png/ with fflate), reached only through dynamic
 * `import()`: bundlers put them in chunks of their own, so a browser page that decodes with createImageBitmap never
 * downloads them (~14 KB gzip). Node, Cloudflare Workers (wrangler inlines the import), exact mode without a platform
 * decoder and platform decode failures load them on first use.
 */
import { ImageInputError } from '../errors.js';

/** The JPEG entry points (DCT-scaled whole-image and row-streaming decodes). */
export type JpegDecoderModule = typeof import('./decode-jpeg.js');
/** The PNG entry points (whole-image and row-streaming decodes). */
export type PngDecoderModule = typeof import('./png/decode-png.js');

async function loadChunk<T>(format: 'jpeg' | 'png', load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (cause) {
    // A chunk the app did not deploy, or a network failure: not the image's fault, so not IMAGE_DECODE_FAILED.
    throw new ImageInputError('UNSUPPORTED_IMAGE_FORMAT', `The ${format} decoder could not be loaded (is every chunk of the app's bundle deployed?).`, {
      cause,
      details: { format, reason: 'decoder-unavailable' },
    });
  }
}

/**
 * Loads the own JPEG decoder.
 *
 * @example
 * ```ts
 * const { decodeJpegScaled } = await loadJpegDecoder();
 * const img = await decodeJpegScaled(bytes, { scaleDenom: 1, maxPixels: 48e6 });
 * ```
 */
export function loadJpegDecoder(): Promise<JpegDecoderModule> {
  return loadChunk('jpeg', () => import('./decode-jpeg.js'));
}

/**
 * Loads the own PNG decoder.
 *
 * @example
 * ```ts
 * const { decodePng } = await loadPngDecoder();
 * const img = await decodePng(bytes, { maxPixels: 48e6 });
 * ```
 */
export function loadPngDecoder(): Promise<PngDecoderModule> {
  return loadChunk('png', () => import('./png/decode-png.js'));
}
