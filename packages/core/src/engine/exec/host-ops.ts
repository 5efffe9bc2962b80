/** Ops the executor runs in JS: graph-boundary (de)quantization, int8 reshapes and the float reference kernels. */
import { convQ8Ref } from '../ops/conv/reference.js';
import { FLOAT_OPS, type FOperand } from '../ops/float/index.js';
import type { PlanConv, PlanDequantize, PlanFloat, PlanReshape, PlanTensor } from '../plan/types.js';
import type { PlanExecutor } from './wasm/executor.js';

/** DequantizeLinear out of the NHWC int8 buffer: (q - zp) * scale in f32. */
export function runDequantize(ex: PlanExecutor, op: PlanDequantize): Float32Array {
  const l = ex.layouts.get(op.input)!, base = ex.ptr.get(op.input)!;
  const heap = new Int8Array(ex.heapView().buffer);
  const HW = l.H * l.W, scale = Math.fround(op.scale), zp = op.zeroPoint;
  const out = new Float32Array(l.N * l.C * HW);
  for (let n = 0, i = 0; n < l.N; n++) for (let c = 0; c < l.C; c++) {
    let at = base + n * HW * l.Cs + c;
    for (let p = 0; p < HW; p++, i++, at += l.Cs) out[i] = (heap[at] - zp) * scale;
  }
  return out;
}

/** Reshape keeps logical NCHW order; the NHWC buffers are re-laid out (a plain copy when no spatial dims). */
export function runReshape(ex: PlanExecutor, op: PlanReshape, f32: Map<number, Float32Array>): void {
  const src = f32.get(op.input);
  if (src) {
    f32.set(op.output, src);
    return;
  }
  const li = ex.layouts.get(op.input)!, lo = ex.layouts.get(op.output)!;
  const heap = ex.heapView(), a = ex.ptr.get(op.input)!, b = ex.ptr.get(op.output)!;
  if (li.H * li.W === 1 && lo.H * lo.W === 1 && li.C === lo.C && li.Cs === lo.Cs) {
    heap.copyWithin(b, a, a + li.N * li.Cs);
    return;
  }
  const HWi = li.H * li.W, HWo = lo.H * lo.W, total = li.N * li.C * HWi;
  for (let i = 0; i < total; i++) {
    const ni = Math.floor(i / (li.C * HWi)), ci = Math.floor(i / HWi) % li.C, pi = i % HWi;
    const no = Math.floor(i / (lo.C * HWo)), co = Math.floor(i / HWo) % lo.C, po = i % HWo;
    heap[b + (no * HWo + po) * lo.Cs + co] = heap[a + (ni * HWi + pi) * li.Cs + ci];
  }
}

/** Runs a float op with the reference kernels. */
export function runFloat(tensors: readonly PlanTensor[], op: PlanFloat, f32: Map<number, Float32Array>): void {
  const impl = FLOAT_OPS[op.opType];
  const inputs: (FOperand | undefined)[] = op.inputs.map((id, i) => {
    const c = op.consts[i];
    if (c) return c;
    return id >= 0 ? { data: f32.get(id)!, dims: tensors[id].shape } : undefined;
  });
  const outs = impl.run(op.attrs, inputs, op.outputs.map((id) => tensors[id].shape));
  op.outputs.forEach((id, i) => f32.set(id, outs[i]));
}

/** Conv whose weights need int16 (see PlanConv.weights16): exact reference kernel on the host. Rare; slow. */
export function runWideConv(ex: PlanExecutor, op: PlanConv, f32: Map<number, Float32Array>): void {
  const inT = ex.plan.tensors[op.input], outT = ex.plan.tensors[op.output];
  const x = ex.readQ8(inT, true) as Int8Array;
  const y = convQ8Ref({ op, x, inShape: inT.shape, outShape: outT.shape });
  if (y instanceof Float32Array) f32.set(op.output, y);
  else ex.writeQ8({ ...outT, srcType: 'int8' }, y);
}
