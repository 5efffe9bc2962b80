/**
 * Float Resize reference (opset 10-19 attributes): nearest (4 rounding modes), linear and cubic, separable over every
 * dimension, with all coordinate transformation modes including tf_crop_and_resize. Used by detection heads
 * (upsampling) and the conformance suite; detection necks are small, so plain loops are fine.
 */
import { sizeOf } from '../../../tensor.js';
import { f32, nums, unsupported, type Attrs, type FOperand, type FloatOpImpl } from '../shared/float-kernel.js';

type Tap = { idx: number; w: number }[] | null; // null => extrapolate

function params(attrs: Attrs, inputs: ({ dims: readonly number[]; data?: Float32Array | BigInt64Array } | undefined)[]) {
  const legacy = ((attrs.__opset as number | undefined) ?? 13) < 11;
  const x = inputs[0]!;
  const roi = legacy ? undefined : nums(inputs[1]);
  const scales = nums(legacy ? inputs[1] : inputs[2]);
  const sizes = legacy ? undefined : nums(inputs[3]);
  return { x, roi, scales: scales?.length ? scales : undefined, sizes: sizes?.length ? sizes : undefined };
}

function outShape(dims: readonly number[], scales?: number[], sizes?: number[]): number[] {
  if (sizes) return sizes;
  return dims.map((d, i) => Math.floor(d * (scales?.[i] ?? 1)));
}

function cubic(t: number, a: number): number[] {
  const f = (x: number) => {
    x = Math.abs(x);
    if (x <= 1) return (a + 2) * x ** 3 - (a + 3) * x ** 2 + 1;
    if (x < 2) return a * x ** 3 - 5 * a * x ** 2 + 8 * a * x - 4 * a;
    return 0;
  };
  return [f(t + 1), f(t), f(1 - t), f(2 - t)];
}

/** Taps (source index, weight) for every output position along one dimension. */
function taps(attrs: Attrs, inLen: number, outLen: number, scale: number, roiStart: number, roiEnd: number): Tap[] {
  const mode = (attrs.mode as string | undefined) ?? 'nearest';
  const ctm = (attrs.coordinate_transformation_mode as string | undefined) ?? 'half_pixel';
  const nearestMode = (attrs.nearest_mode as string | undefined) ?? 'round_prefer_floor';
  const a = (attrs.cubic_coeff_a as number | undefined) ?? -0.75;
  const excludeOutside = attrs.exclude_outside === 1;
  const clampI = (i: number) => Math.min(inLen - 1, Math.max(0, i));
  const out: Tap[] = [];
  for (let o = 0; o < outLen; o++) {
    let x: number;
    if (ctm === 'half_pixel') x = (o + 0.5) / scale - 0.5;
    else if (ctm === 'pytorch_half_pixel') x = outLen > 1 ? (o + 0.5) / scale - 0.5 : 0;
    // The spec uses the unrounded resized length (in * scale) here.
    else if (ctm === 'align_corners') x = outLen === 1 ? 0 : (o * (inLen - 1)) / (inLen * scale - 1);
    else if (ctm === 'asymmetric') x = o / scale;
    else if (ctm === 'tf_half_pixel_for_nn') x = (o + 0.5) / scale;
    else if (ctm === 'tf_crop_and_resize') {
      x = outLen > 1 ? roiStart * (inLen - 1) + (o * (roiEnd - roiStart) * (inLen - 1)) / (outLen - 1) : 0.5 * (roiStart + roiEnd) * (inLen - 1);
      if (x < 0 || x > inLen - 1) {
        out.push(null);
        continue;
      }
    } else unsupported('Resize', `coordinate_transformation_mode ${ctm}`);
    if (inLen === outLen && ctm !== 'tf_crop_and_resize' && scale === 1) {
      out.push([{ idx: o, w: 1 }]);
      continue;
    }
    if (mode === 'nearest') {
      let i: number;
      const fl = Math.floor(x), frac = x - fl;
      if (nearestMode === 'floor') i = fl;
      else if (nearestMode === 'ceil') i = Math.ceil(x);
      else if (nearestMode === 'round_prefer_ceil') i = frac >= 0.5 ? fl + 1 : fl;
      else i = frac > 0.5 ? fl + 1 : fl;
      out.push([{ idx: clampI(i), w: 1 }]);
    } else if (mode === 'linear') {
      const xc = Math.min(inLen - 1, Math.max(0, x));
      const i0 = Math.floor(xc), t = xc - i0;
      out.push([{ idx: i0, w: 1 - t }, { idx: clampI(i0 + 1), w: t }]);
    } else if (mode === 'cubic') {
      const i0 = Math.floor(x), t = x - i0;
      const c = cubic(t, a);
      let list = c.map((w, k) => ({ idx: i0 - 1 + k, w }));
      if (excludeOutside) {
        list = list.map((p) => (p.idx < 0 || p.idx >= inLen ? { ...p, w: 0 } : p));
        const s = list.reduce((p, q) => p + q.w, 0);
        list = list.map((p) => ({ ...p, w: p.w / s }));
      }
      out.push(list.map((p) => ({ idx: clampI(p.idx), w: p.w })));
    } else unsupported('Resize', `mode ${mode}`);
  }
  return out;
}

