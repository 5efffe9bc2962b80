/** int8 channel Concat on the wasm engine (packages/core/wasm/assembly/eltwise.ts copy_channels), input by input. */
import { CALL, encodeCalls } from '../../wasm/call-list.js';
import { callRunner } from '../../wasm/call-runner.js';
import type { WasmKernel } from '../../wasm/kernel-api.js';
import type { PlanConcat } from '../../plan/types.js';

export const concatWasm: WasmKernel<PlanConcat> = (op) => (ctx) => {
  const lo = ctx.layout(op.output), dst = ctx.ptr(op.output);
  let off = 0;
  const calls = op.inputs.map((id) => {
    const l = ctx.layout(id), at = off;
    off += l.C;
    return [CALL.copy_channels, ctx.ptr(id), l.Cs, 0, dst, lo.Cs, at, l.N * l.H * l.W, l.C];
  });
  return callRunner(ctx, { lists: [encodeCalls(calls)] });
};
