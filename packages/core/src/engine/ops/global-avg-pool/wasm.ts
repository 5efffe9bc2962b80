/** int8 GlobalAveragePool on the wasm engine (packages/core/wasm/assembly/pool.ts gap_q8), one image at a time. */
import type { WasmKernel } from '../../wasm/kernel-api.js';
import type { PlanGlobalAvgPool } from '../../plan/types.js';

export const globalAvgPoolWasm: WasmKernel<PlanGlobalAvgPool> = (op) => (ctx) => {
  const ex = ctx.engine.exports;
  const li = ctx.layout(op.input), lo = ctx.layout(op.output);
  const src = ctx.ptr(op.input), dst = ctx.ptr(op.output);
  return () => {
    for (let n = 0; n < li.N; n++) {
      ex.gap_q8(src + n * li.H * li.W * li.Cs, li.H * li.W, li.Cs, op.inZeroPoint, op.multiplier, op.outZeroPoint, dst + n * lo.Cs);
    }
  };
};
