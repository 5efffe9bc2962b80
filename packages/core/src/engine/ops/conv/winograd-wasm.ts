/**
 * The Winograd F(2x2, 3x3) variant of the wasm conv kernel (packages/core/wasm/assembly/winograd.ts; math and
 * overflow proof in winograd.ts): per band of tile rows, wino_input (V, int16), 16 gemm_q8 calls on int16 rows
 * (mode 4, int32 sums) and wino_output (inverse transform, bias, requantization). With helper threads, each thread
 * takes an equal share of the tile rows, or all rows and a range of output channels where rows split unevenly
 * (call-runner.ts threadShares), in its own scratch.
 */
import { GEMM_MODE } from '../../wasm/gemm-mode.js';
import type { WasmMemoryPlan, WasmOpContext, WasmRunner } from '../../wasm/kernel-api.js';
import { qLayout } from '../../wasm/layout.js';
import { CALL, encodeCalls } from '../../wasm/call-list.js';
import { callRunner, threadShares } from '../../wasm/call-runner.js';
import { winogradBandCalls } from '../../wasm/winograd-calls.js';
import type { PlanConv } from '../../plan/types.js';
import { packShape } from './pack.js';
import { winogradGeometry as geometry, type WinogradGeometry as Geometry } from '../shared/winograd-bound.js';
import { WINO_LIMIT, winogradBound, winogradShape } from './winograd.js';

/**
 * Whether the wasm engine runs `op` the Winograd way: its geometry, the engine's SIMD128 kernel (mode 0; the relaxed
 * usdot kernel is faster than Winograd on int16), Winograd not switched off, and the overflow proof holds.
 *
 * @example
 * ```ts
 * if (useWinograd(op, mem)) return winogradConvWasm(op, mem);
 * ```
 */
export function useWinograd(op: PlanConv, mem: Pick<WasmMemoryPlan, 'engine' | 'tensors'>): boolean {
  return mem.engine.winograd && winogradShape(op, mem.tensors[op.input]) && packShape(op, mem.engine.relaxedMode).mode === GEMM_MODE.simd128 &&
    winogradBound(op) < WINO_LIMIT;
}

/**
 * Reserves the transformed weights (16 int16 matrices, 16/9 x 2 bytes per weight), bias, multipliers and per-thread
 * band scratch; returns the builder of the runner. Call only when {@link useWinograd} holds.
 *
 * @example
 * ```ts
 * const build = winogradConvWasm(op, mem);
 * ```
 */
export function winogradConvWasm(op: PlanConv, mem: WasmMemoryPlan): (ctx: WasmOpContext) => WasmRunner {
  const lo = qLayout(mem.tensors[op.output]);
  const g = geometry(op, lo.H, lo.W);
  const U = mem.alloc(16 * g.eStride), bias = mem.alloc(g.OCp * 4), scale = mem.alloc(g.OCp * 4);
  mem.scratch(g.band * g.TW * (g.tileBytesV + 64 * g.OCp) + 32);
  mem.loadTemp(op.weights.length + 16);
  return (ctx) => {
    const ex = ctx.engine.exports, buf = ctx.engine.memory.buffer;
    new Int8Array(buf, ctx.loadTemp, op.weights.length).set(op.weights);
    ex.wino_pack(ctx.loadTemp, op.OC, op.C, U, g.eStride);
    const b = new Int32Array(buf, bias, g.OCp).fill(0), s = new Float32Array(buf, scale, g.OCp).fill(0);
    const K = 9 * op.C;
    for (let o = 0; o < op.OC; o++) {
      let sum = 0;
      for (let k = o * K; k < (o + 1) * K; k++) sum += op.weights[k];
      b[o] = op.bias[o] - op.inZeroPoint * sum;
      s[o] = op.multiplier[o];
    }
    return winogradRunner(ctx, op, g, U, bias, scale);
  };
}

function winogradRunner(ctx: WasmOpContext, op: PlanConv, g: Geometry, U: number, bias: number, scale: number): WasmRunner {
  const li = ctx.layout(op.input), lo = ctx.layout(op.output);
  const src = ctx.ptr(op.input), dst = ctx.ptr(op.output), scratch = ctx.scratch;
  // Equal shares of tile rows per thread, cut into bands of at most g.band tile rows; or, where tile rows split
  // unevenly, all rows and a range of output channels per thread (threadShares).
  const shares = threadShares({ images: li.N, rows: g.TH, channels: g.OCp, threads: scratch.length, maxBand: g.band });
  return callRunner(ctx, {
    lists: scratch.map((scr, t) => {
      const { bands, channels } = shares[t], [o0, o1] = channels;
      return encodeCalls(o1 <= o0 ? [] : bands.flatMap(([img, ty, n]) => winogradBandCalls(
        { g, input: src + img * li.H * li.W * li.Cs, H: li.H, W: li.W, Cs: li.Cs, pads: [op.pads[0], op.pads[1]], zeroPoint: op.inZeroPoint, U, bias, scale, scratch: scr, ty, n, channels },
        (M) => [CALL.wino_output, M, g.OCp, Math.min(o1, op.OC) - o0, ty, n, g.TW, lo.H, lo.W, bias + o0 * 4, scale + o0 * 4, op.outZeroPoint, op.lo, op.hi,
          dst + img * lo.H * lo.W * lo.Cs + o0, lo.Cs],
      )));
    }),
  }, 'winograd');
}
