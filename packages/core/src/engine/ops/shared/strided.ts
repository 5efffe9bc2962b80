/**
 * Strided N-d copies shared by Slice and Pad: ONNX attribute resolution and row-major loops over any rank. The float
 * kernels, the plan compiler's constant folding and the int8 host kernels all use them (generic over the array type).
 */
import type { HostValue } from './host-kernel.js';

/** A resolved slice: per axis, the first input index, the step and the output length. */
export interface SliceSpec {
  start: number[];
  step: number[];
  out: number[];
}

/**
 * Resolves ONNX Slice inputs (negative indices, clamping, INT64_MAX ends, negative steps) for an input of `dims`.
 * Returns undefined for a zero step or an axis out of range.
 *
 * @example
 * ```ts
 * resolveSlice([1, 16, 32, 32], [0, 0], [2 ** 63, 2 ** 63], [2, 3], [2, 2]); // out [1, 16, 16, 16]
 * ```
 */
export function resolveSlice(
  dims: readonly number[], starts: readonly number[], ends: readonly number[], axes?: readonly number[], steps?: readonly number[],
): SliceSpec | undefined {
  const rank = dims.length;
  const spec: SliceSpec = { start: dims.map(() => 0), step: dims.map(() => 1), out: [...dims] };
  if (starts.length !== ends.length || (axes && axes.length !== starts.length) || (steps && steps.length !== starts.length)) return undefined;
  const seen = new Set<number>();
  for (let i = 0; i < starts.length; i++) {
    const a = axes ? (axes[i] < 0 ? axes[i] + rank : axes[i]) : i;
    const step = steps ? steps[i] : 1;
    if (!(a >= 0 && a < rank) || seen.has(a) || !step || !Number.isFinite(step)) return undefined;
    seen.add(a);
    const d = dims[a];
    let s = starts[i] < 0 ? starts[i] + d : starts[i];
    let e = ends[i] < 0 ? ends[i] + d : ends[i];
    if (step > 0) {
      s = Math.min(Math.max(s, 0), d);
      e = Math.min(Math.max(e, 0), d);
    } else {
      s = Math.min(Math.max(s, 0), d - 1);
      e = Math.min(Math.max(e, -1), d - 1);
    }
    spec.start[a] = s;
    spec.step[a] = step;
    spec.out[a] = Math.max(0, Math.ceil((e - s) / step));
  }
  return spec;
}

/** Row-major strides of `dims`. */
export function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1] * dims[i + 1];
  return s;
}

/**
 * Copies the elements a {@link SliceSpec} selects (row-major, any rank) into a new array of the input's type.
 *
 * @example
 * ```ts
 * const y = sliceNd(x, [1, 4, 8, 8], resolveSlice([1, 4, 8, 8], [0], [8], [3], [2])!); // every other column
 * ```
 */
export function sliceNd<T extends HostValue | Float64Array>(x: T, dims: readonly number[], spec: SliceSpec): T {
  const rank = dims.length, st = stridesOf(dims), out = spec.out;
  const total = out.reduce((a, b) => a * b, 1);
  const y = new (x.constructor as { new (n: number): T })(total);
  if (total === 0) return y;
  // Innermost axis as a strided run; outer axes as an odometer.
  const inner = out[rank - 1] ?? 1, innerStep = (spec.step[rank - 1] ?? 1) * (st[rank - 1] ?? 1);
  const idx = new Array<number>(Math.max(0, rank - 1)).fill(0);
  for (let o = 0; o < total; o += inner) {
    let base = 0;
    for (let d = 0; d < rank - 1; d++) base += (spec.start[d] + idx[d] * spec.step[d]) * st[d];
    if (rank) base += spec.start[rank - 1] * st[rank - 1];
    for (let i = 0; i < inner; i++) y[o + i] = x[base + i * innerStep];
    for (let d = rank - 2; d >= 0; d--) {
      if (++idx[d] < out[d]) break;
      idx[d] = 0;
    }
  }
  return y;
}

export type PadMode = 'constant' | 'edge' | 'reflect' | 'wrap';

/**
 * Per-axis [begins, ends] from ONNX `pads` ([x1_begin, x2_begin, ..., x1_end, x2_end]) and optional `axes`.
 * Returns undefined when the lengths do not match the rank.
 *
 * @example
 * ```ts
 * resolvePads(4, [0, 4, 0, 0, 0, 4, 0, 0]); // { begin: [0, 4, 0, 0], end: [0, 4, 0, 0] }
 * ```
 */
export function resolvePads(rank: number, pads: readonly number[], axes?: readonly number[]): { begin: number[]; end: number[] } | undefined {
  const ax = axes ? axes.map((a) => (a < 0 ? a + rank : a)) : Array.from({ length: rank }, (_, i) => i);
  if (pads.length !== 2 * ax.length || ax.some((a) => !(a >= 0 && a < rank)) || pads.some((p) => !Number.isInteger(p))) return undefined;
  const begin = new Array<number>(rank).fill(0), end = new Array<number>(rank).fill(0);
  ax.forEach((a, i) => {
    begin[a] = pads[i];
    end[a] = pads[i + ax.length];
  });
  return { begin, end };
}

/** Source index along one axis for output coordinate `o` (-1: the constant value). */
function sourceIndex(o: number, begin: number, d: number, mode: PadMode): number {
  const i = o - begin;
  if (i >= 0 && i < d) return i;
  if (mode === 'constant' || d === 0) return -1;
  if (mode === 'edge') return i < 0 ? 0 : d - 1;
  if (mode === 'wrap') return ((i % d) + d) % d;
  if (d === 1) return 0;
  // reflect: mirror without repeating the edge, period 2(d - 1).
  const p = 2 * (d - 1);
  const m = ((i % p) + p) % p;
  return m < d ? m : p - m;
}

/**
 * Pads (or crops, for negative pads) an array of `dims` row-major; `value` fills constant padding.
 *
 * @example
 * ```ts
 * const y = padNd(x, [1, 16, 8, 8], { begin: [0, 8, 0, 0], end: [0, 8, 0, 0] }, 'constant', 0); // [1, 32, 8, 8]
 * ```
 */
export function padNd<T extends HostValue | Float64Array>(
  x: T, dims: readonly number[], p: { begin: readonly number[]; end: readonly number[] }, mode: PadMode, value: number,
): T {
  const rank = dims.length, st = stridesOf(dims);
  const out = dims.map((d, i) => d + p.begin[i] + p.end[i]);
  const total = out.reduce((a, b) => a * b, 1);
  const y = new (x.constructor as { new (n: number): T })(Math.max(0, total));
  if (total <= 0) return y;
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < total; o++) {
    let src = 0;
    for (let d = 0; d < rank && src >= 0; d++) {
      const s = sourceIndex(idx[d], p.begin[d], dims[d], mode);
      src = s < 0 ? -1 : src + s * st[d];
    }
    y[o] = src < 0 ? value : x[src];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < out[d]) break;
      idx[d] = 0;
    }
  }
  return y;
}

