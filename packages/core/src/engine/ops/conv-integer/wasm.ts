/**
 * ConvInteger / MatMulInteger on the wasm engine, with the int8 conv's kernels (packages/core/wasm/assembly/
 * {im2row,gemm}.ts): weights (w - zw, up to 9 bits) are packed at load in gemm_q8's SIMD128 int16 layout
 * (mode 0), which takes them as they are; every run writes the int32 bias -zx * sum(w) for this run's input zero
 * point and the f32 multipliers, and gemm_q8 writes f32(acc) * mul into an NHWC f32 buffer. The bias add, residual
 * add and ReLU run in JS, into a channel-last output where the plan allows it (else NCHW). Single-threaded.
 */
import { GEMM_MODE } from '../../wasm/gemm-mode.js';
import type { WasmKernel } from '../../wasm/kernel-api.js';
import { qLayout } from '../../wasm/layout.js';
import type { PlanConvInteger } from '../../plan/types.js';
import { runValues } from './reference.js';

/** Output rows per im2row band: about 192 KB of rows (as the int8 conv). */
function bandRows(H: number, W: number, rowBytes: number): number {
  return Math.max(1, Math.min(H, Math.floor(196608 / (W * rowBytes))));
}

function isDirect(op: PlanConvInteger): boolean {
  return op.group === 1 && op.kernel[0] === 1 && op.kernel[1] === 1 && op.strides[0] === 1 && op.strides[1] === 1 && op.pads.every((p) => p === 0);
}

/** Packs [OCg][K] int16 weights into mode 0 blocks [k/8][4 oc][8] (int16) at `dst`; returns sum(w) per channel. */
function packInt16(heap: Int16Array, dst: number, w: Int16Array, from: number, OCg: number, K: number, Kp: number): Int32Array {
  const blockElems = Kp * 4, base = dst >> 1;
  heap.fill(0, base, base + Math.ceil(OCg / 4) * blockElems);
  const sums = new Int32Array(OCg);
  for (let o = 0; o < OCg; o++) {
    const blk = base + (o >> 2) * blockElems, j = o & 3, src = from + o * K;
    let s = 0;
    for (let k = 0; k < K; k++) {
      const v = w[src + k];
      heap[blk + (k >> 3) * 32 + j * 8 + (k & 7)] = v;
      s += v;
    }
    sums[o] = s;
  }
  return sums;
}

export const convIntegerWasm: WasmKernel<PlanConvInteger> = (op, mem) => {
  const T = mem.tensors;
  if (T[op.input].dtype !== 'q8') return undefined;
  const Cg = op.C / op.group, OCg = op.OC / op.group;
  const K = op.kernel[0] * op.kernel[1] * Cg, Kp = (K + 15) & ~15, blocks = Math.ceil(OCg / 4);
  const groups = Array.from({ length: op.group }, () => ({ w: mem.alloc(blocks * Kp * 8), b: mem.alloc(blocks * 16), s: mem.alloc(blocks * 16) }));
  const lo = qLayout(T[op.output]);
  const outCount = lo.N * lo.H * lo.W * op.OC;
  const f32Out = mem.alloc(outCount * 4 + 16);
  // SIMD128 on int16 rows (im2row16) pays off from 16 channels on, as for the int8 conv.
  const wide = Cg >= 16, rowBytes = Kp * (wide ? 2 : 1);
  if (!isDirect(op)) mem.scratch(bandRows(lo.H, lo.W, rowBytes) * lo.W * rowBytes + 32);
  return (ctx) => {
    const ex = ctx.engine.exports;
    const sums = groups.map((g, gi) => packInt16(new Int16Array(ctx.engine.memory.buffer), g.w, op.weights, gi * OCg * K, OCg, K, Kp));
    const li = ctx.layout(op.input), src = ctx.ptr(op.input), scratch = ctx.scratch[0];
    const P = lo.H * lo.W, shift = op.xUnsigned ? 128 : 0;
    const [KH, KW] = op.kernel, [sh, sw] = op.strides;
    const band = bandRows(lo.H, lo.W, rowBytes);
    const im2row = wide ? ex.im2row16 : ex.im2row, gMode = wide ? GEMM_MODE.simd128Int16Rows : GEMM_MODE.simd128;
    const outNhwc = T[op.output].layout === 'nhwc', resNhwc = op.residual !== undefined && T[op.residual].layout === 'nhwc';
    return (f32) => {
      const zx = runValues(op.xZeroPoint, f32)[0] - shift;
      const mul = op.mul ? runValues(op.mul, f32) : undefined;
      const buf = ctx.engine.memory.buffer;
      groups.forEach((g, gi) => {
        const bias = new Int32Array(buf, g.b, blocks * 4), scale = new Float32Array(buf, g.s, blocks * 4);
        for (let o = 0; o < OCg; o++) {
          bias[o] = -zx * sums[gi][o];
          scale[o] = mul ? mul[mul.length > 1 ? gi * OCg + o : 0] : 1;
        }
      });
      if (isDirect(op)) {
        const g = groups[0];
        ex.gemm_q8(src, li.Cs, li.N * P, Kp / 16, g.w, op.OC, GEMM_MODE.simd128, g.b, g.s, 0, -128, 127, f32Out, op.OC, 1);
      } else {
        for (let n = 0; n < li.N; n++) {
          const s = src + n * li.H * li.W * li.Cs;
          for (let y = 0; y < lo.H; y += band) {
            const h = Math.min(band, lo.H - y);
            groups.forEach((g, gi) => {
              im2row(s, li.H, li.W, li.Cs, gi * Cg, Cg, KH, KW, sh, sw, op.pads[0] - y * sh, op.pads[1], op.dilations[0], op.dilations[1], h, lo.W, zx, scratch, Kp);
              ex.gemm_q8(scratch, rowBytes, h * lo.W, Kp / 16, g.w, OCg, gMode, g.b, g.s, 0, -128, 127, f32Out + ((n * P + y * lo.W) * op.OC + gi * OCg) * 4, op.OC, 1);
            });
          }
        }
      }
      const residual = op.residual === undefined ? undefined : f32.get(op.residual);
      f32.set(op.output, epilogue(op, new Float32Array(ctx.engine.memory.buffer, f32Out, outCount), lo.N, P, residual, outNhwc, resNhwc));
    };
  };
};

