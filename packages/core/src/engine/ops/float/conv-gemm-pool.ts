/** Float reference kernels: Conv, Gemm, MatMul, BatchNormalization and pooling (NCHW, 2-D). Plain loops. */
import { broadcast, geometry } from '../../../onnx/shapes.js';
import { sizeOf } from '../../../tensor.js';
import { f32, unsupported, type Attrs, type FloatOpImpl } from '../shared/float-kernel.js';
import { mlasConv2d } from '../shared/mlas-conv.js';

function kernelOf(attrs: Attrs, w: readonly number[] | undefined): number[] {
  return (attrs.kernel_shape as number[] | undefined) ?? (w ? w.slice(2) : []);
}

export const conv: FloatOpImpl = {
  shape(attrs, [x, w], node) {
    if (!x || !w || x.dims.length !== 4) unsupported(node, 'Conv needs a 4-D input and weights');
    const group = (attrs.group as number | undefined) ?? 1;
    if (!Number.isInteger(group) || group < 1 || x.dims[1] !== w.dims[1] * group || w.dims[0] % group !== 0) {
      unsupported(node, 'Conv channels do not match weights and group');
    }
    const g = geometry(attrs, x.dims.slice(2), kernelOf(attrs, w.dims), node);
    return [[x.dims[0], w.dims[0], g.out[0], g.out[1]]];
  },
  run(attrs, [x, w, b], [os]) {
    const xd = f32(x), wd = f32(w), bd = b ? f32(b) : undefined;
    const [N, C, H, W] = x!.dims;
    const g = geometry(attrs, [H, W], kernelOf(attrs, w!.dims), '');
    const geo = { C, H, W, OC: w!.dims[0], OH: g.out[0], OW: g.out[1], group: (attrs.group as number | undefined) ?? 1, ...g };
    const y = new Float32Array(sizeOf(os));
    // onnxruntime's summation order, so fp32 convs (and the float convs of int8 QDQ graphs) match it bit for bit.
    for (let n = 0; n < N; n++) mlasConv2d(geo, xd, n * C * H * W, wd, bd, y, n * geo.OC * geo.OH * geo.OW);
    return [y];
  },
};

export const gemm: FloatOpImpl = {
  shape(attrs, [a, b], node) {
    if (!a || !b || a.dims.length !== 2 || b.dims.length !== 2) unsupported(node, 'Gemm needs 2-D inputs');
    const M = attrs.transA ? a.dims[1] : a.dims[0];
    const N = attrs.transB ? b.dims[0] : b.dims[1];
    return [[M, N]];
  },
  run(attrs, [a, b, c], [[M, N]]) {
    const ad = f32(a), bd = f32(b), cd = c ? f32(c) : undefined;
    const tA = !!attrs.transA, tB = !!attrs.transB;
    const K = tA ? a!.dims[0] : a!.dims[1];
    const alpha = (attrs.alpha as number | undefined) ?? 1, beta = (attrs.beta as number | undefined) ?? 1;
    const y = new Float32Array(M * N);
    const cDims = c?.dims ?? [];
    // Contiguous operands first (the common Gemm(transB=1) classifier head runs in one tight loop).
    const am = tA ? transpose(ad, K, M) : ad, bm = tB ? bd : transpose(bd, K, N);
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
      let s = 0;
      const ai = i * K, bj = j * K;
      for (let k = 0; k < K; k++) s += am[ai + k] * bm[bj + k];
      let cv = 0;
      if (cd) {
        const ci = cDims.length === 2 ? (cDims[0] === 1 ? 0 : i) * cDims[1] + (cDims[1] === 1 ? 0 : j) : cDims.length === 1 ? (cDims[0] === 1 ? 0 : j) : 0;
        cv = cd[ci];
      }
      y[i * N + j] = alpha * s + beta * cv;
    }
    return [y];
  },
};

function transpose(x: Float32Array, rows: number, cols: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) y[c * rows + r] = x[r * cols + c];
  return y;
}

