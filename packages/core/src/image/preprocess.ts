/**
 * RgbaImage -> model input tensor, following the manifest's InputSpec exactly:
 * alpha composite -> channel conversion (at source size) -> resize (Pillow-exact) -> crop/pad -> (x/scale - mean)/std.
 * Rows stream through (see {@link createPreprocessor}), so nothing source-sized is allocated here.
 */
import { ResNetEdgeError } from '../errors.js';
import type { InputSpec } from '../package/manifest-types.js';
import type { Tensor } from '../tensor.js';
import { planResize, type PreprocessTransform, type ResizePlan } from './geometry.js';
import { createResampler } from './resize.js';
import type { RgbaImage } from './types.js';
import { assertRgbaImage } from './validate.js';

export { mapBoxToSource, type Box, type PreprocessTransform } from './geometry.js';

/**
 * Colour that transparent pixels are composited over. `auto` (default): white for rgb/bgr models (how pages show
 * transparent images), black for grayscale models (Fashion-MNIST-style data is light-on-black).
 */
export type AlphaBackground = 'auto' | 'white' | 'black' | [number, number, number];

export interface PreprocessOptions {
  image: RgbaImage;
  input: InputSpec;
  alphaBackground?: AlphaBackground;
}

export interface PreprocessResult {
  /** Float32 [1, C, H, W]. */
  tensor: Tensor;
  transform: PreprocessTransform;
}

export interface Spec {
  c: number;
  h: number;
  w: number;
}

/**
 * Validates an InputSpec (fixed H and W, known channels, usable scale/mean/std); throws `INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * const { c, h, w } = checkInputSpec(manifest.input);
 * ```
 */
export function checkInputSpec(input: InputSpec): Spec {
  const shape = input?.shape;
  const c = input?.channels === 'grayscale' ? 1 : 3;
  const bad = (why: string) => new ResNetEdgeError('INVALID_ARGUMENT', `Invalid input spec: ${why}.`);
  if (!Array.isArray(shape) || shape.length !== 4) throw bad('shape must be [N, C, H, W]');
  if (!['rgb', 'bgr', 'grayscale'].includes(input.channels)) throw bad(`unknown channels ${String(input.channels)}`);
  if (shape[1] !== c) throw bad(`channels '${input.channels}' needs C=${c}, shape has ${shape[1]}`);
  const [, , h, w] = shape;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1 || h * w > 1 << 26) throw bad(`H and W must be fixed positive sizes (got ${h}x${w})`);
  if (!(input.scale > 0)) throw bad('scale must be > 0');
  for (const [k, v] of [['mean', input.mean], ['std', input.std]] as const) {
    if (!Array.isArray(v) || (v.length !== c && v.length !== 1) || v.some((x) => !Number.isFinite(x))) throw bad(`${k} needs ${c} (or 1) numbers`);
  }
  if (input.std.some((x) => x === 0)) throw bad('std must not be 0');
  return { c, h, w };
}

/**
 * Throws `INVALID_ARGUMENT` unless `v` is an {@link AlphaBackground}: `'purple'` or `[255, 0]` would otherwise
 * composite over black or NaN without a word.
 *
 * @example
 * ```ts
 * checkAlphaBackground([255, 255, 255]); // ok; 'purple' throws
 * ```
 */
export function checkAlphaBackground(v: unknown): asserts v is AlphaBackground {
  if (v === 'auto' || v === 'white' || v === 'black') return;
  if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && x >= 0 && x <= 255)) return;
  throw new ResNetEdgeError('INVALID_ARGUMENT', `alphaBackground must be 'auto', 'white', 'black' or [r, g, b] in 0..255, got ${JSON.stringify(v)}.`);
}

function background(bg: AlphaBackground, channels: InputSpec['channels']): [number, number, number] {
  checkAlphaBackground(bg);
  if (Array.isArray(bg)) return bg;
  const white = bg === 'white' || (bg === 'auto' && channels !== 'grayscale');
  return white ? [255, 255, 255] : [0, 0, 0];
}

/** How pushed rows are laid out: 8-bit RGBA (straight alpha), or opaque RGB / grey straight from a decoder. */
export type RowLayout = 'rgba' | 'rgb' | 'gray';

/**
 * Converts one row to the model's channels: RGBA is composited over `bg`; grey output is BT.601 luma (Pillow's
 * convert('L') integer formula, which maps R = G = B = v to v exactly). Rows already in the model's layout pass
 * through without a copy.
 */
