/**
 * int8 constant Pad on the wasm engine: the output is filled with the pad value, then each input row is copied into
 * place with copy_channels (packages/core/wasm/assembly/eltwise.ts), channel padding as a destination offset.
 * Only rank-4/rank-2 q8 tensors padded on C/H/W; anything else runs the host kernel.
 */
import { nhwcIndex } from '../shared/nhwc.js';
import type { WasmKernel } from '../../wasm/kernel-api.js';
import type { PlanPad } from '../../plan/types.js';

export const padWasm: WasmKernel<PlanPad> = (op, mem) => {
  const rank = mem.tensors[op.input].shape.length;
  if (mem.tensors[op.input].dtype !== 'q8' || (rank !== 4 && rank !== 2) || op.begin[0] || op.end[0]) return undefined;
  return (ctx) => {
    const ex = ctx.engine.exports, li = ctx.layout(op.input), lo = ctx.layout(op.output);
    const src = ctx.ptr(op.input), dst = ctx.ptr(op.output);
    const pc = op.begin[1], py = rank === 4 ? op.begin[2] : 0, px = rank === 4 ? op.begin[3] : 0;
    return () => {
      new Int8Array(ctx.engine.memory.buffer, dst, lo.bytes).fill(op.value);
      for (let n = 0; n < li.N; n++) for (let y = 0; y < li.H; y++) {
        ex.copy_channels(src + nhwcIndex(li, n, 0, y * li.W), li.Cs, 0, dst + nhwcIndex(lo, n, 0, (y + py) * lo.W + px), lo.Cs, pc, li.W, li.C);
      }
    };
  };
};
