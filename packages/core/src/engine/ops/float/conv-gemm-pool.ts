/** Float reference kernels: Conv, Gemm, MatMul, BatchNormalization and pooling (NCHW, 2-D). Plain loops. */
import { broadcast, geometry } from '../../../onnx/shapes.js';
import { sizeOf } from '../../../tensor.js';
import { f32, unsupported, type Attrs, type FloatOpImpl } from '../shared/float-kernel.js';

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
    const [OC, Cg] = w!.dims;
    const g = geometry(attrs, [H, W], kernelOf(attrs, w!.dims), '');
    const [KH, KW] = g.kernel, [OH, OW] = g.out;
    const group = (attrs.group as number | undefined) ?? 1;
    const OCg = OC / group;
    const y = new Float32Array(sizeOf(os));
    for (let n = 0; n < N; n++) for (let o = 0; o < OC; o++) {
      const gi = Math.floor(o / OCg);
      for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
        let s = bd ? bd[o] : 0;
        for (let c = 0; c < Cg; c++) {
          const ci = gi * Cg + c;
          for (let ky = 0; ky < KH; ky++) {
            const iy = oy * g.strides[0] - g.pads[0] + ky * g.dilations[0];
            if (iy < 0 || iy >= H) continue;
            for (let kx = 0; kx < KW; kx++) {
              const ix = ox * g.strides[1] - g.pads[1] + kx * g.dilations[1];
              if (ix < 0 || ix >= W) continue;
              s += xd[((n * C + ci) * H + iy) * W + ix] * wd[((o * Cg + c) * KH + ky) * KW + kx];
            }
          }
        }
        y[((n * OC + o) * OH + oy) * OW + ox] = s;
      }
    }
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
      const [OH, OW] = g.out;
      const incl = attrs.count_include_pad === 1;
      const y = new Float32Array(sizeOf(os));
      for (let nc = 0; nc < N * C; nc++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
        let acc = kind === 'max' ? -Infinity : 0, cnt = 0, padded = 0;
        for (let ky = 0; ky < g.kernel[0]; ky++) {
          const iy = oy * g.strides[0] - g.pads[0] + ky * g.dilations[0];
          for (let kx = 0; kx < g.kernel[1]; kx++) {
            const ix = ox * g.strides[1] - g.pads[1] + kx * g.dilations[1];
            // count_include_pad counts explicit padding only, not the ceil_mode overhang.
            if (iy < H + g.pads[2] && ix < W + g.pads[3]) padded++;
            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
            const v = xd[(nc * H + iy) * W + ix];
            if (kind === 'max') acc = v > acc ? v : acc;
            else acc += v;
            cnt++;
          }
        }
        y[(nc * OH + oy) * OW + ox] = kind === 'max' ? acc : acc / (incl ? padded : cnt);
      }
      return [y];
    },
  };
}

export const maxPool = pool('max');
export const averagePool = pool('avg');

export const globalAveragePool: FloatOpImpl = {
  shape: (_a, [x]) => [[x!.dims[0], x!.dims[1], ...x!.dims.slice(2).map(() => 1)]],
  run(_a, [x], [os]) {
    const xd = f32(x), inner = sizeOf(x!.dims.slice(2));
    const y = new Float32Array(sizeOf(os));
    for (let i = 0; i < y.length; i++) {
      let s = 0;
      for (let j = 0; j < inner; j++) s += xd[i * inner + j];
      y[i] = s / inner;
    }
    return [y];
  },
};