/**
 * Nearest-style resizes (every tap a single weight-1 source, nothing extrapolated) as a gather through one offset table
 * built dimension by dimension: the generic loop below allocates per element, which made a detector neck's two x2
 * upsamples cost 3x all of its convs.
 */
function gather(xd: Float32Array, strides: number[], per: Tap[][], size: number): Float32Array | undefined {
  if (!per.every((taps) => taps.every((t) => t !== null && t.length === 1 && t[0].w === 1))) return undefined;
  let offs = new Int32Array([0]);
  for (let d = 0; d < per.length; d++) {
    const taps = per[d], next = new Int32Array(offs.length * taps.length);
    for (let i = 0, k = 0; i < offs.length; i++) for (let o = 0; o < taps.length; o++) next[k++] = offs[i] + taps[o]![0].idx * strides[d];
    offs = next;
  }
  const y = new Float32Array(size);
  for (let i = 0; i < size; i++) y[i] = xd[offs[i]];
  return y;
}

export const resize: FloatOpImpl = {
  shape(attrs, inputs, node) {
    const { x, scales, sizes } = params(attrs, inputs);
    if (!scales && !sizes) unsupported(node, 'Resize needs constant scales or sizes');
    if (attrs.antialias === 1 || attrs.axes !== undefined || (attrs.keep_aspect_ratio_policy ?? 'stretch') !== 'stretch') {
      unsupported(node, 'Resize antialias/axes/keep_aspect_ratio_policy are not supported');
    }
    return [outShape(x.dims, scales, sizes)];
  },
  run(attrs, inputs, [os]) {
    const { x, roi, scales } = params(attrs, inputs as (FOperand | undefined)[]);
    const xd = f32(x as FOperand), dims = x.dims, rank = dims.length;
    const per = dims.map((d, i) => taps(attrs, d, os[i], scales ? scales[i] : os[i] / d, roi?.[i] ?? 0, roi?.[rank + i] ?? 1));
    const strides = dims.map((_, i) => sizeOf(dims.slice(i + 1)));
    const fast = gather(xd, strides, per, sizeOf(os));
    if (fast) return [fast];
    const extrap = (attrs.extrapolation_value as number | undefined) ?? 0;
    const y = new Float32Array(sizeOf(os));
    const idx = new Array<number>(rank).fill(0);
    for (let o = 0; o < y.length; o++) {
      let rem = o;
      for (let d = rank - 1; d >= 0; d--) {
        idx[d] = rem % os[d];
        rem = Math.floor(rem / os[d]);
      }
      const t = idx.map((v, d) => per[d][v]);
      if (t.some((v) => v === null)) {
        y[o] = extrap;
        continue;
      }
      // Sum over the cartesian product of taps.
      let acc = 0;
      const walk = (d: number, off: number, w: number) => {
        if (d === rank) {
          acc += w * xd[off];
          return;
        }
        for (const p of t[d]!) if (p.w !== 0) walk(d + 1, off + p.idx * strides[d], w * p.w);
      };
      walk(0, 0, 1);
      y[o] = acc;
    }
    return [y];
  },
};
