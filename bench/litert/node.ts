/**
 * LiteRT.js in Node against the own engine in Node: ResNet-18/50, batch 1, same networks and weights as
 * `npm run bench:browser` (the .tflite twins of bench/litert/prepare.ts), interleaved runs, medians. Each LiteRT.js build
 * runs in its own worker thread (its module is a global; node-runtime.ts has the shims Node needs); the own engine runs
 * on the main thread. Writes bench-results/litert-node.json and its BENCHMARKS.md section (`--no-md`: not the section).
 * No assertions.
 *
 *   node --experimental-wasm-relaxed-simd --import tsx bench/litert/node.ts [--runs=N] [--models=resnet18,resnet50]
 *
 * Without --experimental-wasm-relaxed-simd (Node 20) LiteRT.js gets its SIMD128 build and no threaded build.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { supportsFeature } from '@litertjs/core';
import { createWasmSession } from '../engine-entry.js';
import { torchvisionModel } from '../prepare-models.js';
import { median, round } from '../../packages/core/src/testing/bench-stats.js';
import { nchwToNhwc } from './page.js';
import { litertModel } from './prepare.js';
import { updateLitertSection } from './report.js';
import type { LitertBuild } from './node-runtime.js';
import type { NodeWorkerData, NodeWorkerReply } from './node-worker.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** The page's deterministic bench input (bench/browser-cpu-page.ts input()). */
function benchInput(size: number): Float32Array {
  let s = 12345;
  return Float32Array.from({ length: size }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 4 - 2);
}

// LiteRT.js' own probe: it picks the relaxed-SIMD build and allows threads only where this holds.
const relaxedSimd = await supportsFeature('relaxedSimd');

interface LitertWorker {
  run(): Promise<{ ms: number; logits: Float32Array }>;
  logs: string[];
  close(): Promise<number>;
}

