/**
 * ConvInteger the Winograd F(2x2, 3x3) way (packages/core/wasm/assembly/winograd.ts): the int8 conv's input transform
 * and int32 GEMMs, weights packed from ConvInteger's 9-bit w - zw (wino_pack16), and an inverse transform that writes
 * f32(Y + bias) * scale (wino_output_f32), the value gemm_q8 gives the direct path. Exact integer arithmetic, so the
 * result equals the direct ConvInteger bit for bit wherever the overflow proof (ops/shared/winograd-bound.ts) holds.
 * Single-threaded like the direct path.
 */
import { GEMM_MODE } from '../../wasm/gemm-mode.js';
import type { WasmMemoryPlan, WasmOpContext } from '../../wasm/kernel-api.js';
import { qLayout } from '../../wasm/layout.js';
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
  /** One run: `zx` the input zero point in the int8 domain, `mul` the multipliers (one per channel, or one). */
  run(ctx: WasmOpContext, o: { zx: number; mul?: ArrayLike<number>; f32Out: number }): void;
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
  return {
    pack(ctx) {
      new Int16Array(ctx.engine.memory.buffer, ctx.loadTemp, op.weights.length).set(op.weights);
      ctx.engine.exports.wino_pack16(ctx.loadTemp, op.OC, op.C, U, g.eStride);
    },
    run(ctx, { zx, mul, f32Out }) {
      const ex = ctx.engine.exports, buf = ctx.engine.memory.buffer;
      const li = ctx.layout(op.input), src = ctx.ptr(op.input), scr = ctx.scratch[0];
      // Written in full every run (padding lanes too): memory above heap_base is not zero.
      const b = new Int32Array(buf, bias, g.OCp).fill(0), s = new Float32Array(buf, scale, g.OCp).fill(0);
      for (let o = 0; o < op.OC; o++) {
        b[o] = -zx * sums[o];
        s[o] = mul ? mul[mul.length > 1 ? o : 0] : 1;
      }
      const V = scr, M = scr + g.band * g.TW * g.tileBytesV, P = lo.H * lo.W;
      for (let n = 0; n < li.N; n++) {
        const img = src + n * li.H * li.W * li.Cs, out = f32Out + n * P * op.OC * 4;
        for (let ty = 0; ty < g.TH; ty += g.band) {
          const nty = Math.min(g.band, g.TH - ty);
          ex.wino_input(img, li.H, li.W, li.Cs, g.Kp, op.pads[0], op.pads[1], ty, nty, g.TW, zx, V);
          for (let e = 0; e < 16; e++) {
            ex.gemm_q8(V + e * g.Kp * 2, 32 * g.Kp, nty * g.TW, g.Kp / 16, U + e * g.eStride, g.OCp, GEMM_MODE.simd128Int16Rows, bias, scale, 0, -128, 127,
              M + e * g.OCp * 4, 16 * g.OCp, 2);
          }
          ex.wino_output_f32(M, g.OCp, op.OC, ty, nty, g.TW, lo.H, lo.W, bias, scale, out, op.OC);
        }
      }
    },
  };
}