function rowConverter(width: number, gray: boolean, bg: [number, number, number], layout: RowLayout): (d: ArrayLike<number>, s: number) => ArrayLike<number> {
  const buf = new Uint8Array(width * (gray ? 1 : 3));
  const view = (d: ArrayLike<number>, s: number, n: number) => (s === 0 && d.length === n ? d : (d as Uint8Array).subarray(s, s + n));
  if (layout === 'rgb') {
    if (!gray) return (d, s) => view(d, s, width * 3);
    return (d, s) => {
      for (let x = 0; x < width; x++, s += 3) buf[x] = (d[s] * 19595 + d[s + 1] * 38470 + d[s + 2] * 7471 + 0x8000) >> 16;
      return buf;
    };
  }
  if (layout === 'gray') {
    if (gray) return (d, s) => view(d, s, width);
    return (d, s) => {
      for (let x = 0, o = 0; x < width; x++) {
        const v = d[s + x];
        buf[o++] = v;
        buf[o++] = v;
        buf[o++] = v;
      }
      return buf;
    };
  }
  const [br, bgc, bb] = bg;
  return (d, s) => {
    for (let x = 0, o = 0; x < width; x++, s += 4) {
      let r = d[s];
      let g = d[s + 1];
      let b = d[s + 2];
      const a = d[s + 3];
      if (a !== 255) {
        const ia = 255 - a;
        r = ((r * a + br * ia + 127) / 255) | 0;
        g = ((g * a + bgc * ia + 127) / 255) | 0;
        b = ((b * a + bb * ia + 127) / 255) | 0;
      }
      if (gray) buf[o++] = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
      else {
        buf[o++] = r;
        buf[o++] = g;
        buf[o++] = b;
      }
    }
    return buf;
  };
}

/** Options of {@link createPreprocessor}. */
export interface PreprocessorOptions {
  input: InputSpec;
  alphaBackground?: AlphaBackground;
  /** Size of the image as the caller sees it (after EXIF orientation): the resize plan and transform use it. */
  srcWidth: number;
  srcHeight: number;
  /**
   * Size of the RGBA rows that will be pushed, when they are a reduced copy of the source (DCT-scaled JPEG, a
   * browser's resized bitmap); default the source size. `extentWidth`/`extentHeight` say how many of those pixels
   * span the source (a 4031 px image decoded at 1/8 is 504 px wide but spans 503.875); default the pushed size.
   */
  decodedWidth?: number;
  decodedHeight?: number;
  extentWidth?: number;
  extentHeight?: number;
  /** Layout of the pushed rows (default `'rgba'`). */
  layout?: RowLayout;
  /** Write into this tensor at `offset` (batches); default a new [1, C, H, W] tensor. */
  out?: Float32Array;
  offset?: number;
}

/** A streaming preprocess: push RGBA rows top to bottom, then `finish()`. */
export interface Preprocessor {
  /** Pushes the next row (`decodedWidth` pixels in the preprocessor's layout, read from `start`). */
  pushRow(data: ArrayLike<number>, start?: number): void;
  /** Normalises the resized pixels into the tensor; call once every row was pushed. */
  finish(): PreprocessResult;
}

/**
 * Creates the row-streaming form of {@link preprocess}: alpha composite and channel conversion per row, a
 * Pillow-exact resize that keeps only a few rows, then crop/pad and normalisation. Memory is independent of the
 * source size, so a decoder can stream rows straight in.
 *
 * @example
 * ```ts
 * const p = createPreprocessor({ input: manifest.input, srcWidth: w, srcHeight: h });
 * for (let y = 0; y < h; y++) p.pushRow(rgba, y * w * 4);
 * const { tensor, transform } = p.finish();
 * ```
 */
export function createPreprocessor(o: PreprocessorOptions): Preprocessor {
  const { input } = o;
  const spec = checkInputSpec(input);
  const { c: C, h: H, w: W } = spec;
  const dw = o.decodedWidth ?? o.srcWidth;
  const dh = o.decodedHeight ?? o.srcHeight;
  const plan = planResize({ srcWidth: o.srcWidth, srcHeight: o.srcHeight, width: W, height: H, policy: input.resize });
  const resampler = createResampler({
    srcWidth: dw,
    srcHeight: dh,
    channels: C,
    width: plan.resizeWidth,
    height: plan.resizeHeight,
    filter: input.resize.filter,
    window: plan.window,
    extentWidth: o.extentWidth ?? (o.decodedWidth !== undefined ? dw : undefined),
    extentHeight: o.extentHeight ?? (o.decodedHeight !== undefined ? dh : undefined),
  });
  const convert = rowConverter(dw, input.channels === 'grayscale', background(o.alphaBackground ?? 'auto', input.channels), o.layout ?? 'rgba');
  const out = o.out ?? new Float32Array(C * H * W);
  const offset = o.offset ?? 0;
  return {
    pushRow(data, start = 0) {
      resampler.push(convert(data, start));
    },
    finish() {
      if (resampler.rows !== dh) throw new ResNetEdgeError('INVALID_ARGUMENT', `Preprocessor got ${resampler.rows} of ${dh} rows.`);
      writeTensor({ resized: resampler.output, plan, input, spec, out, offset });
      return { tensor: { data: out, dims: [1, C, H, W] }, transform: plan.transform };
    },
  };
}

