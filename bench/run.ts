/**
 * `npm run bench`: own int8 WASM engine vs onnxruntime-web (wasm, 1 thread), side by side in one run on one machine.
 * Warm latency: interleaved runs (A, B, A, B...), median of >= 20 after warm-up. Cold start: fresh processes, median of 3.
 * Writes bench-results/bench.json and BENCHMARKS.md (machine named). No assertions: the numbers are the product.
 *
 *   npm run bench               # all models, then bench/image-decode.ts (phone photos, decode to size, vs sharp)
 *   npm run bench -- --quick    # the two shipped models only
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import * as ort from 'onnxruntime-web';
import { createWasmSession } from '../packages/core/src/engine/session/wasm-session.js';
import { relaxedSimdSupported } from '../packages/core/src/engine/wasm/engine.js';
import { planMacs } from '../packages/core/src/engine/plan/inspect.js';
import { load } from '../packages/core/src/index.js';
import { torchvisionModel } from './prepare-models.js';
import { hasOrtQuantizer, ortQuantized } from '../test/node/own-engine/model-cache.js';
import { median, round } from '../packages/core/src/testing/bench-stats.js';
import { writeBenchmarksMd } from './report.js';

const ROOT = new URL('..', import.meta.url).pathname;
const RESULTS = join(ROOT, 'bench-results');
const quick = process.argv.includes('--quick');
const RUNS = Number(process.env.BENCH_RUNS ?? 21);
ort.env.wasm.numThreads = 1;
mkdirSync(join(RESULTS, 'tmp'), { recursive: true });

// The engine as an app would ship it: one esbuild bundle (JS with the wasm builds inlined).
const bundlePath = join(RESULTS, 'tmp/engine.mjs');
await build({ entryPoints: [join(ROOT, 'bench/engine-entry.ts')], bundle: true, minify: true, format: 'esm', platform: 'neutral', outfile: bundlePath, logLevel: 'warning', external: ['node:*'] });
const bundleBytes = readFileSync(bundlePath);
const ortDist = join(ROOT, 'node_modules/onnxruntime-web/dist');
const ortJs = readFileSync(join(ortDist, 'ort.wasm.min.mjs'));
const ortWasm = readFileSync(join(ortDist, 'ort-wasm-simd-threaded.wasm'));
const sizes = {
  engineBundleBytes: bundleBytes.length,
  engineBundleGzipBytes: gzipSync(bundleBytes).length,
  ortWasmJsPlusWasmBytes: ortJs.length + ortWasm.length,
  ortWasmJsPlusWasmGzipBytes: gzipSync(ortJs).length + gzipSync(ortWasm).length,
};
console.log('[bench] sizes', sizes);

const relaxed = relaxedSimdSupported();
// wasm-simd128-2t: the own engine with one helper thread (stretch goal); every other engine runs one thread.
const engines = [...(relaxed ? ['wasm-relaxed'] : []), 'wasm-simd128', 'wasm-simd128-2t', 'ort-wasm'] as const;

interface ModelCase {
  name: string;
  path: string;
  dims: number[];
}
const cases: ModelCase[] = [
  { name: 'fmnist-resnet20 (shipped, int8 QDQ)', path: join(ROOT, 'models/fmnist-resnet20/model.int8.onnx'), dims: [1, 1, 28, 28] },
  { name: 'fmnist-scenes-centernet (shipped detector, int8 QDQ)', path: join(ROOT, 'models/fmnist-scenes-centernet/model.int8.onnx'), dims: [1, 1, 96, 96] },
];
if (!quick) {
  for (const arch of ['resnet18', 'resnet50'] as const) {
    const m = await torchvisionModel({ arch });
    cases.push({ name: `${arch} (torchvision arch, int8 QDQ by our quantizer)`, path: m.int8, dims: [1, 3, 224, 224] });
  }
  // The format of Transformers.js' q8 files: onnxruntime's quantize_dynamic (DynamicQuantizeLinear + ConvInteger /
  // MatMulInteger, uint8 weights), same seeded torchvision weights. Needs the venv npm test creates (onnxruntime).
  if (hasOrtQuantizer) {
    for (const arch of ['resnet18', 'resnet50'] as const) {
      const path = join(RESULTS, `tmp/${arch}-224-dynamic-u8.onnx`);
      writeFileSync(path, ortQuantized({ arch, size: 224, mode: 'dynamic-u8' }));
      cases.push({ name: `${arch} (torchvision arch, onnxruntime quantize_dynamic u8)`, path, dims: [1, 3, 224, 224] });
    }
  } else {
    console.log('[bench] no onnxruntime quantizer venv (~/.cache/resnet-edge/venv-hf): dynamic-quant rows left out');
  }
}

function input(dims: number[]): Float32Array {
  let s = 12345;
  return Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 4 - 2);
}

const results = [];
for (const c of cases) {
  const bytes = new Uint8Array(readFileSync(c.path));
  const data = input(c.dims);
  const runners: Record<string, () => Promise<unknown>> = {};
  const extra: Record<string, unknown> = {};
  for (const e of engines) {
    if (e === 'ort-wasm') {
      const s = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', logSeverityLevel: 3 });
      const feeds = { [s.inputNames[0]]: new ort.Tensor('float32', data, c.dims) };
      runners[e] = () => s.run(feeds);
    } else {
      // wasm-relaxed: the relaxed build with its default kernel (usdot where the runtime passes its known-answer test).
      const s = await createWasmSession({ model: bytes, relaxedSimd: e === 'wasm-relaxed', threads: e === 'wasm-simd128-2t' ? 2 : 1 });
      const feeds = { [s.inputNames[0]]: { data, dims: c.dims } };
      runners[e] = () => s.run(feeds);
      if (e === 'wasm-simd128') extra.peakWasmMemoryBytes = s.peakMemoryBytes;
      extra.gmac = round(planMacs(s.plan) / 1e9, 3);
    }
  }
  for (const e of engines) for (let i = 0; i < 3; i++) await runners[e]();
  const times: Record<string, number[]> = Object.fromEntries(engines.map((e) => [e, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const e of engines) {
      const t0 = performance.now();
      await runners[e]();
      times[e].push(performance.now() - t0);
    }
  }
  const cold: Record<string, number> = {};
  for (const e of engines) {
    const xs = [];
    for (let i = 0; i < 3; i++) {
      const out = execFileSync(process.execPath, ['--experimental-wasm-relaxed-simd', join(ROOT, 'bench/cold-start.mjs'), e, bundlePath, c.path, ...c.dims.slice(1).map(String)], { encoding: 'utf8', cwd: ROOT });
      xs.push(JSON.parse(out).coldMs);
    }
    cold[e] = round(median(xs));
  }
  const med = Object.fromEntries(engines.map((e) => [e, round(median(times[e]))]));
  const row = {
    model: c.name,
    batch: 1,
    threads: 1,
    runs: RUNS,
    medianMs: med,
    ratioVsOrt: Object.fromEntries(engines.filter((e) => e !== 'ort-wasm').map((e) => [e, round(med[e] / med['ort-wasm'], 3)])),
    coldStartMs: cold,
    coldRatioVsOrt: Object.fromEntries(engines.filter((e) => e !== 'ort-wasm').map((e) => [e, round(cold[e] / cold['ort-wasm'], 3)])),
    ...extra,
    gmacPerS: Object.fromEntries(engines.map((e) => [e, round((extra.gmac as number) / (med[e] / 1000), 2)])),
  };
  console.log('[bench]', JSON.stringify(row));
  results.push(row);
}

// End to end through the public API (decode PNG + preprocess + run + postprocess) for the two shipped models.
const e2eCases = [
  { task: 'classify', id: 'fmnist-resnet20', png: 'models/fmnist-resnet20/samples/sneaker-112.png' },
  { task: 'detect', id: 'fmnist-scenes-centernet', png: 'models/fmnist-scenes-centernet/samples/scene-0.png' },
] as const;
const e2e: Record<string, Record<string, number>> = { classify: {}, detect: {} };
for (const c of e2eCases) {
  const png = new Uint8Array(readFileSync(join(ROOT, c.png)));
  for (const backend of ['wasm', 'ort-wasm'] as const) {
    const model = await load({ model: c.id, backend });
    const once = () => (c.task === 'classify' ? model.classify(png) : model.detect(png));
    // 20 warm-ups: with 3, the JS around the engine is still being optimized and the row misleads.
    for (let i = 0; i < 20; i++) await once();
    const xs = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await once();
      xs.push(performance.now() - t0);
    }
    e2e[c.task][backend] = round(median(xs));
    await model.dispose();
  }
}

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: round(totalmem() / 2 ** 30, 1),
  node: process.version,
  loadAverage1m: round(loadavg()[0], 2),
  relaxedSimd: relaxed,
  date: new Date().toISOString(),
};
const report = { machine, sizes, results, endToEndClassifyMs: e2e.classify, endToEndDetectMs: e2e.detect };
writeFileSync(join(RESULTS, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
writeBenchmarksMd({ report, file: join(ROOT, 'BENCHMARKS.md') });
console.log('[bench] wrote bench-results/bench.json and BENCHMARKS.md');

// Phone photos through classify() (decode to size) beside sharp: its own script, one process per cell; its own
// BENCHMARKS.md section. Needs Debian's python3-skimage for the photos; skipped with --quick.
if (!quick) execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/image-decode.ts')], { cwd: ROOT, stdio: 'inherit' });
