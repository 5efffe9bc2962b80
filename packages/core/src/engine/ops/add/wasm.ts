/** int8 Add on the wasm engine (packages/core/wasm/assembly/eltwise.ts add_q8): one pass over the padded NHWC bytes. */
import type { WasmKernel } from '../../wasm/kernel-api.js';
import type { PlanAdd } from '../../plan/types.js';

/** Both inputs and the output share a layout, so the padded buffers are added byte for byte. */
export const addWasm: WasmKernel<PlanAdd> = (op) => (ctx) => {
  const ex = ctx.engine.exports;
  const a = ctx.ptr(op.a), b = ctx.ptr(op.b), o = ctx.ptr(op.output), n = ctx.layout(op.output).bytes;
  return () => ex.add_q8(a, b, o, n, op.sa, op.sb, op.sc, op.za, op.zb, op.zc, op.zr, op.lo, op.hi);
};
