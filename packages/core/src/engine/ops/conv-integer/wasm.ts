/**
 * ConvInteger / MatMulInteger on the wasm engine, with the int8 conv's kernels (packages/core/wasm/assembly/
 * {im2row,gemm}.ts): weights (w - zw, up to 9 bits) are packed at load in gemm_q8's SIMD128 int16 layout
 * (mode 0), which takes them as they are; every run writes the int32 bias -zx * sum(w) for this run's input zero
 * point and the f32 multipliers, and gemm_q8 writes f32(acc) * mul into an NHWC f32 buffer. The bias add, residual
 * add and ReLU run in wasm (bias_act_f32, in place) when the output and residual live in channel-last slots
 * (plan/dynamic-quant.ts), else in JS, into a channel-last or NCHW output. With helper threads the GEMMs are split
 * as the int8 conv's (pixels, equal shares of rows, or output channels for Winograd), with call lists built per run
 * (the zero point is an im2row argument); the epilogue stays on the calling thread.
 */
import { GEMM_MODE } from '../../wasm/gemm-mode.js';
import type { WasmKernel, WasmMemoryPlan, WasmRunner } from '../../wasm/kernel-api.js';
import { qLayout } from '../../wasm/layout.js';
import { CALL, encodeCalls } from '../../wasm/call-list.js';
import { runCallLists, splitRange, threadBands } from '../../wasm/call-runner.js';
import type { PlanConvInteger, PlanTensor } from '../../plan/types.js';
import { runValues } from './reference.js';
import { convIntegerWinograd, prepareConvIntegerWinograd } from './winograd-wasm.js';

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

/** Per executor (keyed by its tensor list): the wasm address of each channel-last f32 buffer slot. */
const slotAddrs = new WeakMap<readonly PlanTensor[], Map<number, number>>();

/** The address of tensor `id`'s slot, reserving every slot (sized for its largest tensor) on first use. */
function slotAddress(mem: WasmMemoryPlan, id: number): number {
  let m = slotAddrs.get(mem.tensors);
  if (!m) {
    const bytes = new Map<number, number>();
    for (const t of mem.tensors) if (t.slot !== undefined) bytes.set(t.slot, Math.max(bytes.get(t.slot) ?? 0, t.shape.reduce((a, b) => a * b, 1) * 4));
    m = new Map([...bytes].map(([slot, b]) => [slot, mem.alloc(b + 16)]));
    slotAddrs.set(mem.tensors, m);
  }
  return m.get(mem.tensors[id].slot!)!;
}

