/** Float reference kernels: elementwise, activations, Softmax and shape ops (Flatten, Reshape, Concat). */
import { broadcast, concatShape, flattenShape, reshapeShape } from '../../../onnx/shapes.js';
import { sizeOf } from '../../../tensor.js';
import { f32, nums, unsupported, type FloatOpImpl } from '../shared/float-kernel.js';

function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1] * dims[i + 1];
  return s;
}

/** Element index into `dims` (right-aligned, broadcast) for the flat output index. */
function bcastIndex(out: readonly number[], dims: readonly number[]) {
  const off = out.length - dims.length;
  const st = strides(dims);
  const os = strides(out);
  return (i: number) => {
    let idx = 0;
    for (let d = 0; d < dims.length; d++) {
      if (dims[d] === 1) continue;
      idx += (Math.floor(i / os[d + off]) % out[d + off]) * st[d];
    }
    return idx;
  };
}

function binary(f: (a: number, b: number) => number): FloatOpImpl {
  return {
    shape: (_a, [a, b], node) => [broadcast(a!.dims, b!.dims, node)],
    run(_a, [a, b], [os]) {
      const ad = f32(a), bd = f32(b);
      const y = new Float32Array(sizeOf(os));
      // Fast paths (residual adds, scalar operands): the general index map costs ~10x per element.
      if (ad.length === y.length && bd.length === y.length) for (let i = 0; i < y.length; i++) y[i] = f(ad[i], bd[i]);
      else if (ad.length === y.length && bd.length === 1) for (let i = 0, v = bd[0]; i < y.length; i++) y[i] = f(ad[i], v);
      else if (bd.length === y.length && ad.length === 1) for (let i = 0, v = ad[0]; i < y.length; i++) y[i] = f(v, bd[i]);
      else {
        const ia = bcastIndex(os, a!.dims), ib = bcastIndex(os, b!.dims);
        for (let i = 0; i < y.length; i++) y[i] = f(ad[ia(i)], bd[ib(i)]);
      }
      return [y];
    },
  };
}

function unary(f: (x: number, attrs: Record<string, unknown>) => number): FloatOpImpl {
  return {
    shape: (_a, [x]) => [[...x!.dims]],
    run(attrs, [x]) {
      // A plain loop: Float32Array.from with a map callback measured ~10x slower (detector heatmap Sigmoid).
      const xd = f32(x), y = new Float32Array(xd.length);
      for (let i = 0; i < xd.length; i++) y[i] = f(xd[i], attrs);
      return [y];
    },
  };
}

export const add = binary((a, b) => a + b);
export const sub = binary((a, b) => a - b);
export const mul = binary((a, b) => a * b);
export const div = binary((a, b) => a / b);
export const relu: FloatOpImpl = {
  shape: (_a, [x]) => [[...x!.dims]],
  run(_a, [x]) {
    const xd = f32(x), y = new Float32Array(xd.length);
    for (let i = 0; i < xd.length; i++) y[i] = xd[i] > 0 ? xd[i] : 0;
    return [y];
  },
};
export const sigmoid = unary((x) => 1 / (1 + Math.exp(-x)));
export const tanh = unary((x) => Math.tanh(x));
export const identity = unary((x) => x);
export const leakyRelu = unary((x, a) => (x >= 0 ? x : x * ((a.alpha as number | undefined) ?? 0.01)));

export const clip: FloatOpImpl = {
  shape: (_a, [x]) => [[...x!.dims]],
  run(attrs, [x, lo, hi]) {
    const l = lo ? f32(lo)[0] : ((attrs.min as number | undefined) ?? -Infinity);
    const h = hi ? f32(hi)[0] : ((attrs.max as number | undefined) ?? Infinity);
    return [Float32Array.from(f32(x), (v) => (v < l ? l : v > h ? h : v))];
  },
};

/** Softmax: opset >= 13 normalises along one axis; older opsets flatten to 2-D at `axis` (default 1). */
export const softmax: FloatOpImpl = {
  shape: (_a, [x]) => [[...x!.dims]],
  run(attrs, [x]) {
    const xd = f32(x), dims = x!.dims;
    const legacy = ((attrs.__opset as number | undefined) ?? 13) < 13;
    let axis = (attrs.axis as number | undefined) ?? (legacy ? 1 : -1);
    if (axis < 0) axis += dims.length;
    const n = legacy ? sizeOf(dims.slice(axis)) : dims[axis];
    const inner = legacy ? 1 : sizeOf(dims.slice(axis + 1));
    const y = new Float32Array(xd.length);
    for (let o = 0; o < xd.length / (n * inner); o++) for (let k = 0; k < inner; k++) {
      const base = o * n * inner + k;
      let m = -Infinity, s = 0;
      for (let i = 0; i < n; i++) m = Math.max(m, xd[base + i * inner]);
      for (let i = 0; i < n; i++) s += y[base + i * inner] = Math.exp(xd[base + i * inner] - m);
      for (let i = 0; i < n; i++) y[base + i * inner] /= s;
    }
    return [y];
  },
};

const same: FloatOpImpl['run'] = (_a, [x]) => [f32(x).slice()];

export const flatten: FloatOpImpl = {
  shape: (attrs, [x]) => [flattenShape(x!.dims, (attrs.axis as number | undefined) ?? 1)],
  run: same,
};

export const reshape: FloatOpImpl = {
  shape(attrs, [x, s], node) {
    const target = nums(s);
    if (!target) unsupported(node, 'Reshape needs a constant shape');
    return [reshapeShape(x!.dims, target, attrs.allowzero === 1, node)];
  },
  run: same,
};

export const concat: FloatOpImpl = {
  shape: (attrs, inputs, node) => [concatShape(inputs.map((i) => [...i!.dims]), attrs.axis as number, node)],
  run(attrs, inputs, [os]) {
    let axis = attrs.axis as number;
    if (axis < 0) axis += os.length;
    const outer = sizeOf(os.slice(0, axis));
    const y = new Float32Array(sizeOf(os));
    let off = 0;
    const rowOut = sizeOf(os.slice(axis));
    for (const t of inputs) {
      const d = f32(t), row = sizeOf(t!.dims.slice(axis));
      for (let o = 0; o < outer; o++) y.set(d.subarray(o * row, (o + 1) * row), o * rowOut + off);
      off += row;
    }
    return [y];
  },
};