/** Crop/pad and normalisation of the resized window into the NCHW tensor. */
function writeTensor(o: { resized: Uint8Array; plan: ResizePlan; input: InputSpec; spec: Spec; out: Float32Array; offset: number }): void {
  const { resized, plan, input, out, offset } = o;
  const { c: C, h: H, w: W } = o.spec;
  const { width: ww, height: wh } = plan.window;
  const pads = input.resize.padValue ?? 0;
  for (let c = 0; c < C; c++) {
    // Model channel c reads resized channel sc (bgr reverses the RGB planes).
    const sc = input.channels === 'bgr' ? 2 - c : c;
    const mean = input.mean.length === 1 ? input.mean[0] : input.mean[c];
    const std = input.std.length === 1 ? input.std[0] : input.std[c];
    const lut = new Float32Array(256);
    for (let v = 0; v < 256; v++) lut[v] = (v / input.scale - mean) / std;
    const plane = offset + c * H * W;
    if (plan.padded) {
      const pv = Array.isArray(pads) ? (pads.length === 1 ? pads[0] : pads[c]) ?? 0 : pads;
      out.fill((pv / input.scale - mean) / std, plane, plane + H * W);
    }
    for (let y = 0; y < wh; y++) {
      let dst = plane + (y + plan.placeY) * W + plan.placeX;
      let src = y * ww * C + sc;
      for (let x = 0; x < ww; x++, src += C) out[dst++] = lut[resized[src]];
    }
  }
}

/** Writes one image's C*H*W floats into `out` at `offset`; returns the transform. */
function preprocessInto(o: PreprocessOptions, out: Float32Array, offset: number): PreprocessTransform {
  const { image } = o;
  assertRgbaImage(image, Number.POSITIVE_INFINITY);
  const p = createPreprocessor({ input: o.input, alphaBackground: o.alphaBackground, srcWidth: image.width, srcHeight: image.height, out, offset });
  const stride = image.width * 4;
  for (let y = 0; y < image.height; y++) p.pushRow(image.data, y * stride);
  return p.finish().transform;
}

/**
 * Turns one RGBA image into the model's input tensor (Float32, [1, C, H, W]) and returns the geometric transform
 * needed to map model-input coordinates back to the image (see `mapBoxToSource`).
 *
 * @example
 * ```ts
 * const { tensor, transform } = preprocess({ image: await decodeImage(bytes), input: manifest.input });
 * const out = await session.run({ [manifest.input.name]: tensor });
 * ```
 */
export function preprocess(o: PreprocessOptions): PreprocessResult {
  const spec = checkInputSpec(o.input);
  const data = new Float32Array(spec.c * spec.h * spec.w);
  const transform = preprocessInto(o, data, 0);
  return { tensor: { data, dims: [1, spec.c, spec.h, spec.w] }, transform };
}

/**
 * Preprocesses N images into one [N, C, H, W] tensor; `transforms[i]` belongs to `images[i]`.
 *
 * @example
 * ```ts
 * const { tensor, transforms } = preprocessBatch({ images: [a, b], input: manifest.input });
 * ```
 */
export function preprocessBatch(o: { images: RgbaImage[]; input: InputSpec; alphaBackground?: AlphaBackground }): {
  tensor: Tensor;
  transforms: PreprocessTransform[];
} {
  const spec = checkInputSpec(o.input);
  if (!Array.isArray(o.images) || o.images.length === 0) throw new ResNetEdgeError('INVALID_ARGUMENT', 'preprocessBatch needs at least one image.');
  const per = spec.c * spec.h * spec.w;
  const data = new Float32Array(per * o.images.length);
  const transforms = o.images.map((image, i) => preprocessInto({ image, input: o.input, alphaBackground: o.alphaBackground }, data, i * per));
  return { tensor: { data, dims: [o.images.length, spec.c, spec.h, spec.w] }, transforms };
}
