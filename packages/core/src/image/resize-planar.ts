/** Float resampling of planar data (the same triangle/nearest filters as resize.ts, no rounding). */
import { ImageInputError } from '../errors.js';
import { coefficients, type ResizeFilter } from './resize.js';

/**
 * Resizes planar float data (`channels` planes of `width * height`) in floating point, no rounding.
 *
 * @example
 * ```ts
 * const out = resizePlanar({ data, channels: 3, width: 640, height: 480, toWidth: 320, toHeight: 240, filter: 'bilinear' });
 * ```
 */
export function resizePlanar(o: {
  data: Float32Array;
  channels: number;
  width: number;
  height: number;
  toWidth: number;
  toHeight: number;
  filter?: ResizeFilter;
}): Float32Array {
  const { data, channels, width: w, height: h, toWidth: W, toHeight: H } = o;
  const filter = o.filter ?? 'bilinear';
  if (data.length !== channels * w * h || !(W >= 1 && H >= 1)) {
    throw new ImageInputError('INVALID_ARGUMENT', 'resizePlanar: data length does not match channels * width * height, or bad target size.');
  }
  const hc = coefficients({ inSize: w, outSize: W, filter });
  const vc = coefficients({ inSize: h, outSize: H, filter });
  const tmp = new Float32Array(W * h);
  const out = new Float32Array(channels * W * H);
  for (let c = 0; c < channels; c++) {
    const plane = c * w * h;
    for (let y = 0; y < h; y++) {
      const row = plane + y * w;
      for (let i = 0; i < W; i++) {
        let s = 0;
        const st = row + hc.start[i];
        const kb = i * hc.ksize;
        for (let t = 0; t < hc.count[i]; t++) s += data[st + t] * hc.weights[kb + t];
        tmp[y * W + i] = s;
      }
    }
    const ob = c * W * H;
    for (let j = 0; j < H; j++) {
      const kb = j * vc.ksize;
      for (let x = 0; x < W; x++) {
        let s = 0;
        for (let t = 0; t < vc.count[j]; t++) s += tmp[(vc.start[j] + t) * W + x] * vc.weights[kb + t];
        out[ob + j * W + x] = s;
      }
    }
  }
  return out;
}
