/** Small helpers over plans shared by the compiler and the backends. */
import type { Plan, PlanOp } from './types.js';

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
    case 'convint': return [op.input, ...[op.xZeroPoint, op.mul].flatMap((v) => (v && 'tensor' in v ? [v.tensor] : [])), ...(op.residual === undefined ? [] : [op.residual])];
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
  return op.op === 'float' ? op.outputs : op.op === 'dynquant' ? [op.output, op.scale, op.zeroPoint] : [op.output];
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
    if (op.op !== 'conv' && op.op !== 'convint') continue;
    const out = plan.tensors[op.output].shape;
    const spatial = out.length === 4 ? out[0] * out[2] * out[3] : out[0];
    macs += spatial * (op.op === 'conv' ? op.weights16 ?? op.weights : op.weights).length;
  }
  return macs;
}

/**
 * Multiply-accumulates left to the float reference kernels (Conv/Gemm/MatMul in fp32 parts of the graph).
 *
 * @example
 * ```ts
 * if (floatMacs(plan) > 5e7) console.warn('mostly float: onnxruntime will be faster');
 * ```
 */
export function floatMacs(plan: Plan): number {
  let macs = 0;
  for (const op of plan.ops) {
    if (op.op !== 'float') continue;
    const out = plan.tensors[op.outputs[0]].shape.reduce((a, b) => a * b, 1);
    const w = op.consts[1]?.dims ?? (op.inputs[1] >= 0 ? plan.tensors[op.inputs[1]].shape : []);
    if (op.opType === 'Conv') macs += out * w.slice(1).reduce((a, b) => a * b, 1);
    else if (op.opType === 'Gemm' || op.opType === 'MatMul') {
      const a = plan.tensors[op.inputs[0]]?.shape ?? [];
      macs += out * (op.opType === 'Gemm' && op.attrs.transA ? a[0] : a[a.length - 1] ?? 1);
    }
  }
  return macs;
}
