/**
 * The host side both executors share: the tensor type they take and return, the checks on feeds, and the plan ops
 * they run in JS on logical NCHW arrays (graph-boundary QuantizeLinear / DequantizeLinear and the float kernels).
 * Nothing here knows an executor's memory layout: executors convert to and from NCHW arrays around these calls.
 */
import { BackendError } from '../../errors.js';
import { FLOAT_OPS, type FOperand } from '../ops/float/index.js';
import { quantizeRef } from '../ops/quantize-linear/reference.js';
import type { Plan, PlanDequantize, PlanFloat, PlanQuantize, PlanTensor } from '../plan/types.js';

/** A tensor crossing an executor's boundary: float32, or raw uint8/int8 values of a quantized graph tensor. */
export type HostTensor = { data: Float32Array | Uint8Array | Int8Array; dims: readonly number[] };

/**
 * Throws INFERENCE_FAILED unless every graph input is fed with the right number of elements.
 *
 * @example
 * ```ts
 * checkFeeds(plan, { input: { data, dims: [1, 1, 28, 28] } });
 * ```
 */
export function checkFeeds(plan: Plan, feeds: Record<string, HostTensor>): void {
  for (const inp of plan.inputs) {
    const t = plan.tensors[inp.tensor];
    const feed = feeds[inp.name];
    if (!feed) throw new BackendError('INFERENCE_FAILED', `Missing input '${inp.name}'`);
    if (feed.data.length !== t.shape.reduce((p, d) => p * d, 1)) {
      throw new BackendError('INFERENCE_FAILED', `Input '${inp.name}' has ${feed.data.length} elements, expected shape [${t.shape}]`);
    }
  }
}

/**
 * QuantizeLinear on the host (NCHW float in, int8 out), bit-identical to the engines' kernels.
 *
 * @example
 * ```ts
 * const q = quantizeOnHost(op, x);
 * ```
 */
export function quantizeOnHost(op: PlanQuantize, x: Float32Array): Int8Array {
  return quantizeRef({ x, scale: op.scale, zeroPoint: op.zeroPoint });
}

/**
 * DequantizeLinear on the host: (q - zero point) * scale in f32.
 *
 * @example
 * ```ts
 * const y = dequantizeOnHost(op, q);
 * ```
 */
export function dequantizeOnHost(op: PlanDequantize, q: Int8Array): Float32Array {
  const s = Math.fround(op.scale), zp = op.zeroPoint;
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = (q[i] - zp) * s;
  return out;
}

/**
 * Runs a float op with the reference kernels, reading and writing float tensors by id.
 *
 * @example
 * ```ts
 * runFloat(plan.tensors, op, f32);
 * ```
 */
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
