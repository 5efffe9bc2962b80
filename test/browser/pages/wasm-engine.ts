/**
 * Page of wasm-engine.test.ts: the own wasm engine's kernel case tables and a model run inside Chromium, on every
 * engine variant the page has (the relaxed build's usdot kernel only runs where V8 lowers the relaxed dot-add to
 * AVX-VNNI, which Node 20 does not).
 */
import { CONV_CASES, makeConvCase } from '../../../packages/core/src/engine/ops/conv/cases.js';
import { convQ8Ref } from '../../../packages/core/src/engine/ops/conv/reference.js';
import { createWasmSession } from '../../../packages/core/src/engine/session/wasm-session.js';
import { instantiateEngine, type EngineModuleOptions } from '../../../packages/core/src/engine/wasm/engine.js';
import { usdotWorks } from '../../../packages/core/src/engine/wasm/engine-select.js';
import { runQ8Op } from '../../../packages/core/src/testing/q8-test-harness.js';

declare global {
  interface Window {
    usdotFacts(): Promise<{ usdot: boolean; defaultMode: number }>;
    runConvCases(o: EngineModuleOptions): Promise<{ mode: number; threads: number; ran: number; failures: string[] }>;
    runModel(o: EngineModuleOptions & { url: string; dims: number[]; data: number[] }): Promise<{ mode: number; threads: number; out: number[] }>;
  }
}

window.usdotFacts = async () => {
  const e = await instantiateEngine({ relaxedSimd: true });
  return { usdot: usdotWorks(e.exports, e.memory), defaultMode: e.relaxedMode };
};

window.runConvCases = async (o) => {
  const engine = await instantiateEngine(o);
  const failures: string[] = [];
  let ran = 0;
  for (const c of CONV_CASES) {
    const { op, inShape, outShape, x } = makeConvCase(c);
    const want = convQ8Ref({ op, x, inShape, outShape });
    const { outputs } = runQ8Op({ engine, op, shapes: [inShape, outShape], inputs: { 0: x }, f32Outputs: c.f32 ? [1] : [] });
    const got = outputs[1];
    ran++;
    if (got.length !== want.length || got.some((v, i) => v !== want[i])) failures.push(c.name);
  }
  engine.pool?.terminate();
  return { mode: engine.relaxedMode, threads: (engine.pool?.helpers ?? 0) + 1, ran, failures };
};

window.runModel = async ({ url, dims, data, ...o }) => {
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const s = await createWasmSession({ model: bytes, ...o });
  const input = s.inputNames[0];
  const out = s.runRaw({ [input]: { data: Float32Array.from(data), dims } })[s.outputNames[0]].data;
  const res = { mode: s.relaxedMode, threads: s.threads, out: Array.from(out as Float32Array) };
  await s.dispose();
  return res;
};