async function startWorker(data: NodeWorkerData): Promise<LitertWorker> {
  // The worker is TypeScript: register tsx's loader in it first (a worker does not inherit the main thread's hooks).
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(new URL('./node-worker.ts', import.meta.url).href)}); })`;
  const w = new Worker(boot, { eval: true, workerData: data, stdout: true, stderr: true });
  // LiteRT's C++ log lines (INFO ...) go to the worker's stdout/stderr: keep them for the XNNPACK check, print nothing.
  const printed: string[] = [];
  for (const stream of [w.stdout, w.stderr]) stream.on('data', (chunk: Buffer) => printed.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const next = () =>
    new Promise<NodeWorkerReply>((ok, fail) => {
      w.once('message', ok);
      w.once('error', fail);
    });
  const first = await next();
  if ('error' in first) throw new Error(`LiteRT.js worker (${data.build}): ${first.error}`);
  return {
    logs: [...('logs' in first ? first.logs : []), ...printed],
    async run() {
      const reply = next();
      w.postMessage('run');
      const r = await reply;
      if ('error' in r || !('ms' in r)) throw new Error(`LiteRT.js worker: ${JSON.stringify(r)}`);
      return r;
    },
    close: () => w.terminate(),
  };
}

const args = process.argv.slice(2);
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const runs = Number(opt('runs') ?? 15);
const archs = (opt('models') ?? 'resnet18,resnet50').split(',') as Array<'resnet18' | 'resnet50'>;
const loadStart = loadavg()[0];
interface NodeRow {
  model: string;
  gmac: number;
  runs: number;
  builds: Record<string, string>;
  medianMs: Record<string, number>;
  gmacPerS: Record<string, number>;
  maxAbsDiffVsTfliteXnnpack: Record<string, number>;
  xnnpackLogged: boolean;
}
const results: NodeRow[] = [];
for (const arch of archs) {
  const lt = await litertModel({ arch });
  const { int8 } = await torchvisionModel({ arch });
  const dims = [1, 3, 224, 224];
  const x = benchInput(3 * 224 * 224);
  const nhwc = nchwToNhwc(x, dims);
  const own1 = await createWasmSession({ model: new Uint8Array(readFileSync(int8)), relaxedSimd: false, threads: 1 });
  const own2 = await createWasmSession({ model: new Uint8Array(readFileSync(int8)), relaxedSimd: false, threads: 2 });
  const builds: Array<[string, LitertBuild, number]> = relaxedSimd
    ? [['litert-1t', 'litert_wasm_internal', 1], ['litert-2t', 'litert_wasm_threaded_internal', 2]]
    : [['litert-1t', 'litert_wasm_compat_internal', 1]];
  const workers = new Map<string, LitertWorker>();
  for (const [name, build, numThreads] of builds) workers.set(name, await startWorker({ build, tflite: lt.tflite, numThreads, input: nhwc, shape: [1, 224, 224, 3] }));
  const ownRun = (s: typeof own1) => async () => {
    const t0 = performance.now();
    const out = await s.run({ [s.inputNames[0]]: { data: x, dims } });
    return { ms: performance.now() - t0, logits: out[s.outputNames[0]].data as Float32Array };
  };
  const engines: Record<string, () => Promise<{ ms: number; logits: Float32Array }>> = { 'own-1t': ownRun(own1), 'own-2t': ownRun(own2) };
  for (const [name, w] of workers) engines[name] = () => w.run();
  const names = Object.keys(engines);
  const last: Record<string, Float32Array> = {};
  for (const n of names) for (let i = 0; i < 3; i++) last[n] = (await engines[n]()).logits;
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < names.length; j++) {
      const n = names[(i + j) % names.length];
      times[n].push((await engines[n]()).ms);
    }
  }
  const diff = (y: Float32Array, ref: number[]) => y.reduce((d, v, i) => Math.max(d, Math.abs(v - ref[i])), 0);
  const gmac = lt.meta.macs / 1e9;
  const medianMs = Object.fromEntries(names.map((n) => [n, round(median(times[n]), 2)]));
  const row: NodeRow = {
    model: arch,
    gmac: round(gmac, 3),
    runs,
    builds: Object.fromEntries(builds.map(([n, b, t]) => [n, `${b}.wasm, numThreads ${t}`])),
    medianMs,
    gmacPerS: Object.fromEntries(names.map((n) => [n, round(gmac / (medianMs[n] / 1000), 2)])),
    maxAbsDiffVsTfliteXnnpack: Object.fromEntries([...workers.keys()].map((n) => [n, diff(last[n], lt.meta.tfliteXnnpackBenchLogits)])),
    xnnpackLogged: [...workers.values()].some((w) => w.logs.some((l) => l.includes('XNNPACK delegate'))),
  };
  console.log(JSON.stringify(row));
  results.push(row);
  for (const w of workers.values()) await w.close();
  await own1.dispose();
  await own2.dispose();
}
const out = { machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, relaxedSimd, loadAverage1mStart: round(loadStart, 2), loadAverage1mEnd: round(loadavg()[0], 2), date: new Date().toISOString() }, results };
mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
writeFileSync(join(ROOT, 'bench-results/litert-node.json'), `${JSON.stringify(out, null, 2)}\n`);
const cols = ['own-1t', 'own-2t', 'litert-1t', 'litert-2t'];
const ratio = (r: NodeRow, a: string, b: string) => (r.medianMs[a] && r.medianMs[b] ? `**${round(r.medianMs[a] / r.medianMs[b], 3)}x**` : '-');
const md = [
  '<!-- litert-node-bench:start -->',
  '### LiteRT.js in Node (generated by `node --experimental-wasm-relaxed-simd --import tsx bench/litert/node.ts`)',
  '',
  `Node ${process.version}, ${out.machine.cpu}, ${out.machine.cores} cores; ${out.machine.date}; load average (1 min) ${out.machine.loadAverage1mStart} at the start,`,
  `${out.machine.loadAverage1mEnd} at the end. Same models as the Chromium table; own engine (SIMD128 build) on the main thread, each LiteRT.js`,
  `build in its own worker thread (${Object.values(results[0]?.builds ?? {}).join('; ')}); interleaved, 3 warm-ups, median of ${runs}.`,
  'LiteRT.js loads in Node with shims (bench/litert/node-runtime.ts): an `importScripts` that `require`s a `.cjs` copy of its glue, `self`, `navigator`.',
  '',
  `| model | GMAC | ${cols.map((c) => `${c} ms`).join(' | ')} | own / LiteRT.js, 1 thread | own / LiteRT.js, 2 threads | LiteRT.js vs TF XNNPACK (max abs diff) |`,
  `|---|---|${cols.map(() => '---').join('|')}|---|---|---|`,
  ...results.map((r) => `| ${r.model} | ${r.gmac} | ${cols.map((c) => r.medianMs[c] ?? '-').join(' | ')} | ${ratio(r, 'own-1t', 'litert-1t')} | ${ratio(r, 'own-2t', 'litert-2t')} | ${Object.values(r.maxAbsDiffVsTfliteXnnpack).join(' / ')} |`),
  '',
  'Raw times: `bench-results/litert-node.json`.',
  '<!-- litert-node-bench:end -->',
].join('\n');
console.log(md);
if (!args.includes('--no-md')) updateLitertSection(join(ROOT, 'BENCHMARKS.md'), md);
process.exit(0);
