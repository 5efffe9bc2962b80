/**
 * DynamicQuantizeLinear on the wasm engine: the range scan (minmax_f32, packages/core/wasm/assembly/float.ts) and the
 * quantization (quantize.ts: NCHW f32 staging -> NHWC int8, as QuantizeLinear) run in wasm; an input already in wasm
 * memory (a channel-last convint output slot) is read where it is.
 */
import type { WasmKernel } from '../../wasm/kernel-api.js';
import type { PlanDynamicQuantize } from '../../plan/types.js';
import { quantParamsOfRange } from './reference.js';

export const dynamicQuantizeWasm: WasmKernel<PlanDynamicQuantize> = (op, mem) => {
  mem.staging(mem.tensors[op.input].shape.reduce((a, b) => a * b, 1) * 4);
  const range = mem.alloc(16);
  return (ctx) => {
    const ex = ctx.engine.exports, l = ctx.layout(op.output), dst = ctx.ptr(op.output), staging = ctx.staging;
    // A channel-last input is P pixels of C values: with C a multiple of 16 (no channel padding) it is one flat
    // run of values, else quantize_f32 runs with one pixel per "image".
    const nhwc = mem.tensors[op.input].layout === 'nhwc', P = l.N * l.H * l.W;
    const [N, C, HW, Cs] = !nhwc ? [l.N, l.C, l.H * l.W, l.Cs] : l.C === l.Cs ? [1, 1, P * l.C, 1] : [P, l.C, 1, l.Cs];
    return (f32) => {
      const x = f32.get(op.input)!;
      let src = staging;
      if (x.buffer === ctx.engine.memory.buffer) src = x.byteOffset;
      else new Float32Array(ctx.engine.memory.buffer, staging, x.length).set(x);
      ex.minmax_f32(src, x.length, range);
      const r = new Float32Array(ctx.engine.memory.buffer, range, 2);
      const { scale, zeroPoint } = quantParamsOfRange(r[0], r[1]);
      ex.quantize_f32(src, N, C, HW, Cs, scale, zeroPoint - 128, dst);
      f32.set(op.scale, Float32Array.of(scale));
      f32.set(op.zeroPoint, Float32Array.of(zeroPoint));
    };
  };
};
