/**
 * ConvInteger the Winograd F(2x2, 3x3) way (packages/core/wasm/assembly/winograd.ts): the int8 conv's input transform
 * and int32 GEMMs, weights packed from ConvInteger's 9-bit w - zw (wino_pack16), and an inverse transform that writes
 * f32(Y + bias) * scale (wino_output_f32), the value gemm_q8 gives the direct path. Exact integer arithmetic, so the
 * result equals the direct ConvInteger bit for bit wherever the overflow proof (ops/shared/winograd-bound.ts) holds.
 * With helper threads, each takes an equal share of the tile rows, or all rows and a range of output channels where
 * rows split unevenly (call-runner.ts threadShares), in its own scratch.
 */
import type { WasmMemoryPlan, WasmOpContext } from '../../wasm/kernel-api.js';
import { qLayout } from '../../wasm/layout.js';
import { CALL, encodeCalls } from '../../wasm/call-list.js';
import { runCallLists, threadShares, type ThreadShare } from '../../wasm/call-runner.js';
import { winogradBandCalls } from '../../wasm/winograd-calls.js';
import type { PlanConvInteger } from '../../plan/types.js';
import { WINO_LIMIT, winogradBound, winogradGeometry } from '../shared/winograd-bound.js';

/**
 * Whether ConvInteger `op` runs the Winograd way: 3x3, stride 1, no dilation, one group, Winograd not switched off,
 * and the overflow proof holds for its weights.
 *
 * @example
 * ```ts
 * if (convIntegerWinograd(op, mem)) { ... }
 * ```
 */
export function convIntegerWinograd(op: PlanConvInteger, mem: Pick<WasmMemoryPlan, 'engine'>): boolean {
  return mem.engine.winograd && op.group === 1 && op.kernel[0] === 3 && op.kernel[1] === 3 && op.strides.every((s) => s === 1) &&
    op.dilations.every((d) => d === 1) && winogradBound(op) < WINO_LIMIT;
}

/** A prepared Winograd ConvInteger: pack once, then run writes the NHWC f32 output [N][OH][OW][OC] at `f32Out`. */
export interface ConvIntegerWinograd {
  /** Packs the weights (once, when the executor is built). */
  pack(ctx: WasmOpContext): void;
  /**
   * One run: `zx` the input zero point in the int8 domain, `mul` the multipliers (one per channel, or one). `act`,
   * when given, is the call of the f32 epilogue over output pixels [p0, p1): each thread runs it after the bands it
   * wrote, where threads split rows. Returns whether it ran (else the caller runs the epilogue).
   */
  run(ctx: WasmOpContext, o: { zx: number; mul?: ArrayLike<number>; f32Out: number; act?: (p0: number, p1: number) => number[] }): boolean;
}

/**
 * Reserves the transformed weights, bias, multipliers and band scratch for `op`.
 *
 * @example
 * ```ts
 * const wino = convIntegerWinograd(op, mem) ? prepareConvIntegerWinograd(op, mem) : undefined;
 * ```
 */
export function prepareConvIntegerWinograd(op: PlanConvInteger, mem: WasmMemoryPlan): ConvIntegerWinograd {
  const lo = qLayout(mem.tensors[op.output]);
  const g = winogradGeometry(op, lo.H, lo.W);
  const U = mem.alloc(16 * g.eStride), bias = mem.alloc(g.OCp * 4), scale = mem.alloc(g.OCp * 4);
  mem.scratch(g.band * g.TW * (g.tileBytesV + 64 * g.OCp) + 32);
  mem.loadTemp(op.weights.length * 2 + 16);
  // sum(w - zw) per output channel: the bias -zx * sum folds the input zero point out, as in the direct path.
  const sums = new Float64Array(op.OC);
  for (let o = 0, K = 9 * op.C; o < op.OC; o++) for (let k = o * K; k < (o + 1) * K; k++) sums[o] += op.weights[k];
  let shares: ThreadShare[] | undefined;
  return {
    pack(ctx) {
      new Int16Array(ctx.engine.memory.buffer, ctx.loadTemp, op.weights.length).set(op.weights);
      ctx.engine.exports.wino_pack16(ctx.loadTemp, op.OC, op.C, U, g.eStride);
    },
    run(ctx, { zx, mul, f32Out, act }) {
      const buf = ctx.engine.memory.buffer;
      const li = ctx.layout(op.input), src = ctx.ptr(op.input), threads = ctx.scratch.length;
      // Written in full every run (padding lanes too): memory above heap_base is not zero.
      const b = new Int32Array(buf, bias, g.OCp).fill(0), s = new Float32Array(buf, scale, g.OCp).fill(0);
      for (let o = 0; o < op.OC; o++) {
        b[o] = -zx * sums[o];
        s[o] = mul ? mul[mul.length > 1 ? o : 0] : 1;
      }
      const P = lo.H * lo.W;
      // The same split every run (shapes are fixed per plan): computed on the first.
      shares ??= threadShares({ images: li.N, rows: g.TH, channels: g.OCp, threads: ctx.scratch.length, maxBand: g.band });
      const byRows = shares.every((sh) => sh.channels[0] === 0);
      runCallLists(ctx, ctx.scratch.map((scr, t) => {
        const { bands, channels } = shares![t], [o0, o1] = channels;
        return encodeCalls(o1 <= o0 ? [] : bands.flatMap(([n, ty, nty]) => {
          const out = f32Out + n * P * op.OC * 4;
          const calls = winogradBandCalls(
            { g, input: src + n * li.H * li.W * li.Cs, H: li.H, W: li.W, Cs: li.Cs, pads: [op.pads[0], op.pads[1]], zeroPoint: zx, U, bias, scale, scratch: scr, ty, n: nty, channels },
            (M) => [CALL.wino_output_f32, M, g.OCp, Math.min(o1, op.OC) - o0, ty, nty, g.TW, lo.H, lo.W, bias + o0 * 4, scale + o0 * 4, out + o0 * 4, op.OC],
          );
          if (act && byRows) calls.push(act(n * P + 2 * ty * lo.W, n * P + Math.min(lo.H, 2 * (ty + nty)) * lo.W));
          return calls;
        }));
      }));
      return act !== undefined && byRows;
    },
  };
}
