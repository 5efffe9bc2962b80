/**
 * Separable resampling that reproduces Pillow's `Image.resize` (8-bit path, bit-exact for bilinear; nearest uses
 * Pillow's 16.16 fixed-point stepping). Bilinear is a triangle filter whose support grows with the downscale factor,
 * so shrinking averages every source pixel instead of aliasing (what torchvision/Pillow training pipelines saw).
 * Rows are pushed in order: each is filtered horizontally into a ring of the few rows the vertical pass still needs,
 * and an output row is written as soon as its last source row arrives, so memory is O(output width x filter taps)
 * whatever the source size (a streaming decoder can feed it one row at a time).
 */
import { ImageInputError } from '../errors.js';
import { convolutionCoefficients, isConvolutionFilter, type ConvolutionFilter } from './resize-filters.js';
import type { RgbaImage } from './types.js';

export type ResizeFilter = 'bilinear' | 'nearest' | ConvolutionFilter;

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
 * output of `outSize` samples (a window, so crops only pay for the pixels they keep). `inExtent` (default `inSize`)
 * is how many source samples the output spans, like Pillow's `box`: a source reduced by a factor that does not divide
 * its size (JPEG DCT scaling of 4031 px by 8 gives 504 px covering 503.875) maps back exactly.
 *
 * @example
 * ```ts
 * const c = coefficients({ inSize: 4, outSize: 2, filter: 'bilinear' }); // c.weights: 1/8, 3/8, 3/8, 1/8 ... per output
 * ```
 */
export function coefficients(o: { inSize: number; outSize: number; filter: ResizeFilter; outStart?: number; outCount?: number; inExtent?: number }): Coefficients {
  const { inSize, outSize, filter } = o;
  if (isConvolutionFilter(filter)) return convolutionCoefficients({ ...o, filter });
  const outStart = o.outStart ?? 0;
  const n = o.outCount ?? outSize - outStart;
  const scale = (o.inExtent ?? inSize) / outSize;
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
function horizontalRow(row: ArrayLike<number>, tmp: Uint8Array, o8: number, C: number, n: number, hc: Coefficients, hk: Int32Array): void {
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
    } else if (C === 4) {
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
    } else {
      for (let c = 0; c < C; c++) {
        let ss = HALF;
        for (let t = 0; t < cnt; t++) ss += row[p + t * C + c] * hk[kb + t];
        tmp[o8++] = clip8(ss);
      }
    }
  }
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

/** What {@link createResampler} needs: source and output geometry. */
export interface ResamplerOptions {
  srcWidth: number;
  srcHeight: number;
  channels: number;
  /** Full output size; only `window` of it is computed. */
  width: number;
  height: number;
  filter: ResizeFilter;
  window?: ResizeWindow;
  /** Source samples the output spans per axis (default the source size), see {@link coefficients}. */
  extentWidth?: number;
  extentHeight?: number;
}

/** A streaming resize: push every source row in order, then take the window's pixels. */
export interface Resampler {
  /** Feeds the next source row (`srcWidth * channels` samples; the array may be reused by the caller). */
  push(row: ArrayLike<number>): void;
  /** Source rows pushed so far. */
  readonly rows: number;
  /** The window's pixels, interleaved; complete once all rows the output depends on were pushed. */
  readonly output: Uint8Array;
}

/**
 * Creates a push-driven resampler, bit-exact with Pillow 9+ `Image.resize(..., BILINEAR | NEAREST)` on L/RGB(A) data.
 * Memory: the output window plus `taps x window width` bytes, independent of the source size.
 *
 * @example
 * ```ts
 * const r = createResampler({ srcWidth: 4032, srcHeight: 3024, channels: 3, width: 224, height: 224, filter: 'bilinear' });
 * for (const row of decodedRows) r.push(row);
 * const pixels = r.output; // 224 * 224 * 3 bytes
 * ```
 */
export function createResampler(o: ResamplerOptions): Resampler {
  const { srcWidth, srcHeight, width, height, filter } = o;
  const win = o.window ?? { x: 0, y: 0, width, height };
  const C = o.channels;
  const okInt = (v: number) => Number.isInteger(v) && v >= 1;
  if (!(okInt(width) && okInt(height) && okInt(win.width) && okInt(win.height) && okInt(srcWidth) && okInt(srcHeight) && okInt(C))
    || win.x < 0 || win.y < 0 || win.x + win.width > width || win.y + win.height > height) {
    throw new ImageInputError('INVALID_ARGUMENT', `Invalid resize ${srcWidth}x${srcHeight} -> ${width}x${height} window ${JSON.stringify(win)}.`);
  }
  const hc = coefficients({ inSize: srcWidth, outSize: width, filter, outStart: win.x, outCount: win.width, inExtent: o.extentWidth });
  const vc = coefficients({ inSize: srcHeight, outSize: height, filter, outStart: win.y, outCount: win.height, inExtent: o.extentHeight });
  const hk = fixedPoint(hc.weights);
  const vk = fixedPoint(vc.weights);
  const identityH = srcWidth === width && win.x === 0 && win.width === width && !o.extentWidth;
  const rowLen = win.width * C;
  // Ring of horizontally filtered rows; a vertical window never spans more than `ring` consecutive rows.
  let ring = 1;
  for (let j = 0; j < win.height; j++) ring = Math.max(ring, vc.count[j]);
  const tmp = new Uint8Array(rowLen * ring);
  const out = new Uint8Array(rowLen * win.height);
  const slots = new Int32Array(ring);
  let y = 0;
  let next = 0; // next output row to produce
  const last = vc.start[win.height - 1] + vc.count[win.height - 1];

  const emit = (j: number) => {
    const s0 = vc.start[j];
    const n = vc.count[j];
    const kb = j * vc.ksize;
    const ob = j * rowLen;
    if (n === 1 && vk[kb] === 1 << PRECISION_BITS) {
      const r = (s0 % ring) * rowLen;
      out.set(tmp.subarray(r, r + rowLen), ob);
      return;
    }
    for (let t = 0; t < n; t++) slots[t] = ((s0 + t) % ring) * rowLen;
    for (let x = 0; x < rowLen; x++) {
      let ss = HALF;
      for (let t = 0; t < n; t++) ss += tmp[slots[t] + x] * vk[kb + t];
      out[ob + x] = clip8(ss);
    }
  };

  return {
    get rows() {
      return y;
    },
    output: out,
    push(row) {
      if (y >= srcHeight) throw new ImageInputError('INVALID_ARGUMENT', `Resampler got more than ${srcHeight} rows.`);
      if (y >= vc.start[0] && y < last) {
        const o8 = (y % ring) * rowLen;
        if (identityH) {
          for (let i = 0; i < rowLen; i++) tmp[o8 + i] = row[i];
        } else horizontalRow(row, tmp, o8, C, win.width, hc, hk);
        while (next < win.height && vc.start[next] + vc.count[next] <= y + 1) emit(next++);
      }
      y++;
    },
  };
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
  const { src } = o;
  const r = createResampler({ srcWidth: src.width, srcHeight: src.height, channels: src.channels, width: o.width, height: o.height, filter: o.filter, window: o.window });
  for (let y = 0; y < src.height; y++) r.push(src.row(y));
  return r.output;
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
