/**
 * Requantization on the wasm engine: a table lookup over the padded NHWC bytes (input and output share a layout),
 * packages/core/wasm/assembly/eltwise.ts requant_q8, split across threads in 16-byte-aligned ranges.
 */
import { CALL, encodeCalls } from '../../wasm/call-list.js';
import { callRunner, splitRange } from '../../wasm/call-runner.js';
import type { WasmKernel } from '../../wasm/kernel-api.js';
import type { PlanRequant } from '../../plan/types.js';

export const requantWasm: WasmKernel<PlanRequant> = (op, mem) => {
  const table = mem.alloc(256);
  return (ctx) => {
    new Int8Array(ctx.engine.memory.buffer, table, 256).set(op.table);
    const a = ctx.ptr(op.input), b = ctx.ptr(op.output), n = ctx.layout(op.output).bytes;
    return callRunner(ctx, {
      lists: splitRange(n, ctx.scratch.length, 16).map(([i0, i1]) => encodeCalls(i1 > i0 ? [[CALL.requant_q8, a + i0, b + i0, i1 - i0, table]] : [])),
    });
  };
};
