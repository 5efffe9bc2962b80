/** int8 MaxPool / AveragePool on the wasm engine (packages/core/wasm/assembly/pool.ts), one image at a time. */
import type { WasmKernel } from '../../wasm/kernel-api.js';
import type { PlanPool } from '../../plan/types.js';

export const poolWasm: WasmKernel<PlanPool> = (op) => (ctx) => {
  const ex = ctx.engine.exports;
  const li = ctx.layout(op.input), lo = ctx.layout(op.output);
  const src = ctx.ptr(op.input), dst = ctx.ptr(op.output);
  const [sh, sw] = op.strides, [ph, pw] = op.pads;
  return () => {
    for (let n = 0; n < li.N; n++) {
      const s = src + n * li.H * li.W * li.Cs, d = dst + n * lo.H * lo.W * lo.Cs;
      if (op.op === 'maxpool') {
        ex.maxpool_q8(s, li.H, li.W, li.Cs, op.kernel[0], op.kernel[1], sh, sw, ph, pw, op.dilations[0], op.dilations[1], lo.H, lo.W, d);
      } else {
        ex.avgpool_q8(s, li.H, li.W, li.Cs, op.kernel[0], op.kernel[1], sh, sw, ph, pw, op.pads[2], op.pads[3], lo.H, lo.W, op.countIncludePad ? 1 : 0,
          op.inZeroPoint, op.scale, op.outZeroPoint, d);
      }
    }
  };
};
