// Whole-model latency: own wasm engine vs onnxruntime-web (wasm, 1 thread), same int8 model, batch 1.
//   node --experimental-wasm-relaxed-simd --import tsx bench/model-ops.ts <model.onnx> [runs]
// Without the flag the engine runs its SIMD128 build. Prints per-op-class time of the engine too.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { createWasmSession } from '../packages/core/src/engine/session/wasm-session.js';
import { planMacs } from '../packages/core/src/engine/plan/inspect.js';

const path = process.argv[2];
if (!path) throw new Error('usage: model.ts <model.onnx> [runs]');
const runs = Number(process.argv[3] ?? 5);
const bytes = new Uint8Array(readFileSync(path));
ort.env.wasm.numThreads = 1;

const s = await createWasmSession({ model: bytes });
const inp = s.plan.inputs[0];
const dims = s.plan.tensors[inp.tensor].shape;
let seed = 3;
const data = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return (seed / 2 ** 32) * 4 - 2;
});
const feeds = { [inp.name]: { data, dims } };

// Interleaved runs, min of each: the machine is shared, so the minimum is the least disturbed measurement.
const o = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', logSeverityLevel: 3 });
const ortFeeds = { [inp.name]: new ort.Tensor('float32', data, dims) };
await s.run(feeds);
await o.run(ortFeeds);
let mine = Infinity, theirs = Infinity;
for (let i = 0; i < runs; i++) {
  let t0 = performance.now();
  await s.run(feeds);
  mine = Math.min(mine, performance.now() - t0);
  t0 = performance.now();
  await o.run(ortFeeds);
  theirs = Math.min(theirs, performance.now() - t0);
}
const gmac = planMacs(s.plan) / 1e9;
console.log(JSON.stringify({
  model: path, build: s.relaxedSimd ? 'relaxed-simd' : 'simd128', runs,
  engineMs: +mine.toFixed(2), ortWasmMs: +theirs.toFixed(2), ratio: +(mine / theirs).toFixed(3),
  gmac: +gmac.toFixed(3), engineGmacPerS: +(gmac / (mine / 1000)).toFixed(2), peakWasmMemoryBytes: s.peakMemoryBytes,
}));

// Per-op-class breakdown of the engine (conv classes by kernel size / stem).
const prof = s.enableProfile();
for (let i = 0; i < runs; i++) await s.run(feeds);
const classes: Record<string, { ms: number; macs: number }> = {};
s.plan.ops.forEach((op, i) => {
  let k: string = op.op === 'float' ? `float:${op.opType}` : op.op;
  let macs = 0;
  if (op.op === 'conv') {
    const out = s.plan.tensors[op.output].shape;
    macs = (out.length === 4 ? out[0] * out[2] * out[3] : out[0]) * op.weights.length;
    k = op.C <= 4 ? 'conv stem' : op.kernel[0] === 1 ? (s.plan.tensors[op.input].shape.length === 2 ? 'gemm' : op.strides[0] === 1 ? 'conv 1x1' : 'conv 1x1 s2') : `conv ${op.kernel[0]}x${op.kernel[1]}`;
  }
  classes[k] ??= { ms: 0, macs: 0 };
  classes[k].ms += (prof[i] ?? 0) / runs;
  classes[k].macs += macs;
});
for (const [k, v] of Object.entries(classes).sort((a, b) => b[1].ms - a[1].ms)) {
  console.log(`${k.padEnd(14)} ${v.ms.toFixed(2).padStart(8)} ms${v.macs ? `  ${(v.macs / 1e9 / (v.ms / 1000)).toFixed(2)} GMAC/s` : ''}`);
}
