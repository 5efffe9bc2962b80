/**
 * Channel concat of packed int8 tensors: one dispatch per input writes its channels at a channel offset. Offsets
 * need not be multiples of 4, so each invocation read-modify-writes one output word (dispatches run in order).
 */
import { dispatch1d, flatKernelWgsl, packNamedParams, WGSL_LANES } from '../../webgpu/wgsl-common.js';
import type { GpuKernel } from '../../webgpu/kernel-api.js';
import { gpuQLayout } from '../../webgpu/layout.js';
import type { PlanConcat } from '../../plan/types.js';

const FIELDS = [
  { n: 'count', t: 'u32' }, { n: 'words', t: 'u32' }, { n: 'firstWord', t: 'u32' }, { n: 'inCw', t: 'u32' },
  { n: 'outCw', t: 'u32' }, { n: 'C', t: 'u32' }, { n: 'off', t: 'u32' },
] as const;

const BODY = /* wgsl */ `
  let pix = i / p.words;
  let ow = p.firstWord + i % p.words;
  var v = unpack4(y[pix * p.outCw + ow]);
  for (var l = 0u; l < 4u; l++) {
    let c = i32(ow * 4u + l) - i32(p.off);
    if (c >= 0 && u32(c) < p.C) { v[l] = lane(x[pix * p.inCw + u32(c) / 4u], u32(c) % 4u); }
  }
  y[pix * p.outCw + ow] = pack4(v);`;

/**
 * WGSL source of the channel-copy kernel used for concat.
 *
 * @example
 * ```ts
 * device.createShaderModule({ code: concatQ8Wgsl() });
 * ```
 */
export function concatQ8Wgsl(): string {
  return flatKernelWgsl({ fields: FIELDS, helpers: [WGSL_LANES], buffers: ['x: array<u32>', 'y: array<u32>'], body: BODY });
}

/**
 * Params for copying `C` channels of a [pixels, inC] tensor into channels [off, off + C) of a [pixels, outC] one.
 *
 * @example
 * ```ts
 * const prep = prepareConcatQ8({ pixels: 64, C: 6, off: 10, outC: 16 });
 * ```
 */
export function prepareConcatQ8(o: { pixels: number; C: number; off: number; outC: number }): { params: ArrayBuffer; dispatch: [number, number] } {
  const firstWord = Math.floor(o.off / 4), lastWord = Math.floor((o.off + o.C - 1) / 4), words = lastWord - firstWord + 1;
  const count = o.pixels * words;
  return {
    params: packNamedParams(FIELDS, { count, words, firstWord, inCw: Math.ceil(o.C / 4), outCw: Math.ceil(o.outC / 4), C: o.C, off: o.off }),
    dispatch: dispatch1d(count),
  };
}

/** The concat kernel for the WebGPU executor: one dispatch per input (they run in order). */
export const concatGpu: GpuKernel<PlanConcat> = {
  shaders: { concat: () => concatQ8Wgsl() },
  build(op, ctx) {
    const lo = gpuQLayout(ctx.tensors[op.output].shape);
    let off = 0;
    return op.inputs.map((id) => {
      const C = gpuQLayout(ctx.tensors[id].shape).C;
      const prep = prepareConcatQ8({ pixels: lo.N * lo.H * lo.W, C, off, outC: lo.C });
      off += C;
      return ctx.step('concat', [ctx.upload(prep.params, 'uniform'), ctx.tensor(id), ctx.tensor(op.output)], prep.dispatch);
    });
  },
};
