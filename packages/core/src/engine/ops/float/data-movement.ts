/**
 * Float reference kernels that move data without arithmetic: Slice, Pad, Transpose, Gather, Squeeze, Unsqueeze,
 * Expand, Tile and Cast between float types. Constant operands (starts, pads, axes, indices) arrive in `consts`
 * (the compiler folds whole shape subgraphs before they get here; see engine/plan/fold-const.ts).
 */
import { broadcast } from '../../../onnx/shapes.js';
import { sizeOf } from '../../../tensor.js';
import { padNd, resolvePads, resolveSlice, sliceNd, stridesOf, type PadMode } from '../shared/strided.js';
import { f32, nums, unsupported, type FloatOpImpl } from '../shared/float-kernel.js';

type ShapeIn = Parameters<FloatOpImpl['shape']>[1][number];

/** A list from a constant input or, for older opsets, an attribute. */
function list(x: ShapeIn, attr: unknown): number[] | undefined {
  return nums(x) ?? (Array.isArray(attr) ? (attr as number[]) : undefined);
}

function sliceSpec(attrs: Record<string, unknown>, [x, s, e, a, st]: ShapeIn[], node: string) {
  const starts = list(s, attrs.starts), ends = list(e, attrs.ends);
  const spec = starts && ends ? resolveSlice(x!.dims, starts, ends, list(a, attrs.axes), nums(st)) : undefined;
  if (!spec) unsupported(node, 'Slice needs constant, valid starts/ends/axes/steps');
  return spec;
}

export const slice: FloatOpImpl = {
  shape: (attrs, ins, node) => [sliceSpec(attrs, ins, node).out],
  run: (attrs, ins) => [sliceNd(f32(ins[0]), ins[0]!.dims, sliceSpec(attrs, ins, ''))],
};

function padSpec(attrs: Record<string, unknown>, [x, p, , axes]: ShapeIn[], node: string) {
  const pads = list(p, attrs.pads);
  const spec = pads ? resolvePads(x!.dims.length, pads, nums(axes)) : undefined;
  if (!spec) unsupported(node, 'Pad needs constant, valid pads/axes');
  return spec;
}

export const pad: FloatOpImpl = {
  shape(attrs, ins, node) {
    const p = padSpec(attrs, ins, node);
    if (ins[2] && !ins[2].data) unsupported(node, 'Pad needs a constant pad value');
    return [ins[0]!.dims.map((d, i) => d + p.begin[i] + p.end[i])];
  },
  run(attrs, ins) {
    const value = nums(ins[2])?.[0] ?? ((attrs.value as number | undefined) ?? 0);
    const mode = ((attrs.mode as string | undefined) ?? 'constant') as PadMode;
    return [padNd(f32(ins[0]), ins[0]!.dims, padSpec(attrs, ins, ''), mode, value)];
  },
};

function permOf(attrs: Record<string, unknown>, rank: number): number[] {
  return (attrs.perm as number[] | undefined) ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
}

export const transpose: FloatOpImpl = {
  shape: (attrs, [x]) => [permOf(attrs, x!.dims.length).map((p) => x!.dims[p])],
  run(attrs, [x], [os]) {
    const xd = f32(x), dims = x!.dims, perm = permOf(attrs, dims.length), st = stridesOf(dims), ost = stridesOf(os);
    const y = new Float32Array(xd.length);
    for (let i = 0; i < y.length; i++) {
      let k = 0;
      for (let d = 0; d < os.length; d++) k += (Math.floor(i / ost[d]) % os[d]) * st[perm[d]];
      y[i] = xd[k];
    }
    return [y];
  },
};

export const gather: FloatOpImpl = {
  shape(attrs, [x, idx], node) {
    if (!idx?.data) unsupported(node, 'Gather needs constant indices');
    const r = x!.dims.length, a = (attrs.axis as number | undefined) ?? 0, axis = a < 0 ? a + r : a;
    return [[...x!.dims.slice(0, axis), ...idx.dims, ...x!.dims.slice(axis + 1)]];
  },
  run(attrs, [x, idx]) {
    const xd = f32(x), dims = x!.dims, r = dims.length, a = (attrs.axis as number | undefined) ?? 0, axis = a < 0 ? a + r : a;
    const outer = sizeOf(dims.slice(0, axis)), inner = sizeOf(dims.slice(axis + 1)), d = dims[axis], ix = nums(idx)!;
    const y = new Float32Array(outer * ix.length * inner);
    for (let o = 0, k = 0; o < outer; o++) for (const raw of ix) {
      const j = raw < 0 ? raw + d : raw;
      y.set(xd.subarray((o * d + j) * inner, (o * d + j + 1) * inner), k);
      k += inner;
    }
    return [y];
  },
};

const same: FloatOpImpl['run'] = (_a, [x]) => [f32(x).slice()];

export const unsqueeze: FloatOpImpl = {
  shape(attrs, [x, a], node) {
    const axes = list(a, attrs.axes);
    if (!axes) unsupported(node, 'Unsqueeze needs constant axes');
    const rank = x!.dims.length + axes.length, ax = new Set(axes.map((v) => (v < 0 ? v + rank : v)));
    const out: number[] = [];
    for (let i = 0, j = 0; i < rank; i++) out.push(ax.has(i) ? 1 : x!.dims[j++]);
    return [out];
  },
  run: same,
};

export const squeeze: FloatOpImpl = {
  shape(attrs, [x, a]) {
    const axes = list(a, attrs.axes), r = x!.dims.length;
    const ax = new Set((axes ?? []).map((v) => (v < 0 ? v + r : v)));
    return [x!.dims.filter((d, i) => (axes ? !ax.has(i) : d !== 1))];
  },
  run: same,
};

export const expand: FloatOpImpl = {
  shape(_a, [x, s], node) {
    const shape = nums(s);
    if (!shape) unsupported(node, 'Expand needs a constant shape');
    return [broadcast(x!.dims, shape, node)];
  },
  run(_a, [x], [os]) {
    const xd = f32(x), dims = x!.dims, off = os.length - dims.length, st = stridesOf(dims), ost = stridesOf(os);
    const y = new Float32Array(sizeOf(os));
    for (let i = 0; i < y.length; i++) {
      let k = 0;
      for (let d = 0; d < dims.length; d++) if (dims[d] !== 1) k += (Math.floor(i / ost[d + off]) % os[d + off]) * st[d];
      y[i] = xd[k];
    }
    return [y];
  },
};

export const tile: FloatOpImpl = {
  shape(_a, [x, r], node) {
    const reps = nums(r);
    if (!reps || reps.length !== x!.dims.length) unsupported(node, 'Tile needs constant repeats, one per axis');
    return [x!.dims.map((d, i) => d * reps[i])];
  },
  run: (_a, [x], [os]) => [padNd(f32(x), x!.dims, { begin: os.map(() => 0), end: os.map((d, i) => d - x!.dims[i]) }, 'wrap', 0)],
};

/** Cast between float types (fp16/fp32/fp64 all run as fp32 here; see the engine README). */
export const cast: FloatOpImpl = {
  shape(attrs, [x], node) {
    if (![1, 10, 11, 16].includes(attrs.to as number)) unsupported(node, `Cast of a runtime tensor to element type ${attrs.to} is not supported`);
    return [[...x!.dims]];
  },
  run: same,
};

