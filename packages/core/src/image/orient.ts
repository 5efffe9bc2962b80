/** EXIF orientation (1..8) applied to RGBA pixels, so JS-decoded photos come out upright like browser-decoded ones. */
import type { RgbaImage } from './types.js';

/**
 * Returns the image turned upright for an EXIF orientation value; orientation 1 (or unknown) returns the input as is.
 * Orientations 5..8 swap width and height.
 *
 * @example
 * ```ts
 * const upright = applyOrientation(decoded, 6); // phone photo taken in portrait
 * ```
 */
export function applyOrientation(img: RgbaImage, orientation: number | undefined): RgbaImage {
  if (!orientation || orientation === 1 || orientation > 8) return img;
  const { width: w, height: h } = img;
  const swap = orientation >= 5;
  const ow = swap ? h : w;
  const oh = swap ? w : h;
  // Work on whole pixels as 32-bit words; copy the source only when it is not 4-byte aligned.
  const srcBytes = img.data.byteOffset % 4 === 0 ? img.data : img.data.slice();
  const src = new Uint32Array(srcBytes.buffer, srcBytes.byteOffset, w * h);
  const out = new Uint8Array(w * h * 4);
  const dst = new Uint32Array(out.buffer);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let dx: number, dy: number;
      switch (orientation) {
        case 2: dx = w - 1 - x; dy = y; break;
        case 3: dx = w - 1 - x; dy = h - 1 - y; break;
        case 4: dx = x; dy = h - 1 - y; break;
        case 5: dx = y; dy = x; break;
        case 6: dx = h - 1 - y; dy = x; break;
        case 7: dx = h - 1 - y; dy = w - 1 - x; break;
        default: dx = y; dy = w - 1 - x; break; // 8
      }
      dst[dy * ow + dx] = src[y * w + x];
    }
  }
  return { width: ow, height: oh, data: out };
}
