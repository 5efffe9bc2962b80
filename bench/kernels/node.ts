// Kernel micro-benchmark in Node: GMAC/s per conv class and GB/s of the ops between convs, per engine variant.
//   node --experimental-wasm-relaxed-simd --import tsx bench/kernels/node.ts [--budget=MS] [--only=3x3,stem] [--engines=simd128,2t]
// Writes bench-results/kernels-node.json. The Chromium run (bench/kernels/browser.ts) writes the BENCHMARKS.md section.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { runKernelBench } from './kernel-bench.js';
import { benchEngines } from './variants.js';

const arg = (k: string) => process.argv.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3);
const engines = await benchEngines(arg('engines')?.split(','));
const load0 = loadavg()[0];
const rows = runKernelBench({ engines, budgetMs: Number(arg('budget') ?? 600), only: arg('only')?.split(','), log: console.log });
const out = { runtime: `node ${process.version}`, loadAverage1m: [load0, loadavg()[0]], date: new Date().toISOString(), rows };
writeFileSync(new URL('../../bench-results/kernels-node.json', import.meta.url), JSON.stringify(out, null, 1));
for (const e of engines) e.engine.pool?.terminate();
