/**
 * Plan-time folding of static shape subgraphs: Shape of any tensor (shapes are concrete, the plan is compiled per
 * input shape) and the integer/float arithmetic exporters build on it (Gather, Concat, ConstantOfShape, Range,
 * Slice, Cast, Expand, Unsqueeze...). Integers are exact (int64 as numbers: exact to 2^53, INT64_MAX clamps);
 * float results are rounded to f32. A node folds only when every data input is a constant.
 */
import { DataType, type OnnxNode } from '../../onnx/index.js';
import { broadcast, flattenShape, reshapeShape } from '../../onnx/shapes.js';
import { sizeOf } from '../../tensor.js';
import { padNd, resolvePads, resolveSlice, sliceNd, stridesOf, type PadMode } from '../ops/shared/strided.js';
import { readAttrs, unsupportedNode, type Compiler } from './compiler.js';
import { constFromTensor, type Const } from './consts.js';

/** A folded value: dims, ONNX element type and the elements as numbers. */
interface FVal {
  dims: number[];
  dt: number;
  v: Float64Array;
}

const INT_TYPES = new Set<number>([DataType.INT8, DataType.UINT8, DataType.INT16, DataType.UINT16, DataType.INT32, DataType.UINT32, DataType.INT64, DataType.UINT64]);
const isFloat = (dt: number) => dt === DataType.FLOAT || dt === DataType.DOUBLE || dt === DataType.FLOAT16 || dt === DataType.BFLOAT16;

/** Reads a const's elements as numbers (int64 via its exact form). */
export function constNumbers(c: Const): Float64Array {
  if (c.i64) return Float64Array.from(c.i64, (b) => Number(b));
  if (c.i32) return Float64Array.from(c.i32);
  return Float64Array.from(c.f32);
}

const INT64_MAX = 2n ** 63n - 1n, INT64_MIN = -(2n ** 63n);

/**
 * Builds a {@link Const} of element type `dt` from numbers (int64 clamped to its range; floats rounded to f32).
 *
 * @example
 * ```ts
 * const shape = makeConst([2], DataType.INT64, [1, -1]);
 * ```
 */
export function makeConst(dims: number[], dt: number, v: ArrayLike<number>): Const {
  if (dt === DataType.INT64 || dt === DataType.UINT64) {
    const i64 = BigInt64Array.from(Array.from(v, (x) => {
      if (!Number.isFinite(x)) return x > 0 ? INT64_MAX : INT64_MIN;
      const b = BigInt(Math.trunc(x));
      return b > INT64_MAX ? INT64_MAX : b < INT64_MIN ? INT64_MIN : b;
    }));
    return { dims, dataType: DataType.INT64, f32: Float32Array.from(v), i64 };
  }
  if (INT_TYPES.has(dt)) {
    const i32 = Int32Array.from(v);
    const ints = dt === DataType.INT8 ? Int8Array.from(v) : dt === DataType.UINT8 ? Uint8Array.from(v) : dt === DataType.INT32 ? i32 : undefined;
    return { dims, dataType: dt, f32: Float32Array.from(v), i32, ...(ints ? { ints } : {}) };
  }
  return { dims, dataType: dt === DataType.BOOL ? DataType.BOOL : DataType.FLOAT, f32: Float32Array.from(v) };
}

/** Casts numbers to ONNX element type `to` (float -> int truncates toward zero, as onnxruntime's static_cast). */
function castTo(v: Float64Array, to: number): Float64Array {
  if (isFloat(to)) return v.map((x) => Math.fround(x));
  if (to === DataType.BOOL) return v.map((x) => (x !== 0 ? 1 : 0));
  const wrap: Record<number, (x: number) => number> = {
    [DataType.INT8]: (x) => (x << 24) >> 24, [DataType.UINT8]: (x) => x & 0xff, [DataType.INT16]: (x) => (x << 16) >> 16,
    [DataType.UINT16]: (x) => x & 0xffff, [DataType.INT32]: (x) => x | 0, [DataType.UINT32]: (x) => x >>> 0,
  };
  const w = wrap[to] as ((x: number) => number) | undefined;
  return v.map((x) => {
    const t = Number.isFinite(x) ? Math.trunc(x) : x;
    return w && Number.isFinite(t) ? w(t) : t;
  });
}

/** Flat index into `t` for flat output index i of broadcast shape `dims`. */
function indexer(dims: readonly number[], t: FVal): (i: number) => number {
  const off = dims.length - t.dims.length, st = stridesOf(t.dims), os = stridesOf(dims);
  return (i) => {
    let k = 0;
    for (let d = 0; d < t.dims.length; d++) if (t.dims[d] !== 1) k += (Math.floor(i / os[d + off]) % dims[d + off]) * st[d];
    return k;
  };
}