export const matmul: FloatOpImpl = {
  shape(_attrs, [a, b], node) {
    if (!a || !b || a.dims.length < 2 || b.dims.length < 2) unsupported(node, 'MatMul needs operands of rank >= 2');
    if (a.dims[a.dims.length - 1] !== b.dims[b.dims.length - 2]) unsupported(node, 'MatMul inner dimensions differ');
    const batch = broadcast(a.dims.slice(0, -2), b.dims.slice(0, -2), node);
    return [[...batch, a.dims[a.dims.length - 2], b.dims[b.dims.length - 1]]];
  },
  run(_attrs, [a, b], [os]) {
    const ad = f32(a), bd = f32(b);
    const ra = a!.dims.length, rb = b!.dims.length;
    const M = a!.dims[ra - 2], K = a!.dims[ra - 1], N = b!.dims[rb - 1];
    const batch = os.slice(0, -2), nb = sizeOf(batch);
    const aBatch = a!.dims.slice(0, -2), bBatch = b!.dims.slice(0, -2);
    // Flat batch index -> operand batch index with broadcasting (size-1 or missing dims repeat).
    const bIndex = (dims: readonly number[], i: number) => {
      let idx = 0, mul = 1, rem = i;
      for (let d = batch.length - 1; d >= 0; d--) {
        const v = rem % batch[d];
        rem = Math.floor(rem / batch[d]);
        const od = dims[d - (batch.length - dims.length)];
        if (od !== undefined) {
          idx += (od === 1 ? 0 : v) * mul;
          mul *= od;
        }
      }
      return idx;
    };
    const y = new Float32Array(sizeOf(os));
    for (let t = 0; t < nb; t++) {
      const ao = bIndex(aBatch, t) * M * K, bo = bIndex(bBatch, t) * K * N, yo = t * M * N;
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += ad[ao + i * K + k] * bd[bo + k * N + j];
        y[yo + i * N + j] = s;
      }
    }
    return [y];
  },
};

export const batchNorm: FloatOpImpl = {
  shape: (_a, [x]) => [[...x!.dims]],
  run(attrs, [x, sc, b, mean, v], [os]) {
    const xd = f32(x), s = f32(sc), bd = f32(b), m = f32(mean), vd = f32(v);
    const eps = (attrs.epsilon as number | undefined) ?? 1e-5;
    const C = x!.dims[1] ?? 1, inner = sizeOf(x!.dims.slice(2));
    const y = new Float32Array(sizeOf(os));
    for (let i = 0; i < y.length; i++) {
      const c = Math.floor(i / inner) % C;
      y[i] = ((xd[i] - m[c]) / Math.sqrt(vd[c] + eps)) * s[c] + bd[c];
    }
    return [y];
  },
};

