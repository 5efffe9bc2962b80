/**
 * QuantizeLinear on the wasm engine (packages/core/wasm/assembly/quantize.ts): the NCHW float input is copied into
 * the f32 staging region, then quantized into the NHWC int8 buffer.
 */
import type { WasmKernel } from '../../wasm/kernel-api.js';
import type { PlanQuantize } from '../../plan/types.js';

export const quantizeLinearWasm: WasmKernel<PlanQuantize> = (op, mem) => {
  mem.staging(mem.tensors[op.input].shape.reduce((a, b) => a * b, 1) * 4);
  return (ctx) => {
    const ex = ctx.engine.exports, l = ctx.layout(op.output), dst = ctx.ptr(op.output), staging = ctx.staging;
    return (f32) => {
      const x = f32.get(op.input)!;
      new Float32Array(ctx.engine.memory.buffer, staging, x.length).set(x);
      ex.quantize_f32(staging, l.N, l.C, l.H * l.W, l.Cs, op.scale, op.zeroPoint, dst);
    };
  };
};
