/** Requantization on the wasm engine: a table lookup over the padded NHWC bytes (input and output share a layout). */
import type { WasmKernel } from '../../wasm/kernel-api.js';
import type { PlanRequant } from '../../plan/types.js';

export const requantWasm: WasmKernel<PlanRequant> = (op) => (ctx) => {
  const a = ctx.ptr(op.input), b = ctx.ptr(op.output), n = ctx.layout(op.output).bytes;
  const table = op.table;
  return () => {
    const heap = new Int8Array(ctx.engine.memory.buffer);
    for (let i = 0; i < n; i++) heap[b + i] = table[heap[a + i] + 128];
  };
};
