/**
 * Pillow's convolution filters beyond bilinear (Resample.c: bicubic with a = -0.5, Lanczos-3, box, Hamming) and the
 * coefficient computation they share with it (`precompute_coeffs`): support widened by the downscale factor, window
 * bounds rounded with C's truncating casts, weights normalized to sum 1. resize.ts turns them into Pillow's 22-bit
 * fixed point, so 8-bit output is bit-exact with `Image.resize(size, BICUBIC | LANCZOS | BOX | HAMMING)`.
 * Hugging Face image processors resize through Pillow (`resample: 3` is BICUBIC, what its ResNets use).
 */

/** Pillow filters computed here (bilinear and nearest live in resize.ts). */
export type ConvolutionFilter = 'bicubic' | 'lanczos' | 'box' | 'hamming';

interface FilterDef {
  /** Half-width of the kernel at scale 1. */
  support: number;
  weight: (x: number) => number;
}

const sinc = (x: number): number => {
  if (x === 0) return 1;
  const px = x * Math.PI;
  return Math.sin(px) / px;
};

const FILTERS: Record<ConvolutionFilter, FilterDef> = {
  box: { support: 0.5, weight: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0) },
  hamming: {
    support: 1,
    weight: (x) => {
      const a = Math.abs(x);
      if (a === 0) return 1;
      if (a >= 1) return 0;
      const px = a * Math.PI;
      return (Math.sin(px) / px) * (0.54 + 0.46 * Math.cos(px));
    },
  },
  bicubic: {
    support: 2,
    weight: (x) => {
      const A = -0.5;
      const a = Math.abs(x);
      if (a < 1) return ((A + 2) * a - (A + 3)) * a * a + 1;
      if (a < 2) return (((a - 5) * a + 8) * a - 4) * A;
      return 0;
    },
  },
  lanczos: { support: 3, weight: (x) => (x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0) },
};

/**
 * Whether `filter` is one of the convolution filters computed here.
 *
 * @example
 * ```ts
 * isConvolutionFilter('bicubic'); // true
 * ```
 */
export function isConvolutionFilter(filter: string): filter is ConvolutionFilter {
  return Object.prototype.hasOwnProperty.call(FILTERS, filter);
}

/**
 * Per-output-sample source windows and normalized weights for `filter` (the layout of resize.ts's `Coefficients`),
 * for output indices `[outStart, outStart + outCount)` of `outSize`, spanning `inExtent` (default `inSize`) source samples.
 *
 * @example
 * ```ts
 * const c = convolutionCoefficients({ inSize: 640, outSize: 256, filter: 'bicubic' });
 * ```
 */
export function convolutionCoefficients(o: {
  inSize: number;
  outSize: number;
  filter: ConvolutionFilter;
  outStart?: number;
  outCount?: number;
  inExtent?: number;
}): { start: Int32Array; count: Int32Array; ksize: number; weights: Float64Array } {
  const { inSize, outSize } = o;
  const def = FILTERS[o.filter];
  const outStart = o.outStart ?? 0;
  const n = o.outCount ?? outSize - outStart;
  const scale = (o.inExtent ?? inSize) / outSize;
  const filterScale = Math.max(scale, 1);
  const support = def.support * filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const inv = 1 / filterScale;
  const start = new Int32Array(n);
  const count = new Int32Array(n);
  const weights = new Float64Array(n * ksize);
  for (let i = 0; i < n; i++) {
    const center = (outStart + i + 0.5) * scale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    let sum = 0;
    for (let x = 0; x < xmax; x++) {
      const w = def.weight((x + xmin - center + 0.5) * inv);
      weights[i * ksize + x] = w;
      sum += w;
    }
    if (sum !== 0) for (let x = 0; x < xmax; x++) weights[i * ksize + x] /= sum;
    start[i] = xmin;
    count[i] = Math.max(0, xmax);
  }
  return { start, count, ksize, weights };
}
