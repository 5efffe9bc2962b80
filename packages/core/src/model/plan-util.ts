/** Small helpers over plans shared by the compiler and the backends. */
import type { Plan, PlanOp } from './plan-types.js';

/**
 * Tensor ids an op reads.
 *
 * @example
 * ```ts
 * for (const id of opInputs(op)) console.log(plan.tensors[id].name);
 * ```
 */
export function opInputs(op: PlanOp): number[] {
  switch (op.op) {
    case 'add': return [op.a, op.b];
    case 'concat': return op.inputs;
    case 'float': return op.inputs.filter((i) => i >= 0);
    default: return [op.input];
  }
}

/**
 * Tensor ids an op writes.
 *
 * @example
 * ```ts
 * const [out] = opOutputs(op);
 * ```
 */
export function opOutputs(op: PlanOp): number[] {
  return op.op === 'float' ? op.outputs : [op.output];
}

/**
 * Index of the last op reading each tensor (graph outputs stay live to the end). Drives buffer reuse.
 *
 * @example
 * ```ts
 * const last = computeLastUse(plan.ops, plan.tensors.length, plan.outputs.map((o) => o.tensor));
 * ```
 */
export function computeLastUse(ops: readonly PlanOp[], tensorCount: number, outputs: readonly number[]): number[] {
  const last = new Array<number>(tensorCount).fill(-1);
  ops.forEach((op, i) => {
    for (const t of opInputs(op)) last[t] = i;
  });
  for (const t of outputs) last[t] = ops.length;
  return last;
}

/**
 * Counts multiply-accumulates of the int8 ops (for GMAC/s reporting).
 *
 * @example
 * ```ts
 * console.log(planMacs(plan) / 1e9, 'GMAC');
 * ```
 */
export function planMacs(plan: Plan): number {
  let macs = 0;
  for (const op of plan.ops) {
    if (op.op !== 'conv') continue;
    const out = plan.tensors[op.output].shape;
    const spatial = out.length === 4 ? out[0] * out[2] * out[3] : out[0];
    macs += spatial * (op.weights16 ?? op.weights).length;
  }
  return macs;
}