export const convIntegerWasm: WasmKernel<PlanConvInteger> = (op, mem) => {
  const T = mem.tensors;
  if (T[op.input].dtype !== 'q8') return undefined;
  const Cg = op.C / op.group, OCg = op.OC / op.group;
  const K = op.kernel[0] * op.kernel[1] * Cg, Kp = (K + 15) & ~15, blocks = Math.ceil(OCg / 4);
  // Stride-1 3x3 layers whose overflow proof holds run as exact Winograd (winograd-wasm.ts), the rest as im2row + GEMM.
  const wino = convIntegerWinograd(op, mem) ? prepareConvIntegerWinograd(op, mem) : undefined;
  const groups = wino ? [] : Array.from({ length: op.group }, () => ({ w: mem.alloc(blocks * Kp * 8), b: mem.alloc(blocks * 16), s: mem.alloc(blocks * 16) }));
  const lo = qLayout(T[op.output]);
  const outCount = lo.N * lo.H * lo.W * op.OC;
  // A channel-last output is written by the GEMM straight into its slot and finished in place; else a private buffer.
  const inSlot = T[op.output].slot !== undefined;
  const f32Out = inSlot ? slotAddress(mem, op.output) : mem.alloc(outCount * 4 + 16);
  // Bias for the wasm epilogues (zeros where the op has none), and an NCHW f32 output in wasm memory where the
  // output is not channel-last and has no residual (bias_act_nchw_f32: the JS transpose cost as much as the GEMM).
  const biasAddr = mem.alloc(op.OC * 4 + 16);
  const nchwOut = !inSlot && op.residual === undefined && T[op.output].layout !== 'nhwc' ? mem.alloc(outCount * 4 + 16) : 0;
  // SIMD128 on int16 rows (im2row16) pays off from 16 channels on, as for the int8 conv.
  const wide = Cg >= 16, rowBytes = Kp * (wide ? 2 : 1);
  if (!wino && !isDirect(op)) mem.scratch(bandRows(lo.H, lo.W, rowBytes) * lo.W * rowBytes + 32);
  return (ctx) => {
    const ex = ctx.engine.exports;
    wino?.pack(ctx);
    const sums = groups.map((g, gi) => packInt16(new Int16Array(ctx.engine.memory.buffer), g.w, op.weights, gi * OCg * K, OCg, K, Kp));
    // Written in full: memory above heap_base is not zero (the relaxed build's known-answer test runs there).
    new Float32Array(ctx.engine.memory.buffer, biasAddr, op.OC).set(op.bias ?? new Float32Array(op.OC));
    const li = ctx.layout(op.input), src = ctx.ptr(op.input), threads = ctx.scratch.length;
    const P = lo.H * lo.W, shift = op.xUnsigned ? 128 : 0;
    const [KH, KW] = op.kernel, [sh, sw] = op.strides;
    const band = bandRows(lo.H, lo.W, rowBytes);
    const im2row = wide ? CALL.im2row16 : CALL.im2row, gMode = wide ? GEMM_MODE.simd128Int16Rows : GEMM_MODE.simd128;
    // Threads split pixels (direct) or equal shares of output rows, as the int8 conv; each its own scratch.
    const pixelShares = splitRange(li.N * P, threads, 2);
    const rowShares = threadBands({ images: li.N, rows: lo.H, threads, maxBand: band });
    const outNhwc = T[op.output].layout === 'nhwc', resNhwc = op.residual !== undefined && T[op.residual].layout === 'nhwc';
    const run: WasmRunner = (f32) => {
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
      const residual = op.residual === undefined ? undefined : f32.get(op.residual);
      // Slot output (and channel-last residual in wasm memory): the bias/residual/ReLU pass runs in wasm, in place, by
      // each thread right after its own GEMMs over the pixels it wrote (the JS loops below cost as much as the GEMM).
      const inPlace = inSlot && (!residual || (resNhwc && residual.buffer === ctx.engine.memory.buffer));
      const act = (p0: number, p1: number) => [CALL.bias_act_f32, f32Out + p0 * op.OC * 4, f32Out + p0 * op.OC * 4, (p1 - p0) * op.OC, op.OC, biasAddr,
        residual ? residual.byteOffset + p0 * op.OC * 4 : 0, op.relu ? 1 : 0];
      let actDone = false;
      if (wino) actDone = wino.run(ctx, { zx, mul, f32Out, act: inPlace ? act : undefined });
      else if (isDirect(op)) {
        const g = groups[0];
        runCallLists(ctx, pixelShares.map(([r0, r1]) => encodeCalls(r1 > r0
          ? [[CALL.gemm_q8, src + r0 * li.Cs, li.Cs, r1 - r0, Kp / 16, g.w, op.OC, GEMM_MODE.simd128, g.b, g.s, 0, -128, 127, f32Out + r0 * op.OC * 4, op.OC, 1],
            ...(inPlace ? [act(r0, r1)] : [])]
          : [])));
        actDone = inPlace;
      } else {
        runCallLists(ctx, rowShares.map((share, t) => encodeCalls(share.flatMap(([n, y, h]) => {
          const s = src + n * li.H * li.W * li.Cs, scratch = ctx.scratch[t], p0 = n * P + y * lo.W;
          return [...groups.flatMap((g, gi) => [
            [im2row, s, li.H, li.W, li.Cs, gi * Cg, Cg, KH, KW, sh, sw, op.pads[0] - y * sh, op.pads[1], op.dilations[0], op.dilations[1], h, lo.W, zx, scratch, Kp],
            [CALL.gemm_q8, scratch, rowBytes, h * lo.W, Kp / 16, g.w, OCg, gMode, g.b, g.s, 0, -128, 127, f32Out + (p0 * op.OC + gi * OCg) * 4, op.OC, 1],
          ]), ...(inPlace ? [act(p0, p0 + h * lo.W)] : [])];
        }))));
        actDone = inPlace;
      }
      const out = new Float32Array(ctx.engine.memory.buffer, f32Out, outCount);
      if (inPlace) {
        if (!actDone) ex.bias_act_f32(f32Out, f32Out, outCount, op.OC, biasAddr, residual ? residual.byteOffset : 0, op.relu ? 1 : 0);
        f32.set(op.output, out);
      } else if (nchwOut) {
        for (let n = 0; n < lo.N; n++) ex.bias_act_nchw_f32(f32Out + n * P * op.OC * 4, nchwOut + n * P * op.OC * 4, P, op.OC, biasAddr, op.relu ? 1 : 0);
        f32.set(op.output, new Float32Array(ctx.engine.memory.buffer, nchwOut, outCount));
      } else f32.set(op.output, epilogue(op, out, inSlot ? out : new Float32Array(outCount), lo.N, P, residual, outNhwc, resNhwc));
    };
    if (wino) run.variant = 'winograd';
    return run;
  };
};

