/**
 * Conv / Gemm / MatMul on the wasm engine (packages/core/wasm/assembly/{im2row,gemm,pack}.ts): weights packed once
 * at load by pack_weights; 1x1 stride-1 convs run the GEMM on the NHWC input directly, others im2row a band of output
 * rows into scratch and GEMM it; with helper threads, pixels (direct), equal shares of rows, or (where rows split
 * unevenly) output channels are split across threads (call-runner.ts threadShares). Stride-1 3x3 convs on the
 * SIMD128 kernel run as exact Winograd F(2x2, 3x3) (winograd-wasm.ts) where its overflow proof holds.
 * Convs with int16 weights (PlanConv.weights16) have no wasm kernel: they run the host reference.
 */
import { GEMM_MODE, type RelaxedMode } from '../../wasm/gemm-mode.js';
import type { WasmKernel, WasmOpContext, WasmRunner } from '../../wasm/kernel-api.js';
import { qLayout } from '../../wasm/layout.js';
import { CALL, encodeCalls } from '../../wasm/call-list.js';
import { callRunner, splitRange, threadShares } from '../../wasm/call-runner.js';
import type { PlanConv, PlanTensor } from '../../plan/types.js';
import { chunkBytes, foldBias, packShape } from './pack.js';
import { useWinograd, winogradConvWasm } from './winograd-wasm.js';

type Group = { w: number; b: number; s: number };

/**
 * Whether im2row writes int16 rows (GEMM_MODE.simd128Int16Rows). Not for the stem's few channels: there the doubled
 * row bytes cost more than the widening saves (measured).
 */
function wideRows(mode: number, Cg: number): boolean {
  return mode === GEMM_MODE.simd128 && Cg >= 16;
}

/** Output rows per im2row band: about 192 KB of rows (fits L2 next to the weights). */
function bandRows(H: number, W: number, rowBytes: number): number {
  return Math.max(1, Math.min(H, Math.floor(196608 / (W * rowBytes))));
}

/** 1x1, stride 1, no padding, one group: the NHWC input already is the GEMM's row matrix. */
function isDirect(op: PlanConv, input: PlanTensor): boolean {
  return op.group === 1 && op.kernel[0] === 1 && op.kernel[1] === 1 && op.strides[0] === 1 && op.strides[1] === 1 &&
    op.pads.every((p) => p === 0) && input.dtype === 'q8';
}

/** The conv kernel: packed weights, bias and multipliers per group; scratch for im2row bands; f32 output heads. */
export const convWasm: WasmKernel<PlanConv> = (op, mem) => {
  if (op.weights16) return undefined;
  if (useWinograd(op, mem)) return winogradConvWasm(op, mem);
  const T = mem.tensors;
  const { mode, Kp, blocks } = packShape(op, mem.engine.relaxedMode);
  const groups: Group[] = Array.from({ length: op.group }, () => ({ w: mem.alloc(blocks * (Kp / 16) * chunkBytes(mode)), b: mem.alloc(blocks * 16), s: mem.alloc(blocks * 16) }));
  const OCg = op.OC / op.group;
  // Packing reads each group's weights from a copy in the load-time region, then the per-channel sums after it.
  mem.loadTemp(((op.weights.length / op.group + 15) & ~15) + 8 * Math.max(4, OCg) + 32);
  if (!isDirect(op, T[op.input])) {
    const lo = qLayout(T[op.output]);
    // GEMM_MODE.simd128 rows are int16 (im2row16 + simd128Int16Rows).
    const rowBytes = Kp * (wideRows(mode, op.C / op.group) ? 2 : 1);
    mem.scratch(bandRows(lo.H, lo.W, rowBytes) * lo.W * rowBytes + 32);
  }
  // Float outputs of int8 Gemm/MatMul heads.
  const f32Out = op.outputF32 ? mem.alloc(T[op.output].shape.reduce((a, b) => a * b, 1) * 4 + 16) : 0;
  return (ctx) => {
    pack(ctx, op, mode, groups);
    return runner(ctx, op, mode, Kp, groups, f32Out);
  };
};

