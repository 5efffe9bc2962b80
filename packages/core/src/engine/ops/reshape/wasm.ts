/**
 * Reshape on the wasm engine: logical NCHW order is kept, so the NHWC buffers are re-laid out (a plain copy when
 * neither side has spatial dims); float tensors are aliased.
 */
import { nhwcIndex } from '../shared/nhwc.js';
import type { WasmKernel } from '../../wasm/kernel-api.js';
import type { PlanReshape } from '../../plan/types.js';

export const reshapeWasm: WasmKernel<PlanReshape> = (op, mem) => (ctx) => {
  if (mem.tensors[op.input].dtype === 'f32') return (f32) => void f32.set(op.output, f32.get(op.input)!);
  const li = ctx.layout(op.input), lo = ctx.layout(op.output), a = ctx.ptr(op.input), b = ctx.ptr(op.output);
  if (li.H * li.W === 1 && lo.H * lo.W === 1 && li.C === lo.C && li.Cs === lo.Cs) {
    return () => void new Uint8Array(ctx.engine.memory.buffer).copyWithin(b, a, a + li.N * li.Cs);
  }
  const HWi = li.H * li.W, HWo = lo.H * lo.W, total = li.N * li.C * HWi;
  return () => {
    const heap = new Uint8Array(ctx.engine.memory.buffer);
    for (let i = 0; i < total; i++) {
      const ni = Math.floor(i / (li.C * HWi)), ci = Math.floor(i / HWi) % li.C, pi = i % HWi;
      const no = Math.floor(i / (lo.C * HWo)), co = Math.floor(i / HWo) % lo.C, po = i % HWo;
      heap[b + nhwcIndex(lo, no, co, po)] = heap[a + nhwcIndex(li, ni, ci, pi)];
    }
  };
};
