/**
 * Separable resampling that reproduces Pillow's `Image.resize` (8-bit path, bit-exact for bilinear; nearest uses
 * Pillow's 16.16 fixed-point stepping). Bilinear is a triangle filter whose support grows with the downscale factor,
 * so shrinking averages every source pixel instead of aliasing (what torchvision/Pillow training pipelines saw).
 * Horizontal pass first into a small intermediate holding only the rows the vertical pass needs, as Pillow does.
 */
import { ImageInputError } from '../errors.js';
import type { RgbaImage } from './types.js';

export type ResizeFilter = 'bilinear' | 'nearest';

/** Pillow's PRECISION_BITS for 8-bit images: 32 - 8 - 2. */
const PRECISION_BITS = 22;
const HALF = 1 << (PRECISION_BITS - 1);

/** Per-output-pixel source windows: `start[i]`, `count[i]`, weights at `weights[i * ksize + t]`. */
export interface Coefficients {
  start: Int32Array;
  count: Int32Array;
  ksize: number;
  weights: Float64Array;
}

/**
 * Filter weights mapping `inSize` source samples to output indices `[outStart, outStart + outCount)` of a full
 * output of `outSize` samples (a window, so crops only pay for the pixels they keep).
 *
 * @example
 * ```ts
 * const c = coefficients({ inSize: 4, outSize: 2, filter: 'bilinear' }); // c.weights: 1/8, 3/8, 3/8, 1/8 ... per output
 * ```
 */
export function coefficients(o: { inSize: number; outSize: number; filter: ResizeFilter; outStart?: number; outCount?: number }): Coefficients {
  const { inSize, outSize, filter } = o;
  const outStart = o.outStart ?? 0;
  const n = o.outCount ?? outSize - outStart;
  const scale = inSize / outSize;
  const start = new Int32Array(n);
  const count = new Int32Array(n);
  if (filter === 'nearest') {
    // Pillow's affine_fixed: 16.16 fixed point, stepping by FIX(scale) from FIX(scale / 2).
    const fix = (v: number) => Math.floor(v * 65536 + 0.5);
    const x0 = fix(scale * 0.5);
    const step = fix(scale);
    for (let i = 0; i < n; i++) {
      start[i] = Math.min(inSize - 1, Math.floor((x0 + (outStart + i) * step) / 65536));
      count[i] = 1;
    }
    return { start, count, ksize: 1, weights: new Float64Array(n).fill(1) };
  }
  const filterScale = Math.max(scale, 1);
  const support = filterScale; // triangle support 1, widened when downscaling
  const ksize = Math.ceil(support) * 2 + 1;
  const weights = new Float64Array(n * ksize);
  const inv = 1 / filterScale;
  for (let i = 0; i < n; i++) {
    const center = (outStart + i + 0.5) * scale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    let sum = 0;
    for (let x = 0; x < xmax; x++) {
      const w = Math.max(0, 1 - Math.abs((x + xmin - center + 0.5) * inv));
      weights[i * ksize + x] = w;
      sum += w;
    }
    if (sum !== 0) for (let x = 0; x < xmax; x++) weights[i * ksize + x] /= sum;
    start[i] = xmin;
    count[i] = Math.max(0, xmax);
  }
  return { start, count, ksize, weights };
}

/** Pillow's normalize_coeffs_8bpc: weights to signed fixed point, rounded half away from zero. */
function fixedPoint(w: Float64Array): Int32Array {
  const k = new Int32Array(w.length);
  for (let i = 0; i < w.length; i++) k[i] = Math.trunc(w[i] < 0 ? -0.5 + w[i] * (1 << PRECISION_BITS) : 0.5 + w[i] * (1 << PRECISION_BITS));
  return k;
}

function clip8(v: number): number {
  return v <= 0 ? 0 : v >= 1 << (PRECISION_BITS + 8) ? 255 : v >> PRECISION_BITS;
}

/** Hot loop of the horizontal pass, unrolled over channels (1, 3 or 4) so each tap is read once. */
function horizontalRow(row: ArrayLike<number>, tmp: Uint8Array, o8: number, C: number, n: number, hc: Coefficients, hk: Int32Array): number {
  for (let i = 0; i < n; i++) {
    let p = hc.start[i] * C;
    const cnt = hc.count[i];
    const kb = i * hc.ksize;
    let s0 = HALF;
    let s1 = HALF;
    let s2 = HALF;
    let s3 = HALF;
    if (C === 1) {
      for (let t = 0; t < cnt; t++) s0 += row[p + t] * hk[kb + t];
      tmp[o8++] = clip8(s0);
    } else if (C === 3) {
      for (let t = 0; t < cnt; t++, p += 3) {
        const k = hk[kb + t];
        s0 += row[p] * k;
        s1 += row[p + 1] * k;
        s2 += row[p + 2] * k;
      }
      tmp[o8++] = clip8(s0);
      tmp[o8++] = clip8(s1);
      tmp[o8++] = clip8(s2);
    } else {
      for (let t = 0; t < cnt; t++, p += 4) {
        const k = hk[kb + t];
        s0 += row[p] * k;
        s1 += row[p + 1] * k;
        s2 += row[p + 2] * k;
        s3 += row[p + 3] * k;
      }
      tmp[o8++] = clip8(s0);
      tmp[o8++] = clip8(s1);
      tmp[o8++] = clip8(s2);
      tmp[o8++] = clip8(s3);
    }
  }
  return o8;
}

