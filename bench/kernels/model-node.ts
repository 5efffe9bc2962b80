// Whole-model timing of own-engine variants in Node, interleaved, medians (a quick check beside bench/run.ts):
//   node --experimental-wasm-relaxed-simd --import tsx bench/kernels/model-node.ts <model.onnx> [runs] [variants]
// variants (comma list): 1t, 1t-direct (Winograd off), 2t, 2t-direct. Prints ms per variant and the load average.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createWasmSession, type WasmSession } from '../../packages/core/src/engine/session/wasm-session.js';
import { median } from '../../packages/core/src/testing/bench-stats.js';

const [file, runsArg, variantsArg] = process.argv.slice(2);
const bytes = new Uint8Array(readFileSync(file));
const runs = Number(runsArg ?? 11);
const names = (variantsArg ?? '1t,1t-direct,2t').split(',');
const sessions: Record<string, WasmSession> = {};
for (const n of names) {
  sessions[n] = await createWasmSession({ model: bytes, relaxedSimd: false, threads: n.startsWith('2t') ? 2 : 1, winograd: !n.endsWith('-direct') });
}
const s0 = sessions[names[0]];
const dims = s0.plan.tensors[s0.plan.inputs[0].tensor].shape as number[];
const data = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.013) * 2);
const feeds = { [s0.inputNames[0]]: { data, dims } };
const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
const load0 = loadavg()[0];
for (let r = 0; r < runs + 2; r++) {
  for (const n of names) {
    const t = performance.now();
    sessions[n].runRaw(feeds);
    if (r >= 2) times[n].push(performance.now() - t);
  }
}
console.log(`${file} load ${load0.toFixed(1)}..${loadavg()[0].toFixed(1)}: ${names.map((n) => `${n} ${median(times[n]).toFixed(1)} ms (min ${Math.min(...times[n]).toFixed(1)})`).join(', ')}`);
for (const s of Object.values(sessions)) await s.dispose();
