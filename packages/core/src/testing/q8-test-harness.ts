/** Test/bench helper: runs one int8 plan op through the wasm executor, on every engine build this runtime has. */
import { instantiateEngine, relaxedSimdSupported, type EngineInstance } from '../engine/wasm/engine.js';
import { PlanExecutor } from '../engine/exec/wasm/executor.js';
import { threadsSupported } from '../engine/wasm/thread-pool.js';

import { singleOpPlan, type SingleOpOptions } from './single-op-plan.js';

let threaded: Promise<EngineInstance> | undefined;

/** Engines to test: SIMD128 always, the relaxed build when this runtime validates it. */
export async function testEngines(): Promise<{ name: string; engine: () => Promise<EngineInstance> }[]> {
  const list = [{ name: 'simd128', engine: () => instantiateEngine({ relaxedSimd: false }) }];
  // Conv layers split across a helper thread (one shared engine: each test's executor re-plans its memory).
  if (threadsSupported()) list.push({ name: 'simd128, 2 threads', engine: () => (threaded ??= instantiateEngine({ threads: 2 })) });
  if (relaxedSimdSupported()) {
    list.push({ name: 'relaxed build, default kernel', engine: () => instantiateEngine({ relaxedSimd: true }) });
    // Mode 1 where the runtime's dot-add passes the known-answer test, else mode 2 (Node 20).
    list.push({ name: 'relaxed dot-add (mode 1)', engine: () => instantiateEngine({ relaxedSimd: true, relaxedMode: 1 }) });
    list.push({ name: 'relaxed i16 dot (mode 2)', engine: () => instantiateEngine({ relaxedSimd: true, relaxedMode: 2 }) });
  }
  return list;
}

/**
 * Runs `op` (whose tensor ids index `shapes`) with int8 NCHW inputs; returns every output by tensor id.
 *
 * @example
 * ```ts
 * const { 1: y } = runQ8Op({ engine, op, shapes: [[1, 8, 4, 4], [1, 8, 4, 4]], inputs: { 0: x } });
 * ```
 */
export function runQ8Op(o: SingleOpOptions & { engine: EngineInstance }): {
  outputs: Record<number, Int8Array | Float32Array>;
  exec: PlanExecutor;
  run: () => void;
} {
  const { plan, feeds, outputsOf } = singleOpPlan(o);
  const exec = new PlanExecutor(plan, o.engine);
  const outputs = outputsOf(exec.run(feeds));
  return { outputs, exec, run: () => exec.runOpsOnly() };
}
