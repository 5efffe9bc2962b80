/** Test/bench helper: runs one int8 plan op through the wasm executor (random data helpers included). */
import { instantiateEngine, relaxedSimdSupported, type EngineInstance } from '../backends/wasm/engine.js';
import { PlanExecutor } from '../backends/wasm/executor.js';
import type { Plan, PlanOp, PlanTensor } from '../model/plan-types.js';
import { computeLastUse } from '../model/plan-util.js';

/** Engines to test: SIMD128 always, the relaxed build when this runtime validates it. */
export async function testEngines(): Promise<{ name: string; engine: () => Promise<EngineInstance> }[]> {
  const list = [{ name: 'simd128', engine: () => instantiateEngine({ relaxedSimd: false }) }];
  if (relaxedSimdSupported()) {
    list.push({ name: 'relaxed (auto mode)', engine: () => instantiateEngine({ relaxedSimd: true }) });
    list.push({ name: 'relaxed i16 dot (mode 2)', engine: () => instantiateEngine({ relaxedSimd: true, relaxedMode: 2 }) });
  }
  return list;
}

/** Deterministic pseudo-random int8 data (LCG). */
export function randomInt8(n: number, seed: number, lo = -128, hi = 127): Int8Array {
  let s = seed >>> 0 || 1;
  const out = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + (s % (hi - lo + 1));
  }
  return out;
}

/**
 * Runs `op` (whose tensor ids index `shapes`) with int8 NCHW inputs; returns every output by tensor id.
 *
 * @example
 * ```ts
 * const { 1: y } = runQ8Op({ engine, op, shapes: [[1, 8, 4, 4], [1, 8, 4, 4]], inputs: { 0: x } });
 * ```
 */
export function runQ8Op(o: { engine: EngineInstance; op: PlanOp; shapes: number[][]; inputs: Record<number, Int8Array>; f32Outputs?: number[] }): {
  outputs: Record<number, Int8Array | Float32Array>;
  exec: PlanExecutor;
  run: () => void;
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
  const exec = new PlanExecutor(plan, o.engine);
  const feeds = Object.fromEntries(inputIds.map((id) => [`t${id}`, { data: o.inputs[id], dims: o.shapes[id] }]));
  const res = exec.run(feeds);
  const outputs: Record<number, Int8Array | Float32Array> = {};
  for (const id of outIds) outputs[id] = res[`t${id}`].data as Int8Array | Float32Array;
  return { outputs, exec, run: () => exec.runOpsOnly() };
}
