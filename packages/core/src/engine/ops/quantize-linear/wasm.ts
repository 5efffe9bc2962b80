/**
 * QuantizeLinear on the wasm engine (packages/core/wasm/assembly/quantize.ts): the NCHW float input is copied into
 * the f32 staging region (a `pre` hook, on the calling thread), then quantized into the NHWC int8 buffer, threads
 * taking ranges of channel planes.
 */
import { CALL, encodeCalls } from '../../wasm/call-list.js';
import { callRunner, splitRange } from '../../wasm/call-runner.js';
import type { WasmKernel } from '../../wasm/kernel-api.js';
import type { PlanQuantize } from '../../plan/types.js';

export const quantizeLinearWasm: WasmKernel<PlanQuantize> = (op, mem) => {
  mem.staging(mem.tensors[op.input].shape.reduce((a, b) => a * b, 1) * 4);
  return (ctx) => {
    const l = ctx.layout(op.output), dst = ctx.ptr(op.output), staging = ctx.staging, HW = l.H * l.W;
    // Channel planes n * C + c: each call quantizes channels [c0, c1) of image n.
    const lists = splitRange(l.N * l.C, ctx.scratch.length).map(([p0, p1]) => {
      const calls: number[][] = [];
      for (let p = p0; p < p1;) {
        const n = Math.floor(p / l.C), c0 = p % l.C, c1 = Math.min(l.C, c0 + p1 - p);
        calls.push([CALL.quantize_f32, staging + (n * l.C + c0) * HW * 4, 1, c1 - c0, HW, l.Cs, op.scale, op.zeroPoint, dst + n * HW * l.Cs + c0]);
        p += c1 - c0;
      }
      return encodeCalls(calls);
    });
    return callRunner(ctx, {
      lists,
      pre: (f32) => {
        const x = f32.get(op.input)!;
        new Float32Array(ctx.engine.memory.buffer, staging, x.length).set(x);
      },
    });
  };
};
