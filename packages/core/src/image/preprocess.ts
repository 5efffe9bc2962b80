/**
 * RgbaImage -> model input tensor, following the manifest's InputSpec exactly:
 * alpha composite -> channel conversion (at source size) -> resize (Pillow-exact) -> crop/pad -> (x/scale - mean)/std.
 * The source is read one row at a time, so the only full-size allocation is the small resized image.
 */
import { ResNetEdgeError } from '../errors.js';
import type { InputSpec } from '../package/manifest-types.js';
import type { Tensor } from '../tensor.js';
import { planResize, type PreprocessTransform } from './geometry.js';
import { resample8 } from './resize.js';
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

interface Spec {
  c: number;
  h: number;
  w: number;
}

function checkSpec(input: InputSpec): Spec {
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

function background(bg: AlphaBackground, channels: InputSpec['channels']): [number, number, number] {
  if (Array.isArray(bg)) return bg;
  const white = bg === 'white' || (bg === 'auto' && channels !== 'grayscale');
  return white ? [255, 255, 255] : [0, 0, 0];
}

/** Composites one RGBA row over `bg` and converts it to RGB or BT.601 luma (Pillow's convert('L') integer formula). */
function rowReader(img: RgbaImage, gray: boolean, bg: [number, number, number]): (y: number) => Uint8Array {
  const w = img.width;
  const buf = new Uint8Array(w * (gray ? 1 : 3));
  const d = img.data;
  const [br, bgc, bb] = bg;
  return (y) => {
    let s = y * w * 4;
    for (let x = 0, o = 0; x < w; x++, s += 4) {
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

/** Writes one image's C*H*W floats into `out` at `offset`; returns the transform. */
function preprocessInto(o: PreprocessOptions, spec: Spec, out: Float32Array, offset: number): PreprocessTransform {
  const { image, input } = o;
  assertRgbaImage(image, Number.POSITIVE_INFINITY);
  const { c: C, h: H, w: W } = spec;
  const gray = input.channels === 'grayscale';
  const plan = planResize({ srcWidth: image.width, srcHeight: image.height, width: W, height: H, policy: input.resize });
  const resized = resample8({
    src: { width: image.width, height: image.height, channels: C, row: rowReader(image, gray, background(o.alphaBackground ?? 'auto', input.channels)) },
    width: plan.resizeWidth,
    height: plan.resizeHeight,
    filter: input.resize.filter,
    window: plan.window,
  });
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
  return plan.transform;
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
  const spec = checkSpec(o.input);
  const data = new Float32Array(spec.c * spec.h * spec.w);
  const transform = preprocessInto(o, spec, data, 0);
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
  const spec = checkSpec(o.input);
  if (!Array.isArray(o.images) || o.images.length === 0) throw new ResNetEdgeError('INVALID_ARGUMENT', 'preprocessBatch needs at least one image.');
  const per = spec.c * spec.h * spec.w;
  const data = new Float32Array(per * o.images.length);
  const transforms = o.images.map((image, i) => preprocessInto({ image, input: o.input, alphaBackground: o.alphaBackground }, spec, data, i * per));
  return { tensor: { data, dims: [o.images.length, spec.c, spec.h, spec.w] }, transforms };
}
