/**
 * JPEG -> RGBA at a DCT scale (1/1, 1/2, 1/4, 1/8) through the own libjpeg-turbo-exact decoder in ./jpeg/: the one
 * place the image pipeline calls a JPEG decoder. Adds the pipeline's policy on top: data missing before the end of
 * the image (which libjpeg would fill with grey and only warn about) is `IMAGE_DECODE_FAILED`, as for every other
 * truncated input.
 */
import { ImageInputError } from '../errors.js';
import { decodeJpeg, decodeJpegRows, type JpegRows, type JpegScale } from './jpeg/index.js';
import type { RgbaImage } from './types.js';

/** Denominators of the DCT scales libjpeg offers for downscaling (`scale_denom`). */
export const JPEG_SCALES: readonly JpegScale[] = [1, 2, 4, 8];

function truncated(): ImageInputError {
  return new ImageInputError('IMAGE_DECODE_FAILED', 'The jpeg data is truncated (the image ends before its last rows).', {
    details: { format: 'jpeg', reason: 'truncated' },
  });
}

/**
 * Decodes a JPEG at `1/scaleDenom` of its size: `ceil(width / scaleDenom)` x `ceil(height / scaleDenom)`, as libjpeg
 * sizes scaled output. The caller has checked the header (size, budget) first.
 *
 * @example
 * ```ts
 * const small = await decodeJpegScaled(bytes, { scaleDenom: 8, maxPixels: 48e6 }); // a 4032x3024 photo -> 504x378
 * ```
 */
export async function decodeJpegScaled(bytes: Uint8Array, o: { scaleDenom: JpegScale; maxPixels: number }): Promise<RgbaImage> {
  const img = decodeJpeg(bytes, { scaleDenom: o.scaleDenom, maxPixels: o.maxPixels });
  if (img.truncated) throw truncated();
  return { width: img.width, height: img.height, data: img.data };
}

/**
 * Streams a JPEG at `1/scaleDenom` of its size to `onRow` one RGBA row at a time (the array is reused), so nothing
 * image-sized is held for baseline files (progressive files keep their coefficients, as libjpeg does).
 *
 * @example
 * ```ts
 * await decodeJpegScaledRows(bytes, { scaleDenom: 4, maxPixels: 48e6, onRow: (row) => preprocessor.pushRow(row) });
 * ```
 */
export async function decodeJpegScaledRows(
  bytes: Uint8Array,
  o: { scaleDenom: JpegScale; maxPixels: number; onRow: (row: Uint8Array, y: number) => void },
): Promise<{ width: number; height: number }> {
  const r = decodeJpegRows(bytes, {
    scaleDenom: o.scaleDenom,
    maxPixels: o.maxPixels,
    onRows: ({ y, rows, width, data }: JpegRows) => {
      const stride = width * 4;
      for (let i = 0; i < rows; i++) o.onRow(data.subarray(i * stride, (i + 1) * stride), y + i);
    },
  });
  if (r.truncated) throw truncated();
  return { width: r.width, height: r.height };
}