function pool(kind: 'max' | 'avg'): FloatOpImpl {
  return {
    shape(attrs, [x], node) {
      if (!x || x.dims.length !== 4) unsupported(node, 'only 2-D pooling is supported');
      if (attrs.storage_order === 1) unsupported(node, 'storage_order=1 is not supported');
      const g = geometry(attrs, x.dims.slice(2), attrs.kernel_shape as number[], node);
      return [[x.dims[0], x.dims[1], g.out[0], g.out[1]]];
    },
    run(attrs, [x], [os]) {
      const xd = f32(x);
      const [N, C, H, W] = x!.dims;
      const g = geometry(attrs, [H, W], attrs.kernel_shape as number[], '');
      const [OH, OW] = g.out, [KH, KW] = g.kernel, [sh, sw] = g.strides, [dh, dw] = g.dilations;
      const incl = attrs.count_include_pad === 1;
      // First valid tap and tap count per output row / column (the window clipped to the image), computed once.
      const span = (O: number, s: number, p: number, d: number, K: number, L: number, pe: number) => {
        const first = new Int32Array(O), count = new Int32Array(O), padded = new Int32Array(O);
        for (let o = 0; o < O; o++) {
          first[o] = -1;
          for (let k = 0; k < K; k++) {
            const i = o * s - p + k * d;
            if (i >= 0 && i < L) {
              if (first[o] < 0) first[o] = i;
              count[o]++;
            }
            // count_include_pad counts explicit padding only, not the ceil_mode overhang.
            if (i < L + pe) padded[o]++;
          }
        }
        return { first, count, padded };
      };
      const ry = span(OH, sh, g.pads[0], dh, KH, H, g.pads[2]), rx = span(OW, sw, g.pads[1], dw, KW, W, g.pads[3]);
      const y = new Float32Array(sizeOf(os));
      if (kind === 'max') {
        maxPlanes(xd, y, N * C, H, W, OH, OW, ry, rx, dh, dw);
        return [y];
      }
      for (let nc = 0, at = 0; nc < N * C; nc++) {
        const base = nc * H * W;
        for (let oy = 0; oy < OH; oy++) {
          const y0 = ry.first[oy], ny = ry.count[oy];
          for (let ox = 0; ox < OW; ox++, at++) {
            const x0 = rx.first[ox], nx = rx.count[ox];
            let acc = 0;
            for (let a = 0; a < ny; a++) {
              const row = base + (y0 + a * dh) * W + x0;
              for (let b = 0; b < nx; b++) acc += xd[row + b * dw];
            }
            y[at] = acc / (incl ? ry.padded[oy] * rx.padded[ox] : ny * nx);
          }
        }
      }
      return [y];
    },
  };
}

/** Max pooling over planes, its own monomorphic loop (the shared max/avg loop ran ~4x slower on a ResNet stem). */
function maxPlanes(
  xd: Float32Array, y: Float32Array, planes: number, H: number, W: number, OH: number, OW: number,
  ry: { first: Int32Array; count: Int32Array }, rx: { first: Int32Array; count: Int32Array }, dh: number, dw: number,
): void {
  for (let nc = 0, at = 0; nc < planes; nc++) {
    const base = nc * H * W;
    for (let oy = 0; oy < OH; oy++) {
      const y0 = ry.first[oy], ny = ry.count[oy];
      for (let ox = 0; ox < OW; ox++, at++) {
        const x0 = rx.first[ox], nx = rx.count[ox];
        let acc = -Infinity;
        for (let a = 0; a < ny; a++) {
          const row = base + (y0 + a * dh) * W + x0;
          for (let b = 0; b < nx; b++) {
            const v = xd[row + b * dw];
            if (v > acc) acc = v;
          }
        }
        y[at] = acc;
      }
    }
  }
}

export const maxPool = pool('max');
export const averagePool = pool('avg');

/**
 * GlobalAveragePool in onnxruntime's (MLAS) order: four running sums over elements i, i + 4, i + 8 ..., combined as
 * (s0 + s2) + (s1 + s3), then the remaining tail one by one, then one division; all in f32.
 */
export const globalAveragePool: FloatOpImpl = {
  shape: (_a, [x]) => [[x!.dims[0], x!.dims[1], ...x!.dims.slice(2).map(() => 1)]],
  run(_a, [x], [os]) {
    const xd = f32(x), inner = sizeOf(x!.dims.slice(2)), f = Math.fround;
    const y = new Float32Array(sizeOf(os));
    for (let i = 0; i < y.length; i++) {
      const b = i * inner, n4 = inner & ~3;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < n4; j += 4) {
        s0 = f(s0 + xd[b + j]);
        s1 = f(s1 + xd[b + j + 1]);
        s2 = f(s2 + xd[b + j + 2]);
        s3 = f(s3 + xd[b + j + 3]);
      }
      let s = f(f(s0 + s2) + f(s1 + s3));
      for (let j = n4; j < inner; j++) s = f(s + xd[b + j]);
      y[i] = s / inner;
    }
    return [y];
  },
};
