// Kernel micro-benchmark in headless Chromium (relaxed SIMD on, V8 current): GMAC/s per conv class and GB/s of the
// ops between convs, per engine variant, against the dot-loop peak.
//   node --import tsx bench/kernels/browser.ts [--budget=MS] [--only=3x3,stem] [--engines=simd128,relaxed,2t] [--out=NAME]
// Writes bench-results/kernels-chromium.json (or kernels-NAME.json) and, for a full run, the BENCHMARKS.md section
// (bench/kernels/report.ts, with kernels-node.json from bench/kernels/node.ts when present).
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { launchChromium, startStaticServer } from '../../test/browser/harness.js';
import { writeKernelsSection } from './report.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const OUT = join(ROOT, 'bench-results/tmp/kernels');
const arg = (k: string) => process.argv.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3);

mkdirSync(OUT, { recursive: true });
await build({
  entryPoints: [join(ROOT, 'bench/kernels/page.ts')],
  bundle: true, minify: true, format: 'esm', platform: 'browser', outfile: join(OUT, 'page.js'), logLevel: 'warning', external: ['node:*'],
});
writeFileSync(join(OUT, 'index.html'), '<!doctype html><meta charset="utf-8"><title>kernel bench</title><script type="module" src="/page.js"></script>');
const server = await startStaticServer({ routes: [{ prefix: '/', dir: OUT }] });
const browser = await launchChromium();
browser.page.on('console', (m) => { if (m.text().startsWith('[page]')) console.log(m.text().slice(7)); });
const load0 = loadavg()[0];
try {
  await browser.page.goto(server.url);
  await browser.page.waitForFunction(() => typeof window.kernelBench === 'function');
  const res = await browser.page.evaluate((o) => window.kernelBench(o), {
    budgetMs: Number(arg('budget') ?? 600), only: arg('only')?.split(','), engines: arg('engines')?.split(','),
  });
  console.log(`usdot known-answer test: ${res.usdot}; ${res.userAgent}`);
  const out = { runtime: res.userAgent, usdot: res.usdot, loadAverage1m: [load0, loadavg()[0]], date: new Date().toISOString(), rows: res.rows };
  writeFileSync(join(ROOT, `bench-results/kernels-${arg('out') ?? 'chromium'}.json`), JSON.stringify(out, null, 1));
  if (!arg('out') && !arg('only') && !arg('engines')) writeKernelsSection();
} finally {
  await browser.close();
  await server.close();
}