/**
 * The f32 epilogue on the GEMM's NHWC [N][P][OC] output, into `y` (which may be `nhwc` itself): bias add, residual
 * add and ReLU in onnxruntime's order (each step rounded to f32). Channel-last outputs are one contiguous pass; NCHW
 * outputs are transposed in tiles of 16 pixels so strided reads and writes stay in cache.
 */
function epilogue(
  op: PlanConvInteger, nhwc: Float32Array, y: Float32Array, N: number, P: number, residual: Float32Array | undefined, outNhwc: boolean, resNhwc: boolean,
): Float32Array {
  const OC = op.OC, bias = op.bias ?? new Float32Array(OC), relu = op.relu;
  if (outNhwc && (!residual || resNhwc)) {
    // The common cases as separate monomorphic loops (a loop with per-element mode checks ran ~4x slower in place).
    const n = y.length;
    if (residual && relu) nhwcBiasResidualRelu(nhwc, y, n, OC, bias, residual);
    else if (residual) nhwcBiasResidual(nhwc, y, n, OC, bias, residual);
    else if (relu) nhwcBiasRelu(nhwc, y, n, OC, bias);
    else nhwcBias(nhwc, y, n, OC, bias);
    return y;
  }
  if (outNhwc) {
    for (let n = 0, i = 0; n < N; n++) {
      for (let p = 0; p < P; p++) {
        for (let o = 0; o < OC; o++, i++) {
          const v = Math.fround(Math.fround(nhwc[i] + bias[o]) + residual![(n * OC + o) * P + p]);
          y[i] = relu && !(v > 0) ? 0 : v;
        }
      }
    }
    return y;
  }
  for (let n = 0; n < N; n++) {
    const src = n * P * OC, dst = n * OC * P;
    for (let p0 = 0; p0 < P; p0 += 16) {
      const pe = Math.min(P, p0 + 16);
      for (let o = 0; o < OC; o++) {
        const b = bias[o], row = dst + o * P;
        if (op.bias) for (let p = p0; p < pe; p++) y[row + p] = nhwc[src + p * OC + o] + b;
        else for (let p = p0; p < pe; p++) y[row + p] = nhwc[src + p * OC + o];
        if (residual && resNhwc) for (let p = p0; p < pe; p++) y[row + p] += residual[src + p * OC + o];
        else if (residual) for (let p = p0; p < pe; p++) y[row + p] += residual[row + p];
        if (relu) for (let p = p0; p < pe; p++) if (!(y[row + p] > 0)) y[row + p] = 0;
      }
    }
  }
  return y;
}

// Channel-last epilogues over n values of OC channels (stores into Float32Array round each sum to f32).
function nhwcBias(x: Float32Array, y: Float32Array, n: number, OC: number, b: Float32Array): void {
  for (let i = 0; i < n; i += OC) for (let o = 0; o < OC; o++) y[i + o] = x[i + o] + b[o];
}

function nhwcBiasRelu(x: Float32Array, y: Float32Array, n: number, OC: number, b: Float32Array): void {
  for (let i = 0; i < n; i += OC) {
    for (let o = 0; o < OC; o++) {
      const v = Math.fround(x[i + o] + b[o]);
      y[i + o] = v > 0 ? v : 0;
    }
  }
}

function nhwcBiasResidual(x: Float32Array, y: Float32Array, n: number, OC: number, b: Float32Array, r: Float32Array): void {
  for (let i = 0; i < n; i += OC) for (let o = 0; o < OC; o++) y[i + o] = Math.fround(x[i + o] + b[o]) + r[i + o];
}

function nhwcBiasResidualRelu(x: Float32Array, y: Float32Array, n: number, OC: number, b: Float32Array, r: Float32Array): void {
  for (let i = 0; i < n; i += OC) {
    for (let o = 0; o < OC; o++) {
      const v = Math.fround(Math.fround(x[i + o] + b[o]) + r[i + o]);
      y[i + o] = v > 0 ? v : 0;
    }
  }
}

