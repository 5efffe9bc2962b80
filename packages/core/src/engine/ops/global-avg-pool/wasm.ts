/** int8 GlobalAveragePool on the wasm engine (packages/core/wasm/assembly/pool.ts gap_q8), one image at a time. */
import { CALL, encodeCalls } from '../../wasm/call-list.js';
import { callRunner } from '../../wasm/call-runner.js';
import type { WasmKernel } from '../../wasm/kernel-api.js';
import type { PlanGlobalAvgPool } from '../../plan/types.js';

/** One thread: a ResNet-50 GAP reads 100 KB, less than a barrier's worth of work to split. */
export const globalAvgPoolWasm: WasmKernel<PlanGlobalAvgPool> = (op) => (ctx) => {
  const li = ctx.layout(op.input), lo = ctx.layout(op.output);
  const src = ctx.ptr(op.input), dst = ctx.ptr(op.output);
  return callRunner(ctx, {
    lists: [encodeCalls(Array.from({ length: li.N }, (_, n) =>
      [CALL.gap_q8, src + n * li.H * li.W * li.Cs, li.H * li.W, li.Cs, op.inZeroPoint, op.multiplier, op.outZeroPoint, dst + n * lo.Cs]))],
  });
};