/**
 * The f32 epilogue on the GEMM's NHWC [N][P][OC] output: bias add, residual add and ReLU in onnxruntime's order (the
 * stores into Float32Arrays round each step to f32). Channel-last outputs (plan/dynamic-quant.ts) are one
 * contiguous pass; NCHW outputs are transposed in tiles of 16 pixels so strided reads and writes stay in cache.
 */
function epilogue(op: PlanConvInteger, nhwc: Float32Array, N: number, P: number, residual: Float32Array | undefined, outNhwc: boolean, resNhwc: boolean): Float32Array {
  const OC = op.OC, y = new Float32Array(nhwc.length), bias = op.bias, relu = op.relu;
  if (outNhwc && (!residual || resNhwc)) {
    // One pass; Math.fround rounds the bias sum before the residual add, as onnxruntime's separate Adds do.
    const f = Math.fround, zero = new Float32Array(OC), b = bias ?? zero;
    for (let i = 0; i < y.length; i += OC) {
      for (let o = 0; o < OC; o++) {
        let v = f(nhwc[i + o] + b[o]);
        if (residual) v = f(v + residual[i + o]);
        y[i + o] = relu && !(v > 0) ? 0 : v;
      }
    }
    return y;
  }
  if (outNhwc) {
    y.set(nhwc);
    if (bias) for (let i = 0, o = 0; i < y.length; i++, o = o + 1 === OC ? 0 : o + 1) y[i] += bias[o];
    for (let n = 0, i = 0; n < N; n++) for (let p = 0; p < P; p++) for (let o = 0; o < OC; o++, i++) y[i] += residual![(n * OC + o) * P + p];
    if (relu) for (let i = 0; i < y.length; i++) if (!(y[i] > 0)) y[i] = 0;
    return y;
  }
  for (let n = 0; n < N; n++) {
    const src = n * P * OC, dst = n * OC * P;
    for (let p0 = 0; p0 < P; p0 += 16) {
      const pe = Math.min(P, p0 + 16);
      for (let o = 0; o < OC; o++) {
        const b = bias ? bias[o] : 0, row = dst + o * P;
        if (bias) for (let p = p0; p < pe; p++) y[row + p] = nhwc[src + p * OC + o] + b;
        else for (let p = p0; p < pe; p++) y[row + p] = nhwc[src + p * OC + o];
        if (residual && resNhwc) for (let p = p0; p < pe; p++) y[row + p] += residual[src + p * OC + o];
        else if (residual) for (let p = p0; p < pe; p++) y[row + p] += residual[row + p];
        if (relu) for (let p = p0; p < pe; p++) if (!(y[row + p] > 0)) y[row + p] = 0;
      }
    }
  }
  return y;
}
