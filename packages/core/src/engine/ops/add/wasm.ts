/**
 * int8 Add on the wasm engine (packages/core/wasm/assembly/eltwise.ts add_q8): one pass over the padded NHWC bytes,
 * split across threads in 16-byte-aligned ranges.
 */
import { CALL, encodeCalls } from '../../wasm/call-list.js';
import { callRunner, splitRange } from '../../wasm/call-runner.js';
import type { WasmKernel } from '../../wasm/kernel-api.js';
import type { PlanAdd } from '../../plan/types.js';

/** Both inputs and the output share a layout, so the padded buffers are added byte for byte. */
export const addWasm: WasmKernel<PlanAdd> = (op) => (ctx) => {
  const a = ctx.ptr(op.a), b = ctx.ptr(op.b), o = ctx.ptr(op.output), n = ctx.layout(op.output).bytes;
  return callRunner(ctx, {
    lists: splitRange(n, ctx.scratch.length, 16).map(([i0, i1]) =>
      encodeCalls(i1 > i0 ? [[CALL.add_q8, a + i0, b + i0, o + i0, i1 - i0, op.sa, op.sb, op.sc, op.za, op.zb, op.zc, op.zr, op.lo, op.hi]] : [])),
  });
};
