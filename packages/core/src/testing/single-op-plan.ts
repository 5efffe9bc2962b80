/** Test/bench helper shared by the wasm and WebGPU op harnesses: a plan with one op and its feeds. */
import type { HostTensor } from '../engine/exec/host-ops.js';
import type { Plan, PlanOp, PlanTensor } from '../engine/plan/types.js';
import { computeLastUse } from '../engine/plan/inspect.js';

/** What {@link singleOpPlan} needs: the op, every tensor's shape by id, the int8 inputs by id. */
export interface SingleOpOptions {
  op: PlanOp;
  shapes: number[][];
  inputs: Record<number, Int8Array>;
  /** Tensor ids that are f32 rather than int8 (e.g. a dequantized output). */
  f32Outputs?: number[];
}

/**
 * Wraps `op` in a plan whose tensors are `t<id>`: the ids in `inputs` are graph inputs, every other id an output.
 *
 * @example
 * ```ts
 * const { plan, feeds, outputsOf } = singleOpPlan({ op, shapes: [[1, 8, 4, 4], [1, 8, 4, 4]], inputs: { 0: x } });
 * const { 1: y } = outputsOf(executor.run(feeds));
 * ```
 */
export function singleOpPlan(o: SingleOpOptions): {
  plan: Plan;
  feeds: Record<string, HostTensor>;
  outputsOf: (res: Record<string, HostTensor>) => Record<number, Int8Array | Float32Array>;
} {
  const tensors: PlanTensor[] = o.shapes.map((shape, id) =>
    o.f32Outputs?.includes(id) ? { id, name: `t${id}`, dtype: 'f32', shape } : { id, name: `t${id}`, dtype: 'q8', shape, srcType: 'int8' });
  const inputIds = Object.keys(o.inputs).map(Number);
  const outIds = tensors.map((t) => t.id).filter((id) => !inputIds.includes(id));
  const ops = [o.op];
  const plan: Plan = {
    tensors, ops, format: 'qdq',
    inputs: inputIds.map((id) => ({ name: `t${id}`, tensor: id })),
    outputs: outIds.map((id) => ({ name: `t${id}`, tensor: id })),
    lastUse: computeLastUse(ops, tensors.length, outIds),
  };
  const feeds = Object.fromEntries(inputIds.map((id) => [`t${id}`, { data: o.inputs[id], dims: o.shapes[id] }]));
  const outputsOf = (res: Record<string, HostTensor>) => Object.fromEntries(outIds.map((id) => [id, res[`t${id}`].data as Int8Array | Float32Array]));
  return { plan, feeds, outputsOf };
}