/** Output window inside the full resized image (defaults to all of it). */
export interface ResizeWindow {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Interleaved 8-bit source read one row at a time, so callers can convert pixels on the fly without a full copy. */
export interface RowSource {
  width: number;
  height: number;
  channels: number;
  /** Returns row `y` as `width * channels` bytes; the array may be reused between calls. */
  row(y: number): Uint8Array | Uint8ClampedArray;
}

/**
 * Resizes an interleaved 8-bit image (any channel count) to `width` x `height`, computing only `window` of the
 * output. Bit-exact with Pillow 9+ `Image.resize(..., BILINEAR | NEAREST)` on L/RGB data.
 *
 * @example
 * ```ts
 * const out = resample8({ src: { width: 4, height: 1, channels: 1, row: () => px }, width: 2, height: 1, filter: 'bilinear' });
 * ```
 */
export function resample8(o: { src: RowSource; width: number; height: number; filter: ResizeFilter; window?: ResizeWindow }): Uint8Array {
  const { src, width, height, filter } = o;
  const win = o.window ?? { x: 0, y: 0, width, height };
  const C = src.channels;
  if (!(width >= 1 && height >= 1 && win.width >= 1 && win.height >= 1) || win.x < 0 || win.y < 0 || win.x + win.width > width || win.y + win.height > height) {
    throw new ImageInputError('INVALID_ARGUMENT', `Invalid resize ${width}x${height} window ${JSON.stringify(win)}.`);
  }
  const hc = coefficients({ inSize: src.width, outSize: width, filter, outStart: win.x, outCount: win.width });
  const vc = coefficients({ inSize: src.height, outSize: height, filter, outStart: win.y, outCount: win.height });
  const y0 = vc.start[0];
  const y1 = vc.start[win.height - 1] + vc.count[win.height - 1];
  const rowLen = win.width * C;

  // Horizontal pass into rows [y0, y1).
  const tmp = new Uint8Array(rowLen * (y1 - y0));
  const identityH = src.width === width && win.x === 0 && win.width === width;
  const hk = fixedPoint(hc.weights);
  for (let y = y0; y < y1; y++) {
    const row = src.row(y);
    let o8 = (y - y0) * rowLen;
    if (identityH) {
      tmp.set(row.subarray(0, rowLen), o8);
      continue;
    }
    if (C === 1 || C === 3 || C === 4) o8 = horizontalRow(row, tmp, o8, C, win.width, hc, hk);
    else {
      for (let i = 0; i < win.width; i++) {
        const s = hc.start[i] * C;
        const n = hc.count[i];
        const kb = i * hc.ksize;
        for (let c = 0; c < C; c++) {
          let ss = HALF;
          for (let t = 0; t < n; t++) ss += row[s + t * C + c] * hk[kb + t];
          tmp[o8++] = clip8(ss);
        }
      }
    }
  }

  // Vertical pass.
  const out = new Uint8Array(rowLen * win.height);
  const vk = fixedPoint(vc.weights);
  for (let j = 0; j < win.height; j++) {
    const r = vc.start[j] - y0;
    const n = vc.count[j];
    const kb = j * vc.ksize;
    const ob = j * rowLen;
    if (n === 1 && vk[kb] === 1 << PRECISION_BITS) {
      out.set(tmp.subarray(r * rowLen, (r + 1) * rowLen), ob);
      continue;
    }
    for (let x = 0; x < rowLen; x++) {
      let ss = HALF;
      for (let t = 0; t < n; t++) ss += tmp[(r + t) * rowLen + x] * vk[kb + t];
      out[ob + x] = clip8(ss);
    }
  }
  return out;
}

/**
 * Resizes RGBA pixels (channels treated independently, alpha included; composite alpha first if it matters).
 *
 * @example
 * ```ts
 * const thumb = resizeRgba({ image, width: 224, height: 224, filter: 'bilinear' });
 * ```
 */
export function resizeRgba(o: { image: RgbaImage; width: number; height: number; filter?: ResizeFilter }): RgbaImage {
  const { image, width, height } = o;
  const stride = image.width * 4;
  const data = resample8({
    src: { width: image.width, height: image.height, channels: 4, row: (y) => image.data.subarray(y * stride, (y + 1) * stride) },
    width,
    height,
    filter: o.filter ?? 'bilinear',
  });
  return { width, height, data };
}

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