/** Element-wise binary op with numpy broadcasting. */
function binary(a: FVal, b: FVal, node: string, f: (x: number, y: number) => number, dt = a.dt): FVal {
  const dims = broadcast(a.dims, b.dims, node);
  const ia = indexer(dims, a), ib = indexer(dims, b);
  const v = new Float64Array(sizeOf(dims));
  for (let i = 0; i < v.length; i++) v[i] = f(a.v[ia(i)], b.v[ib(i)]);
  return { dims, dt, v: isFloat(dt) ? castTo(v, DataType.FLOAT) : v };
}

const ARITH: Record<string, (x: number, y: number, int: boolean) => number> = {
  Add: (x, y) => x + y,
  Sub: (x, y) => x - y,
  Mul: (x, y) => x * y,
  // Integer division truncates toward zero (C++ semantics, as onnxruntime).
  Div: (x, y, int) => (int ? Math.trunc(x / y) : x / y),
  Pow: (x, y) => x ** y,
  Max: (x, y) => Math.max(x, y),
  Min: (x, y) => Math.min(x, y),
};
const COMPARE: Record<string, (x: number, y: number) => boolean> = {
  Equal: (x, y) => x === y, Less: (x, y) => x < y, Greater: (x, y) => x > y,
  LessOrEqual: (x, y) => x <= y, GreaterOrEqual: (x, y) => x >= y, And: (x, y) => !!x && !!y, Or: (x, y) => !!x || !!y,
};
const UNARY: Record<string, (x: number) => number> = {
  Neg: (x) => -x, Abs: Math.abs, Floor: Math.floor, Ceil: Math.ceil, Sqrt: Math.sqrt, Not: (x) => (x ? 0 : 1),
  Relu: (x) => Math.max(0, x), Exp: Math.exp, Log: Math.log, Reciprocal: (x) => 1 / x, Sign: Math.sign,
};

/** Ops this module folds (besides Shape/Size, which only need their input's shape). */
const FOLDABLE = new Set([
  'Identity', 'Cast', 'Gather', 'ConstantOfShape', 'Concat', 'Unsqueeze', 'Squeeze', 'Reshape', 'Flatten', 'Slice', 'Range',
  'Expand', 'Transpose', 'Tile', 'Where', 'Mod', 'ReduceProd', 'ReduceSum', 'ReduceMin', 'ReduceMax', 'Pad',
  ...Object.keys(ARITH), ...Object.keys(COMPARE), ...Object.keys(UNARY),
]);

/** Normalises an axis (negative counts from the end). */
function axisOf(a: number, rank: number, node: OnnxNode): number {
  const x = a < 0 ? a + rank : a;
  if (!(x >= 0 && x < rank)) unsupportedNode(node, `axis ${a} is out of range for rank ${rank}`);
  return x;
}

/**
 * Folds `node` at plan time when it is a shape op whose inputs are constants (or Shape/Size of any value).
 * Returns false to let the other compiler rules handle it.
 *
 * @example
 * ```ts
 * if (foldConstNode(c, node)) return; // its outputs are now constants in c.vals
 * ```
 */
export function foldConstNode(c: Compiler, node: OnnxNode): boolean {
  const op = node.opType ?? '';
  if (node.domain && node.domain !== 'ai.onnx') return false;
  if (op === 'Shape' || op === 'Size') {
    const v = c.val(node.input[0], node);
    const dims = c.shapeOf(v);
    if (op === 'Size') return set(c, node, [{ dims: [], dt: DataType.INT64, v: Float64Array.of(sizeOf(dims)) }]);
    const attrs = readAttrs(node, c.opset);
    const r = dims.length;
    const clampAxis = (a: number) => Math.min(Math.max(a < 0 ? a + r : a, 0), r);
    const start = clampAxis((attrs.start as number | undefined) ?? 0), end = clampAxis((attrs.end as number | undefined) ?? r);
    const out = dims.slice(start, Math.max(start, end));
    return set(c, node, [{ dims: [out.length], dt: DataType.INT64, v: Float64Array.from(out) }]);
  }
  if (!FOLDABLE.has(op)) return false;
  const ins: (FVal | undefined)[] = [];
  for (const name of node.input) {
    if (!name) {
      ins.push(undefined);
      continue;
    }
    const k = c.constOf(name, node);
    if (!k) return false;
    ins.push({ dims: [...k.dims], dt: k.dataType, v: constNumbers(k) });
  }
  return set(c, node, evaluate(c, node, op, ins));
}

function set(c: Compiler, node: OnnxNode, outs: FVal[]): true {
  outs.forEach((o, i) => {
    if (node.output[i]) c.vals.set(node.output[i], { k: 'const', c: makeConst(o.dims, o.dt, o.v) });
  });
  return true;
}

