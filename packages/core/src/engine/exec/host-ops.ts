/**
 * The host side both executors share: the tensor type they take and return, the checks on feeds, and running an op's
 * host kernel (engine/ops/op-registry.ts) on logical NCHW arrays. Nothing here knows an executor's memory layout:
 * executors convert to and from NCHW arrays around these calls.
 */
import { BackendError } from '../../errors.js';
import { hostKernelOf } from '../ops/op-registry.js';
import type { HostValue } from '../ops/shared/host-kernel.js';
import type { Plan, PlanOp, PlanTensor } from '../plan/types.js';

export type { HostValue } from '../ops/shared/host-kernel.js';

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
 * Whether `op` has a host kernel.
 *
 * @example
 * ```ts
 * if (!runsOnHost(op)) throw new Error('needs an engine kernel');
 * ```
 */
export function runsOnHost(op: PlanOp): boolean {
  return hostKernelOf(op) !== undefined;
}

/**
 * Runs `op`'s host kernel: inputs are read from `values` by tensor id, outputs written there.
 *
 * @example
 * ```ts
 * runHostOp(plan.tensors, op, values);
 * ```
 */
export function runHostOp(tensors: readonly PlanTensor[], op: PlanOp, values: Map<number, HostValue>): void {
  const host = hostKernelOf(op);
  if (!host) throw new BackendError('UNSUPPORTED_OP', `op '${op.name}' (${op.op}) has no host kernel`, { details: { op: op.name } });
  host(op, values, tensors);
}
