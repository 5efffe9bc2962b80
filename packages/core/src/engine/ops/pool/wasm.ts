/**
 * int8 MaxPool / AveragePool on the wasm engine (packages/core/wasm/assembly/pool.ts): threads take ranges of output
 * rows (the kernel is called on a band with the top padding shifted, as im2row bands are).
 */
import { CALL, encodeCalls } from '../../wasm/call-list.js';
import { callRunner, splitRange } from '../../wasm/call-runner.js';
import type { WasmKernel } from '../../wasm/kernel-api.js';
import type { PlanPool } from '../../plan/types.js';

export const poolWasm: WasmKernel<PlanPool> = (op) => (ctx) => {
  const li = ctx.layout(op.input), lo = ctx.layout(op.output);
  const src = ctx.ptr(op.input), dst = ctx.ptr(op.output);
  const [sh, sw] = op.strides, [ph, pw] = op.pads;
  const call = (n: number, y0: number, y1: number): number[] => {
    const s = src + n * li.H * li.W * li.Cs, d = dst + (n * lo.H + y0) * lo.W * lo.Cs, rows = y1 - y0, top = ph - y0 * sh;
    return op.op === 'maxpool'
      ? [CALL.maxpool_q8, s, li.H, li.W, li.Cs, op.kernel[0], op.kernel[1], sh, sw, top, pw, op.dilations[0], op.dilations[1], rows, lo.W, d]
      : [CALL.avgpool_q8, s, li.H, li.W, li.Cs, op.kernel[0], op.kernel[1], sh, sw, top, pw, op.pads[2], op.pads[3], rows, lo.W,
        op.countIncludePad ? 1 : 0, op.inZeroPoint, op.scale, op.outZeroPoint, d];
  };
  const ranges = splitRange(lo.H, ctx.scratch.length);
  return callRunner(ctx, {
    lists: ranges.map(([y0, y1]) => encodeCalls(y1 > y0 ? Array.from({ length: li.N }, (_, n) => call(n, y0, y1)) : [])),
  });
};