/** Integer list from an optional input or, for older opsets, an attribute. */
function listOf(x: FVal | undefined, attr: unknown): number[] | undefined {
  if (x) return Array.from(x.v);
  return Array.isArray(attr) ? (attr as number[]) : undefined;
}

function evaluate(c: Compiler, node: OnnxNode, op: string, ins: (FVal | undefined)[]): FVal[] {
  const attrs = readAttrs(node, c.opset);
  const name = node.name || node.output[0] || op;
  const x = ins[0]!;
  const int = !isFloat(x?.dt ?? DataType.FLOAT);
  if (op in ARITH) return [binary(x, ins[1]!, name, (a, b) => ARITH[op](a, b, int))];
  if (op in COMPARE) return [binary(x, ins[1]!, name, (a, b) => (COMPARE[op](a, b) ? 1 : 0), DataType.BOOL)];
  if (op in UNARY) return [{ dims: x.dims, dt: x.dt, v: int || op === 'Not' ? x.v.map(UNARY[op]) : castTo(x.v.map(UNARY[op]), DataType.FLOAT) }];
  switch (op) {
    case 'Identity': return [x];
    case 'Cast': return [{ dims: x.dims, dt: attrs.to as number, v: castTo(x.v, attrs.to as number) }];
    case 'Mod': return [binary(x, ins[1]!, name, attrs.fmod === 1 || !int ? (a, b) => a % b : (a, b) => ((a % b) + b) % b)];
    case 'Where': {
      const [a, b] = [ins[1]!, ins[2]!];
      const dims = broadcast(broadcast(x.dims, a.dims, name), b.dims, name);
      const [ic, ia, ib] = [indexer(dims, x), indexer(dims, a), indexer(dims, b)];
      return [{ dims, dt: a.dt, v: Float64Array.from({ length: sizeOf(dims) }, (_, i) => (x.v[ic(i)] ? a.v[ia(i)] : b.v[ib(i)])) }];
    }
    case 'ConstantOfShape': {
      const t = node.attribute.find((a) => a.name === 'value')?.t;
      const k = t ? constFromTensor(t) : undefined;
      const dims = Array.from(x.v);
      return [{ dims, dt: k?.dataType ?? DataType.FLOAT, v: new Float64Array(sizeOf(dims)).fill(k ? constNumbers(k)[0] ?? 0 : 0) }];
    }
    case 'Range': {
      const [s, l, d] = [x.v[0], ins[1]!.v[0], ins[2]!.v[0]];
      const n = Math.max(0, Math.ceil((l - s) / d));
      if (!Number.isFinite(n) || n > 1 << 24) unsupportedNode(node, 'Range has no finite small length');
      return [{ dims: [n], dt: x.dt, v: Float64Array.from({ length: n }, (_, i) => s + i * d) }];
    }
    case 'Gather': {
      const axis = axisOf((attrs.axis as number | undefined) ?? 0, x.dims.length, node);
      const idx = ins[1]!;
      const outer = sizeOf(x.dims.slice(0, axis)), inner = sizeOf(x.dims.slice(axis + 1)), d = x.dims[axis];
      const v = new Float64Array(outer * idx.v.length * inner);
      for (let o = 0, k = 0; o < outer; o++) for (const raw of idx.v) {
        const j = raw < 0 ? raw + d : raw;
        if (!(j >= 0 && j < d)) unsupportedNode(node, `Gather index ${raw} is out of range`);
        for (let e = 0; e < inner; e++) v[k++] = x.v[(o * d + j) * inner + e];
      }
      return [{ dims: [...x.dims.slice(0, axis), ...idx.dims, ...x.dims.slice(axis + 1)], dt: x.dt, v }];
    }
    case 'Concat': {
      const parts = ins.filter((t): t is FVal => !!t);
      const rank = parts[0].dims.length, axis = axisOf(attrs.axis as number, rank, node);
      const outer = sizeOf(parts[0].dims.slice(0, axis));
      const v: number[] = [];
      for (let o = 0; o < outer; o++) for (const p of parts) {
        const row = sizeOf(p.dims.slice(axis));
        for (let e = 0; e < row; e++) v.push(p.v[o * row + e]);
      }
      const dims = [...parts[0].dims];
      dims[axis] = parts.reduce((s, p) => s + p.dims[axis], 0);
      return [{ dims, dt: parts[0].dt, v: Float64Array.from(v) }];
    }
    case 'Unsqueeze': {
      const axes = listOf(ins[1], attrs.axes) ?? [];
      const rank = x.dims.length + axes.length;
      const ax = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
      const dims: number[] = [];
      for (let i = 0, j = 0; i < rank; i++) dims.push(ax.has(i) ? 1 : x.dims[j++]);
      return [{ ...x, dims }];
    }
    case 'Squeeze': {
      const axes = listOf(ins[1], attrs.axes);
      const ax = new Set((axes ?? []).map((a) => (a < 0 ? a + x.dims.length : a)));
      return [{ ...x, dims: x.dims.filter((d, i) => (axes ? !ax.has(i) : d !== 1)) }];
    }
    case 'Reshape': return [{ ...x, dims: reshapeShape(x.dims, Array.from(ins[1]!.v), attrs.allowzero === 1, name) }];
    case 'Flatten': return [{ ...x, dims: flattenShape(x.dims, (attrs.axis as number | undefined) ?? 1) }];
    case 'Expand': {
      const dims = broadcast(x.dims, Array.from(ins[1]!.v), name);
      return [binary(x, { dims, dt: x.dt, v: new Float64Array(sizeOf(dims)) }, name, (a) => a)];
    }
    case 'Tile': {
      const reps = Array.from(ins[1]!.v);
      const dims = x.dims.map((d, i) => d * reps[i]);
      const v = padNd(x.v, x.dims, { begin: x.dims.map(() => 0), end: dims.map((d, i) => d - x.dims[i]) }, 'wrap', 0);
      return [{ dims, dt: x.dt, v }];
    }
    case 'Transpose': {
      const rank = x.dims.length;
      const perm = (attrs.perm as number[] | undefined) ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
      const dims = perm.map((p) => x.dims[p]), st = stridesOf(x.dims), os = stridesOf(dims);
      const v = new Float64Array(x.v.length);
      for (let i = 0; i < v.length; i++) {
        let k = 0;
        for (let d = 0; d < rank; d++) k += (Math.floor(i / os[d]) % dims[d]) * st[perm[d]];
        v[i] = x.v[k];
      }
      return [{ dims, dt: x.dt, v }];
    }
    case 'Slice': {
      const starts = listOf(ins[1], attrs.starts), ends = listOf(ins[2], attrs.ends);
      const spec = starts && ends ? resolveSlice(x.dims, starts, ends, listOf(ins[3], attrs.axes), listOf(ins[4], undefined)) : undefined;
      if (!spec) unsupportedNode(node, 'Slice starts/ends/axes/steps are invalid');
      return [{ dims: spec.out, dt: x.dt, v: sliceNd(x.v, x.dims, spec) }];
    }
    case 'Pad': {
      const pads = listOf(ins[1], attrs.pads);
      const p = pads ? resolvePads(x.dims.length, pads, listOf(ins[3], undefined)) : undefined;
      if (!p) unsupportedNode(node, 'Pad pads/axes are invalid');
      const value = ins[2]?.v[0] ?? ((attrs.value as number | undefined) ?? 0);
      const v = padNd(x.v, x.dims, p, ((attrs.mode as string | undefined) ?? 'constant') as PadMode, value);
      return [{ dims: x.dims.map((d, i) => d + p.begin[i] + p.end[i]), dt: x.dt, v }];
    }
    default: {
      // ReduceProd / ReduceSum / ReduceMin / ReduceMax over `axes` (input from opset 13/18, else attribute).
      const axes = listOf(ins[1], attrs.axes);
      const keep = ((attrs.keepdims as number | undefined) ?? 1) === 1;
      const all = !axes || axes.length === 0;
      if (all && attrs.noop_with_empty_axes === 1) return [x];
      const ax = new Set(all ? x.dims.map((_, i) => i) : axes.map((a) => axisOf(a, x.dims.length, node)));
      const f = { ReduceProd: (a: number, b: number) => a * b, ReduceSum: (a: number, b: number) => a + b, ReduceMin: Math.min, ReduceMax: Math.max }[op]!;
      const init = { ReduceProd: 1, ReduceSum: 0, ReduceMin: Infinity, ReduceMax: -Infinity }[op]!;
      const kd = x.dims.map((d, i) => (ax.has(i) ? 1 : d)), ks = stridesOf(kd), st = stridesOf(x.dims);
      const v = new Float64Array(sizeOf(kd)).fill(init);
      for (let i = 0; i < x.v.length; i++) {
        let k = 0;
        for (let d = 0; d < x.dims.length; d++) if (!ax.has(d)) k += (Math.floor(i / st[d]) % x.dims[d]) * ks[d];
        v[k] = f(v[k], x.v[i]);
      }
      return [{ dims: keep ? kd : x.dims.filter((_, i) => !ax.has(i)), dt: x.dt, v: int ? v : castTo(v, DataType.FLOAT) }];
    }
  }
}
