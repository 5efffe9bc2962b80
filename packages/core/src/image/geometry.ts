/**
 * Where the source image lands inside the model input for each resize mode, and the inverse mapping used to put
 * detection boxes back on the original image.
 */
import { ResNetEdgeError } from '../errors.js';
import type { ResizePolicy } from '../package/manifest-types.js';

/** Model-input pixel = source pixel * scale + offset (per axis). Source pixel = (model pixel - offset) / scale. */
export interface PreprocessTransform {
  scaleX: number;
  scaleY: number;
  offsetX: number;
  offsetY: number;
  /** Size of the image that was preprocessed (after EXIF orientation), used to clamp mapped boxes. */
  srcWidth: number;
  srcHeight: number;
}

export interface Box {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

/** Resize target, the part of it that is kept (`window`), and where that part goes in the model input. */
export interface ResizePlan {
  resizeWidth: number;
  resizeHeight: number;
  window: { x: number; y: number; width: number; height: number };
  placeX: number;
  placeY: number;
  /** True when some model-input pixels are padding. */
  padded: boolean;
  transform: PreprocessTransform;
}

/** Python's round(): half to even, which torchvision's CenterCrop uses for the crop origin. */
function pyRound(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
}

/**
 * Computes the resize/crop/pad geometry for one image and resize policy.
 *
 * - `stretch`: resize to exactly the input size.
 * - `shorter-side-crop`: like torchvision `Resize(s)` + `CenterCrop`: shorter side to `shorterSide` (default: the
 *   larger input side), longer side `trunc(s * long / short)`, crop origin `round((resized - input) / 2)`; if the
 *   resized image is smaller than the input it is centred and padded with `padValue`, as CenterCrop pads.
 * - `letterbox`: scale by `min(W / w, H / h)`, rounded sizes, centred with `floor` offsets, padded with `padValue`.
 *
 * @example
 * ```ts
 * const p = planResize({ srcWidth: 640, srcHeight: 480, width: 224, height: 224, policy: { mode: 'shorter-side-crop', shorterSide: 256, filter: 'bilinear' } });
 * // p.resizeWidth === 341, p.resizeHeight === 256, p.window.x === 58, p.window.y === 16
 * ```
 */
export function planResize(o: { srcWidth: number; srcHeight: number; width: number; height: number; policy: ResizePolicy }): ResizePlan {
  const { srcWidth: sw, srcHeight: sh, width: tw, height: th, policy } = o;
  let rw: number;
  let rh: number;
  if (policy.mode === 'stretch') {
    rw = tw;
    rh = th;
  } else if (policy.mode === 'shorter-side-crop') {
    const s = policy.shorterSide ?? Math.max(tw, th);
    if (!(Number.isInteger(s) && s >= 1)) throw new ResNetEdgeError('INVALID_ARGUMENT', `Invalid resize.shorterSide: ${s}.`);
    if (sw <= sh) {
      rw = s;
      rh = Math.max(1, Math.trunc((s * sh) / sw));
    } else {
      rh = s;
      rw = Math.max(1, Math.trunc((s * sw) / sh));
    }
  } else if (policy.mode === 'letterbox') {
    const r = Math.min(tw / sw, th / sh);
    rw = Math.min(tw, Math.max(1, Math.round(sw * r)));
    rh = Math.min(th, Math.max(1, Math.round(sh * r)));
  } else {
    throw new ResNetEdgeError('INVALID_ARGUMENT', `Unknown resize mode: ${String((policy as { mode: unknown }).mode)}.`);
  }
  // Keep the centred part that fits; centre what is smaller than the target (padding around it).
  const cropOrigin = policy.cropRounding === 'floor' ? Math.floor : pyRound;
  const axis = (resized: number, target: number, crop: boolean) => {
    if (resized > target) return { start: crop ? cropOrigin((resized - target) / 2) : 0, size: target, place: 0 };
    return { start: 0, size: resized, place: Math.floor((target - resized) / 2) };
  };
  const ax = axis(rw, tw, policy.mode === 'shorter-side-crop');
  const ay = axis(rh, th, policy.mode === 'shorter-side-crop');
  return {
    resizeWidth: rw,
    resizeHeight: rh,
    window: { x: ax.start, y: ay.start, width: ax.size, height: ay.size },
    placeX: ax.place,
    placeY: ay.place,
    padded: ax.size < tw || ay.size < th,
    transform: {
      scaleX: rw / sw,
      scaleY: rh / sh,
      offsetX: ax.place - ax.start,
      offsetY: ay.place - ay.start,
      srcWidth: sw,
      srcHeight: sh,
    },
  };
}

/**
 * Maps a box from model-input pixels back to original-image pixels, clamped to the image.
 *
 * @example
 * ```ts
 * const { tensor, transform } = preprocess({ image, input: manifest.input });
 * const boxOnPhoto = mapBoxToSource({ xmin: 10, ymin: 20, xmax: 50, ymax: 60 }, transform);
 * ```
 */
export function mapBoxToSource(box: Box, t: PreprocessTransform): Box {
  if (!box || !t || !(t.scaleX > 0 && t.scaleY > 0)) {
    throw new ResNetEdgeError('INVALID_ARGUMENT', 'mapBoxToSource takes a box and the transform preprocessing returned (positive scales).');
  }
  const cx = (v: number) => Math.min(t.srcWidth, Math.max(0, (v - t.offsetX) / t.scaleX));
  const cy = (v: number) => Math.min(t.srcHeight, Math.max(0, (v - t.offsetY) / t.scaleY));
  return { xmin: cx(box.xmin), ymin: cy(box.ymin), xmax: cx(box.xmax), ymax: cy(box.ymax) };
}

/**
 * The largest reduction factor from `factors` that still leaves at least `minRatio` times the needed resolution on
 * both axes (1 when none does), so a decoder can shrink before the final antialiased resize without losing detail
 * that resize would keep. `needWidth`/`needHeight` are the resize target in the same orientation as the source.
 *
 * @example
 * ```ts
 * pickReduction({ srcWidth: 4032, srcHeight: 3024, needWidth: 299, needHeight: 224, factors: [1, 2, 4, 8] }); // 4
 * ```
 */
export function pickReduction(o: { srcWidth: number; srcHeight: number; needWidth: number; needHeight: number; factors: readonly number[]; minRatio?: number }): number {
  const ratio = o.minRatio ?? 2;
  let best = 1;
  for (const f of o.factors) {
    if (f > best && o.srcWidth / f >= ratio * o.needWidth && o.srcHeight / f >= ratio * o.needHeight) best = f;
  }
  return best;
}
