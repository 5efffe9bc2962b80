/** int8 channel Concat on the wasm engine (packages/core/wasm/assembly/eltwise.ts copy_channels), input by input. */
import type { WasmKernel } from '../../wasm/kernel-api.js';
import type { PlanConcat } from '../../plan/types.js';

export const concatWasm: WasmKernel<PlanConcat> = (op) => (ctx) => {
  const ex = ctx.engine.exports;
  const lo = ctx.layout(op.output), dst = ctx.ptr(op.output);
  return () => {
    let off = 0;
    for (const id of op.inputs) {
      const l = ctx.layout(id);
      ex.copy_channels(ctx.ptr(id), l.Cs, 0, dst, lo.Cs, off, l.N * l.H * l.W, l.C);
      off += l.C;
    }
  };
};
