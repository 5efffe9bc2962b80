/**
 * int8 Slice on the wasm engine: with channel step 1 each output row is one copy_channels call
 * (packages/core/wasm/assembly/eltwise.ts) whose source pixel stride is the W step times the channel stride;
 * other steps copy byte by byte. f32 tensors run the host kernel.
 */
import { nhwcIndex } from '../shared/nhwc.js';
import type { WasmKernel } from '../../wasm/kernel-api.js';
import type { PlanSlice } from '../../plan/types.js';

/** The axes of a rank-2/4 slice as [n, c, y, x] (rank 2 has no spatial axes). */
function nchw(v: readonly number[], fill: number): [number, number, number, number] {
  return v.length === 4 ? [v[0], v[1], v[2], v[3]] : [v[0], v[1], fill, fill];
}

export const sliceWasm: WasmKernel<PlanSlice> = (op, mem) => {
  const rank = mem.tensors[op.input].shape.length;
  if (mem.tensors[op.input].dtype !== 'q8' || (rank !== 4 && rank !== 2)) return undefined;
  return (ctx) => {
    const ex = ctx.engine.exports, li = ctx.layout(op.input), lo = ctx.layout(op.output);
    const src = ctx.ptr(op.input), dst = ctx.ptr(op.output);
    const [n0, c0, y0, x0] = nchw(op.starts, 0), [sn, sc, sy, sx] = nchw(op.steps, 1);
    if (sc === 1 && sx > 0) {
      return () => {
        for (let n = 0; n < lo.N; n++) for (let y = 0; y < lo.H; y++) {
          const from = src + nhwcIndex(li, n0 + n * sn, c0, (y0 + y * sy) * li.W + x0);
          ex.copy_channels(from, li.Cs * sx, 0, dst + nhwcIndex(lo, n, 0, y * lo.W), lo.Cs, 0, lo.W, lo.C);
        }
      };
    }
    return () => {
      const heap = new Int8Array(ctx.engine.memory.buffer);
      for (let n = 0; n < lo.N; n++) for (let c = 0; c < lo.C; c++) for (let y = 0; y < lo.H; y++) for (let x = 0; x < lo.W; x++) {
        heap[dst + nhwcIndex(lo, n, c, y * lo.W + x)] = heap[src + nhwcIndex(li, n0 + n * sn, c0 + c * sc, (y0 + y * sy) * li.W + x0 + x * sx)];
      }
    };
  };
};
