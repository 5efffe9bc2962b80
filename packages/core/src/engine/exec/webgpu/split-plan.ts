/**
 * Splits a plan between host and GPU: host ops before the GPU pass (graph-boundary QuantizeLinear, float ops on
 * inputs), int8 ops on the GPU, and host ops after readback (DequantizeLinear, float heads). Also plans GPU buffers
 * with reuse by liveness (a reshape of a 1x1 tensor aliases its input's buffer).
 */
import { BackendError } from '../../../errors.js';
import { gpuKernelOf } from '../../ops/op-registry.js';
import type { Plan, PlanOp } from '../../plan/types.js';
import { opInputs, opOutputs } from '../../plan/inspect.js';
import { gpuQLayout } from '../../webgpu/layout.js';

export interface GpuPlanSplit {
  pre: PlanOp[];
  gpu: { op: PlanOp; index: number }[];
  post: PlanOp[];
  /** Host q8 tensors uploaded before the pass. */
  uploads: number[];
  /** GPU tensors read back after the pass. */
  readbacks: number[];
  /** GPU tensor id -> buffer slot, and each slot's byte size. */
  slotOf: Map<number, number>;
  slotBytes: number[];
}


/**
 * Assigns every op to a phase and every GPU tensor to a buffer slot.
 *
 * @example
 * ```ts
 * const split = splitPlan(plan); // split.gpu: the ops one command encoder runs
 * ```
 */
export function splitPlan(plan: Plan): GpuPlanSplit {
  const T = plan.tensors;
  const pre = new Set<number>(plan.inputs.map((i) => i.tensor));
  const gpu = new Set<number>();
  const post = new Set<number>();
  const out: GpuPlanSplit = { pre: [], gpu: [], post: [], uploads: [], readbacks: [], slotOf: new Map(), slotBytes: [] };
  const uploads = new Set<number>(), readbacks = new Set<number>();
  const root = new Map<number, number>();
  const unsupported = (op: PlanOp, why: string) =>
    new BackendError('UNSUPPORTED_OP', `webgpu: op '${op.name}' (${op.op}) ${why}`, { details: { op: op.name } });
  plan.ops.forEach((op, index) => {
    const ins = opInputs(op);
    if (gpuKernelOf(op)) {
      for (const i of ins) {
        if (gpu.has(i)) continue;
        if (pre.has(i) && T[i].dtype === 'q8') uploads.add(i);
        else throw unsupported(op, 'reads a tensor only available on the host after the GPU pass');
      }
      out.gpu.push({ op, index });
      for (const o of opOutputs(op)) gpu.add(o);
      return;
    }
    if (op.op === 'reshape' && gpu.has(op.input)) {
      const li = gpuQLayout(T[op.input].shape), lo = gpuQLayout(T[op.output].shape);
      if (T[op.input].dtype === 'q8' && li.H * li.W === 1 && lo.H * lo.W === 1 && li.C === lo.C) {
        root.set(op.output, root.get(op.input) ?? op.input);
        gpu.add(op.output);
        return;
      }
    }
    if (ins.every((i) => pre.has(i))) {
      out.pre.push(op);
      for (const o of opOutputs(op)) pre.add(o);
      return;
    }
    for (const i of ins) if (gpu.has(i)) readbacks.add(i);
    out.post.push(op);
    for (const o of opOutputs(op)) post.add(o);
  });
  for (const o of plan.outputs) if (gpu.has(o.tensor)) readbacks.add(o.tensor);
  out.uploads = [...uploads];
  out.readbacks = [...readbacks];
  planSlots(plan, out, root);
  return out;
}

/** Greedy buffer reuse: a slot is freed after the last op reading any tensor that lives in it. */
function planSlots(plan: Plan, split: GpuPlanSplit, root: Map<number, number>): void {
  const T = plan.tensors, end = plan.ops.length;
  const rootOf = (id: number) => root.get(id) ?? id;
  const last = new Map<number, number>();
  const bump = (id: number, at: number) => last.set(rootOf(id), Math.max(last.get(rootOf(id)) ?? -1, at));
  for (const { op, index } of split.gpu) for (const o of opOutputs(op)) bump(o, Math.max(index, plan.lastUse[o] ?? end));
  for (const id of split.uploads) bump(id, plan.lastUse[id] ?? end);
  for (const [alias] of root) bump(alias, plan.lastUse[alias] ?? end);
  for (const id of split.readbacks) bump(id, end);
  const bytesOf = (id: number) => (T[id].dtype === 'f32' ? Math.max(16, Math.ceil(T[id].shape.reduce((a, b) => a * b, 1) / 4) * 16) : gpuQLayout(T[id].shape).bytes);
  const free: number[] = [];
  const slotOfRoot = new Map<number, number>();
  const take = (id: number) => {
    const need = bytesOf(id);
    let best = -1;
    for (let j = 0; j < free.length; j++) if (split.slotBytes[free[j]] >= need && (best < 0 || split.slotBytes[free[j]] < split.slotBytes[free[best]])) best = j;
    const slot = best >= 0 ? free.splice(best, 1)[0] : split.slotBytes.push(need) - 1;
    slotOfRoot.set(id, slot);
  };
  for (const id of split.uploads) take(id);
  const byLast = new Map<number, number[]>();
  for (const [r, at] of last) byLast.set(at, [...(byLast.get(at) ?? []), r]);
  for (const { op, index } of split.gpu) {
    for (const o of opOutputs(op)) take(o);
    for (const r of byLast.get(index) ?? []) if (slotOfRoot.has(r)) free.push(slotOfRoot.get(r)!);
  }
  for (const id of [...slotOfRoot.keys(), ...root.keys()]) split.slotOf.set(id, slotOfRoot.get(rootOf(id))!);
}