/** Packs one conv's weights with the engine's pack_weights and writes its folded bias and multipliers. */
function pack(ctx: WasmOpContext, op: PlanConv, mode: RelaxedMode, groups: Group[]): void {
  const ex = ctx.engine.exports, mem = ctx.engine.memory.buffer;
  const OCg = op.OC / op.group, K = op.weights.length / op.OC;
  const temp = ctx.loadTemp, sums = (temp + OCg * K + 15) & ~15;
  const sumsN = sums + ((OCg * 4 + 15) & ~15);
  groups.forEach((g, gi) => {
    new Int8Array(mem, temp, OCg * K).set(op.weights.subarray(gi * OCg * K, (gi + 1) * OCg * K));
    ex.pack_weights(temp, OCg, K, mode, g.w, sums, sumsN);
    const sum = new Int32Array(mem, sums, OCg), sumN = new Int32Array(mem, sumsN, OCg);
    const padded = (OCg + 3) & ~3;
    const bias = new Int32Array(mem, g.b, padded), scale = new Float32Array(mem, g.s, padded);
    bias.fill(0);
    scale.fill(0);
    for (let o = 0; o < OCg; o++) {
      const oc = gi * OCg + o;
      bias[o] = foldBias(op.bias[oc], op.inZeroPoint, mode, sum[o], sumN[o]);
      scale[o] = op.multiplier[oc];
    }
  });
}

function runner(ctx: WasmOpContext, op: PlanConv, mode: number, Kp: number, groups: Group[], f32Out: number): WasmRunner {
  const T = ctx.tensors, scratch = ctx.scratch, threads = scratch.length;
  const li = ctx.layout(op.input), lo = ctx.layout(op.output);
  const src = ctx.ptr(op.input), dst = op.outputF32 ? 0 : ctx.ptr(op.output);
  const Cg = op.C / op.group, OCg = op.OC / op.group;
  if (isDirect(op, T[op.input])) {
    const g = groups[0];
    const P = li.N * li.H * li.W;
    if (op.outputF32) {
      // Classifier heads: one thread (a handful of pixels), the float result read back after the call.
      return callRunner(ctx, {
        lists: [encodeCalls([[CALL.gemm_q8, src, li.Cs, P, Kp / 16, g.w, op.OC, mode, g.b, g.s, 0, -128, 127, f32Out, op.OC, 1]])],
        post: (f32) => void f32.set(op.output, new Float32Array(ctx.engine.memory.buffer, f32Out, P * op.OC).slice()),
      });
    }
    // Threads split the pixels (rows of the GEMM), in even counts for the kernel's 2-pixel register block.
    return callRunner(ctx, {
      lists: splitRange(P, threads, 2).map(([r0, r1]) => encodeCalls(r1 > r0
        ? [[CALL.gemm_q8, src + r0 * li.Cs, li.Cs, r1 - r0, Kp / 16, g.w, op.OC, mode, g.b, g.s, op.outZeroPoint, op.lo, op.hi, dst + r0 * lo.Cs, lo.Cs, 0]]
        : [])),
    });
  }
  const [KH, KW] = op.kernel, P = lo.H * lo.W;
  // SIMD128 kernel: int16 rows, so the GEMM's row loads need no widening.
  const wide = wideRows(mode, Cg), gMode = wide ? GEMM_MODE.simd128Int16Rows : mode, rs = wide ? Kp * 2 : Kp;
  const [sh, sw] = op.strides;
  // Bands of output rows: im2row then GEMM per band, so the rows are still in L2 when the GEMM reads them. Threads
  // take equal shares of the rows, each cut into bands in its own scratch; or, where rows split unevenly, all rows and
  // a range of output channels (threadShares).
  const shares = threadShares({ images: li.N, rows: lo.H, channels: OCg, threads, maxBand: bandRows(lo.H, lo.W, rs), splitChannels: op.group === 1 });
  const blockBytes = (Kp / 16) * chunkBytes(mode as RelaxedMode);
  return callRunner(ctx, {
    lists: scratch.map((scr, t) => {
      const { bands, channels: [o0, o1] } = shares[t];
      return encodeCalls(o1 <= o0 ? [] : bands.flatMap(([n, y, h]) => {
        const s = src + n * li.H * li.W * li.Cs, dy = dst + n * P * lo.Cs + y * lo.W * lo.Cs;
        return groups.flatMap((g, gi) => [
          [wide ? CALL.im2row16 : CALL.im2row, s, li.H, li.W, li.Cs, gi * Cg, Cg, KH, KW, sh, sw, op.pads[0] - y * sh, op.pads[1],
            op.dilations[0], op.dilations[1], h, lo.W, op.inZeroPoint, scr, Kp],
          [CALL.gemm_q8, scr, rs, h * lo.W, Kp / 16, g.w + (o0 / 4) * blockBytes, o1 - o0, gMode, g.b + o0 * 4, g.s + o0 * 4, op.outZeroPoint, op.lo, op.hi,
            dy + gi * OCg + o0, lo.Cs, 0],
        ]);
      }));
    }),
  });
}
